"""dates.rules.v1: tables of (text, document date) -> dates, in ru/uk/en, with hard negatives.

Every sentence here is written for these tests. Each case also checks the span
invariant: ``text[span.start:span.end] == span.text``.
"""
from __future__ import annotations

import datetime as dt
import time

import pytest

from letopis.extract.dates import DateMention, date_contains, find_dates, parse_doc_date
from letopis.extract.relative import duration_start_year, resolve_weekday

DOC = "2013-12-18"          # a Wednesday


def dates(text: str, doc: str | None = DOC, lang: str | None = None) -> list[tuple[str, str | None]]:
    found = find_dates(text, doc_date=doc, lang=lang)
    for m in found:
        assert isinstance(m, DateMention)
        assert text[m.span.start:m.span.end] == m.span.text, m
    return [(m.start, m.end) for m in found]


ABSOLUTE = [
    ("Забастовку разогнали 16 декабря 2011 года на площади.", "2011-12-16"),
    ("Митинг прошёл 16 декабря 2011г. у акимата.", "2011-12-16"),
    ("Суд состоялся 3 марта 2012 г., приговор огласили позже.", "2012-03-03"),
    ("Акция была назначена на 16-го декабря.", "2013-12-16"),
    ("Пикет согласовали на 16.12.2011, но перенесли.", "2011-12-16"),
    ("Дата задержания: 16.12.11.", "2011-12-16"),
    ("Постановление от 2011-12-16 обжаловано.", "2011-12-16"),
    ("Протокол составлен 16/12/2011 в отделе полиции.", "2011-12-16"),
    ("The notice was dated 12/16/2011 by the mayor's office.", "2011-12-16"),
    ("Согласно протоколу от 16.12.20011, задержаны трое.", "2011-12-16"),
    ("Голодовка началась в декабре 2011 года.", "2011-12"),
    ("Архив: декабрь 2011, выпуск второй.", "2011-12"),
    ("Первые пикеты прошли в 2011 году.", "2011"),
    ("Страйк шахтарів розпочався у 2011 році.", "2011"),
    ("Профспілку заборонили 2011 року.", "2011"),
    ("Workers first walked out in 2011 over unpaid wages.", "2011"),
    ("Police dispersed the crowd on December 16, 2011, witnesses said.", "2011-12-16"),
    ("The march took place on 16 December 2011 in the capital.", "2011-12-16"),
    ("Riot police cleared the square on Dec. 3, 2012.", "2012-12-03"),
    ("Активістів затримали 1 квітня 2012 року біля суду.", "2012-04-01"),
    ("Обыски прошли 1 апреля 2012 года.", "2012-04-01"),
    ("Приговор вынесли в марте 2012 года.", "2012-03"),
    ("Учасники акції зібралися у грудні 2012 року.", "2012-12"),
    ("Протесты начались в апреле этого года.", "2013-04"),
    ("Его задержали 26 мая прошлого года.", "2012-05-26"),
    ("Students occupied the campus in March last year.", "2012-03"),
    ("Профсоюз провёл пикет в начале декабря.", "2013-12"),
    ("The union struck in mid-March.", "2013-03"),
    ("Вони вийшли на протест 2 травня.", "2013-05-02"),
]

YEARLESS = [   # year from the document's date; the previous year when the month is after it
    ("Protesters marched on 6 May.", "2013-07-01", "2013-05-06"),
    ("Protesters marched on 6 May.", "2013-03-01", "2012-05-06"),
    ("Пикет прошёл 18 января у мэрии.", "2013-12-18", "2013-01-18"),
    ("Пикет прошёл 18 января у мэрии.", "2013-12", "2013-01-18"),
    ("Митинг у здания парламента 20 декабря.", "2013-11-30", "2012-12-20"),
    ("Акция в понедельник 18 февраля собрала сотню человек.", "2013-02-20", "2013-02-18"),
]

