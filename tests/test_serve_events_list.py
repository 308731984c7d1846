"""The event list by date: pages walk the whole visible set in order, undated events last."""
import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from letopis.serve import data
from letopis.serve.filters import Filters, visible_event_sql

BENCH = Path(__file__).resolve().parent.parent / "bench" / "serve.py"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("bench_serve", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    db = str(tmp_path_factory.mktemp("evlist") / "s.db")
    bench.build(db, 300)
    from letopis.store import open_store
    s = open_store(db)
    with s.engine.begin() as conn:     # a share of the events without a date
        conn.execute(sql("UPDATE events SET date_start = NULL WHERE id IN"
                         " (SELECT id FROM events ORDER BY id LIMIT 40)"))
    yield s
    s.close()


@pytest.mark.parametrize("clearance,f", [("public", Filters()), ("confidential", Filters()),
                                         ("public", Filters(type="protest"))])
def test_serve_events_list_pages_walk_every_event_by_date_undated_last(store, clearance, f):
    with store.engine.connect() as conn:
        args: dict = {}
        where = visible_event_sql(f, clearance, None, args)
        want = list(conn.execute(sql(f"SELECT e.id FROM events e WHERE {where}"
                                     " ORDER BY e.date_start IS NULL, e.date_start, e.id"), args).scalars())
        undated = set(conn.execute(sql("SELECT id FROM events WHERE date_start IS NULL")).scalars())
        got, total = [], None
        for offset in range(0, len(want) + 25, 25):
            page, total = data.list_events(conn, f, clearance, limit=25, offset=offset)
            got += [e["id"] for e in page]
    assert total == len(want) and got == want
    assert len(want) > 25 and want[-1] in undated      # several pages, the undated ones last
