"""Event points for the map and the timeline: visible events, clustered on a grid, bucketed by date.

The visible position, date and type of an event whose every source the viewer may
read are the stored canonical ones; for an event that also has sources above the
viewer's clearance they are recomputed from the visible mentions alone. Results
are cached per (clearance, filters, store state), so 100,000 points cost one query.
"""
from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

from sqlalchemy import text as sql

from .data import event_views
from .filters import Filters, levels_sql, visible_event_sql
from .search import fts_query


@dataclass(frozen=True, slots=True)
class Point:
    id: str
    type: str
    date: str | None
    lat: float | None
    lon: float | None


_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def state(conn) -> tuple:
    return tuple(conn.execute(sql(
        "SELECT (SELECT count(*) FROM events), (SELECT max(updated_at) FROM events),"
        " (SELECT count(*) FROM decisions), (SELECT count(*) FROM mentions),"
        " (SELECT max(updated_at) FROM documents)")).one())


def visible_points(conn, f: Filters, clearance: str) -> list[Point]:
    key = (clearance, f, state(conn))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    args: dict = {}
    where = visible_event_sql(f, clearance, fts_query(f.q) if f.q else None, args)
    rows = conn.execute(sql(
        f"SELECT e.id, e.type, e.date_start, e.lat, e.lon, EXISTS (SELECT 1 FROM mentions m2"
        f" JOIN documents d2 ON d2.id = m2.document_id WHERE m2.event_id = e.id AND d2.status = 'extracted'"
        f" AND d2.access NOT IN {levels_sql(clearance)}) AS mixed, EXISTS (SELECT 1 FROM decisions x"
        f" WHERE x.kind = 'correct' AND json_extract(x.target, '$.event') = e.id) AS fixed"
        f" FROM events e WHERE {where}"), args).all()
    pts, redo = [], []
    for r in rows:
        if r.mixed or r.fixed:
            redo.append(r.id)
        else:
            pts.append(Point(r.id, r.type, r.date_start, r.lat, r.lon))
    for i in range(0, len(redo), 500):
        for eid, v in event_views(conn, redo[i:i + 500], clearance).items():
            p = v.get("place") or {}
            pts.append(Point(eid, v["type"], (v.get("date") or {}).get("start"), p.get("lat"), p.get("lon")))
    with _lock:
        _cache[key] = pts
        while len(_cache) > 32:
            _cache.popitem(last=False)
    return pts


def clusters(points: list[Point], zoom: int, bbox: tuple[float, float, float, float] | None,
             cell_px: int = 64) -> list[dict]:
    """Grid clustering: one marker per cell of ``cell_px`` screen pixels at ``zoom``."""
    zoom = max(0, min(int(zoom), 18))
    cell = cell_px * 360.0 / (256 * 2 ** zoom)
    west, south, east, north = bbox or (-180.0, -90.0, 180.0, 90.0)
    cells: dict[tuple[int, int], list] = {}
    for p in points:
        if p.lat is None or p.lon is None:
            continue
        if not (south <= p.lat <= north and west <= p.lon <= east):
            continue
        k = (math.floor(p.lon / cell), math.floor(p.lat / cell))
        c = cells.get(k)
        if c is None:
            cells[k] = [1, p.lat, p.lon, Counter({p.type: 1}), p.id]
        else:
            c[0] += 1; c[1] += p.lat; c[2] += p.lon; c[3][p.type] += 1
    out = []
    for n, slat, slon, types, first in cells.values():
        out.append({"count": n, "lat": round(slat / n, 5), "lon": round(slon / n, 5),
                    "types": dict(types), "id": first if n == 1 else None})
    return out


GRAIN = {"year": 4, "month": 7, "day": 10}


def buckets(points: list[Point], grain: str | None = None) -> dict:
    """Counts per (date bucket, type); the grain is chosen from the span unless given."""
    dated = [p for p in points if p.date]
    if grain not in GRAIN:
        years = {p.date[:4] for p in dated}
        months = {p.date[:7] for p in dated if len(p.date) >= 7}
        grain = "year" if len(years) > 6 else ("month" if len(months) > 2 or len(years) > 1 else "day")
    n = GRAIN[grain]
    counts: dict[str, Counter] = {}
    for p in dated:
        if len(p.date) < n:
            continue                     # not precise enough for this grain
        counts.setdefault(p.date[:n], Counter())[p.type] += 1
    return {"grain": grain, "undated": len(points) - len(dated),
            "buckets": [{"key": k, "types": dict(v), "total": sum(v.values())} for k, v in sorted(counts.items())]}
