"""Entities: people, organisations and places resolved across inflections, scripts and languages.

A person is keyed by the transliteration key of the surname, an organisation by the key of
its whole name (``link.translit``); a place by its gazetteer geonameid, else by the key of
its English or own name. Extraction gives actors in the nominative, so "Назарбаева",
"Nursultan Nazarbayev" and "Назарбаєв" meet at "nazarbaev", and "Жанаозене" and "Zhanaozen"
at one geonameid. Each entity lists the events it takes part in, with its role there and the
name the sources wrote (its aliases).
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select

from ..model import Mention
from ..store.schema_link import entities, entity_events
from .translit import actor_key, name_key

KINDS = ("person", "organization", "place")


@dataclass(frozen=True, slots=True)
class EntityRef:
    kind: str
    key: str
    role: str
    alias: str

    @property
    def id(self) -> str:
        return entity_id(self.kind, self.key)


def entity_id(kind: str, key: str) -> str:
    return "ent-" + hashlib.sha1(f"{kind}\x1f{key}".encode("utf-8")).hexdigest()[:12]


def place_key(place) -> str | None:
    if place is None:
        return None
    if place.geonameid:
        return f"geo:{place.geonameid}"
    k = name_key(place.name_en or place.name)
    return f"name:{place.country or ''}:{k}" if k else None


def mention_entities(m: Mention) -> list[EntityRef]:
    out = []
    for a in m.actors:
        if a.kind not in ("person", "organization"):
            continue
        k = actor_key(a.name, a.kind)
        if k:
            out.append(EntityRef(a.kind, k, a.role, a.name))
    pk = place_key(m.place)
    if pk:
        out.append(EntityRef("place", pk, "place", m.place.name_en or m.place.name))
        if m.place.name_en and m.place.name and m.place.name != m.place.name_en:
            out.append(EntityRef("place", pk, "place", m.place.name))
    return out


def write_entities(conn, event_refs: dict[str, list[EntityRef]]) -> None:
    """Replace the entity links of these events (their entities created as needed)."""
    ids = list(event_refs)
    for i in range(0, len(ids), 500):
        conn.execute(delete(entity_events).where(entity_events.c.event_id.in_(ids[i:i + 500])))
    rows, ents = [], {}
    for eid, refs in event_refs.items():
        for r in dict.fromkeys(refs):
            rows.append({"entity_id": r.id, "event_id": eid, "role": r.role, "alias": r.alias})
            ents[r.id] = {"id": r.id, "kind": r.kind, "key": r.key}
    if ents:
        known = set()
        keys = list(ents)
        for i in range(0, len(keys), 500):
            known.update(conn.execute(select(entities.c.id).where(entities.c.id.in_(keys[i:i + 500]))).scalars())
        new = [v for k, v in ents.items() if k not in known]
        if new:
            conn.execute(entities.insert(), new)
    if rows:
        conn.execute(entity_events.insert(), rows)


def drop_orphans(conn) -> None:
    conn.execute(delete(entities).where(entities.c.id.not_in(select(entity_events.c.entity_id))))


def canonical_name(aliases: list[str]) -> str:
    """The name most events use; ties go to a Latin spelling, then the shortest."""
    counts = Counter(aliases)
    return min(counts, key=lambda a: (-counts[a], not a.isascii(), len(a), a)) if counts else ""


def list_entities(store, *, kind: str | None = None, q: str | None = None,
                  event_ids: list[str] | None = None, visible: set[str] | None = None) -> list[dict]:
    """Entities with their aliases and events (only events in ``visible`` when given)."""
    query = (select(entities.c.id, entities.c.kind, entities.c.key, entity_events.c.event_id,
                    entity_events.c.role, entity_events.c.alias)
             .join(entity_events, entity_events.c.entity_id == entities.c.id))
    if kind:
        query = query.where(entities.c.kind == kind)
    if event_ids is not None:
        query = query.where(entity_events.c.event_id.in_(event_ids))
    want = None
    if q:
        want = {actor_key(q, "person"), name_key(q), f"geo:{q}" if q.isdigit() else ""} - {""}
    by: dict[str, dict] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(query.order_by(entities.c.id)):
            if visible is not None and r.event_id not in visible:
                continue
            e = by.setdefault(r.id, {"id": r.id, "kind": r.kind, "key": r.key, "aliases": [],
                                     "events": {}})
            e["aliases"].append(r.alias)
            e["events"].setdefault(r.event_id, set()).add(r.role)
    out = []
    for e in by.values():
        if want is not None:
            names = {name_key(a) for a in e["aliases"]} | {e["key"], e["key"].split(":")[-1]}
            if not (want & names or any(q.lower() in a.lower() for a in e["aliases"])):
                continue
        e["name"] = canonical_name(e["aliases"])
        e["aliases"] = sorted(set(e["aliases"]))
        e["events"] = [{"event": k, "roles": sorted(v)} for k, v in sorted(e["events"].items())]
        out.append(e)
    out.sort(key=lambda e: (e["kind"], -len(e["events"]), e["name"]))
    return out
