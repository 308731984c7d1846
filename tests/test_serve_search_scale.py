"""Search on a store larger than its caps: counts stop at the cap, every page comes from the full,
correct match set (clearance, filters, morphology), whichever side (text or filters) drives the query."""
import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from letopis.serve import data, search
from letopis.serve.filters import Filters, levels_sql, mention_conditions, visible_event_sql

BENCH = Path(__file__).resolve().parent.parent / "bench" / "serve.py"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("bench_serve", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    db = str(tmp_path_factory.mktemp("scale") / "s.db")
    bench.build(db, 600)
    from letopis.store import open_store
    s = open_store(db)
    yield s
    s.close()


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 20)
    monkeypatch.setattr(search, "RANK_LIMIT", 30)
    monkeypatch.setattr(search, "FILTER_DRIVE", 150)
    monkeypatch.setattr(search, "FILTER_MIN", 10)


def _docs_reference(conn, f: Filters, clearance: str) -> set[int]:
    args = {"fts": search.fts_query(f.q)}
    sub = mention_conditions(Filters(type=f.type, country=f.country), args)
    w = [f"d.access IN {levels_sql(clearance)}"]
    if f.date_from:
        w.append("d.date >= :df"); args["df"] = f.date_from
    if sub:
        w.append("EXISTS (SELECT 1 FROM mentions m WHERE m.document_id = d.id AND " + " AND ".join(sub) + ")")
    return set(conn.execute(sql("SELECT d.id FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid"
                                " WHERE doc_fts MATCH :fts AND " + " AND ".join(w)), args).scalars())


def _events_reference(conn, f: Filters, clearance: str) -> set[str]:
    args: dict = {}
    where = visible_event_sql(f, clearance, search.fts_query(f.q), args)
    return set(conn.execute(sql(f"SELECT e.id FROM events e WHERE {where}"), args).scalars())


CASES = [Filters(q="расстрелом"), Filters(q="полиции"), Filters(q="задержаны человек"),
         Filters(q="митинг", type="protest", country="KZ", date_from="2010"),
         Filters(q="акция", country="BY"), Filters(q="суд", type="strike"),
         Filters(q="акция", date_from="2020"), Filters(q="нетакогослова")]


@pytest.mark.parametrize("clearance", ["public", "confidential"])
def test_serve_search_scale_pages_cover_the_match_set(store, small_caps, clearance):
    with store.engine.connect() as conn:
        for f in CASES:
            ref = _docs_reference(conn, f, clearance)
            seen, offset = [], 0
            while True:
                docs, total = data.list_documents(conn, f, clearance, limit=7, offset=offset)
                assert total == min(len(ref), 21), f
                if not docs:
                    break
                seen += [d["id"] for d in docs]
                offset += 7
            assert len(seen) == len(set(seen)) and set(seen) == ref, f
            eref = _events_reference(conn, f, clearance)
            seen, offset = [], 0
            while True:
                evs, total = data.list_events(conn, f, clearance, limit=7, offset=offset)
                assert total == min(len(eref), 21), f
                if not evs:
                    break
                seen += [e["id"] for e in evs]
                offset += 7
            assert len(seen) == len(set(seen)) and set(seen) == eref, f


def test_serve_search_scale_counts_read_capped(store, small_caps):
    with store.engine.connect() as conn:
        _, total = data.list_documents(conn, Filters(q="полиция"), "public", limit=5)
        _, few = data.list_documents(conn, Filters(q="нетакогослова"), "public", limit=5)
    assert total == 21 and str(total) == "20+"
    assert few == 0 and str(few) == "0"


def test_serve_search_scale_reader_never_counts_restricted(store, small_caps):
    with store.engine.connect() as conn:
        secret = set(conn.execute(sql("SELECT id FROM documents WHERE access != 'public'")).scalars())
        for f in CASES:
            docs, _ = data.list_documents(conn, f, "public", limit=50)
            assert not {d["id"] for d in docs} & secret
            for e in data.list_events(conn, f, "public", limit=50)[0]:
                assert all(m["access"] == "public" for m in e["mentions"])
