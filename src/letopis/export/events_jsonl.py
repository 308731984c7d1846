"""The `events-jsonl` export: one canonical event per line, as ../shared/spec/EVENTS.md defines.

The canonical view is computed from the mentions the reader is cleared to see, so
an event known only from confidential documents never appears for a public reader,
and its figures are never reconciled from reports the reader may not see.
"""
from __future__ import annotations

import json
from itertools import groupby
from typing import IO, Iterator

from sqlalchemy import func, select

from ..link.reconcile import SourcedMention, canonical_view
from ..model import Mention
from ..store import Store
from ..store.events import clearance_levels
from ..store.schema import documents, events, mentions

# keys of the export; `types` and `figure_reports` are letopis extensions kept beside them
EXPORT_KEYS = ("id", "type", "subtype", "types", "date", "place", "actors", "figures",
               "figure_reports", "demands", "mentions")


def iter_events(store: Store, *, clearance: str = "public", type: str | None = None,
                country: str | None = None, date_from: str | None = None,
                date_to: str | None = None, event_id: str | None = None) -> Iterator[dict]:
    """Canonical events visible at ``clearance``, streamed in the order they were first reported:
    by the first document that tells each (in ingest order), then by place in its text."""
    first = (select(mentions.c.event_id.label("eid"),
                    func.min(mentions.c.document_id * 1_000_000 + mentions.c.idx).label("pos"))
             .group_by(mentions.c.event_id).subquery())
    q = (select(mentions.c.event_id, mentions.c.data, mentions.c.document_id,
                documents.c.name, documents.c.access)
         .join(documents, documents.c.id == mentions.c.document_id)
         .join(events, events.c.id == mentions.c.event_id)
         .join(first, first.c.eid == mentions.c.event_id)
         .where(documents.c.status == "extracted")
         .where(documents.c.access.in_(clearance_levels(clearance)))
         .where(events.c.status != "rejected"))
    if type:
        q = q.where(events.c.type == type)
    if country:
        q = q.where(events.c.country == country.upper())
    if date_from:
        q = q.where(events.c.date_start >= date_from)
    if date_to:
        q = q.where(events.c.date_start <= date_to + "\uffff")
    if event_id:
        q = q.where(events.c.id == event_id)
    q = q.order_by(first.c.pos, events.c.id,
                   mentions.c.document_id, mentions.c.idx)
    from ..link.decisions import decorate, event_decisions_map
    with store.engine.connect() as conn:
        decided = event_decisions_map(conn)     # who merged, split, corrected, accepted (extra key)
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=500).execute(q)
        for eid, rows in groupby(result, key=lambda r: r.event_id):
            items = [SourcedMention(doc=r.name, doc_id=r.document_id, access=r.access,
                                    mention=Mention.from_dict(json.loads(r.data))) for r in rows]
            view = canonical_view(eid, items)
            yield decorate({k: view[k] for k in EXPORT_KEYS}, decided.get(eid, []), clearance)


def write_events_jsonl(store: Store, out: IO[str], *, clearance: str = "public", **filters) -> int:
    """Write the export to a text stream; returns the number of events written."""
    n = 0
    for ev in iter_events(store, clearance=clearance, **filters):
        out.write(json.dumps(ev, ensure_ascii=False) + "\n")
        n += 1
    return n
