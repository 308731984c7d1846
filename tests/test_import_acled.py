"""ACLED CSV import: rows -> documents with evidence, mentions by the mapping table, idempotent."""
import csv
import io
import json

from sqlalchemy import func, select

from letopis.export import export
from letopis.interop import import_file
from letopis.interop.acled_import import parse_date, read_rows
from letopis.store import open_store
from letopis.store.schema import documents, mentions

COLUMNS = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
           "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
           "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
           "tags,timestamp")
ROWS = [
    # our own fictional rows, in ACLED's shape
    ["KAZ901", "16 December 2011", "2011", "1", "Political violence; Demonstrations", "Protests",
     "Excessive force against protesters", "Protesters (Kazakhstan)", "Labour Group (Kazakhstan); Oil Workers (Kazakhstan)",
     "6", "Police Forces of Kazakhstan (1991-)", "", "1", "16", "", "398", "Caucasus and Central Asia", "Kazakhstan",
     "Mangystau", "", "", "Zhanaozen", "43.3412", "52.8619", "1", "Example Radio", "National",
     "On 16 December 2011, police fired on striking oil workers in Zhanaozen; at least 14 were killed.", "14",
     "crowd size=thousands", "1600000000"],
    ["KAZ902", "2011-12-17", "2011", "1", "Political violence", "Battles", "Armed clash",
     "Military Forces of Kazakhstan (1991-)", "", "1", "Unidentified Armed Group (Kazakhstan)", "", "3", "13", "",
     "398", "Caucasus and Central Asia", "Kazakhstan", "Mangystau", "", "", "Shetpe", "44.16", "52.12", "1",
     "Example Radio", "National", "Fictional clash, out of letopis's scope.", "2", "", "1600000000"],
    ["BLR903", "2020-08-09", "2020", "3", "Demonstrations", "Protests", "Protest with intervention",
     "Protesters (Belarus)", "", "Protesters", "Police Forces of Belarus (1994-)", "", "State forces",
     "State forces-Protesters", "", "112", "Europe", "Belarus", "Minsk", "", "", "Minsk", "53.9", "27.5667", "1",
     "Example Daily", "National", "Protesters rallied after the vote; police dispersed them.", "0",
     "crowd size=tens of thousands", "1600000000"],
]


def write_csv(path, rows=ROWS):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS.split(","))
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_import_acled_rows_become_mentions_with_valid_evidence(tmp_path):
    path = write_csv(tmp_path / "acled.csv")
    got = {name: (text, ms) for _row, name, text, _spans, ms in read_rows(path)}
    assert got["acled.csv#KAZ902"][1] == "out of scope"
    text, ms = got["acled.csv#KAZ901"]
    assert [(m.type, m.subtype) for m in ms] == [("protest", None), ("crackdown", None)]
    crack = ms[1]
    assert [(f.kind, f.low, f.high) for f in crack.figures] == [("killed", 14, 14)]
    assert {(a.name, a.role) for a in crack.actors} >= {("Police Forces of Kazakhstan (1991-)", "perpetrator"),
                                                          ("Oil Workers (Kazakhstan)", "target")}
    assert [(f.kind, f.low, f.high) for f in ms[0].figures] == [("participants", 2000, 9999)]
    assert crack.place.country == "KZ" and crack.place.geonameid is not None and crack.date.start == "2011-12-16"
    spans = [s for m in ms for s in m.evidence] + [f.span for m in ms for f in m.figures] + \
            [a.span for m in ms for a in m.actors] + [crack.date.span, crack.place.span]
    for s in spans:
        assert text[s.start:s.end] == s.text
    # time_precision 3 keeps only the month; textual inter codes are read too
    _, bl = got["acled.csv#BLR903"]
    assert bl[0].date.start == "2020-08" and bl[1].subtype == "dispersal"
    assert ("Police Forces of Belarus (1994-)", "perpetrator") in {(a.name, a.role) for a in bl[1].actors}


def test_import_acled_is_idempotent_and_replaces_changed_rows(tmp_path):
    path = write_csv(tmp_path / "acled.csv")
    store = open_store(str(tmp_path / "s.db"))
    first = import_file(store, "acled-csv", path)
    assert (first.rows, first.added, first.skipped["out of scope"]) == (3, 2, 1)
    buf1 = io.StringIO()
    export(store, "events-jsonl", buf1)
    again = import_file(store, "acled-csv", path)
    assert (again.added, again.unchanged, again.mentions) == (0, 2, 0)
    buf2 = io.StringIO()
    export(store, "events-jsonl", buf2)
    assert buf1.getvalue() == buf2.getvalue()
    rows = [list(r) for r in ROWS]
    rows[0][28] = "15"                                  # ACLED revised the toll
    write_csv(path, rows)
    third = import_file(store, "acled-csv", path)
    assert (third.replaced, third.unchanged) == (1, 1)
    with store.engine.connect() as conn:
        live = conn.execute(select(func.count()).select_from(documents).where(documents.c.status == "extracted")).scalar()
        assert live == 2
    out = io.StringIO()
    export(store, "events-jsonl", out)
    killed = [e["figures"]["killed"] for e in map(json.loads, out.getvalue().splitlines()) if "killed" in e["figures"]]
    assert killed == [{"low": 15, "best": 15, "high": 15}]


def test_import_acled_documents_are_named_by_file_and_event_id(tmp_path):
    store = open_store(":memory:")
    import_file(store, "acled-csv", write_csv(tmp_path / "acled.csv"))
    with store.engine.connect() as conn:
        docs = conn.execute(select(documents.c.name, documents.c.format, documents.c.text)).all()
        n_mentions = conn.execute(select(func.count()).select_from(mentions)).scalar()
    assert sorted(d.name for d in docs) == ["acled.csv#BLR903", "acled.csv#KAZ901"]
    assert {d.format for d in docs} == {"acled"} and n_mentions == 4
    assert all("Notes: " in d.text for d in docs)


def test_import_acled_rejects_a_file_without_acled_columns(tmp_path):
    import pytest
    from letopis.errors import UsageError
    p = tmp_path / "x.csv"
    p.write_text("id,country,protest\n1,Kazakhstan,1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="missing columns"):
        import_file(open_store(":memory:"), "acled-csv", p)


def test_import_acled_reads_acled_date_spellings():
    assert parse_date("16 December 2011") == parse_date("16-December-2011") == parse_date("2011-12-16") == "2011-12-16"
    assert parse_date("someday") is None
