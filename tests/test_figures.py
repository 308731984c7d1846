"""figures.rules.v1: sentences in, (kind, low, high, attribution) out; spans always exact."""
import time

import pytest

from letopis.errors import ExtractionError
from letopis.extract.figures import build_figure_lexicon, find_figures

CASES = [
    # Russian
    ("Силовики убили десятки участников забастовки и местных жителей, сотни ранены.",
     [("killed", 20, 99, "unknown"), ("injured", 200, 999, "unknown")]),
    ("Десятки участников пикета были убиты.", [("killed", 20, 99, "unknown")]),
    ("По меньшей мере 16 человек погибли, более 100 ранены.",
     [("killed", 16, None, "unknown"), ("injured", 101, None, "unknown")]),
    ("В Самаре задержаны 24 человека.", [("detained", 24, 24, "unknown")]),
    ("На акции было 39 задержанных.", [("detained", 39, 39, "unknown")]),
    ("По данным ОВД-Инфо, полиция задержала не менее 31 человека.",
     [("detained", 31, None, "independent")]),
    ("По данным МВД, на митинг вышли около 15 тысяч человек.",
     [("participants", 15000, 15000, "official")]),
    ("Тысячи демонстрантов собрались у здания парламента.", [("participants", 2000, 9999, "unknown")]),
    ("Около тридцати рабочих вышли на забастовку.", [("participants", 30, 30, "unknown")]),
    ("В шествии приняли участие от 20 до 30 тысяч человек.", [("participants", 20000, 30000, "unknown")]),
    ("Правозащитники сообщают о сотне задержанных.", [("detained", 100, 100, "independent")]),
    ("Госпитализированы шестеро пострадавших.", [("injured", 6, 6, "unknown")]),
    ("Число погибших возросло до 20.", [("killed", 20, 20, "unknown")]),
    ("По словам очевидцев, погибли десятки или сотни людей.", [("killed", 20, 999, "independent")]),
    ("Были арестованы несколько десятков активистов.", [("detained", 30, 90, "unknown")]),
    ("На площадь вышли десятки тысяч протестующих.", [("participants", 20000, 99999, "unknown")]),
    ("Задержано до 200 человек.", [("detained", None, 200, "unknown")]),
    # Ukrainian
    ("За даними правозахисників, 50 загиблих і 14 поранених.",
     [("killed", 50, 50, "independent"), ("injured", 14, 14, "independent")]),
    ("Поліція затримала щонайменше дванадцять учасників акції.", [("detained", 12, None, "unknown")]),
    ("За офіційними даними, загинули п'ятеро людей.", [("killed", 5, 5, "official")]),
    ("На майдан вийшли кілька тисяч людей.", [("participants", 3000, 9000, "unknown")]),
    ("Понад сотню протестувальників затримано.", [("detained", 101, None, "unknown")]),
    ("Сотні учасників мітингу постраждали.", [("injured", 200, 999, "unknown")]),
    # English, news style and lower-case Mass Mobilization style
    ("Police said 39 people were arrested.", [("detained", 39, 39, "official")]),
    ("The march ended peacefully, resulting in 39 arrests.", [("detained", 39, 39, "unknown")]),
    ("Troops opened fire, killing at least 16.", [("killed", 16, None, "unknown")]),
    ("The death toll rose to 20, the interior ministry said.", [("killed", 20, 20, "official")]),
    ("In the clashes 40 people were injured, including 5 police officers.",
     [("injured", 40, 40, "unknown")]),
    ("According to witnesses, dozens of protesters were wounded.",
     [("injured", 20, 99, "independent")]),
    ("Rights groups say more than 300 people have been detained.",
     [("detained", 301, None, "independent")]),
    ("hundreds of thousands of people joined union protests across the country",
     [("participants", 200000, 999999, "unknown")]),
    ("police arrested 12 people after the rally", [("detained", 12, 12, "unknown")]),
    ("about 3,000 peruvians marched to the congress", [("participants", 3000, 3000, "unknown")]),
    ("a stone throwing mob of 2,000 attacked the town hall", [("participants", 2000, 2000, "unknown")]),
    ("some 500 workers went on strike over unpaid wages", [("participants", 500, 500, "unknown")]),
    ("between 200 and 300 students rallied outside the ministry", [("participants", 200, 300, "unknown")]),
    ("several thousand demonstrators gathered in the capital", [("participants", 3000, 9000, "unknown")]),
    ("a dozen activists were taken into custody", [("detained", 12, 12, "unknown")]),
    ("There were 250 arrests at 41 events last year.", [("detained", 250, 250, "unknown")]),
]

