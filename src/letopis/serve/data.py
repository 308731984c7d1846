"""What the pages and the API read, always through the viewer's clearance.

The canonical view of an event is recomputed from the mentions of documents the
viewer may read (as ``export.events_jsonl.iter_events`` does), so neither a page
nor a count nor a figure is ever reconciled from a report the viewer may not see.
"""
from __future__ import annotations

import json
from itertools import groupby

from sqlalchemy import text as sql

from ..link.reconcile import SourcedMention, canonical_view
from ..model import Mention
from ..store.events import ACCESS_RANK
from .filters import Filters, levels_sql, mention_conditions, visible_event_sql
from .search import COUNT_CAP, RANK_LIMIT, fts_query, search_documents, search_events  # noqa: F401 (re-exported)
CORRECTABLE = ("type", "subtype", "date_start", "date_end", "place_name", "country", "lat", "lon")


def _json(v, default):
    try:
        return json.loads(v) if v else default
    except ValueError:
        return default


def capped_count(conn, from_where: str, args: dict, cap: int | None = None) -> int:
    """The number of rows, counted up to ``cap + 1`` (more than ``cap`` shows as "cap+")."""
    from . import search
    cap = search.COUNT_CAP if cap is None else cap
    return search.Count(conn.execute(sql(f"SELECT count(*) FROM (SELECT 1 {from_where} LIMIT {int(cap) + 1})"),
                                     args).scalar_one())


def corrections(conn, ids: list[str], clearance: str) -> dict[str, dict]:
    """Field corrections per event, in order, that the viewer is cleared to see."""
    if not ids:
        return {}
    rank = ACCESS_RANK.get(clearance, 0)
    out: dict[str, dict] = {}
    rows = conn.execute(sql("SELECT target, payload FROM decisions WHERE kind = 'correct' ORDER BY id")).all()
    wanted = set(ids)
    for r in rows:
        t, p = _json(r.target, {}), _json(r.payload, {})
        if t.get("event") in wanted and ACCESS_RANK.get(p.get("access"), 2) <= rank:
            out.setdefault(t["event"], {})[p.get("field")] = p.get("value")
    return out


def apply_corrections(view: dict, fixes: dict) -> None:
    for field, value in fixes.items():
        if field in ("type", "subtype"):
            view[field] = value or None
        elif field in ("date_start", "date_end"):
            view["date"] = dict(view.get("date") or {"start": None, "end": None})
            view["date"]["start" if field == "date_start" else "end"] = value or None
        elif field in ("place_name", "country", "lat", "lon"):
            place = dict(view.get("place") or {"name": None, "name_en": None, "country": None,
                                               "lat": None, "lon": None})
            place["name" if field == "place_name" else field] = value
            view["place"] = place
    if fixes:
        view["corrected"] = sorted(fixes)


def event_views(conn, ids: list[str], clearance: str) -> dict[str, dict]:
    """event id → canonical view from visible mentions, with document ids and mention row ids."""
    if not ids:
        return {}
    args = {f"i{n}": x for n, x in enumerate(ids)}
    marks = ",".join(f":i{n}" for n in range(len(ids)))
    rows = conn.execute(sql(
        "SELECT m.id AS mid, m.event_id, m.data, m.document_id, d.name, d.access, d.title, d.date, d.meta,"
        " e.status FROM mentions m JOIN documents d ON d.id = m.document_id JOIN events e ON e.id = m.event_id"
        f" WHERE m.event_id IN ({marks}) AND d.status = 'extracted' AND d.access IN {levels_sql(clearance)}"
        " ORDER BY m.event_id, m.document_id, m.idx"), args).all()
    fixes = corrections(conn, ids, clearance)
    out = {}
    for eid, group in groupby(rows, key=lambda r: r.event_id):
        group = list(group)
        items = [SourcedMention(doc=r.name, doc_id=r.document_id, access=r.access,
                                mention=Mention.from_dict(json.loads(r.data))) for r in group]
        view = canonical_view(eid, items)
        view["status"] = group[0].status
        for mv, r, sm in zip(view["mentions"], group, items):
            meta = _json(r.meta, {})
            mv.update(mention_id=r.mid, doc_id=r.document_id, doc_title=r.title, doc_date=r.date,
                      access=r.access, source=meta.get("source") if isinstance(meta, dict) else None,
                      signatories=meta.get("signatories") if isinstance(meta, dict) else None,
                      figure_list=[f.to_dict() for f in sm.mention.figures],
                      actor_list=[a.to_dict() for a in sm.mention.actors],
                      demand_list=[d.to_dict() for d in sm.mention.demands])
        reports = {}
        for mv in view["mentions"]:
            seen = set()
            for fg in mv["figure_list"]:
                if fg["kind"] in seen:
                    continue
                seen.add(fg["kind"])
                reports.setdefault(fg["kind"], []).append({**fg, "doc": mv["doc"], "doc_id": mv["doc_id"]})
        view["figure_reports"] = reports
        view["access"] = max((r.access for r in group), key=lambda a: ACCESS_RANK.get(a, 0))
        apply_corrections(view, fixes.get(eid, {}))
        out[eid] = view
    return out


