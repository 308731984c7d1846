"""Trigger detection: text in, event types out (events.rules.v1)."""
import pytest

from letopis.errors import ExtractionError
from letopis.extract.lexicon import load_lexicon, parse_lexicon
from letopis.extract.text import normalise, sentences
from letopis.extract.triggers import find_triggers


def types_of(text: str) -> list[tuple[str, str | None]]:
    work = normalise(text)
    return [(t.type, t.subtype) for t in find_triggers(load_lexicon(), sentences(work))]


@pytest.mark.parametrize("text, expected", [
    ("В Алматы прошёл пикет у здания акимата.", ("protest", "picket")),
    ("Тысячи человек вышли на митинг в центре Минска.", ("protest", "rally")),
    ("Шахтёры объявили забастовку и остановили добычу угля.", ("strike", "labour")),
    ("Активистка объявила голодовку в знак протеста против приговора.", ("strike", "hunger")),
    ("Workers at the plant went on strike over unpaid wages.", ("strike", "labour")),
    ("Police fired tear gas to disperse the protesters.", ("crackdown", "dispersal")),
    ("Митинг был разогнан полицией, участников избивали дубинками.", ("crackdown", "dispersal")),
    ("Полиция задержала 40 участников акции протеста.", ("detention", None)),
    ("Власти ввели комендантский час после беспорядков.", ("restriction", "curfew")),
    ("Невідомі напали на учасників мітингу у Харкові.", ("attack", "assault")),
    ("Після протестів міністр подав у відставку.", ("concession", "resignation")),
    ("Против активиста возбуждено уголовное дело по статье о хулиганстве.", ("prosecution", "case")),
    ("rioters set fire to cars and looting broke out downtown", ("riot", None)),
])
def test_triggers_find_event_types(text, expected):
    assert expected in types_of(text)


@pytest.mark.parametrize("text, forbidden", [
    ("The striker scored twice as the club won the derby.", "strike"),
    ("The company strikes a deal with its lenders.", "strike"),
    ("Русская Википедия провела забастовку: сайт был закрыт на сутки.", "strike"),
    ("Учителя грозят забастовкой, если зарплату не повысят.", "strike"),
    ("Workers may go on strike next month.", "strike"),
    ("Задержаний не было, акция прошла спокойно.", "detention"),
    ("Полиция задержала подозреваемого в убийстве пенсионерки.", "detention"),
    ("- прекратить преследование активистов и освободить задержанных.", "detention"),
])
def test_triggers_skip_lookalikes_plans_and_negations(text, forbidden):
    assert forbidden not in {t for t, _ in types_of(text)}


def test_triggers_spans_slice_the_text():
    text = "В Kaзахстане (с латинской K) прошла забастовка нефтяников."
    work = normalise(text)
    assert len(work) == len(text)
    for t in find_triggers(load_lexicon(), sentences(work)):
        assert text[t.start:t.end].lower().startswith("забастовк")


def test_lexicon_rejects_unknown_type():
    bad = {"version": 1, "triggers": [{"type": "party", "patterns": ["x"]}], "contexts": {}}
    with pytest.raises(ExtractionError, match="unknown type"):
        parse_lexicon(bad)


def test_lexicon_rejects_bad_pattern():
    bad = {"version": 1, "triggers": [{"type": "protest", "patterns": ["(unclosed"]}], "contexts": {}}
    with pytest.raises(ExtractionError, match="bad pattern"):
        parse_lexicon(bad)
