"""Numerals and quantity phrases: tables of text in, numbers out."""
import pytest

from letopis.errors import ExtractionError
from letopis.extract.numbers import build_lexicon, find_quantities, parse_number, tokenize

NUMBERS = [
    ("16", 16), ("1 500", 1500), ("1\u00a0500", 1500), ("1,500", 1500), ("15 тысяч", 15000),
    ("15 тис.", 15000), ("2,5 тысячи", 2500), ("615,00", 615), ("1.5 million", 1_500_000),
    ("2 млн", 2_000_000), ("шестнадцать", 16), ("шестнадцати", 16), ("шестнадцатью", 16),
    ("двадцати пяти", 25), ("сорока", 40), ("ста", 100), ("двухсот", 200),
    ("полутора тысяч", 1500), ("полторы тысячи", 1500), ("полсотни", 50), ("півсотні", 50),
    ("п'ятнадцять", 15), ("п’ятнадцять", 15), ("двохсот", 200), ("трьох", 3),
    ("сто двадцать пять тысяч триста", 125_300), ("двух тысяч", 2000),
    ("sixteen", 16), ("twenty-five", 25), ("one hundred and twenty", 120),
    ("two thousand five hundred", 2500), ("a dozen", 12), ("a hundred", 100),
    ("a thousand", 1000), ("16-ти", 16), ("20-ти", 20), ("5-ро", 5), ("3-х", 3),
    ("трое", 3), ("троє", 3), ("двое", 2), ("семеро", 7), ("семерых", 7), ("сімох", 7),
    ("десятеро", 10), ("п'ятьох", 5),
]

NOT_NUMBERS = ["36-летний", "16-го", "16th", "25-year-old", "80%", "12:30", "16.12.2011",
               "2,5", "G20", "десятками", "сторона", "пятница"]


@pytest.mark.parametrize("text,value", NUMBERS)
def test_numbers_parse_number_reads_digits_and_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_numbers_parse_number_rejects_non_counts(text):
    assert parse_number(text) is None


QUANTITIES = [
    ("около 16", 16, 16), ("примерно 16", 16, 16), ("порядка 16", 16, 16), ("about 16", 16, 16),
    ("some 300", 300, 300), ("близько 16", 16, 16),
    ("не менее 16", 16, None), ("по меньшей мере 16", 16, None), ("как минимум 16", 16, None),
    ("at least 16", 16, None), ("щонайменше 16", 16, None), ("не менше 16", 16, None),
    ("более 100", 101, None), ("свыше 100", 101, None), ("больше 100", 101, None),
    ("more than 100", 101, None), ("over 100", 101, None), ("понад 100", 101, None),
    ("більше 100", 101, None), ("до 30", None, 30), ("up to 30", None, 30),
    ("20–30", 20, 30), ("20-30", 20, 30), ("от 20 до 30", 20, 30), ("between 20 and 30", 20, 30),
    ("від 20 до 30", 20, 30), ("20–30 тысяч", 20000, 30000),
    ("несколько", 3, 9), ("several", 3, 9), ("a few", 3, 9), ("кілька", 3, 9),
    ("десяток", 10, 10), ("около десятка", 10, 10), ("a dozen", 12, 12), ("дюжина", 12, 12),
    ("десятки", 20, 99), ("десятков", 20, 99), ("dozens", 20, 99), ("tens of", 20, 99),
    ("десятків", 20, 99), ("сотня", 100, 100), ("около сотни", 100, 100),
    ("a hundred", 100, 100), ("about a hundred", 100, 100), ("сотни", 200, 999),
    ("сотен", 200, 999), ("сотнями", 200, 999), ("hundreds", 200, 999), ("сотні", 200, 999),
    ("сотень", 200, 999), ("несколько десятков", 30, 90), ("several dozen", 30, 90),
    ("кілька десятків", 30, 90), ("несколько сотен", 300, 900), ("several hundred", 300, 900),
    ("кілька сотень", 300, 900), ("кількасот", 300, 900), ("тысяча", 1000, 1000),
    ("a thousand", 1000, 1000), ("тысячи", 2000, 9999), ("тысяч", 2000, 9999),
    ("thousands", 2000, 9999), ("тисячі", 2000, 9999), ("несколько тысяч", 3000, 9000),
    ("several thousand", 3000, 9000), ("кілька тисяч", 3000, 9000),
    ("десятки тысяч", 20000, 99999), ("tens of thousands", 20000, 99999),
    ("сотни тысяч", 200000, 999999), ("hundreds of thousands", 200000, 999999),
    ("десятки или сотни", 20, 999), ("десятки, если не сотни", 20, 999),
    ("dozens or even hundreds", 20, 999), ("полсотни", 50, 50), ("більш ніж півсотні", 51, None),
    ("более тысячи", 1001, None), ("more than a dozen", 13, None),
]


@pytest.mark.parametrize("text,low,high", QUANTITIES)
def test_numbers_find_quantities_maps_the_spec_table(text, low, high):
    qs = find_quantities(tokenize(text))
    assert [(q.low, q.high) for q in qs] == [(low, high)]


def test_numbers_quantity_offsets_cover_the_phrase():
    text = "Вчера не менее 16 человек"
    (q,) = find_quantities(tokenize(text))
    assert text[q.start:q.end] == "не менее 16"


def test_numbers_subset_marker_flags_part_of_a_total():
    (q,) = find_quantities(tokenize("including 5"))
    assert q.subset


def test_numbers_phone_numbers_are_not_quantities():
    assert find_quantities(tokenize("звоните 8-495-123-45-67")) == []


def test_numbers_change_verb_keeps_the_result():
    (q,) = find_quantities(tokenize("число погибших возросло до 20"))
    assert (q.low, q.high) == (20, 20)


def test_numbers_lexicon_rejects_unknown_keys():
    with pytest.raises(ExtractionError, match="E040"):
        build_lexicon({"version": 1, "numerals": {}, "colours": []})