def event_view(conn, eid: str, clearance: str) -> dict | None:
    return event_views(conn, [eid], clearance).get(eid)


def list_events(conn, f: Filters, clearance: str, *, limit: int = 50, offset: int = 0,
                statuses=("machine", "accepted"), order: str = "date") -> tuple[list[dict], int]:
    """A page of visible events matching the filters, and their count (with a query: newest first,
    counted up to ``COUNT_CAP + 1``; see ``search.search_events``)."""
    args: dict = {}
    fts = fts_query(f.q) if f.q else None
    if fts:
        conds = mention_conditions(f, args)
        st = ",".join(f"'{s}'" for s in statuses if s in ("machine", "accepted", "rejected"))
        ids, total = search_events(conn, f, fts, conds, args, levels_sql(clearance), st, limit, offset)
        views = event_views(conn, ids, clearance)
        return [views[i] for i in ids if i in views], total
    where = visible_event_sql(f, clearance, None, args, statuses)
    if order == "date":
        ids, total = _by_date(conn, where, args, limit, offset)
    else:
        # one pass: the page and the total together (the match set is built once)
        rows = conn.execute(sql(f"SELECT e.id, count(*) OVER () AS n FROM events e WHERE {where}"
                                " ORDER BY e.updated_at DESC, e.id LIMIT :limit OFFSET :offset"),
                            {**args, "limit": limit, "offset": offset}).all()
        ids = [r.id for r in rows]
        total = rows[0].n if rows else (capped_count(conn, f"FROM events e WHERE {where}", args) if offset else 0)
    views = event_views(conn, ids, clearance)
    return [views[i] for i in ids if i in views], total


def _by_date(conn, where: str, args: dict, limit: int, offset: int) -> tuple[list[str], int]:
    """A page of events by date, undated ones last. Counted in one scan; the dated page walks the
    date index and the undated follow (sorting "undated last" in SQL sorted the whole set: 3x slower
    at 50,000 events)."""
    n = conn.execute(sql(f"SELECT count(*) AS n, count(e.date_start) AS dated FROM events e WHERE {where}"),
                     args).one()
    ids: list[str] = []
    if offset < n.dated:
        ids = list(conn.execute(sql(f"SELECT e.id FROM events e WHERE {where} AND e.date_start IS NOT NULL"
                                    " ORDER BY e.date_start, e.id LIMIT :limit OFFSET :offset"),
                                {**args, "limit": limit, "offset": offset}).scalars())
    if len(ids) < limit and n.n > n.dated:
        ids += conn.execute(sql(f"SELECT e.id FROM events e WHERE {where} AND e.date_start IS NULL"
                                " ORDER BY e.id LIMIT :limit OFFSET :offset"),
                            {**args, "limit": limit - len(ids), "offset": max(0, offset - n.dated)}).scalars()
    return ids, n.n


