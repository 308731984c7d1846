"""Review actions: accept, reject, correct a field, merge, split.

Each action is checked against what the editor may see, applied to the events
table, stored in ``decisions`` (kind, target, payload, who) so linking can keep
it, and appended to ``audit_log`` with the event before and after.
``reapply_decisions`` replays them after linking rebuilds the events.
"""
from __future__ import annotations

import json

from sqlalchemy import text as sql

from ..errors import NotFoundError, UsageError
from ..link.cluster import event_id as make_event_id, natural_key
from ..link.reconcile import SourcedMention, canonical_view
from ..model import EVENT_TYPES, SUBTYPES, Mention
from ..store import Store
from ..store.events import ACCESS_RANK, now
from .data import CORRECTABLE
from .filters import levels_sql
from .users import User


def _event_row(conn, eid: str) -> dict | None:
    r = conn.execute(sql("SELECT id, type, subtype, date_start, date_end, country, place, lat, lon, status,"
                         " access FROM events WHERE id = :id"), {"id": eid}).first()
    return dict(r._mapping) if r else None


def _visible_mentions(conn, eid: str, clearance: str) -> list:
    return conn.execute(sql(
        "SELECT m.id, m.data, d.name, d.access FROM mentions m JOIN documents d ON d.id = m.document_id"
        f" WHERE m.event_id = :id AND d.status = 'extracted' AND d.access IN {levels_sql(clearance)}"
        " ORDER BY m.document_id, m.idx"), {"id": eid}).all()


def _require_visible(conn, eid: str, user: User) -> list:
    rows = _visible_mentions(conn, eid, user.clearance)
    if not rows or _event_row(conn, eid) is None:
        raise NotFoundError(f"no event {eid}")
    return rows


def _keys(rows) -> list[str]:
    return [natural_key(r.name, Mention.from_dict(json.loads(r.data))) for r in rows]


def _record(conn, who: str, kind: str, target: dict, payload: dict, before, after) -> None:
    stamp = now()
    conn.execute(sql("INSERT INTO decisions(kind, target, payload, who, created_at) VALUES (:k, :t, :p, :w, :c)"),
                 {"k": kind, "t": json.dumps(target, ensure_ascii=False), "w": who, "c": stamp,
                  "p": json.dumps(payload, ensure_ascii=False)})
    conn.execute(sql("INSERT INTO audit_log(who, at, action, target, before, after) VALUES (:w, :a, :k, :t, :b, :f)"),
                 {"w": who, "a": stamp, "k": kind, "t": json.dumps(target, ensure_ascii=False),
                  "b": json.dumps(before, ensure_ascii=False), "f": json.dumps(after, ensure_ascii=False)})


def refresh_event(conn, eid: str) -> None:
    """Recompute a stored event row from all its mentions (as linking does); delete it when empty."""
    rows = conn.execute(sql("SELECT m.data, m.document_id, d.name, d.access FROM mentions m JOIN documents d"
                            " ON d.id = m.document_id WHERE m.event_id = :id AND d.status = 'extracted'"
                            " ORDER BY m.document_id, m.idx"), {"id": eid}).all()
    if not rows:
        conn.execute(sql("DELETE FROM events WHERE id = :id"), {"id": eid})
        return
    sms = [SourcedMention(r.name, r.document_id, r.access, Mention.from_dict(json.loads(r.data))) for r in rows]
    v = canonical_view(eid, sms)
    place = v["place"] or {}
    vals = {"id": eid, "type": v["type"], "subtype": v["subtype"], "ds": v["date"]["start"], "de": v["date"]["end"],
            "country": place.get("country"), "place": json.dumps(v["place"], ensure_ascii=False),
            "lat": place.get("lat"), "lon": place.get("lon"),
            "actors": json.dumps(v["actors"], ensure_ascii=False), "figures": json.dumps(v["figures"]),
            "demands": json.dumps(v["demands"], ensure_ascii=False), "types": json.dumps(v["types"]),
            "access": min((s.access for s in sms), key=lambda a: ACCESS_RANK.get(a, 0)), "u": now()}
    if conn.execute(sql("SELECT 1 FROM events WHERE id = :id"), {"id": eid}).first():
        conn.execute(sql("UPDATE events SET type=:type, subtype=:subtype, date_start=:ds, date_end=:de,"
                         " country=:country, place=:place, lat=:lat, lon=:lon, actors=:actors, figures=:figures,"
                         " demands=:demands, types=:types, access=:access, updated_at=:u WHERE id = :id"), vals)
    else:
        conn.execute(sql("INSERT INTO events(id, type, subtype, date_start, date_end, country, place, lat, lon,"
                         " actors, figures, demands, types, access, status, updated_at) VALUES (:id, :type,"
                         " :subtype, :ds, :de, :country, :place, :lat, :lon, :actors, :figures, :demands, :types,"
                         " :access, 'machine', :u)"), vals)


