"""Linking: mentions from many documents → canonical events with stable ids.

    link_store(store)              incremental: only what new, changed or decided mentions touch
    link_store(store, full=True)   every mention re-clustered (the same result)

Ids are hashes of natural keys (``cluster.event_id``); human decisions (``decisions``) are
replayed after clustering (``link.decisions``); entities are written for every event
(``link.entities``).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..store import Store
from ..store.schema import events

__all__ = ["link_store", "LinkStats"]


@dataclass
class LinkStats:
    mentions: int = 0          # mentions re-clustered in this run
    events: int = 0            # events in the store after it
    written: int = 0           # events (re)written in this run


def link_store(store: Store, *, full: bool = False) -> LinkStats:
    """Cluster new and changed mentions into events and write them, in one transaction."""
    from .incremental import link_incremental
    n, written = link_incremental(store, full=full)
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(events)).scalar_one()
    return LinkStats(mentions=n, events=total, written=written)