NEGATIVES = [
    "36-летний активист задержан по ст. 213 УК.",
    "Его осудили по части 2 статьи 116 на 8 месяцев.",
    "He was detained under part 2 of article 116 and jailed for two years.",
    "Police arrested a man aged 25 on 16 December 2011.",
    "В 2011 году полиция задержала активиста.",
    "Не было задержанных. No one was injured.",
    "Протестующие требовали поднять зарплату на 80%.",
    "Протестующие разбили 40 палаток.",
    "the strikers demanded a raise of 500 dollars",
    "Митинг начался в 12:30, задержаний не было.",
    "Звоните на горячую линию задержанных: 8-800-123-45-67.",
    "Участники акции пришли на митинг уже в пятый раз.",
    "The protest lasted three days; police arrested nobody.",
    "Один из задержанных рассказал о давлении.",
    "1. Прекратить преследование участников забастовки.",
]


def _facts(text):
    figs = find_figures(text)
    for f in figs:
        assert text[f.span.start:f.span.end] == f.span.text
    return [(f.kind, f.low, f.high, f.attribution) for f in figs]


@pytest.mark.parametrize("text,expected", CASES)
def test_figures_find_figures_reads_kind_range_and_attribution(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_figures_find_figures_ignores_non_counts(text):
    assert _facts(text) == []


def test_figures_span_runs_from_quantity_to_kind_word():
    text = "Вчера в центре города задержаны 24 человека."
    (f,) = find_figures(text)
    assert f.span.text == "задержаны 24"
    assert text[f.span.start:f.span.end] == f.span.text


def test_figures_source_is_the_phrase_as_written():
    (f,) = find_figures("По данным МВД, задержаны 24 человека.")
    assert f.source == "По данным МВД"


def test_figures_uses_given_sentence_bounds():
    text = "Задержаны 24 человека. Ранены 5 человек."
    figs = find_figures(text, sentences=[(0, 22), (23, len(text))])
    assert [(f.kind, f.low) for f in figs] == [("detained", 24), ("injured", 5)]


def test_figures_lexicon_rejects_unknown_kind():
    trig = {"version": 1, "kinds": {"missing": ["пропал*"]}, "participant_nouns": [],
            "persons": [], "non_persons": [], "reject_before": [], "negations": [], "blockers": []}
    attr = {"version": 1, "cues": [], "official": [], "independent": [],
            "official_markers": [], "independent_markers": []}
    with pytest.raises(ExtractionError, match="unknown kinds"):
        build_figure_lexicon(trig, attr)


def test_figures_long_text_without_punctuation_is_fast():
    text = "люди шли и шли по улице " * 40_000 + "задержаны 24 человека"
    t = time.perf_counter()
    figs = find_figures(text)
    assert time.perf_counter() - t < 5
    assert [(f.kind, f.low) for f in figs] == [("detained", 24)]


def test_figures_throughput_is_at_least_a_megabyte_a_second():
    unit = ("В пятницу в Москве задержаны 24 человека, сообщает ОВД-Инфо. Акция прошла у здания "
            "мэрии, участники держали плакаты и скандировали лозунги против нового закона. "
            "Организаторы заранее подали уведомление, но городские власти его отклонили. "
            "The rally was called by local unions after the city council voted on the plan. "
            "Speakers demanded that the mayor resign and that the budget be discussed in public. ")
    text = unit * (1_000_000 // len(unit))
    find_figures(unit)                      # load lexicons outside the timing
    t = time.process_time()
    find_figures(text)
    assert time.process_time() - t < 2.0    # 1 MB/s, with slack for a busy shared machine
