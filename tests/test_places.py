"""find_places: text in, (span, place) out, in ru/uk/en; hard negatives included."""
import pytest

from letopis.extract.places import find_places


def found(text, **kw):
    out = find_places(text, **kw)
    for span, place in out:
        assert text[span.start:span.end] == span.text
        assert place.span == span
    return [(s.text, p.name_en, p.country, p.kind) for s, p in out]


@pytest.mark.parametrize("text, expected", [
    ("Нефтяники бастовали в Жанаозене, позже протест поддержали в Шетпе.",
     [("Жанаозене", "Zhanaozen", "KZ", "city"), ("Шетпе", "Shetpe", "KZ", "city")]),
    ("Забастовка охватила города Мангистауской области.",
     [("Мангистауской области", None, "KZ", "region")]),
    ("Пикеты прошли в Москве и Санкт-Петербурге.",
     [("Москве", "Moscow", "RU", "city"), ("Санкт-Петербурге", "Saint Petersburg", "RU", "city")]),
    ("Мітинг відбувся у Донецьку, а згодом у Києві.",
     [("Донецьку", "Donetsk", "UA", "city"), ("Києві", "Kyiv", "UA", "city")]),
    ("Протести в Луганській області тривають.",
     [("Луганській області", None, "UA", "region")]),
    ("protesters marched in bogota and cali on monday.",
     [("bogota", "Bogotá", "CO", "city"), ("cali", "Cali", "CO", "city")]),
    ("Police in Tbilisi dispersed a rally outside parliament.",
     [("Tbilisi", "Tbilisi", "GE", "city")]),
    ("Workers in Newport and Belfast walked out.",
     [("Newport", "Newport", "GB", "city"), ("Belfast", "Belfast", "GB", "city")]),
    ("Акция прошла в Kaзахстане.", [("Kaзахстане", "Kazakhstan", "KZ", "country")]),
    ("В РФ и США говорили о протестах.",
     [("РФ", "Russia", "RU", "country"), ("США", "United States", "US", "country")]),
])
def test_places_find_places_table(text, expected):
    got = [(t, en, c, k) if en else (t, None, c, k) for t, en, c, k in found(text)]
    exp = [(t, en, c, k) for t, en, c, k in expected]
    assert [(t, c, k) for t, _, c, k in got] == [(t, c, k) for t, _, c, k in exp]
    for (t, en, _, _), (_, en2, _, _) in zip(exp, got):
        if en:
            assert en2 == en


@pytest.mark.parametrize("text", [
    "police said the mobile unit was reading a nice statement of the union.",
    "Police said it was a nice day; the union will march on.",
    "Мир узнал о протесте. Победа была близка, Бор не при чём.",
    "us and uk officials met; the us said nothing.",
    "Марк сказал, что все пришли.",
])
def test_places_hard_negatives(text):
    assert found(text) == []


def test_places_georgia_by_context():
    assert found("Crowds gathered in Tbilisi, Georgia.")[-1][2:] == ("GE", "country")
    assert found("Crowds gathered in Atlanta, Georgia.")[-1][2:] == ("US", "region")


def test_places_person_is_not_a_town():
    assert found("Сергей Королёв выступил на митинге.") == []
    assert found("Митинг прошёл в Королёве.")[0][2] == "RU"


def test_places_region_hint_picks_the_town_inside():
    got = found("В Англии, в городе Ньюпорте, бастуют рабочие.")
    assert got[-1][0] == "Ньюпорте" and got[-1][2] == "GB"


def test_places_empty_text():
    assert find_places("") == []


def test_places_ukrainian_police_is_not_the_polish_town():
    # the gazetteer lists the Russian word "Полиция" among the names of Police (PL)
    from letopis.extract.placefilter import NerCache, confirm_places
    from letopis.extract.text import sentences
    text = "Поліція відкрила кримінальне провадження. Акція пройшла в Херсоні."
    sents = sentences(text, 0)
    kept = confirm_places(text, sents, find_places(text, lang="uk"), NerCache(text, sents, "uk"))
    assert [(sp.text, p.country) for sp, p in kept] == [("Херсоні", "UA")]
