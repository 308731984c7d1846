"""Table tests of the scorer (letopis.evaluate) on tiny synthetic gold/system pairs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from letopis import evaluate as ev
from letopis.model import DEMAND_CATEGORIES, EVENT_TYPES, FIGURE_KINDS, SUBTYPES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "corpus"
SAMPLE_GOLD = ROOT / "tests" / "fixtures" / "sample_gold.jsonl"

KYIV = {"name": "Киев", "name_en": "Kyiv", "country": "UA", "lat": 50.45, "lon": 30.52}
LVIV = {"name": "Львов", "name_en": "Lviv", "country": "UA", "lat": 49.84, "lon": 24.02}


def gold_event(type_="protest", start=None, end=None, place=None, cluster=None, **extra):
    return {"cluster": cluster, "type": type_, "date": {"start": start, "end": end},
            "place": place, **extra}


def system_event(id_, doc, type_="protest", start=None, place=None, evidence=None, **extra):
    mention = {"doc": doc, "type": type_, "date": {"start": start, "end": None}, "place": place,
               "figures": extra.pop("figures", {}), "demands": extra.pop("demands", []),
               "evidence": evidence if evidence is not None else []}
    return {"id": id_, "type": type_, "date": mention["date"], "place": place, "actors": [],
            "figures": mention["figures"], "demands": mention["demands"], "mentions": [mention], **extra}


def run(gold_rows, events, docs=(), **kw):
    return ev.score(gold_rows, events, list(docs), **kw)


# ------------------------------------------------------------------ values

@pytest.mark.parametrize("gold, system, agree", [
    (("2011-12-16", None), "2011-12", True),          # system coarser: contains gold
    (("2011-12", None), "2011-12-16", True),          # gold coarser
    (("2011", None), "2011-05-01", True),
    (("2011-12-16", None), "2011-12-17", False),
    (("2011-12", None), "2012-12", False),
    (("2021-03-14", "2021-03-28"), "2021-03-20", True),   # inside gold's range
    (("2021-03-14", "2021-03-28"), "2021-03", True),
    (("2021-03-14", "2021-03-28"), "2021-04-01", False),
    (("2024-04-15", "2024-04-21"), "2024-04-21", True),   # range ends are inclusive
    ((None, None), "2011-12-16", False),
    (("2011-12-16", None), None, False),
])
def test_evaluate_dates_agree_by_containment(gold, system, agree):
    g = (ev.parse_date(gold[0]), ev.parse_date(gold[1]))
    assert ev.dates_agree(g, (ev.parse_date(system), None)) is agree


@pytest.mark.parametrize("gold, system, correct", [
    ("2011-12", "2011-12-16", True),        # cut to gold's precision
    ("2011-12-16", "2011-12-16", True),
    ("2011-12-16", "2011-12", False),       # less precise than gold is wrong
    ("2011-12-16", None, False),
    (None, "2011-12-16", None),             # gold without a date is not scored
])
def test_evaluate_date_field_at_gold_precision(gold, system, correct):
    assert ev.date_correct((ev.parse_date(gold), None), (ev.parse_date(system), None)) is correct


@pytest.mark.parametrize("a, b, match", [
    ("Жанаозен", "в Жанаозене".split()[1], True),   # inflected form
    ("Киев", "Киеве", True),
    ("Орёл", "Орел", True),                          # ё = е
    ("Kyiv", "KYIV", True),
    ("Минск", "Мирный", False),
    ("Ош", "Оша", False),                            # names under 4 letters must be equal
    ("Tbilisi", "Tbilisi!", True),                   # punctuation ignored
    ("", "Киев", False),
])
def test_evaluate_place_names_share_a_long_prefix(a, b, match):
    assert ev.same_name(a, b) is match


@pytest.mark.parametrize("d_lat, agree", [(0.0, True), (0.2, True), (0.26, True), (0.28, False), (0.5, False)])
def test_evaluate_places_agree_within_30_km(d_lat, agree):
    # one degree of latitude is ~111 km: 0.26 deg ~ 28.9 km, 0.28 deg ~ 31.1 km
    moved = dict(KYIV, lat=KYIV["lat"] + d_lat, name="somewhere else", name_en=None)
    assert ev.places_agree(KYIV, moved) is agree


def test_evaluate_places_fall_back_to_names_without_coordinates():
    no_xy = {"name": "Киеве", "name_en": None, "lat": None, "lon": None}
    assert ev.places_agree(KYIV, no_xy)
    assert ev.places_agree({"name": "Kiev", "aliases": ["Киев"]}, {"name": "Киеве"})
    assert not ev.places_agree(LVIV, no_xy)
    assert not ev.places_agree(KYIV, None)


# ------------------------------------------------------------------ matching

def test_evaluate_match_requires_same_type_and_date_or_place():
    gold = [{"doc": "a.md", "relevant": True, "events": [
        gold_event("protest", "2013-12-17", place=KYIV),
        gold_event("detention", "2013-12-17", place=KYIV)]}]
    events = [system_event("e1", "a.md", "protest", "2013-12-20", LVIV),     # neither agrees
              system_event("e2", "a.md", "detention", None, KYIV)]           # place agrees
    res = run(gold, events)
    assert (res["event"]["tp"], res["event"]["fp"], res["event"]["fn"]) == (1, 1, 1)
    assert res["by_type"]["detention"]["tp"] == 1 and res["by_type"]["protest"]["fn"] == 1


def test_evaluate_match_is_one_to_one_best_pairs_first():
    gold = [{"doc": "a.md", "relevant": True, "events": [
        gold_event("protest", "2013-12", place=LVIV),          # date agrees only
        gold_event("protest", "2013-12-17", place=KYIV)]}]     # date and place agree
    events = [system_event("e1", "a.md", "protest", "2013-12-17", KYIV)]
    res = run(gold, events, show_errors=10)
    assert (res["event"]["tp"], res["event"]["fp"], res["event"]["fn"]) == (1, 0, 1)
    assert any("missed" in e and "Львов" in e for e in res["errors"])
    assert res["fields"]["place"] == {"acc": 1.0, "n": 1}


def test_evaluate_unanchored_gold_event_matches_any_mention_of_its_type():
    gold = [{"doc": "a.md", "relevant": True, "events": [gold_event("prosecution")]}]
    res = run(gold, [system_event("e1", "a.md", "prosecution", "2012-05-06", KYIV)])
    assert res["event"]["tp"] == 1
    assert "date" not in res["fields"] and "place" not in res["fields"]


def test_evaluate_mention_falls_back_to_event_values():
    gold = [{"doc": "a.md", "relevant": True, "events": [gold_event("strike", "2011-05", place=KYIV)]}]
    event = system_event("e1", "a.md", "strike", "2011-05-16", KYIV)
    event["mentions"][0].update(type=None, date=None, place=None)     # mention says nothing itself
    res = run(gold, [event])
    assert res["event"]["tp"] == 1 and res["fields"]["date"]["acc"] == 1.0


# ------------------------------------------------------------------ fields

@pytest.mark.parametrize("gold_fig, sys_fig, ok", [
    ({"low": 16, "high": 16}, {"low": 16, "high": 16}, True),
    ({"low": 31, "high": None}, {"low": 31, "high": None}, True),
    ({"low": 31, "high": None}, {"low": 30, "high": None}, False),
    ({"low": 20, "high": 99}, {"low": 20, "high": None}, False),     # both ends must agree
    ({"low": 20, "high": 99}, None, False),                          # missing counts as wrong
])
def test_evaluate_figures_need_low_and_high_equal(gold_fig, sys_fig, ok):
    gold = [{"doc": "a.md", "relevant": True, "events": [
        gold_event("crackdown", "2011-12-16", place=KYIV, figures={"killed": gold_fig})]}]
    figures = {"killed": sys_fig} if sys_fig else {}
    res = run(gold, [system_event("e1", "a.md", "crackdown", "2011-12-16", KYIV, figures=figures)])
    assert res["fields"]["killed"] == {"acc": 1.0 if ok else 0.0, "n": 1}


def test_evaluate_country_and_demand_sets():
    gold = [{"doc": "a.md", "relevant": True, "events": [
        gold_event("protest", "2011", place=KYIV, demands=[{"category": "labor_wage_dispute"},
                                                           {"category": "police_brutality"}])]}]
    sys_place = dict(KYIV, country="ua")
    res = run(gold, [system_event("e1", "a.md", "protest", "2011", sys_place,
                                  demands=[{"category": "labor_wage_dispute"}, {"category": "other"}])])
    assert res["fields"]["country"]["acc"] == 1.0
    assert res["mm"]["demands (news)"] == pytest.approx({"p": 0.5, "r": 0.5, "f1": 0.5})


def test_evaluate_relevance_counts_documents():
    gold = [{"doc": "yes.md", "relevant": True, "events": [gold_event("riot", "2011")]},
            {"doc": "no.md", "relevant": False, "events": []},
            {"doc": "missed.md", "relevant": True, "events": [gold_event("riot", "2011")]}]
    events = [system_event("e1", "yes.md", "riot", "2011"), system_event("e2", "no.md", "riot", "2011")]
    res = run(gold, events)
    assert res["relevance"] == pytest.approx({"p": 0.5, "r": 0.5, "f1": 0.5})
    assert res["event"]["fp"] == 1 and res["event"]["fn"] == 1


# ------------------------------------------------------------------ linking

@pytest.mark.parametrize("clusters, ids, expected", [
    (("c1", "c1"), ("e1", "e1"), (1, 0, 0)),       # same event on both sides
    (("c1", "c1"), ("e1", "e2"), (0, 0, 1)),       # system failed to merge
    (("c1", "c2"), ("e1", "e1"), (0, 1, 0)),       # system merged a near miss
    (("c1", "c2"), ("e1", "e2"), (0, 0, 0)),
    ((None, None), ("e1", "e1"), (0, 1, 0)),       # gold without a cluster links nothing
])
def test_evaluate_linking_pairs_across_documents(clusters, ids, expected):
    gold = [{"doc": f"d{i}.md", "relevant": True,
             "events": [gold_event("crackdown", "2011-12-16", place=KYIV, cluster=c)]}
            for i, c in enumerate(clusters)]
    events = {}
    for i, id_ in enumerate(ids):
        e = system_event(id_, f"d{i}.md", "crackdown", "2011-12-16", KYIV)
        if id_ in events:
            events[id_]["mentions"] += e["mentions"]
        else:
            events[id_] = e
    link = run(gold, list(events.values()))["linking"]
    assert (link["tp"], link["fp"], link["fn"]) == expected


def test_evaluate_linking_ignores_pairs_within_one_document():
    gold = [{"doc": "a.md", "relevant": True, "events": [
        gold_event("protest", "2011-12-16", cluster="c1"), gold_event("protest", "2011-12-17", cluster="c1")]}]
    event = system_event("e1", "a.md", "protest", "2011-12-16")
    event["mentions"].append(dict(event["mentions"][0], date={"start": "2011-12-17", "end": None}))
    link = run(gold, [event])["linking"]
    assert (link["tp"], link["fp"], link["fn"]) == (0, 0, 0)


# ------------------------------------------------------------------ evidence

def test_evaluate_evidence_spans_are_checked_against_the_file(tmp_path):
    text = "---\ntitle: t\n---\nВчера в Киеве прошёл пикет.\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    start = text.index("пикет")
    good = {"start": start, "end": start + 5, "text": "пикет"}
    bad = {"start": start + 1, "end": start + 6, "text": "пикет"}
    events = [system_event("e1", "a.md", evidence=[good, bad]),
              system_event("e2", "a.md", evidence=[{"start": "x", "text": "?"}]),
              system_event("e3", "a.md", evidence=[])]
    res = run([], events, [tmp_path])
    assert res["evidence_valid"] == pytest.approx(1 / 3)
    assert res["mentions_without_evidence"] == 1


def test_evaluate_evidence_of_other_formats_needs_a_text_loader(tmp_path):
    (tmp_path / "page.html").write_text("<html><p>Сегодня прошёл митинг.</p></html>", encoding="utf-8")
    extracted = "Сегодня прошёл митинг."
    span = {"start": 15, "end": 21, "text": "митинг"}
    events = [system_event("e1", "page.html", evidence=[span])]
    unchecked = run([], events, [tmp_path])
    assert unchecked["evidence_valid"] is None and unchecked["evidence_unchecked"] == 1
    checked = run([], events, [tmp_path], text_loader=lambda path: extracted)
    assert checked["evidence_valid"] == 1.0


def test_evaluate_schema_problems_are_counted():
    event = system_event("e1", "a.md", "picket")          # not a type
    event["actors"] = [{"name": "x", "role": "boss"}]
    del event["demands"]
    problems = run([], [event])["schema_problems"]
    assert problems == {"unknown type 'picket'": 1, "actor without a known role": 1,
                        "event without 'demands'": 1}


# ------------------------------------------------------------------ Mass Mobilization rows

@pytest.mark.parametrize("raw, number", [("50+", 50), (">1000", 1000), ("1,000", 1000),
                                         ("100s", 200), ("about 300", 300), ("dozens", None), ("", None)])
def test_evaluate_mm_participant_text(raw, number):
    assert ev.mm_participant_count(raw) == number


def test_evaluate_mm_rows_score_responses_and_participants():
    gold = [{"doc": "mm_1.md", "relevant": True, "mm": {
        "country": "KG", "participants": "3000", "demands": ["removal_of_politician"],
        "responses": ["detention", "killing"]}}]
    events = [system_event("e1", "mm_1.md", "protest", "2018", {"name": "Bishkek", "country": "KG"},
                           figures={"participants": {"low": 3000, "high": 9000}},
                           demands=[{"category": "removal_of_politician"}]),
              system_event("e2", "mm_1.md", "crackdown", "2018", figures={"killed": {"low": 1, "high": 1}})]
    res = run(gold, events)
    assert res["fields"]["mm participants"]["acc"] == 1.0
    assert res["fields"]["mm country"]["acc"] == 1.0
    assert res["mm"]["mm responses"] == pytest.approx({"p": 0.5, "r": 0.5, "f1": 0.5})
    assert res["mm"]["mm demands"]["f1"] == 1.0
    assert "relevance" in res and res["event"]["tp"] == 0


# ------------------------------------------------------------------ report, CLI, our own gold

def test_evaluate_cli_prints_a_summary_line(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "a.md", "relevant": True,
                                "events": [gold_event("riot", "2011", place=KYIV)]}) + "\n", encoding="utf-8")
    system = tmp_path / "sys.jsonl"
    system.write_text(json.dumps(system_event("e1", "a.md", "riot", "2011-02", KYIV)) + "\n", encoding="utf-8")
    assert ev.main(["--gold", str(gold), "--system", str(system), "--docs", str(tmp_path),
                    "--json", str(tmp_path / "out.json")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("summary event_f1=1.000 relevance_f1=1.000")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["event"]["tp"] == 1


def _sample_gold():
    return [json.loads(line) for line in SAMPLE_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_evaluate_sample_gold_is_well_formed():
    rows = _sample_gold()
    docs = sorted(p.name for p in CORPUS.iterdir() if p.name != "README.md")
    assert [r["doc"] for r in rows] == docs
    for row in rows:
        assert row["relevant"] is bool(row["events"])
        text = (CORPUS / row["doc"]).read_text(encoding="utf-8") if row["doc"].endswith(".md") else None
        for e in row["events"]:
            assert e["type"] in EVENT_TYPES and e["subtype"] in SUBTYPES[e["type"]] + (None,)
            assert set(e["figures"]) <= set(FIGURE_KINDS)
            assert all(d["category"] in DEMAND_CATEGORIES for d in e["demands"])
            if text is not None:                      # HTML/PDF quotes refer to extracted text
                assert e["quote"] in text, (row["doc"], e["quote"])
                assert all(d["text"] in text for d in e["demands"])


def test_evaluate_sample_gold_scores_perfectly_against_itself():
    rows = _sample_gold()
    events = []
    for row in rows:
        text = (CORPUS / row["doc"]).read_text(encoding="utf-8") if row["doc"].endswith(".md") else ""
        for e in row["events"]:
            start = text.find(e["quote"])
            evidence = [{"start": start, "end": start + len(e["quote"]), "text": e["quote"]}] if start >= 0 else []
            events.append(system_event(e["cluster"], row["doc"], e["type"], None, e["place"],
                                       evidence=evidence, figures=e["figures"], demands=e["demands"]))
            events[-1]["mentions"][0]["date"] = events[-1]["date"] = e["date"]
    merged: dict = {}
    for e in events:
        merged.setdefault(e["id"], {**e, "mentions": []})["mentions"] += e["mentions"]
    res = ev.score(rows, list(merged.values()), CORPUS)
    assert res["event"]["f1"] == 1.0 and res["relevance"]["f1"] == 1.0
    assert res["linking"]["f1"] == 1.0 and res["linking"]["tp"] > 10
    assert res["evidence_valid"] == 1.0
    assert all(v["acc"] == 1.0 for v in res["fields"].values())
    assert "summary event_f1=1.000" in ev.format_report(res)
