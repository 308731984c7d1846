"""Exports beyond events-jsonl: ACLED CSV, FollowTheMoney, GeoJSON, flat CSVs; clearance in all of them."""
import csv
import io
import json

import pytest
from sqlalchemy import insert

from letopis.export import FORMATS, ExportStats, export
from letopis.export.acled import acled_date, acled_fatalities
from letopis.export.csv_flat import EVENT_COLUMNS, FIGURE_COLUMNS
from letopis.export.geojson import check_geojson
from letopis.interop.vocab import acled_mapping, acled_vocabulary, countries
from letopis.link import link_store
from letopis.model import (EVENT_TYPES, SUBTYPES, Actor, DateValue, ExtractionResult, Figure, Mention,
                           Place, Span)
from letopis.store import open_store
from letopis.store.events import save_extraction
from letopis.store.schema import documents

ZH = Place("Жанаозен", "Zhanaozen", "KZ", 43.34116, 52.86192, "city", 607610)
MINSK = Place("Минск", "Minsk", "BY", 53.90019, 27.56653, "city", 625144)
SECRET_WORDS = "тайный свидетель"


def add_doc(store, doc_id, name, text, access="public"):
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(
            id=doc_id, sha256=f"{doc_id:064d}", name=name, format="md", text=text, access=access,
            status="stored", created_at="2024-01-01T00:00:00", updated_at="2024-01-01T00:00:00"))


def sp(text, phrase):
    a = text.index(phrase)
    return Span(a, a + len(phrase), phrase)


def build(secret_access="confidential"):
    """Three documents: a shooting (two public reports), a Minsk picket, an undated, placeless arrest,
    and one confidential report of a Minsk attack that only cleared readers may see."""
    store = open_store(":memory:")
    t1 = "16 декабря 2011 года в Жанаозене полиция расстреляла митинг. Погибли 16 человек."
    t2 = ("Правозащитники: 16 декабря 2011 года в Жанаозене убиты десятки человек. "
          "Участников было несколько тысяч. В Минске 3 марта 2021 года прошёл пикет.")
    t3 = "Активиста задержали. " + SECRET_WORDS + ": 5 марта 2021 года в Минске неизвестные избили журналиста."
    add_doc(store, 1, "a.md", t1)
    add_doc(store, 2, "b.md", t2)
    add_doc(store, 3, "secret.md", t3, access=secret_access)
    save_extraction(store, ExtractionResult(1, (
        Mention("crackdown", "shooting", (sp(t1, "полиция расстреляла митинг"),), DateValue("2011-12-16"), ZH,
                (Figure("killed", 16, 16, sp(t1, "Погибли 16"), "official"),),
                (Actor("полиция", "perpetrator", "group"),)),), "x"))
    save_extraction(store, ExtractionResult(2, (
        Mention("crackdown", "shooting", (sp(t2, "убиты десятки человек"),), DateValue("2011-12-16"), ZH,
                (Figure("killed", 20, 99, sp(t2, "десятки"), "independent", "Правозащитники"),
                 Figure("participants", 3000, 9000, sp(t2, "несколько тысяч")))),
        Mention("protest", "picket", (sp(t2, "прошёл пикет"),), DateValue("2021-03-03"), MINSK)), "x"))
    save_extraction(store, ExtractionResult(3, (
        Mention("detention", "individual", (sp(t3, "Активиста задержали"),)),
        Mention("attack", "assault", (sp(t3, "неизвестные избили журналиста"),), DateValue("2021-03-05"), MINSK,
                (), (Actor("неизвестные", "perpetrator", "group"), Actor("журналист", "target", "person")))), "x"))
    link_store(store)
    return store


def run(store, fmt, clearance="public"):
    buf, stats = io.StringIO(), ExportStats()
    n = export(store, fmt, buf, clearance=clearance, stats=stats)
    return buf.getvalue(), n, stats


@pytest.fixture(scope="module")
def store():
    return build()


# ------------------------------------------------------------------ clearance, every format

