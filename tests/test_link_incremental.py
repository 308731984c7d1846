"""Incremental linking: the same result as a full re-link, stable ids, re-extraction, decisions, entities."""
from sqlalchemy import insert, select

from letopis.link import link_store
from letopis.link.decisions import record_correct, record_merge, record_split
from letopis.link.entities import list_entities
from letopis.model import Actor, DateValue, ExtractionResult, Figure, Mention, Place, Span
from letopis.store.events import save_extraction
from letopis.store.schema import documents, events, mentions
from letopis.store.schema_link import link_members

ZH = Place("Жанаозен", "Zhanaozen", "KZ", 43.34, 52.86, "city", 609655)
SHETPE = Place("Шетпе", "Shetpe", "KZ", 44.17, 52.12, "city", 609123)
KYIV = Place("Київ", "Kyiv", "UA", 50.45, 30.52, "city", 703448)


def add(store, doc_id, name, mentions_, access="public"):
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(
            id=doc_id, sha256=f"{doc_id:064d}", name=name, format="md", text="x" * 200, access=access,
            status="stored", created_at="2024-01-01T00:00:00", updated_at="2024-01-01T00:00:00"))
    save_extraction(store, ExtractionResult(doc_id, tuple(mentions_), "test"))


def m(type_, date, place, killed=None, actors=(), start=0, words="убиты"):
    figs = (Figure("killed", killed[0], killed[1], Span(start, start + 5, words), killed[2]),) if killed else ()
    acts = tuple(Actor(n, r, k) for n, r, k in actors)
    return Mention(type_, None, (Span(start, start + 5, "xxxxx"),), DateValue(date) if date else None, place,
                   figs, acts)


def state(store):
    with store.engine.connect() as conn:
        evs = {r.id: (r.type, r.date_start, r.status) for r in conn.execute(select(events))}
        ms = {(r.document_id, r.idx): r.event_id for r in conn.execute(select(mentions))}
    return evs, ms


CORPUS = [
    (1, "ru.md", [m("crackdown", "2011-12-16", ZH, (16, 16, "official"), [("Назарбаев", "other", "person")])]),
    (2, "uk.md", [m("crackdown", "2011-12-16", ZH, (64, None, "independent"), [("Назарбаєв", "other", "person")])]),
    (3, "en.md", [m("crackdown", "2011-12", ZH, (20, 99, "unknown"), [("Nursultan Nazarbayev", "other", "person")])]),
    (4, "shetpe.md", [m("crackdown", "2011-12-17", SHETPE)]),
    (5, "kyiv.md", [m("protest", "2013-12-16", KYIV), m("crackdown", "2013-12-16", ZH, start=50)]),
]


def build(store, docs=CORPUS):
    for doc_id, name, ms in docs:
        add(store, doc_id, name, ms)


def test_link_incremental_equals_full_on_the_same_input(store):
    from letopis.store import open_store
    for doc_id, name, ms in CORPUS:          # one document at a time, linking after each
        add(store, doc_id, name, ms)
        link_store(store)
    other = open_store(":memory:")
    build(other)
    link_store(other, full=True)
    assert state(store) == state(other)
    evs, ms = state(store)
    assert ms[(1, 0)] == ms[(2, 0)] == ms[(3, 0)]            # three languages, one event
    assert len({ms[(1, 0)], ms[(4, 0)], ms[(5, 0)], ms[(5, 1)]}) == 4   # near misses apart


def test_link_incremental_ids_stable_when_unrelated_documents_arrive(store):
    build(store)
    link_store(store)
    before = state(store)
    add(store, 9, "far.md", [m("strike", "2020-03-01", KYIV)])
    n = link_store(store).mentions
    after = state(store)
    assert n == 1                                         # only the new mention was looked at
    assert {k: v for k, v in after[1].items() if k[0] != 9} == before[1]