def related_events(conn, view: dict, clearance: str, n: int = 5) -> tuple[list[dict], list[dict]]:
    """Visible events in the same country just before and after this one."""
    country = (view.get("place") or {}).get("country")
    day = (view.get("date") or {}).get("start")
    if not country or not day:
        return [], []
    args: dict = {"eid": view["id"], "day": day, "n": n, "country": country}
    where = (f"e.country = :country AND e.status IN ('machine', 'accepted') AND e.access IN {levels_sql(clearance)}"
             " AND e.id != :eid")
    before = list(conn.execute(sql(f"SELECT e.id FROM events e WHERE {where} AND e.date_start < :day"
                                   " ORDER BY e.date_start DESC LIMIT :n"), args).scalars())
    after = list(conn.execute(sql(f"SELECT e.id FROM events e WHERE {where} AND e.date_start >= :day"
                                  " ORDER BY e.date_start LIMIT :n"), args).scalars())
    views = event_views(conn, before + after, clearance)
    return [views[i] for i in before if i in views], [views[i] for i in after if i in views]


# ------------------------------------------------------------------ documents

DOC_COLS = ("d.id, d.name, d.format, d.status, d.language, d.access, d.date, d.title, d.error_code,"
            " d.error, d.meta_error, d.previous_id, d.extractor, d.created_at, d.updated_at")


def get_document(conn, doc_id: int, clearance: str) -> dict | None:
    r = conn.execute(sql(f"SELECT {DOC_COLS}, d.text, d.meta FROM documents d WHERE d.id = :id"
                         f" AND d.access IN {levels_sql(clearance)}"), {"id": doc_id}).first()
    if r is None:
        return None
    d = dict(r._mapping)
    d["meta"] = _json(d["meta"], {})
    d["sources"] = [dict(x._mapping) for x in conn.execute(sql(
        "SELECT name, status, error_code, error FROM sources WHERE document_id = :id ORDER BY name"),
        {"id": doc_id})]
    d["mentions"] = []
    for m in conn.execute(sql("SELECT m.id, m.idx, m.event_id, m.data, e.status FROM mentions m"
                              " LEFT JOIN events e ON e.id = m.event_id WHERE m.document_id = :id"
                              " ORDER BY m.idx"), {"id": doc_id}):
        data = json.loads(m.data)
        data.update(mention_id=m.id, idx=m.idx, event_id=m.event_id, event_status=m.status)
        d["mentions"].append(data)
    return d


def list_documents(conn, f: Filters, clearance: str, *, limit=50, offset=0,
                   status: str | None = None) -> tuple[list[dict], int]:
    args: dict = {"limit": limit, "offset": offset}
    w = [f"d.access IN {levels_sql(clearance)}"]
    fts = fts_query(f.q) if f.q else None
    if status:
        w.append("d.status = :status"); args["status"] = status
    if f.language:
        w.append("d.language = :language"); args["language"] = f.language
    if f.date_from:
        w.append("d.date >= :date_from"); args["date_from"] = f.date_from
    if f.date_to:
        w.append("d.date <= :date_to"); args["date_to"] = f.date_to + "\uffff"
    if f.source:
        w.append("(d.name LIKE :source_like ESCAPE '\\' OR json_extract(d.meta, '$.source') = :source)")
        args["source"] = f.source
        args["source_like"] = f.source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sub = mention_conditions(Filters(type=f.type, country=f.country, place=f.place, actor=f.actor,
                                     min_killed=f.min_killed, min_injured=f.min_injured,
                                     min_detained=f.min_detained, min_participants=f.min_participants),
                             args)
    if fts:
        plain = len(w) == 1 and not sub
        ids, total = search_documents(conn, f, fts, " AND ".join(w), sub, args, limit, offset, plain)
        if not ids:
            return [], total
        marks = ",".join(str(int(i)) for i in ids)
        rows = {r.id: dict(r._mapping) for r in conn.execute(sql(
            f"SELECT {DOC_COLS}, (SELECT lemmas FROM doc_fts WHERE doc_fts.rowid = d.id) AS stream, d.text"
            f" FROM documents d WHERE d.id IN ({marks})"))}
        return [rows[i] for i in ids if i in rows], total
    if sub:
        w.append("EXISTS (SELECT 1 FROM mentions m WHERE m.document_id = d.id AND " + " AND ".join(sub) + ")")
    where = " AND ".join(w)
    total = capped_count(conn, f"FROM documents d WHERE {where}", args)
    q = (f"SELECT {DOC_COLS} FROM documents d WHERE d.id IN (SELECT d.id FROM documents d WHERE {where}"
         " ORDER BY d.id LIMIT :limit OFFSET :offset) ORDER BY d.id")
    return [dict(r._mapping) for r in conn.execute(sql(q), args)], total


