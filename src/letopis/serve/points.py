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
        " (SELECT count(*) FROM decisions), (SELECT count(*) FROM mentions), (SELECT max(id) FROM mentions),"
        " (SELECT count(*) FROM documents), (SELECT max(id) FROM documents)")).one())


def visible_points(conn, f: Filters, clearance: str) -> list[Point]:
    key = (clearance, f, state(conn))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    args: dict = {}
    where = visible_event_sql(f, clearance, fts_query(f.q) if f.q else None, args)
    rows = conn.execute(sql(f"SELECT e.id, e.type, e.date_start, e.lat, e.lon FROM events e WHERE {where}"),
                        args).all()
    # events with a source above the clearance, or corrected: their visible view is recomputed
    special = set(conn.execute(sql(
        "SELECT DISTINCT m.event_id FROM mentions m JOIN documents d ON d.id = m.document_id"
        f" WHERE d.status = 'extracted' AND d.access NOT IN {levels_sql(clearance)} AND m.event_id IS NOT NULL"
    )).scalars())
    special |= set(conn.execute(sql("SELECT json_extract(target, '$.event') FROM decisions"
                                    " WHERE kind = 'correct'")).scalars())
    pts, redo = [], []
    for r in rows:
        if r.id in special:
            redo.append(r.id)
        else:
            pts.append(Point(r.id, r.type, r.date_start, r.lat, r.lon))
    pts += _recomputed(conn, redo, clearance)
    with _lock:
        _cache[key] = pts
        while len(_cache) > 32:
            _cache.popitem(last=False)
    return pts


def _recomputed(conn, ids: list[str], clearance: str) -> list[Point]:
    """Type, date and place of events from their visible mentions only, by the rules of reconcile.py."""
    from itertools import groupby
    from ..link.reconcile import SourcedMention, choose_date, choose_place, choose_type
    from ..model import DateValue, Mention, Place
    from .data import apply_corrections, corrections
    out: list[Point] = []
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        args = {f"i{n}": x for n, x in enumerate(chunk)}
        rows = conn.execute(sql(
            "SELECT m.event_id, m.type, m.subtype, json_extract(m.data, '$.date.start') AS ds,"
            " json_extract(m.data, '$.date.end') AS de, json_extract(m.data, '$.place') AS place"
            " FROM mentions m JOIN documents d ON d.id = m.document_id"
            f" WHERE m.event_id IN ({','.join(':' + k for k in args)}) AND d.status = 'extracted'"
            f" AND d.access IN {levels_sql(clearance)} ORDER BY m.event_id, m.document_id, m.idx"), args).all()
        fixes = corrections(conn, chunk, clearance)
        import json
        for eid, group in groupby(rows, key=lambda r: r.event_id):
            items = [SourcedMention("", 0, "", Mention(r.type, r.subtype, (), DateValue(r.ds, r.de) if r.ds else None,
                                                       Place.from_dict(json.loads(r.place)) if r.place else None))
                     for r in group]
            place = choose_place(items)
            view = {"type": choose_type(items)[0], "date": choose_date(items) or {"start": None, "end": None},
                    "place": place.to_dict(full=False) if place else None}
            apply_corrections(view, fixes.get(eid, {}))
            p = view["place"] or {}
            out.append(Point(eid, view["type"], view["date"].get("start"), p.get("lat"), p.get("lon")))
    return out


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


_bucketed: OrderedDict = OrderedDict()     # (id of a cached point list, grain) -> (that list, result)


def buckets(points: list[Point], grain: str | None = None) -> dict:
    """Counts per (date bucket, type); the grain is chosen from the span unless given. The point
    lists come from the cache of ``visible_points``, so the counts of one list are kept with it."""
    key = (id(points), grain)
    with _lock:
        hit = _bucketed.get(key)
        if hit is not None and hit[0] is points:
            return hit[1]
    out = _buckets(points, grain)
    with _lock:
        _bucketed[key] = (points, out)
        while len(_bucketed) > 32:
            _bucketed.popitem(last=False)
    return out


def _buckets(points: list[Point], grain: str | None) -> dict:
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
