"""The `ftm` export: FollowTheMoney 3.x entities as JSON lines, for Aleph and OpenAleph.

Per canonical event (docs/INTEROP.md has the full table):

    Event          name, date / startDate / endDate, location, country, summary, keywords,
                   involved (every actor), organizer, addressEntity, recordId = our event id
    Person / Organization / LegalEntity   each actor (by its kind: person, organization, group)
    Address        the place: full, city or region, country, latitude, longitude
    Article        each source document: title, fileName, publishedAt, language
    Documentation  document (Article) -> entity (Event), role "source", summary = the evidence
    UnknownLink    subject (actor) -> object (Event), role = our actor role

Ids are ``make_id`` hashes of natural keys (our event id, the actor's kind and name, the
document name), so re-exports give the same ids. Aleph rewrites ids on load, so our own id
rides along in ``recordId`` (Event, Documentation, UnknownLink) and in the Article's fileName.
Every property value is checked on the way in (a value the schema would silently drop is an
error), and every entity is validated by its schema before it is written. Shared entities
(actors, places, documents) are written once per export; the set of ids written, and the
title/date/language of the visible documents, are held in memory for the run.
"""
from __future__ import annotations

import json
from typing import IO, Iterator

from followthemoney import model
from followthemoney.proxy import EntityProxy
from sqlalchemy import select

from ..interop.places import info_of
from ..interop.stats import ExportStats
from ..store import Store
from ..store.events import clearance_levels
from ..store.schema import documents
from .events_jsonl import iter_events

ACTOR_SCHEMA = {"person": "Person", "organization": "Organization", "group": "LegalEntity"}
PREFIX = "letopis"


class FtmValueError(ValueError):
    """A value the FollowTheMoney schema does not accept."""


def put(entity: EntityProxy, prop: str, value) -> None:
    """Add a value, refusing what the schema would clean away instead of silently dropping it."""
    if value is None or value == "":
        return
    p = entity.schema.get(prop)
    if p is None or p.stub:
        raise FtmValueError(f"{entity.schema.name} has no writable property {prop!r}")
    text = value if isinstance(value, str) else str(value)
    if p.type.clean(text, proxy=entity) is None:
        raise FtmValueError(f"{entity.schema.name}.{prop}: {text!r} is not a valid {p.type.name}")
    entity.add(prop, text, quiet=False)


def entity(schema: str, *key: str) -> EntityProxy:
    e = model.make_entity(schema)
    e.make_id(PREFIX, schema, *key)
    return e


def checked(e: EntityProxy) -> dict:
    """The entity's dict, after its schema has validated it (raises InvalidData otherwise)."""
    data = e.to_dict()
    e.schema.validate(data)
    return data


def actor_entity(a: dict, country: str | None) -> EntityProxy:
    kind = a.get("kind") or "group"
    schema = ACTOR_SCHEMA.get(kind, "LegalEntity")
    # a group ("police", "strikers") is a different group in each country; persons and
    # organizations are one entity wherever they appear
    key = (kind, a["name"].lower()) + ((country or "",) if kind == "group" else ())
    e = entity(schema, *key)
    put(e, "name", a["name"])
    if country and kind == "group":
        put(e, "country", country.lower())
    return e


def place_entity(place: dict) -> EntityProxy:
    info = info_of(place)
    key = (place.get("name_en") or place["name"], place.get("country") or "",
           f"{place.get('lat')}", f"{place.get('lon')}")
    e = entity("Address", *key)
    names = [place.get("name")] + ([place["name_en"]] if place.get("name_en") not in (None, place.get("name")) else [])
    put(e, "full", " / ".join(n for n in names if n))
    put(e, "city" if info.kind == "city" else "region" if info.kind == "region" else "summary",
        place.get("name_en") or place.get("name"))
    if info.admin1 and info.kind == "city":
        put(e, "region", info.admin1)
    if place.get("country"):
        put(e, "country", place["country"].lower())
    if place.get("lat") is not None and place.get("lon") is not None:
        put(e, "latitude", place["lat"])
        put(e, "longitude", place["lon"])
    return e


