"""Demands: claims and numbered lists, each with a Mass Mobilization category."""
import pytest

from letopis.extract.demands import categorise, claims_in, listed_demands


@pytest.mark.parametrize("text, category", [
    ("повышения и своевременной выплаты зарплаты", "labor_wage_dispute"),
    ("отставки президента", "removal_of_politician"),
    ("отмены повышения цен на бензин", "price_increases_tax_policy"),
    ("an end to police brutality", "police_brutality"),
    ("free and fair elections", "political_behavior_process"),
    ("the return of their land", "land_farm_issue"),
    ("права женщин на аборт", "social_restrictions"),
    # a claim that names no category's words is a claim on policy or process, as the codebook has it
    ("сохранить сквер у дома", "political_behavior_process"),
])
def test_demands_categorise(text, category):
    assert categorise(text) == category


def test_demands_categorise_default_can_be_chosen():
    assert categorise("сохранить сквер у дома", default="other") == "other"
    assert categorise("повышения зарплаты", default="other") == "labor_wage_dispute"


def test_demands_claim_after_marker_slices_text():
    text = "Рабочие вышли на площадь с требованием повышения зарплаты, полиция их разогнала."
    claims = claims_in(text, 0, len(text))
    assert claims and claims[0].category == "labor_wage_dispute"
    sp = claims[0].span
    assert text[sp.start:sp.end] == sp.text
    assert "полиция" not in sp.text


def test_demands_numbered_list_under_heading():
    text = ("Резолюция собрания.\n\nНАШИ ТРЕБОВАНИЯ:\n\n1. Выплатить долги по зарплате.\n"
            "- в течение месяца\n\n2. Отправить в отставку губернатора.\n\n3. Освободить задержанных активистов.\n\n"
            "Подписали: профсоюз.\n")
    (heading, items), = listed_demands(text)
    assert [d.category for d in items] == ["labor_wage_dispute", "removal_of_politician",
                                           "political_behavior_process"]
    for d in items:
        assert text[d.span.start:d.span.end] == d.text


@pytest.mark.parametrize("text, claim", [
    ("Полиция применила оружие против участников митинга.", False),
    ("Рабочие вышли против закрытия завода.", True),
    ("Thousands marched in the capital against the new tax.", True),
    ("Police acted against the protesters.", False),
])
def test_demands_against_is_a_claim_only_after_a_protest_word(text, claim):
    assert bool(claims_in(text, 0, len(text))) is claim