def _ids(store, clearance):
    out, _, _ = run(store, "events-jsonl", clearance)
    return {json.loads(line)["id"] for line in out.splitlines()}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_formats_never_show_confidential_records_without_clearance(store, fmt):
    secret_ids = _ids(store, "confidential") - _ids(store, "public")
    assert len(secret_ids) == 2                     # the arrest and the attack of secret.md
    public, _, _ = run(store, fmt, "public")
    assert SECRET_WORDS not in public and "secret.md" not in public and "журналист" not in public
    assert not any(i in public for i in secret_ids)
    cleared, _, _ = run(store, fmt, "confidential")
    if fmt != "figures-csv":                        # the secret document reports no figure
        assert any(i in cleared for i in secret_ids)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_formats_are_empty_but_well_formed_on_an_empty_store(fmt):
    out, n, _ = run(open_store(":memory:"), fmt)
    assert n == 0
    if fmt == "geojson":
        assert json.loads(out) == {"type": "FeatureCollection", "features": []}
    elif fmt.endswith("csv"):
        assert len(list(csv.reader(io.StringIO(out)))) == 1      # the header alone


# ------------------------------------------------------------------ ACLED

def acled_rows(store, clearance="public"):
    out, n, stats = run(store, "acled-csv", clearance)
    reader = csv.DictReader(io.StringIO(out))
    return reader.fieldnames, list(reader), stats


def test_export_acled_has_exactly_the_codebook_columns(store):
    fields, rows, _ = acled_rows(store)
    assert fields == ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                      "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                      "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
                      "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
                      "notes", "fatalities", "tags", "timestamp"]
    assert fields == list(acled_vocabulary().columns)


def test_export_acled_values_are_in_the_codebook_vocabulary(store):
    voc = acled_vocabulary()
    _, rows, _ = acled_rows(store, "confidential")
    assert rows
    for r in rows:
        assert r["sub_event_type"] in voc.event_types[r["event_type"]]
        assert r["disorder_type"] == voc.disorder_type(r["event_type"], r["sub_event_type"])
        assert int(r["inter1"]) in voc.inter_codes and int(r["inter1"]) > 0
        assert r["inter2"] == "" or int(r["inter2"]) in voc.inter_codes
        assert int(r["time_precision"]) in voc.time_precision
        assert int(r["geo_precision"]) in voc.geo_precision
        assert r["civilian_targeting"] in voc.civilian_targeting
        assert r["source_scale"] == "" or r["source_scale"] in voc.source_scales
        assert r["event_id_cnty"][:3].isalpha() and r["event_id_cnty"][3:].isdigit()


def test_export_acled_every_letopis_type_maps_into_the_vocabulary():
    voc, mapping = acled_vocabulary(), acled_mapping()
    for t in EVENT_TYPES:
        for st in (None,) + SUBTYPES[t]:
            rule = mapping.rule(t, st)
            assert rule.sub_event_type in voc.event_types[rule.event_type]
            if rule.with_fatalities:
                assert rule.with_fatalities in voc.event_types[rule.event_type]


def test_export_acled_shooting_row(store):
    _, rows, stats = acled_rows(store)
    (r,) = [r for r in rows if r["event_date"] == "2011-12-16"]
    assert (r["event_type"], r["sub_event_type"]) == ("Protests", "Excessive force against protesters")
    assert r["disorder_type"] == "Political violence; Demonstrations"
    assert (r["actor1"], r["inter1"], r["actor2"], r["inter2"], r["interaction"]) == \
        ("Protesters (Kazakhstan)", "6", "Police Forces of Kazakhstan", "1", "16")
    assert r["assoc_actor_2"] == "полиция"
    assert (r["iso"], r["country"], r["region"]) == ("398", "Kazakhstan", "Caucasus and Central Asia")
    assert (r["location"], r["geo_precision"], r["time_precision"]) == ("Zhanaozen", "1", "1")
    assert (float(r["latitude"]), float(r["longitude"])) == (43.34116, 52.86192)
    assert r["admin1"]                                   # the region the gazetteer knows
    # "16" (official) and "десятки" (ACLED: dozens -> 12): the most conservative is 12
    assert r["fatalities"] == "12"
    assert r["source"] == "a.md; b.md"
    assert "[letopis evt-" in r["notes"] and r["tags"] == "crowd size=between 3000 and 9000"
    # an event without date or country cannot be an ACLED row: skipped, counted (confidential run)
    _, _, stats = acled_rows(store, "confidential")
    assert stats.skipped["no country"] == 1


