"""extract_document end to end: text in, event mentions out, each with evidence that slices the text."""
import pickle

import pytest

from letopis.extract import EXTRACTOR_VERSION, extract_document
from letopis.model import DocumentInput


def run(text, lang=None, date="2021-03-15", country=None):
    res = extract_document(DocumentInput(1, "doc.md", text, lang, date, None, country))
    assert res.error is None, res.error
    for m in res.mentions:
        assert m.evidence, m
        for sp in m.evidence:
            assert text[sp.start:sp.end] == sp.text
        for f in m.figures:
            assert text[f.span.start:f.span.end] == f.span.text
    return res.mentions


def types(mentions):
    return sorted({m.type for m in mentions})


def find(mentions, type_):
    return next(m for m in mentions if m.type == type_)


def test_extract_shooting_of_a_rally_with_figures_date_and_place():
    text = ("14 марта 2021 года в Жезказгане полиция открыла огонь по участникам митинга бастующих горняков. "
            "По официальным данным, погибли три человека, десятки получили ранения.")
    ms = run(text, "ru")
    assert {"crackdown", "protest"} <= set(types(ms))
    c = find(ms, "crackdown")
    assert c.date.start == "2021-03-14"
    assert c.place.country == "KZ" and c.place.name_en
    figs = {f.kind: (f.low, f.high) for f in c.figures}
    assert figs["killed"] == (3, 3)
    assert figs["injured"] == (20, 99)
    assert {f.attribution for f in c.figures if f.kind == "killed"} == {"official"}


def test_extract_ukrainian_and_russian_in_one_process():
    # pymorphy's Ukrainian dictionary must not break Russian tag checks afterwards
    uk = run("У понеділок у Харкові поліція затримала двадцять учасників пікету біля міськради.", "uk")
    ru = run("Вчера в Москве на Пушкинской площади задержали 15 участников одиночных пикетов.", "ru")
    assert "detention" in types(uk) and "detention" in types(ru)
    assert find(ru, "detention").place.name_en == "Moscow"


def test_extract_english_lower_case_note():
    text = ("thousands of workers marched through the capital on monday demanding higher wages. "
            "police fired tear gas and arrested 40 people.")
    ms = run(text, "en", "2019-05-08", country="Kenya")
    assert {"protest", "crackdown", "detention"} <= set(types(ms))
    assert find(ms, "detention").figures[0].low == 40
    assert any(d.category == "labor_wage_dispute" for d in find(ms, "protest").demands)


@pytest.mark.parametrize("text", [
    "The striker scored twice as the club won the derby on Saturday.",
    "В школе произошёл расстрел: ученик открыл огонь по одноклассникам, погибли двое.",
    "Русская Википедия провела забастовку: главная страница сайта была закрыта.",
    "Учителя грозят забастовкой, если зарплату не повысят до сентября.",
    "Полиция задержала подозреваемого в убийстве пенсионерки.",
    "The company strikes a deal with its lenders.",
])
def test_extract_hard_negatives_give_nothing(text):
    assert not run(text, None)


def test_extract_repeated_event_reported_once():
    text = ("Забастовка на шахте в Караганде продолжается. 3 марта 2021 года горняки объявили забастовку. "
            "Бастующие требуют повышения зарплаты. Забастовка шахтёров в Караганде идёт уже неделю.")
    ms = run(text, "ru")
    assert sum(m.type == "strike" for m in ms) == 1


def test_extract_resolution_demands_go_to_the_picket_that_adopted_it():
    text = ("Вчера в Алматы прошёл пикет у здания акимата.\n\nРЕЗОЛЮЦИЯ пикета\n\nНАШИ ТРЕБОВАНИЯ:\n\n"
            "1. Выплатить долги по зарплате.\n\n2. Освободить задержанных активистов.\n\n"
            "Участники пикета:\n\nПрофсоюз горняков\n\nДвижение «Солидарность»\n")
    p = find(run(text, "ru"), "protest")
    assert {d.category for d in p.demands} >= {"labor_wage_dispute", "political_behavior_process"}
    assert {"Профсоюз горняков", "Движение «Солидарность»"} <= {a.name for a in p.actors if a.role == "organizer"}


def test_extract_is_picklable_and_versioned():
    res = extract_document(DocumentInput(1, "d.md", "Вчера в Минске прошёл митинг.", "ru", "2020-08-10"))
    assert pickle.loads(pickle.dumps(res)) == res
    assert res.extractor == EXTRACTOR_VERSION and "+" in EXTRACTOR_VERSION


@pytest.mark.parametrize("text", ["", "   \n\n ", "<script>alert(1)</script>" * 50, "\x00\x01 binary"])
def test_extract_odd_input_does_not_fail(text):
    res = extract_document(DocumentInput(1, "d.md", text, None, None))
    assert res.error is None


def test_extract_long_text_without_punctuation_stays_bounded():
    words = "митинг полиция задержала участников в Москве рабочих забастовка ".split()
    text = " ".join(words[i % len(words)] for i in range(8_000))
    res = extract_document(DocumentInput(1, "d.txt", text, "ru", "2020-01-01"))
    assert res.error is None
    assert len(res.mentions) < 50


def test_extract_keeps_official_and_independent_counts_side_by_side():
    text = ("15 березня 2021 року в Жезказгані поліція відкрила вогонь по мітингу страйкарів. "
            "Влада повідомляє про трьох загиблих, однак правозахисники називають щонайменше 11 загиблих.")
    c = find(run(text, "uk"), "crackdown")
    killed = [(f.low, f.high) for f in c.figures if f.kind == "killed"]
    assert killed[0] == (3, 3) and (11, None) in killed
    assert c.figures_dict()["killed"] == {"low": 3, "high": 3}


def test_extract_context_dated_case_does_not_join_a_vaguer_case_in_a_later_paragraph():
    text = ("On 5 February police detained 40 people at a rally outside the city hall in Novosibirsk. "
            "Criminal cases for hooliganism were opened against several of the detained.\n\n"
            "Before that the monitors recorded just one other case: activist Ivan Petrov, detained at a "
            "picket in Novosibirsk, was charged and in 2021 sentenced to a year of probation.")
    cases = sorted((m.date.start, m.evidence[0].text[:14]) for m in run(text, "en") if m.type == "prosecution")
    assert cases == [("2021", "Before that th"), ("2021-02-05", "Criminal cases")]