# ------------------------------------------------------------------ entities

ENTITY_KINDS = ("person", "organization", "group", "place")


def _entity_rows(kind: str) -> tuple[str, str]:
    if kind == "place":
        return ("coalesce(json_extract(m.data, '$.place.name_en'), json_extract(m.data, '$.place.name'))",
                "json_extract(m.data, '$.place') IS NOT NULL")
    return "json_extract(a.value, '$.name')", "json_extract(a.value, '$.kind') = :kind"


def list_entities(conn, clearance: str, kind: str | None = None, q: str | None = None,
                  limit=100, offset=0) -> tuple[list[dict], int]:
    parts, args = [], {"limit": limit, "offset": offset}
    base = (f"FROM mentions m JOIN documents d ON d.id = m.document_id JOIN events e ON e.id = m.event_id"
            f" WHERE d.status = 'extracted' AND d.access IN {levels_sql(clearance)} AND e.status != 'rejected'")
    for k in ([kind] if kind else ENTITY_KINDS):
        if k == "place":
            name, _ = _entity_rows("place")
            parts.append(f"SELECT 'place' AS kind, {name} AS name, m.event_id AS eid {base}"
                         " AND json_extract(m.data, '$.place') IS NOT NULL")
        else:
            parts.append(f"SELECT json_extract(a.value, '$.kind') AS kind, json_extract(a.value, '$.name') AS name,"
                         f" m.event_id AS eid FROM mentions m JOIN documents d ON d.id = m.document_id"
                         f" JOIN events e ON e.id = m.event_id, json_each(m.data, '$.actors') a"
                         f" WHERE d.status = 'extracted' AND d.access IN {levels_sql(clearance)}"
                         f" AND e.status != 'rejected' AND json_extract(a.value, '$.kind') = '{k}'")
    inner = " UNION ALL ".join(parts)
    having = ""
    if q:
        having = " WHERE instr(lower(name), lower(:q)) > 0"; args["q"] = q
    grouped = f"SELECT kind, name, count(DISTINCT eid) AS events FROM ({inner}){having} GROUP BY kind, name"
    total = conn.execute(sql(f"SELECT count(*) FROM ({grouped})"), args).scalar_one()
    rows = conn.execute(sql(f"{grouped} ORDER BY events DESC, name LIMIT :limit OFFSET :offset"), args)
    return [dict(r._mapping) for r in rows if r.name], total


def entity_event_ids(conn, kind: str, name: str, clearance: str, limit=200) -> list[str]:
    args = {"name": name, "limit": limit}
    lv = levels_sql(clearance)
    if kind == "place":
        cond = ("(json_extract(m.data, '$.place.name_en') = :name OR"
                " (json_extract(m.data, '$.place.name_en') IS NULL AND json_extract(m.data, '$.place.name') = :name))")
    else:
        cond = ("EXISTS (SELECT 1 FROM json_each(m.data, '$.actors') a WHERE json_extract(a.value, '$.name') = :name"
                " AND json_extract(a.value, '$.kind') = :kind)")
        args["kind"] = kind
    return list(conn.execute(sql(
        f"SELECT DISTINCT e.id, e.date_start FROM mentions m JOIN documents d ON d.id = m.document_id"
        f" JOIN events e ON e.id = m.event_id WHERE d.status = 'extracted' AND d.access IN {lv}"
        f" AND e.status != 'rejected' AND {cond} ORDER BY e.date_start IS NULL, e.date_start LIMIT :limit"), args).scalars())