def _ensure_event(conn, new_id: str, like: str) -> None:
    """Create event ``new_id`` as a copy of ``like`` (mentions need it to exist before they move)."""
    if conn.execute(sql("SELECT 1 FROM events WHERE id = :id"), {"id": new_id}).first():
        return
    conn.execute(sql("INSERT INTO events(id, type, subtype, date_start, date_end, country, place, lat, lon, actors,"
                     " figures, demands, types, access, status, updated_at) SELECT :n, type, subtype, date_start,"
                     " date_end, country, place, lat, lon, actors, figures, demands, types, access, 'machine',"
                     " updated_at FROM events WHERE id = :o"), {"n": new_id, "o": like})


def set_status(store: Store, user: User, eid: str, status: str) -> dict:
    if status not in ("accepted", "rejected", "machine"):
        raise UsageError(f"status {status!r} is not known")
    kind = {"accepted": "accept", "rejected": "reject", "machine": "reopen"}[status]
    with store.engine.begin() as conn:
        rows = _require_visible(conn, eid, user)
        before = _event_row(conn, eid)
        conn.execute(sql("UPDATE events SET status = :s, updated_at = :u WHERE id = :id"),
                     {"s": status, "u": now(), "id": eid})
        after = _event_row(conn, eid)
        _record(conn, user.username, kind, {"event": eid, "mentions": _keys(rows)}, {"status": status},
                {"status": before["status"]}, {"status": after["status"]})
    return after


def _check_value(field: str, value):
    if field not in CORRECTABLE:
        raise UsageError(f"field {field!r} cannot be corrected", hint="one of " + ", ".join(CORRECTABLE))
    if value in ("", None):
        return None
    if field == "type" and value not in EVENT_TYPES:
        raise UsageError(f"type {value!r} is not an event type", hint=", ".join(EVENT_TYPES))
    if field == "subtype" and not any(value in s for s in SUBTYPES.values()):
        raise UsageError(f"subtype {value!r} is not known")
    if field in ("date_start", "date_end"):
        import re
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(value)):
            raise UsageError(f"date {value!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)")
    if field in ("lat", "lon"):
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise UsageError(f"{field} {value!r} is not a number") from None
        if not (-90 <= x <= 90 if field == "lat" else -180 <= x <= 180):
            raise UsageError(f"{field} {value!r} is out of range")
        return x
    if field == "country":
        if not (isinstance(value, str) and len(value) == 2 and value.isalpha()):
            raise UsageError(f"country {value!r} is not an ISO 3166-1 alpha-2 code")
        return value.upper()
    return str(value)[:200]


def correct(store: Store, user: User, eid: str, field: str, value) -> dict:
    value = _check_value(field, value)
    column = {"place_name": None}.get(field, field)
    with store.engine.begin() as conn:
        rows = _require_visible(conn, eid, user)
        before = _event_row(conn, eid)
        if column:
            conn.execute(sql(f"UPDATE events SET {column} = :v, updated_at = :u WHERE id = :id"),
                         {"v": value, "u": now(), "id": eid})
        access = max((r.access for r in rows), key=lambda a: ACCESS_RANK.get(a, 0))
        _record(conn, user.username, "correct", {"event": eid, "mentions": _keys(rows)},
                {"field": field, "value": value, "access": access},
                {field: before.get(column) if column else None}, {field: value})
        return _event_row(conn, eid)