@pytest.mark.parametrize("reports, expected", [
    ([{"low": 16, "high": 16, "text": "16"}], 16),
    ([{"low": 20, "high": 99, "text": "dozens"}], 12),
    ([{"low": 20, "high": 99, "text": "десятки"}], 12),
    ([{"low": 20, "high": 99, "text": "tens of"}], 10),
    ([{"low": 200, "high": 999, "text": "сотни"}], 100),
    ([{"low": 2000, "high": 9999, "text": "thousands"}], 1000),
    ([{"low": 64, "high": None, "text": "не менее 64"}], 64),
    ([{"low": 101, "high": None, "text": "более 100"}], 101),
    ([{"low": None, "high": 30, "text": "до 30"}], 0),
    ([{"low": 3, "high": 9, "text": "несколько"}], 3),
    ([{"low": 64, "high": None, "text": "не менее 64"}, {"low": 16, "high": 16, "text": "16"}], 16),
    ([], 0),
])
def test_export_acled_fatalities_follow_the_conservative_convention(reports, expected):
    assert acled_fatalities(reports) == expected


@pytest.mark.parametrize("date, expected", [
    ("2011-12-16", ("2011-12-16", 1)), ("2011-12", ("2011-12-15", 3)), ("2011", None), (None, None)])
def test_export_acled_dates_and_time_precision(date, expected):
    assert acled_date(date) == expected


def test_export_acled_attack_targets_civilians(store):
    _, rows, _ = acled_rows(store, "confidential")
    (r,) = [r for r in rows if r["event_type"] == "Violence against civilians"]
    assert r["civilian_targeting"] == "Civilian targeting"
    assert r["actor1"] == "Unidentified Armed Group (Belarus)" and r["inter1"] == "3"
    assert r["actor2"] == "Civilians (Belarus)" and r["interaction"] == "37"


def test_export_acled_country_tables_cover_every_iso_country():
    import pycountry
    cs = countries()
    for c in pycountry.countries:
        assert c.alpha_2 in cs.region, c.alpha_2
        assert cs.iso(c.alpha_2) == int(c.numeric)
    assert cs.name("RU") == "Russia" and cs.code("Russia") == "RU" and cs.code("643") == "RU"


# ------------------------------------------------------------------ FollowTheMoney

def test_export_ftm_every_entity_validates_and_references_resolve(store):
    from followthemoney import model
    out, n, _ = run(store, "ftm", "confidential")
    ents = [json.loads(line) for line in out.splitlines()]
    ids = {e["id"] for e in ents}
    assert len(ids) == len(ents)                         # shared entities written once
    allowed = {"Event", "Person", "Organization", "LegalEntity", "Address", "Article", "Documentation", "UnknownLink"}
    for e in ents:
        schema = model.get(e["schema"])
        assert schema.name in allowed
        schema.validate(e)                               # raises on an invalid entity
        proxy = model.get_proxy(e, cleaned=False)
        for prop in proxy.iterprops():
            assert not prop.stub
            if prop.type.name == "entity":
                for v in proxy.get(prop):
                    assert v in ids, (e["schema"], prop.name)
    events = [e for e in ents if e["schema"] == "Event"]
    assert len(events) == n
    assert all(e["properties"]["recordId"][0].startswith("evt-") for e in events)
    # actors take the schema of their kind: person → Person, organisation → Organization, group → LegalEntity
    actors = sorted((e["schema"], e["properties"]["name"][0]) for e in ents
                    if e["schema"] in ("LegalEntity", "Person", "Organization"))
    assert sorted(name for _, name in actors) == ["журналист", "неизвестные", "полиция"]
    assert ("LegalEntity", "полиция") in actors
    roles = sorted(e["properties"]["role"][0] for e in ents if e["schema"] == "UnknownLink")
    assert roles == ["perpetrator", "perpetrator", "target"]