def document_meta(store: Store, clearance: str) -> dict[str, dict]:
    """name -> title, date, language of the live documents ``clearance`` may see (one query)."""
    q = (select(documents.c.name, documents.c.title, documents.c.date, documents.c.language)
         .where(documents.c.status == "extracted", documents.c.access.in_(clearance_levels(clearance)))
         .order_by(documents.c.id))
    with store.engine.connect() as conn:
        return {r.name: {"title": r.title, "date": r.date, "language": r.language} for r in conn.execute(q)}


def article_entity(name: str, meta: dict) -> EntityProxy:
    e = entity("Article", name)
    put(e, "name", meta.get("title") or name)
    put(e, "title", meta.get("title"))
    put(e, "fileName", name)
    put(e, "publishedAt", meta.get("date"))
    lang = meta.get("language")
    if lang and model.get("Article").get("language").type.clean(lang):
        put(e, "language", lang)
    return e


def event_name(ev: dict) -> str:
    what = ev["type"] + (f" ({ev['subtype']})" if ev["subtype"] else "")
    place = ev["place"] or {}
    where = place.get("name_en") or place.get("name")
    return " — ".join(x for x in (what, where, ev["date"]["start"]) if x)


def event_entities(ev: dict, meta: dict[str, dict], seen: set[str]) -> Iterator[EntityProxy]:
    """The entities of one event; shared ones only when not already in ``seen``."""
    eid, place = ev["id"], ev["place"] or {}
    country = place.get("country")
    e = entity("Event", eid)
    put(e, "name", event_name(ev))
    put(e, "recordId", eid)
    put(e, "keywords", ev["type"])
    put(e, "keywords", ev["subtype"])
    start, end = ev["date"]["start"], ev["date"]["end"]
    put(e, "date", start)
    put(e, "startDate", start)
    put(e, "endDate", end)
    if country:
        put(e, "country", country.lower())
    parts = [f"{k}: {f.get('low')}–{f.get('high')} (best {f.get('best')})" for k, f in ev["figures"].items()]
    parts += [f"demand ({d['category']}): {d['text']}" for d in ev["demands"]]
    put(e, "summary", "; ".join(parts))
    shared: list[EntityProxy] = []
    if place:
        pe = place_entity(place)
        put(e, "location", place.get("name_en") or place.get("name"))
        put(e, "addressEntity", pe.id)
        shared.append(pe)
    links = []
    for a in ev["actors"]:
        ae = actor_entity(a, country)
        shared.append(ae)
        put(e, "involved", ae.id)
        if a["role"] == "organizer":
            put(e, "organizer", ae.id)
        link = entity("UnknownLink", eid, ae.id, a["role"])
        put(link, "subject", ae.id)
        put(link, "object", e.id)
        put(link, "role", a["role"])
        put(link, "recordId", eid)
        links.append(link)
    docs = []
    for doc in dict.fromkeys(m["doc"] for m in ev["mentions"]):
        art = entity("Article", doc)
        if art.id not in seen:
            art = article_entity(doc, meta.get(doc) or {})
        shared.append(art)
        d = entity("Documentation", eid, doc)
        put(d, "document", art.id)
        put(d, "entity", e.id)
        put(d, "role", "source")
        put(d, "recordId", eid)
        put(d, "date", start)
        quotes = [sp["text"] for m in ev["mentions"] if m["doc"] == doc for sp in m["evidence"]]
        put(d, "summary", " … ".join(" ".join(q.split()) for q in quotes))
        docs.append(d)
    for s in shared:
        if s.id not in seen:
            seen.add(s.id)
            yield s
    yield e
    yield from links
    yield from docs


def write(store: Store, out: IO[str], *, clearance: str = "public", stats: ExportStats | None = None,
          **filters) -> int:
    """Write FtM entities as JSON lines; returns the number of events (``stats`` counts them too)."""
    stats = stats if stats is not None else ExportStats()
    seen: set[str] = set()
    meta = document_meta(store, clearance)
    for ev in iter_events(store, clearance=clearance, **filters):
        for ent in event_entities(ev, meta, seen):
            out.write(json.dumps(checked(ent), ensure_ascii=False, sort_keys=True) + "\n")
        stats.written += 1
    return stats.written
