"""Language per document, among ru, uk, en, kk, be: short texts and long ones (two detector modes)."""
import pytest

from letopis.ingest.language import detect_language

from conftest import EN_REPORT, RU_REPORT, UK_REPORT

KK = "Бүгін Алматыда наразылық акциясы өтті, полиция бірнеше адамды ұстады. "
BE = "Сёння ў Мінску адбыўся пратэст супраць рашэння ўладаў, міліцыя затрымала некалькі чалавек. "


@pytest.mark.parametrize("text, lang", [
    (RU_REPORT, "ru"), (UK_REPORT, "uk"), (EN_REPORT, "en"), (KK, "kk"), (BE, "be"),
    (RU_REPORT * 5, "ru"), (UK_REPORT * 5, "uk"), (EN_REPORT * 5, "en"), (KK * 6, "kk"), (BE * 5, "be"),
    ("Полиция задержала", "ru"), ("Поліція затримала", "uk"),
])
def test_language_detects_each_candidate(text, lang):
    assert detect_language(text) == lang


def test_language_nothing_to_tell_from():
    assert detect_language("12 345 — 2011.") is None
    assert detect_language("") is None


def test_language_candidates_limit_the_answer():
    assert detect_language(UK_REPORT, ("ru", "en")) == "ru"
    assert detect_language(EN_REPORT, ("en",)) == "en"
