"""Search filters shared by search, events, timeline, map and the API, and the SQL they become.

Every query here sees only documents at or under the viewer's clearance: an event
counts only through the mentions of documents the viewer may read.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from urllib.parse import urlencode

from ..model import ACCESS_LEVELS, EVENT_TYPES, FIGURE_KINDS
from ..store.events import clearance_levels


def levels_sql(clearance: str) -> str:
    """The SQL list of access levels a clearance reads; values come only from ACCESS_LEVELS."""
    return "(" + ",".join(f"'{lv}'" for lv in clearance_levels(clearance) if lv in ACCESS_LEVELS) + ")"


def _clean(v: str | None, n: int = 200) -> str | None:
    v = (v or "").strip()
    return v[:n] or None


def _date(v: str | None) -> str | None:
    v = _clean(v, 10)
    if v and all(c.isdigit() or c == "-" for c in v):
        return v
    return None


def _count(v) -> int | None:
    try:
        n = int(str(v).strip())
    except (TypeError, ValueError):
        return None
    return n if 0 <= n < 10**9 else None


@dataclass(frozen=True, slots=True)
class Filters:
    q: str | None = None
    type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None
    place: str | None = None
    actor: str | None = None
    language: str | None = None
    source: str | None = None
    min_killed: int | None = None
    min_injured: int | None = None
    min_detained: int | None = None
    min_participants: int | None = None

    @classmethod
    def from_params(cls, p) -> "Filters":
        t = _clean(p.get("type"), 16)
        c = _clean(p.get("country"), 2)
        return cls(q=_clean(p.get("q"), 300), type=t if t in EVENT_TYPES else None,
                   date_from=_date(p.get("date_from")), date_to=_date(p.get("date_to")),
                   country=c.upper() if c and c.isalpha() else None, place=_clean(p.get("place")),
                   actor=_clean(p.get("actor")), language=_clean(p.get("language"), 8),
                   source=_clean(p.get("source")),
                   **{f"min_{k}": _count(p.get(f"min_{k}")) for k in FIGURE_KINDS})

    def params(self, **override) -> dict:
        d = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        d.update({k: v for k, v in override.items() if v is not None})
        return d

    def query_string(self, **override) -> str:
        return urlencode(self.params(**override))

    @property
    def any(self) -> bool:
        return any(getattr(self, f.name) not in (None, "") for f in fields(self))


def mention_conditions(f: Filters, args: dict, m: str = "m", d: str = "d") -> list[str]:
    """SQL conditions on a mention ``m`` of a document ``d`` for the filters (bind values into args)."""
    w = []
    if f.type:
        w.append(f"{m}.type = :type"); args["type"] = f.type
    if f.country:
        w.append(f"{m}.country = :country"); args["country"] = f.country
    if f.date_from:
        w.append(f"{m}.date_start >= :date_from"); args["date_from"] = f.date_from
    if f.date_to:
        w.append(f"{m}.date_start <= :date_to"); args["date_to"] = f.date_to + "\uffff"
    if f.place:
        w.append(f"(json_extract({m}.data, '$.place.name') = :place OR json_extract({m}.data, '$.place.name_en') = :place)")
        args["place"] = f.place
    if f.actor:
        w.append(f"EXISTS (SELECT 1 FROM json_each({m}.data, '$.actors') a WHERE json_extract(a.value, '$.name') = :actor)")
        args["actor"] = f.actor
    if f.language:
        w.append(f"{d}.language = :language"); args["language"] = f.language
    if f.source:
        w.append(f"({d}.name LIKE :source_like ESCAPE '\\' OR json_extract({d}.meta, '$.source') = :source)")
        args["source"] = f.source
        args["source_like"] = f.source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for k in FIGURE_KINDS:
        n = getattr(f, f"min_{k}")
        if n is not None:
            w.append(f"EXISTS (SELECT 1 FROM json_each({m}.data, '$.figures') fg WHERE json_extract(fg.value, '$.kind') = '{k}'"
                     f" AND max(coalesce(json_extract(fg.value, '$.low'), 0), coalesce(json_extract(fg.value, '$.high'), 0)) >= :min_{k})")
            args[f"min_{k}"] = n
    return w


def visible_event_sql(f: Filters, clearance: str, fts: str | None, args: dict,
                      statuses: tuple[str, ...] = ("machine", "accepted")) -> str:
    """WHERE clause for events ``e`` the viewer may see that match the filters.

    Without filters, ``events.access`` (the least restrictive source, kept by linking and review)
    decides; with filters, the event must have a visible mention that matches them, so nothing
    is ever found through a report the viewer may not read.
    """
    st = ",".join(f"'{s}'" for s in statuses if s in ("machine", "accepted", "rejected"))
    lv = levels_sql(clearance)
    where = f"e.status IN ({st}) AND e.access IN {lv}"
    conds = mention_conditions(f, args)
    vis = f"d.status = 'extracted' AND d.access IN {lv}" + "".join(" AND " + c for c in conds)
    if fts:      # an event matches by what its visible mentions say: type, place, actors, demands, quotes
        args["fts"] = fts
        where += (f" AND e.id IN (SELECT m.event_id FROM mention_fts JOIN mentions m ON m.id = mention_fts.rowid"
                  f" JOIN documents d ON d.id = m.document_id WHERE mention_fts MATCH :fts AND {vis})")
    elif conds:
        where += (f" AND e.id IN (SELECT m.event_id FROM mentions m JOIN documents d ON d.id = m.document_id"
                  f" WHERE {vis})")
    return where
