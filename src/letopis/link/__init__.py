"""Linking: mentions from many documents → canonical events with stable ids."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, update

from ..store import Store
from ..store.events import ACCESS_RANK, current_mentions, now
from ..store.schema import events, mentions
from .cluster import Item, cluster, natural_key
from .reconcile import SourcedMention, canonical_view

__all__ = ["link_store", "LinkStats"]


@dataclass
class LinkStats:
    mentions: int = 0
    events: int = 0


def link_store(store: Store) -> LinkStats:
    """Cluster every live mention into events and write them, in one transaction."""
    rows = list(current_mentions(store))
    items, by_key = [], {}
    for row_id, doc_id, doc, access, m in rows:
        key = natural_key(doc, m)
        n = 1
        while key in by_key:            # two events told in one sentence: number them in order
            n += 1
            key = f"{natural_key(doc, m)}\x1f{n}"
        it = Item(key=key, doc=doc, mention=m)
        items.append(it)
        by_key[it.key] = (row_id, SourcedMention(doc=doc, doc_id=doc_id, access=access, mention=m))
    clusters = cluster(items)
    stamp = now()
    event_rows, assign = [], []
    for eid, group in clusters.items():
        sms = [by_key[it.key][1] for it in group]
        view = canonical_view(eid, sms)
        place = view["place"] or {}
        access = min((sm.access for sm in sms), key=lambda a: ACCESS_RANK.get(a, 0))
        event_rows.append({
            "id": eid, "type": view["type"], "subtype": view["subtype"],
            "date_start": view["date"]["start"], "date_end": view["date"]["end"],
            "country": place.get("country"), "place": json.dumps(view["place"], ensure_ascii=False),
            "lat": place.get("lat"), "lon": place.get("lon"),
            "actors": json.dumps(view["actors"], ensure_ascii=False),
            "figures": json.dumps(view["figures"], ensure_ascii=False),
            "demands": json.dumps(view["demands"], ensure_ascii=False),
            "types": json.dumps(view["types"], ensure_ascii=False),
            "access": access, "status": "machine", "updated_at": stamp,
        })
        for it in group:
            assign.append((by_key[it.key][0], eid))
    with store.engine.begin() as conn:
        conn.execute(update(mentions).values(event_id=None))
        conn.execute(delete(events))
        if event_rows:
            conn.execute(events.insert(), event_rows)
        for row_id, eid in assign:
            conn.execute(update(mentions).where(mentions.c.id == row_id).values(event_id=eid))
    return LinkStats(mentions=len(items), events=len(clusters))
