"""events-jsonl from another letopis store: round trip, merge of two teams' work, idempotence."""
import io
import json

from sqlalchemy import select

from letopis.export import export
from letopis.interop import import_file
from letopis.interop.jsonl_import import build_text
from letopis.store import open_store
from letopis.store.schema import documents
from test_export_formats import build


def dump(store, clearance="public"):
    buf = io.StringIO()
    export(store, "events-jsonl", buf, clearance=clearance)
    return buf.getvalue()


def normal(jsonl):
    """Events with mentions in document order: the one documented difference of a round trip."""
    evs = [json.loads(line) for line in jsonl.splitlines()]
    for ev in evs:
        ev["mentions"].sort(key=lambda m: m["doc"])
        for reps in ev["figure_reports"].values():
            reps.sort(key=lambda r: r["doc"])
    return evs


def test_import_events_jsonl_round_trip_is_equal(tmp_path):
    original = dump(build(), "confidential")
    path = tmp_path / "team-a.jsonl"
    path.write_text(original, encoding="utf-8")
    fresh = open_store(":memory:")
    stats = import_file(fresh, "events-jsonl", path)
    assert stats.added == 3 and stats.events == 4 and not stats.skipped
    again = dump(fresh)
    assert normal(again) == normal(original)
    # and once more: export of the re-imported store, imported again, is still the same
    path2 = tmp_path / "team-a2.jsonl"
    path2.write_text(again, encoding="utf-8")
    third = open_store(":memory:")
    import_file(third, "events-jsonl", path2)
    assert normal(dump(third)) == normal(original)


def test_import_events_jsonl_evidence_keeps_original_offsets(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(dump(build(), "confidential"), encoding="utf-8")
    store = open_store(":memory:")
    import_file(store, "events-jsonl", path)
    with store.engine.connect() as conn:
        texts = dict(conn.execute(select(documents.c.name, documents.c.text)).all())
    for ev in map(json.loads, dump(store).splitlines()):
        for m in ev["mentions"]:
            for sp in m["evidence"]:
                assert texts[m["doc"]][sp["start"]:sp["end"]] == sp["text"]
    assert texts["a.md"].strip().startswith("полиция расстреляла митинг")


def test_import_events_jsonl_is_idempotent(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(dump(build(), "confidential"), encoding="utf-8")
    store = open_store(str(tmp_path / "s.db"))
    import_file(store, "events-jsonl", path)
    before = dump(store)
    again = import_file(store, "events-jsonl", path)
    assert (again.added, again.unchanged, again.renamed) == (0, 3, 0)
    assert dump(store) == before


def test_import_events_jsonl_merges_another_teams_reports_into_our_events(tmp_path):
    ours = build(secret_access="confidential")
    theirs_text = "Свидетели: 16 декабря 2011 года в Жанаозене полиция открыла огонь; погибли сотни."
    a = theirs_text.index("полиция открыла огонь")
    f = theirs_text.index("сотни")
    event = {"id": "evt-000000000001", "type": "crackdown", "subtype": "shooting", "types": {"crackdown": 1},
             "date": {"start": "2011-12-16", "end": None},
             "place": {"name": "Жанаозен", "name_en": "Zhanaozen", "country": "KZ", "lat": 43.34, "lon": 52.86},
             "actors": [], "figures": {"killed": {"low": 200, "best": 599.5, "high": 999}},
             "figure_reports": {"killed": [{"doc": "witness.md", "low": 200, "high": 999, "attribution": "independent",
                                            "source": "Свидетели", "text": "сотни",
                                            "evidence": {"start": f, "end": f + 5, "text": "сотни"}}]},
             "demands": [],
             "mentions": [{"doc": "witness.md", "type": "crackdown", "subtype": "shooting",
                           "date": {"start": "2011-12-16", "end": None},
                           "place": {"name": "Жанаозен", "name_en": "Zhanaozen", "country": "KZ", "lat": 43.34, "lon": 52.86},
                           "figures": {"killed": {"low": 200, "high": 999}}, "actors": [], "demands": [],
                           "evidence": [{"start": a, "end": a + 21, "text": "полиция открыла огонь"}]},
                          {"doc": "a.md", "type": "crackdown", "subtype": "shooting",
                           "date": {"start": "2011-12-16", "end": None},
                           "place": {"name": "Жанаозен", "name_en": "Zhanaozen", "country": "KZ", "lat": 43.34, "lon": 52.86},
                           "figures": {}, "actors": [], "demands": [],
                           "evidence": [{"start": 0, "end": 5, "text": "Копия"}]}]}
    path = tmp_path / "team-b.jsonl"
    path.write_text(json.dumps(event, ensure_ascii=False) + "\n", encoding="utf-8")
    stats = import_file(ours, "events-jsonl", path)
    assert stats.renamed == 1                      # their a.md is not our a.md
    evs = [json.loads(line) for line in dump(ours).splitlines()]
    (shooting,) = [e for e in evs if e["date"]["start"] == "2011-12-16"]
    docs = sorted(m["doc"] for m in shooting["mentions"])
    assert docs == ["a.md", "b.md", "team-b/a.md", "witness.md"]
    assert shooting["figures"]["killed"]["high"] == 999
    assert import_file(ours, "events-jsonl", path).added == 0


def test_import_events_jsonl_conflicting_evidence_is_relocated_not_lost():
    text, moved, n = build_text([(0, 5, "alpha"), (2, 7, "XXXXX"), (10, 14, "beta")])
    assert n == 1 and text[0:5] == "alpha" and text[10:14] == "beta"
    s, e, t = moved[(2, 7, "XXXXX")]
    assert text[s:e] == t == "XXXXX"
