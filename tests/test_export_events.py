"""The events-jsonl export: the contract of EVENTS.md, and clearance."""
import io
import json

from sqlalchemy import insert

from letopis.export.events_jsonl import write_events_jsonl
from letopis.link import link_store
from letopis.model import DateValue, ExtractionResult, Figure, Mention, Place, Span
from letopis.store import open_store
from letopis.store.events import save_extraction
from letopis.store.schema import documents

ZH = Place("Жанаозен", "Zhanaozen", "KZ", 43.34, 52.86, "city", 609655)


def add_doc(store, doc_id, name, text, access="public"):
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(
            id=doc_id, sha256=f"{doc_id:064d}", name=name, format="md", text=text, access=access,
            status="stored", created_at="2024-01-01T00:00:00", updated_at="2024-01-01T00:00:00"))


def mention(text, phrase, killed=None):
    a = text.index(phrase)
    figs = ()
    if killed:
        lo, hi, words = killed
        b = text.index(words)
        figs = (Figure("killed", lo, hi, Span(b, b + len(words), words)),)
    return Mention("crackdown", "shooting", (Span(a, a + len(phrase), phrase),), DateValue("2011-12-16"), ZH, figs)


def build(access_b="public"):
    store = open_store(":memory:")
    t1 = "16 декабря 2011 года в Жанаозене полиция расстреляла митинг. Погибли 16 человек."
    t2 = "Правозащитники: 16 декабря 2011 года в Жанаозене убиты не менее 64 человек."
    add_doc(store, 1, "a.md", t1)
    add_doc(store, 2, "b.md", t2, access=access_b)
    save_extraction(store, ExtractionResult(1, (mention(t1, "полиция расстреляла митинг", (16, 16, "Погибли 16")),), "x"))
    save_extraction(store, ExtractionResult(2, (mention(t2, "убиты не менее 64", (64, None, "не менее 64")),), "x"))
    link_store(store)
    return store, {"a.md": t1, "b.md": t2}


def export(store, clearance="public"):
    buf = io.StringIO()
    write_events_jsonl(store, buf, clearance=clearance)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_export_events_jsonl_has_every_contract_key_and_valid_evidence():
    store, texts = build()
    (ev,) = export(store)
    for key in ("id", "type", "subtype", "date", "place", "actors", "figures", "demands", "mentions"):
        assert key in ev
    assert ev["figures"]["killed"] == {"low": 16, "best": 40, "high": 64}
    assert {m["doc"] for m in ev["mentions"]} == {"a.md", "b.md"}
    for m in ev["mentions"]:
        for key in ("doc", "type", "date", "place", "figures", "demands", "evidence"):
            assert key in m
        for sp in m["evidence"]:
            assert texts[m["doc"]][sp["start"]:sp["end"]] == sp["text"]


def test_export_hides_confidential_sources_from_public_reader():
    store, _ = build(access_b="confidential")
    (ev,) = export(store, "public")
    assert [m["doc"] for m in ev["mentions"]] == ["a.md"]
    assert ev["figures"]["killed"] == {"low": 16, "best": 16, "high": 16}
    assert "не менее 64" not in json.dumps(ev, ensure_ascii=False)
    (full,) = export(store, "confidential")
    assert len(full["mentions"]) == 2


def test_export_event_known_only_from_confidential_documents_is_invisible():
    store = open_store(":memory:")
    t = "16 декабря 2011 года в Жанаозене полиция расстреляла митинг."
    add_doc(store, 1, "secret.md", t, access="confidential")
    save_extraction(store, ExtractionResult(1, (mention(t, "полиция расстреляла митинг"),), "x"))
    link_store(store)
    assert export(store, "public") == []
    assert export(store, "restricted") == []
    assert len(export(store, "confidential")) == 1


def test_export_ids_stable_across_relinking():
    store, _ = build()
    first = [e["id"] for e in export(store)]
    link_store(store)
    assert [e["id"] for e in export(store)] == first


def test_export_events_come_in_the_order_they_were_first_reported():
    store = open_store(":memory:")
    t = "Сначала суд. Потом митинг. Потом задержания."
    add_doc(store, 1, "a.md", t)

    def at(type_, phrase, date):
        a = t.index(phrase)
        return Mention(type_, None, (Span(a, a + len(phrase), phrase),), DateValue(date), ZH)
    # the text tells them in this order; their dates run the other way
    save_extraction(store, ExtractionResult(1, (at("prosecution", "суд", "2013"),
                                                at("protest", "митинг", "2012-05"),
                                                at("detention", "задержания", "2011-12-16")), "x"))
    link_store(store)
    assert [ev["type"] for ev in export(store)] == ["prosecution", "protest", "detention"]