def test_link_incremental_reextraction_replaces_mentions(store):
    build(store)
    link_store(store)
    _, ms = state(store)
    zh = ms[(1, 0)]
    save_extraction(store, ExtractionResult(3, (), "test"))       # en.md now has no event
    save_extraction(store, ExtractionResult(4, (m("protest", "2011-12-17", SHETPE),), "test"))
    link_store(store)
    evs, ms2 = state(store)
    assert ms2[(1, 0)] == ms2[(2, 0)] and (3, 0) not in ms2
    assert ms2[(4, 0)] != ms[(4, 0)] and ms[(4, 0)] not in evs     # the emptied event is gone
    full = state(store)
    link_store(store, full=True)
    assert state(store) == full
    assert zh not in evs            # its id came from en.md's mention, which left


def test_link_decisions_survive_reextraction_and_relinking(store):
    build(store)
    link_store(store)
    _, ms = state(store)
    zh, shetpe = ms[(1, 0)], ms[(4, 0)]
    record_merge(store, zh, shetpe, "anna")
    link_store(store)
    _, ms = state(store)
    assert ms[(4, 0)] == ms[(1, 0)] == zh
    new = record_split(store, zh, ["en.md:0"], "boris")
    record_correct(store, zh, "figure.killed", "16-64", "vera")
    link_store(store)
    _, ms = state(store)
    assert ms[(3, 0)] == new and ms[(1, 0)] == zh
    # the same documents extracted again, then a full re-link: every decision still holds
    for doc_id, _, mm in CORPUS:
        save_extraction(store, ExtractionResult(doc_id, tuple(mm), "test-v2"))
    link_store(store, full=True)
    evs, ms = state(store)
    assert ms[(4, 0)] == ms[(1, 0)] == zh and ms[(3, 0)] == new
    from letopis.export.events_jsonl import iter_events
    ev = next(iter_events(store, event_id=zh))
    assert ev["figures"]["killed"] == {"low": 16, "best": None, "high": 64}
    assert [(d["kind"], d["who"]) for d in ev["decisions"]] == [("merge", "anna"), ("correct", "vera")]


def test_link_web_reject_decision_is_honoured(store):
    import json
    from letopis.store.schema import decisions
    build(store)
    link_store(store)
    _, ms = state(store)
    with store.engine.begin() as conn:
        keys = list(conn.execute(select(link_members.c.key).where(link_members.c.mention_id.in_(
            select(mentions.c.id).where(mentions.c.event_id == ms[(4, 0)])))).scalars())
        conn.execute(insert(decisions).values(kind="reject", target=json.dumps({"event": ms[(4, 0)], "mentions": keys}),
                                              payload=json.dumps({"status": "rejected"}), who="web", created_at="x"))
    link_store(store, full=True)
    evs, _ = state(store)
    assert evs[ms[(4, 0)]][2] == "rejected"


def test_link_entities_across_scripts_and_inflections(store):
    build(store)
    link_store(store)
    (naz,) = list_entities(store, kind="person", q="Назарбаева")
    assert set(naz["aliases"]) == {"Назарбаев", "Назарбаєв", "Nursultan Nazarbayev"}
    (place,) = list_entities(store, kind="place", q="Zhanaozen")
    assert place["key"] == "geo:609655" and len(place["events"]) == 2


def test_link_event_only_from_confidential_documents_is_invisible(store):
    from letopis.export.events_jsonl import iter_events
    add(store, 1, "secret.md", [m("detention", "2013-01-18", KYIV)], access="confidential")
    link_store(store)
    assert list(iter_events(store, clearance="public")) == []
    assert len(list(iter_events(store, clearance="confidential"))) == 1


def test_link_incremental_equals_full_on_synthetic_reports(store):
    import importlib.util
    from conftest import ROOT
    spec = importlib.util.spec_from_file_location("bench_link", ROOT / "bench" / "link.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    pairs = bench.synthetic(3000, seed=3)
    names = list(dict.fromkeys(d for d, _ in pairs))
    late = set(names[-60:])
    bench.fill(store, [(d, x) for d, x in pairs if d not in late])
    link_store(store)
    bench.fill(store, [(d, x) for d, x in pairs if d in late], first_id=len(names) + 10)
    st = link_store(store)
    assert st.mentions < 600                              # a small part of the store re-clustered
    incremental = state(store)
    link_store(store, full=True)
    assert state(store) == incremental