def merge(store: Store, user: User, eid: str, other: str) -> dict:
    """Move every mention of ``other`` into ``eid``; ``other`` disappears."""
    if eid == other:
        raise UsageError("an event cannot be merged with itself")
    with store.engine.begin() as conn:
        keep = _require_visible(conn, eid, user)
        gone = _require_visible(conn, other, user)
        hidden = conn.execute(sql("SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.document_id"
                                  f" WHERE m.event_id = :o AND d.access NOT IN {levels_sql(user.clearance)}"),
                              {"o": other}).scalar_one()
        if hidden:
            raise UsageError("the other event has sources above your clearance",
                             hint="ask someone cleared for all its sources")
        before = {"into": _event_row(conn, eid), "other": _event_row(conn, other)}
        conn.execute(sql("UPDATE mentions SET event_id = :e WHERE event_id = :o"), {"e": eid, "o": other})
        refresh_event(conn, eid)
        refresh_event(conn, other)
        after = _event_row(conn, eid)
        _record(conn, user.username, "merge", {"event": eid, "other": other, "mentions": _keys(keep),
                                               "other_mentions": _keys(gone)}, {}, before, after)
        return after


def split(store: Store, user: User, eid: str, mention_ids: list[int]) -> dict:
    """Move the given mentions of ``eid`` into a new event; returns the new event row."""
    with store.engine.begin() as conn:
        rows = _require_visible(conn, eid, user)
        chosen = [r for r in rows if r.id in set(mention_ids)]
        if not chosen or len(chosen) != len(set(mention_ids)):
            raise UsageError("choose mentions of this event to split off")
        total = conn.execute(sql("SELECT count(*) FROM mentions WHERE event_id = :e"), {"e": eid}).scalar_one()
        if len(chosen) >= total:
            raise UsageError("a split must leave at least one mention in the event")
        keys = _keys(chosen)
        new_id = make_event_id(keys)
        before = _event_row(conn, eid)
        _ensure_event(conn, new_id, eid)
        for r in chosen:
            conn.execute(sql("UPDATE mentions SET event_id = :n WHERE id = :id"), {"n": new_id, "id": r.id})
        refresh_event(conn, new_id)
        refresh_event(conn, eid)
        after = {"event": _event_row(conn, eid), "new": _event_row(conn, new_id)}
        _record(conn, user.username, "split", {"event": eid, "new_event": new_id, "mentions": keys},
                {}, before, after)
        return after["new"]


def audit_entries(store: Store, limit: int = 100, event: str | None = None) -> list[dict]:
    q = "SELECT id, who, at, action, target, before, after FROM audit_log"
    args: dict = {"n": limit}
    if event:
        q += " WHERE json_extract(target, '$.event') = :e OR json_extract(target, '$.other') = :e"; args["e"] = event
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sql(q + " ORDER BY id DESC LIMIT :n"), args)]


def reapply_decisions(store: Store) -> int:
    """After linking rebuilt the events: replay merges, splits, statuses and corrections by mention keys."""
    applied = 0
    with store.engine.begin() as conn:
        where: dict[str, tuple[int, str]] = {}
        for r in conn.execute(sql("SELECT m.id, m.event_id, m.data, d.name FROM mentions m JOIN documents d"
                                  " ON d.id = m.document_id WHERE d.status = 'extracted'")):
            where[natural_key(r.name, Mention.from_dict(json.loads(r.data)))] = (r.id, r.event_id)
        for r in conn.execute(sql("SELECT kind, target, payload FROM decisions ORDER BY id")).all():
            t, p = json.loads(r.target), json.loads(r.payload)
            ids = {where[k][1] for k in t.get("mentions", []) if k in where}
            if r.kind == "merge":
                others = {where[k][1] for k in t.get("other_mentions", []) if k in where}
                if ids and others:
                    into = t["event"] if t["event"] in ids else sorted(ids)[0]
                    for o in others - {into}:
                        conn.execute(sql("UPDATE mentions SET event_id = :e WHERE event_id = :o"), {"e": into, "o": o})
                        refresh_event(conn, o)
                    refresh_event(conn, into)
                    applied += 1
            elif r.kind == "split":
                moved = [where[k][0] for k in t.get("mentions", []) if k in where]
                if moved:
                    for old in ids:
                        _ensure_event(conn, t["new_event"], old)
                    for mid in moved:
                        conn.execute(sql("UPDATE mentions SET event_id = :n WHERE id = :id"),
                                     {"n": t["new_event"], "id": mid})
                    refresh_event(conn, t["new_event"])
                    for old in ids:
                        refresh_event(conn, old)
                    applied += 1
            elif r.kind in ("accept", "reject", "reopen") and t.get("event"):
                n = conn.execute(sql("UPDATE events SET status = :s WHERE id = :id"),
                                 {"s": p.get("status"), "id": t["event"]}).rowcount
                applied += bool(n)
        # refresh `where` is unnecessary for statuses: they follow event ids, which are stable
    return applied