@pytest.mark.parametrize("kind, schema", [("person", "Person"), ("organization", "Organization"),
                                          ("group", "LegalEntity"), (None, "LegalEntity")])
def test_export_ftm_actor_schema_follows_actor_kind(kind, schema):
    from letopis.export.ftm import actor_entity, checked
    e = actor_entity({"name": "Иван Петров", "role": "target", "kind": kind}, "RU")
    assert checked(e)["schema"] == schema


def test_export_ftm_ids_are_stable(store):
    first, _, _ = run(store, "ftm")
    link_store(store)
    again, _, _ = run(store, "ftm")
    assert first == again


def test_export_ftm_refuses_values_the_schema_would_drop():
    from letopis.export.ftm import FtmValueError, entity, put
    e = entity("Event", "x")
    with pytest.raises(FtmValueError):
        put(e, "date", "not a date")
    with pytest.raises(FtmValueError):
        put(e, "noSuchProperty", "x")


# ------------------------------------------------------------------ GeoJSON

def test_export_geojson_is_valid_rfc7946_with_lon_lat_order(store):
    out, n, stats = run(store, "geojson", "confidential")
    doc = json.loads(out)
    assert check_geojson(doc) == []
    assert "crs" not in doc and n == len(doc["features"]) == 3
    assert stats.skipped["no coordinates"] == 1           # the placeless arrest
    zh = next(f for f in doc["features"] if f["properties"]["date_start"] == "2011-12-16")
    assert zh["geometry"]["coordinates"] == [52.86192, 43.34116]
    p = zh["properties"]
    assert (p["killed_low"], p["killed_high"], p["sources"], p["country"]) == (16, 99, 2, "KZ")


@pytest.mark.parametrize("bad, problem", [
    ({"type": "FeatureCollection", "features": [], "crs": {}}, "crs"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Point", "coordinates": [43.3, 152.8]}}]}, "latitude"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
      "geometry": {"type": "Point", "coordinates": [float("nan"), 1.0]}}]}, "finite"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}, "properties"),
    ({"type": "Feature"}, "FeatureCollection"),
])
def test_export_geojson_checker_catches_rfc7946_violations(bad, problem):
    assert any(problem in e for e in check_geojson(bad))


# ------------------------------------------------------------------ flat CSVs

def test_export_csv_one_row_per_event(store):
    out, n, _ = run(store, "csv", "confidential")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == n == 4 and list(rows[0]) == EVENT_COLUMNS
    zh = next(r for r in rows if r["date_start"] == "2011-12-16")
    assert (zh["killed_low"], zh["killed_high"], zh["participants_low"], zh["documents"]) == ("16", "99", "3000", "a.md | b.md")


def test_export_figures_csv_one_row_per_report_with_valid_evidence(store):
    out, n, _ = run(store, "figures-csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == FIGURE_COLUMNS and len(rows) == n == 3
    texts = {"a.md": "16 декабря 2011 года в Жанаозене полиция расстреляла митинг. Погибли 16 человек."}
    official = next(r for r in rows if r["doc"] == "a.md")
    s, e = int(official["evidence_start"]), int(official["evidence_end"])
    assert texts["a.md"][s:e] == official["evidence_text"] == "Погибли 16"
    assert official["attribution"] == "official"
    indep = next(r for r in rows if r["doc"] == "b.md" and r["kind"] == "killed")
    assert (indep["low"], indep["high"], indep["source"]) == ("20", "99", "Правозащитники")


def test_export_csv_guards_cells_a_spreadsheet_would_run():
    from letopis.export.csv_flat import guard
    assert guard("=HYPERLINK(1)") == "'=HYPERLINK(1)" and guard("@cmd") == "'@cmd"
    assert guard("митинг") == "митинг" and guard(-5) == -5 and guard("=x", on=False) == "=x"