RELATIVE = [
    ("У понеділок активісти пікетували міськраду.", "2013-12-16"),
    ("Пикет у посольства прошёл в пятницу.", "2013-12-13"),
    ("Митинг прошёл в среду вечером.", "2013-12-18"),
    ("Workers rallied on friday outside the plant.", "2013-12-13"),
    ("Students gathered on Wednesday night near the campus.", "2013-12-18"),
    ("Protesters gathered Sunday in the main square.", "2013-12-15"),
    ("Вчера полиция задержала двух журналистов.", "2013-12-17"),
    ("Вчора біля Верховної Ради відбувся мітинг.", "2013-12-17"),
    ("Police detained him yesterday in the city centre.", "2013-12-17"),
    ("Сегодня у суда стоят пикетчики.", "2013-12-18"),
    ("Сьогодні страйкарі перекрили дорогу.", "2013-12-18"),
    ("Workers say the strike goes on today.", "2013-12-18"),
    ("Позавчера у завода собрались рабочие.", "2013-12-16"),
    ("В прошлом месяце студенты вышли на улицы.", "2013-11"),
    ("The curfew was imposed last month.", "2013-11"),
    ("В прошлом году стачка длилась неделю.", "2012"),
    ("Торік акцію розігнали.", "2012"),
    ("The ban was introduced last year.", "2012"),
    ("Пять дней назад активиста избили у подъезда.", "2013-12-13"),
    ("The journalist was abducted 3 days ago.", "2013-12-15"),
    ("Неделю назад его отпустили.", "2013-12-11"),
]

RANGES = [
    ("На прошлой неделе шахтёры бастовали.", DOC, ("2013-12-09", "2013-12-15")),
    ("Минулого тижня студенти протестували.", DOC, ("2013-12-09", "2013-12-15")),
    ("Nurses went on strike last week.", DOC, ("2013-12-09", "2013-12-15")),
    ("Лагерь стоял с 26 мая по 19 декабря 2011 года.", DOC, ("2011-05-26", "2011-12-19")),
    ("The camp stood from 26 May to 19 December.", DOC, ("2013-05-26", "2013-12-19")),
    ("Голодовка длилась с 30 января по 2 февраля 2012 года.", DOC, ("2012-01-30", "2012-02-02")),
    ("Акции прошли 16–17 февраля 2013 года в столице.", DOC, ("2013-02-16", "2013-02-17")),
    ("Акции прошли 16 и 17 февраля в нескольких городах.", DOC, ("2013-02-16", "2013-02-17")),
    ("Rallies were held on February 16-17, 2013.", DOC, ("2013-02-16", "2013-02-17")),
    ("Talks were held between 16 and 18 February.", DOC, ("2013-02-16", "2013-02-18")),
    ("Демонстрации в понедельник и во вторник собрали тысячи.", DOC, ("2013-12-16", "2013-12-17")),
    ("Памятники сносили в 2009–2011 годах.", DOC, ("2009", "2011")),
    ("Суды шли с 2009 по 2011 год.", DOC, ("2009", "2011")),
    ("The leader was jailed from 2009 to 2011.", DOC, ("2009", "2011")),
    ("З 6 квітня активісти утримують будівлю.", "2014-05-10", ("2014-04-06", None)),
    ("В прошедшие выходные прошли марши.", DOC, ("2013-12-14", "2013-12-15")),
]

NEGATIVES = [
    "Его обвиняют по ст. 213 УК РФ.",
    "Звоните по телефону 8-800-555-35-35 или +7 (495) 123-45-67.",
    "Явка составила 80%, а цены выросли в 2,5 раза.",
    "Дом продали за 8,1 млн долларов.",
    "Сбор назначен около 7 вечера, начало в 19:00.",
    "Этой весной протестов было меньше.",
    "В 1990-е годы профсоюзы были сильнее.",
    "In the 1990s unions were stronger.",
    "На площадь вышли 2000 человек.",
    "Around 1500 people may join the march.",
    "Black Friday sales were slow.",
    "Забастовка длилась несколько дней.",
    "Рабочие требовали 2012 рублей прибавки.",
    "Версия 1.12.5 программы.",
]


@pytest.mark.parametrize("text,start", ABSOLUTE)
def test_dates_absolute(text, start):
    assert dates(text)[0] == (start, None)


@pytest.mark.parametrize("text,doc,start", YEARLESS)
def test_dates_yearless_takes_year_from_document(text, doc, start):
    assert dates(text, doc)[0] == (start, None)


@pytest.mark.parametrize("text,start", RELATIVE)
def test_dates_relative_resolve_against_document_date(text, start):
    found = find_dates(text, doc_date=DOC)
    assert [(m.start, m.end) for m in found] == [(start, None)]
    assert found[0].relative


@pytest.mark.parametrize("text,doc,expected", RANGES)
def test_dates_ranges(text, doc, expected):
    found = find_dates(text, doc_date=doc)
    assert [(m.start, m.end) for m in found] == [expected]
    assert all(text[m.span.start:m.span.end] == m.span.text for m in found)


@pytest.mark.parametrize("text", NEGATIVES)
def test_dates_hard_negatives(text):
    assert dates(text) == []


