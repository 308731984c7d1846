"""Human decisions that linking keeps: merge, split, correct, accept, reject (``decisions`` table).

A decision names mentions by their stable natural keys (document name, type, first evidence
offset), never by row ids, so it survives re-extraction and re-linking. After clustering,
``Decisions.apply`` replays them in the order they were made: a split takes its mentions out
into their own event, a merge unites the events holding its mentions, and an event a person
has decided on keeps the id they saw. Statuses (accepted / rejected) and field corrections
then follow the event that holds most of the decision's mentions.

The CLI (``letopis merge|split|correct``) and the web review (``serve.review``) write the
same rows: target ``{"event", "mentions", "other", "other_mentions", "new_event"}`` and
payload ``{"status"}`` or ``{"field", "value", "access"}``.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from ..store.schema import decisions as decisions_table
from .cluster import Item, event_id

FIELDS = ("type", "subtype", "date_start", "date_end", "place_name", "country", "lat", "lon")
FIGURE_FIELDS = tuple(f"figure.{k}" for k in ("killed", "injured", "detained", "participants"))


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    kind: str
    target: dict
    payload: dict
    who: str
    created_at: str

    @property
    def keys(self) -> list[str]:
        return list(self.target.get("mentions") or []) + list(self.target.get("other_mentions") or [])

    def summary(self) -> dict:
        d = {"kind": self.kind, "who": self.who, "at": self.created_at}
        if self.kind == "correct":
            d.update(field=self.payload.get("field"), value=self.payload.get("value"))
        elif self.kind in ("accept", "reject", "reopen"):
            d["status"] = self.payload.get("status")
        return d


def base_key(key: str) -> str:
    """A numbered key (two events told in one sentence) → the natural key the web records."""
    parts = key.split("\x1f")
    return "\x1f".join(parts[:3])


def load_decisions(conn) -> list[Decision]:
    rows = conn.execute(select(decisions_table).order_by(decisions_table.c.id)).all()
    out = []
    for r in rows:
        try:
            t, p = json.loads(r.target or "{}"), json.loads(r.payload or "{}")
        except ValueError:
            continue
        if isinstance(t, dict) and isinstance(p, dict):
            out.append(Decision(r.id, r.kind, t, p, r.who, r.created_at))
    return out


class Decisions:
    """Every decision, ready to be applied to the clusters of one linking run."""

    def __init__(self, decisions: list[Decision]):
        self.all = decisions
        self.by_key: dict[str, list[Decision]] = {}
        for d in decisions:
            for k in d.keys:
                self.by_key.setdefault(k, []).append(d)
        self.resolved: dict[int, str] = {}      # decision id → event id it applies to

    def related_keys(self, key: str) -> set[str]:
        """Keys tied to ``key`` by a decision: linking must re-cluster them together."""
        out: set[str] = set()
        for d in self.by_key.get(base_key(key), ()) + self.by_key.get(key, ()):
            out.update(d.keys)
        return out

    def apply(self, groups: list[list[Item]]) -> dict[str, list[Item]]:
        where: dict[str, int] = {}
        for gi, g in enumerate(groups):
            for it in g:
                where[it.key] = gi
                where.setdefault(base_key(it.key), gi)
        groups = [list(g) for g in groups]

        def find(keys) -> list[int]:
            return [where[k] for k in keys if k in where]

        for d in self.all:
            if d.kind == "split":
                moving = find(d.target.get("mentions") or [])
                keys = set(d.target.get("mentions") or [])
                taken = [it for g in groups for it in g if it.key in keys or base_key(it.key) in keys]
                if not taken or len(moving) == 0:
                    continue
                tk = {it.key for it in taken}
                for gi in set(moving):
                    groups[gi] = [it for it in groups[gi] if it.key not in tk]
                groups.append(taken)
                for it in taken:
                    where[it.key] = len(groups) - 1
                    where[base_key(it.key)] = len(groups) - 1
            elif d.kind == "merge":
                gis = sorted(set(find(d.keys)))
                if len(gis) < 2:
                    continue
                into = gis[0]
                for gi in gis[1:]:
                    for it in groups[gi]:
                        where[it.key] = into
                        where[base_key(it.key)] = into
                    groups[into] += groups[gi]
                    groups[gi] = []
        groups = [sorted(g, key=lambda it: it.key) for g in groups if g]
        where = {}
        for gi, g in enumerate(groups):
            for it in g:
                where[it.key] = gi
                where.setdefault(base_key(it.key), gi)
        ids: list[str | None] = [None] * len(groups)
        taken: set[str] = set()
        # an event a person decided on keeps the id they saw (first decision first)
        for d in self.all:
            for want, keys in self._pins(d):
                hits = Counter(find(keys))
                if not hits or not want or want in taken:
                    continue
                gi = min(hits, key=lambda g: (-hits[g], g))
                if ids[gi] is None:
                    ids[gi] = want
                    taken.add(want)
        out: dict[str, list[Item]] = {}
        for gi, g in enumerate(groups):
            eid = ids[gi]
            if eid is None:
                eid = event_id([it.key for it in g])
                n = 1
                while eid in taken:
                    n += 1
                    eid = event_id([f"{g[0].key}\x1f#{n}"])
                taken.add(eid)
            out[eid] = g
        # which event each decision now applies to
        self.resolved = {}
        gid = {gi: eid for eid, g in out.items() for gi in [where[g[0].key]]}
        for d in self.all:
            hits = Counter(find(d.target.get("mentions") or []))
            if hits:
                self.resolved[d.id] = gid[min(hits, key=lambda g: (-hits[g], g))]
            elif d.target.get("event") in out:
                self.resolved[d.id] = d.target["event"]
        return out

    @staticmethod
    def _pins(d: Decision):
        if d.kind == "split":
            yield d.target.get("new_event"), d.target.get("mentions") or []
        elif d.kind == "merge":
            yield d.target.get("event"), d.keys
        else:
            yield d.target.get("event"), d.target.get("mentions") or []

    def for_event(self, eid: str) -> list[Decision]:
        return [d for d in self.all if self.resolved.get(d.id) == eid]


def status_of(decs: list[Decision]) -> str:
    status = "machine"
    for d in decs:
        if d.kind in ("accept", "reject", "reopen"):
            status = d.payload.get("status") or {"accept": "accepted", "reject": "rejected"}.get(d.kind, "machine")
    return status


def corrections_of(decs: list[Decision], clearance_rank: int | None = None) -> dict[str, object]:
    """field → value, later corrections winning; only those a reader of ``clearance_rank`` may see."""
    from ..store.events import ACCESS_RANK
    out: dict[str, object] = {}
    for d in decs:
        if d.kind != "correct":
            continue
        if clearance_rank is not None and ACCESS_RANK.get(d.payload.get("access"), 2) > clearance_rank:
            continue
        out[d.payload.get("field")] = d.payload.get("value")
    return out


def apply_corrections(view: dict, fixes: dict) -> dict:
    """Corrected canonical fields of an events-jsonl view (the mentions stay as their documents say)."""
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
        elif field in FIGURE_FIELDS and isinstance(value, dict):
            figures = dict(view.get("figures") or {})
            figures[field.split(".", 1)[1]] = value
            view["figures"] = figures
    return view


# ------------------------------------------------------------ recording decisions (CLI)

def event_decisions_map(conn) -> dict[str, list[Decision]]:
    """event id → the decisions linking resolved to it, oldest first."""
    from ..store.schema_link import event_decisions
    ids = dict(conn.execute(select(event_decisions.c.decision_id, event_decisions.c.event_id)).all())
    out: dict[str, list[Decision]] = {}
    for d in load_decisions(conn):
        eid = ids.get(d.id)
        if eid:
            out.setdefault(eid, []).append(d)
    return out


def decorate(view: dict, decs: list[Decision], clearance: str) -> dict:
    """Corrections a reader at ``clearance`` may see, and the extra key ``decisions`` (who decided what)."""
    from ..store.events import ACCESS_RANK
    rank = ACCESS_RANK.get(clearance, 0)
    apply_corrections(view, corrections_of(decs, rank))
    view["decisions"] = [d.summary() for d in decs
                         if d.kind != "correct" or ACCESS_RANK.get(d.payload.get("access"), 2) <= rank]
    return view


def _event_members(conn, eid: str) -> list:
    from ..store.schema import documents, mentions
    from ..store.schema_link import link_members
    return conn.execute(
        select(mentions.c.id, mentions.c.idx, documents.c.name, documents.c.access, link_members.c.key)
        .join(documents, documents.c.id == mentions.c.document_id)
        .join(link_members, link_members.c.mention_id == mentions.c.id)
        .where(mentions.c.event_id == eid).order_by(mentions.c.document_id, mentions.c.idx)).all()


def _insert(conn, kind: str, target: dict, payload: dict, who: str) -> None:
    from ..store.events import now
    conn.execute(decisions_table.insert().values(
        kind=kind, target=json.dumps(target, ensure_ascii=False),
        payload=json.dumps(payload, ensure_ascii=False), who=who, created_at=now()))


def _members_or_fail(conn, eid: str) -> list:
    from ..errors import NotFoundError
    rows = _event_members(conn, eid)
    if not rows:
        raise NotFoundError(f"no event {eid}", hint="see `letopis events`")
    return rows


def record_merge(store, eid: str, other: str, who: str) -> None:
    from ..errors import UsageError
    if eid == other:
        raise UsageError("an event cannot be merged with itself")
    with store.engine.begin() as conn:
        a, b = _members_or_fail(conn, eid), _members_or_fail(conn, other)
        _insert(conn, "merge", {"event": eid, "other": other, "mentions": [r.key for r in a],
                                "other_mentions": [r.key for r in b]}, {}, who)


def record_split(store, eid: str, refs: list[str], who: str) -> str:
    """Take the mentions ``DOC:IDX`` (IDX counts from 0 within the document) out into a new event."""
    from ..errors import UsageError
    with store.engine.begin() as conn:
        rows = _members_or_fail(conn, eid)
        chosen = []
        for ref in refs:
            doc, _, idx = ref.rpartition(":")
            hit = [r for r in rows if r.name == doc and str(r.idx) == idx]
            if not hit:
                raise UsageError(f"{ref} is not a mention of {eid}",
                                 hint="use DOC:IDX as `letopis show` lists them")
            chosen += hit
        if len({r.id for r in chosen}) >= len(rows):
            raise UsageError("a split must leave at least one mention in the event")
        keys = [r.key for r in chosen]
        new = event_id(keys)
        if new == eid:                  # the event was named after a mention now leaving it
            new = event_id([f"{min(keys)}\x1fsplit"])
        _insert(conn, "split", {"event": eid, "new_event": new, "mentions": keys}, {}, who)
        return new


def parse_correction(field: str, value: str):
    """CLI field names → the stored ones (as the web writes them), and the value checked."""
    import re
    from ..errors import UsageError
    from ..model import EVENT_TYPES, SUBTYPES
    field = {"date": "date_start", "place": "place_name", "date-end": "date_end"}.get(field, field)
    if field not in FIELDS + FIGURE_FIELDS:
        raise UsageError(f"field {field!r} cannot be corrected",
                         hint="one of type, subtype, date, date_end, place, country, lat, lon, figure.killed, "
                              "figure.injured, figure.detained, figure.participants")
    if field == "type" and value not in EVENT_TYPES:
        raise UsageError(f"type {value!r} is not an event type", hint=", ".join(EVENT_TYPES))
    if field == "subtype" and not any(value in s for s in SUBTYPES.values()):
        raise UsageError(f"subtype {value!r} is not known")
    if field in ("date_start", "date_end") and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise UsageError(f"date {value!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)")
    if field == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise UsageError(f"country {value!r} is not an ISO 3166-1 alpha-2 code")
        return field, value.upper()
    if field in ("lat", "lon"):
        try:
            return field, float(value)
        except ValueError:
            raise UsageError(f"{field} {value!r} is not a number") from None
    if field in FIGURE_FIELDS:
        m = re.fullmatch(r"(\d*)\s*(?:[-–]\s*(\d*))?", value.strip())
        if not m or not (m.group(1) or m.group(2)):
            raise UsageError(f"figure {value!r} is not N, N-M, N- or -M")
        low = int(m.group(1)) if m.group(1) else None
        high = int(m.group(2)) if m.group(2) else (low if m.group(2) is None else None)
        best = low if low == high else None
        return field, {"low": low, "best": best, "high": high}
    return field, value


def record_correct(store, eid: str, field: str, value: str, who: str) -> None:
    from ..store.events import ACCESS_RANK
    field, value = parse_correction(field, value)
    with store.engine.begin() as conn:
        rows = _members_or_fail(conn, eid)
        access = max((r.access for r in rows), key=lambda a: ACCESS_RANK.get(a, 0))
        _insert(conn, "correct", {"event": eid, "mentions": [r.key for r in rows]},
                {"field": field, "value": value, "access": access}, who)
