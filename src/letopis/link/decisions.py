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