@pytest.mark.parametrize("text", ["Вчера прошёл митинг.", "Пикет прошёл в пятницу.", "Protest on 6 May.",
                                  "На прошлой неделе бастовали.", "Акция 18 января."])
def test_dates_relative_need_document_date(text):
    assert dates(text, None) == []


def test_dates_month_precision_document_keeps_month():
    assert dates("Вчера на Майдане собрались студенты.", "2010-11") == [("2010-11", None)]
    assert dates("Last year the union struck.", "2014") == [("2013", None)]


def test_dates_month_dated_document_weekday_near_explicit_day():
    text = "В понедельник 18 февраля министр ушёл, а во вторник сменилось правительство."
    assert dates(text, "2013-02") == [("2013-02-18", None), ("2013-02-19", None)]


def test_dates_explicit_date_wins_over_weekday():
    found = find_dates("В понедельник, 18 февраля 2013 года, прошёл марш.", doc_date=DOC)
    assert [(m.start, m.kind, m.span.text) for m in found] == [
        ("2013-02-18", "absolute", "В понедельник, 18 февраля 2013 года")]


def test_dates_duration_anchor_year_only():
    found = find_dates("Забастовка длилась 8 месяцев и закончилась 16 декабря 2011 года.", doc_date=DOC)
    dur = [m for m in found if m.kind == "duration_anchor"]
    assert [(m.start, m.end) for m in dur] == [("2011", "2011-12-16")]
    found = find_dates("The sit-in went on for eight months until December 2011.", doc_date=DOC)
    assert [(m.start, m.end) for m in found if m.kind == "duration_anchor"] == [("2011", "2011-12")]


def test_dates_duration_without_anchor_or_open_year_gives_nothing():
    assert [m for m in find_dates("Голодовка продолжалась 20 дней.", doc_date=DOC)
            if m.kind == "duration_anchor"] == []
    assert [m for m in find_dates("Протягом восьми місяців у 2011 році тривав страйк.", doc_date=DOC)
            if m.kind == "duration_anchor"] == []


def test_dates_slash_ambiguous_in_english_keeps_year_only():
    assert dates("The permit dated 03/04/2011 was revoked.", lang="en") == [("2011", None)]
    assert dates("Протокол от 03/04/2011 отменён.", lang="ru") == [("2011-04-03", None)]


def test_dates_kinds():
    kinds = {m.span.text: m.kind for m in find_dates(
        "16 декабря 2011 года, вчера, с 26 мая по 19 декабря 2011 года.", doc_date=DOC)}
    assert kinds == {"16 декабря 2011 года": "absolute", "вчера": "relative",
                     "26 мая по 19 декабря 2011 года": "range"}


@pytest.mark.parametrize("value,iso", [
    ("2013-12-18", "2013-12-18"), ("2010-11", "2010-11"), ("2014", "2014"), (2014, "2014"),
    (dt.date(2013, 12, 18), "2013-12-18"), (dt.datetime(2013, 12, 18, 10, 5), "2013-12-18"),
    ("18.12.2013", "2013-12-18"), ("December 18, 2013", "2013-12-18"), ("18 декабря 2013", "2013-12-18"),
    ("2013-12-18T10:00:00Z", "2013-12-18"), ("", None), (None, None), ("not a date", None),
    ("2013-13-45", None),
])
def test_dates_parse_doc_date(value, iso):
    assert parse_doc_date(value) == iso


def test_dates_date_contains():
    assert date_contains("2011", "2011-12-16")
    assert date_contains("2011-12", "2011-12-16")
    assert date_contains("2011-12-16", "2011-12-16")
    assert not date_contains("2011-12-16", "2011-12")
    assert not date_contains("2011-11", "2011-12-16")
    assert not date_contains(None, "2011")


def test_dates_relative_helpers():
    assert resolve_weekday("2013-12-18", 2) == "2013-12-18"
    assert resolve_weekday("2013-12-18", 2, strictly_before=True) == "2013-12-11"
    assert resolve_weekday("2013-12", 4) == "2013-12"
    assert duration_start_year("2011-12-16", 8, "month") == "2011"
    assert duration_start_year("2011", 8, "month") is None


def test_dates_speed_and_no_blowup_on_unpunctuated_text():
    para = ("Рабочие вышли на площадь 16 декабря 2011 года вчера в пятницу и на прошлой неделе "
            "police detained 25 people on 3 May 2012 after a strike that lasted for eight months ")
    text = para * (300_000 // len(para))
    t0 = time.process_time()
    found = find_dates(text, doc_date=DOC)
    assert time.process_time() - t0 < 3.0          # well above 100 KB/s even on a loaded machine
    assert len(found) > 1000
