"""Persistence of mentions and events: what extraction and linking read and write."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Iterable, Iterator

from sqlalchemy import delete, select, update

from ..model import DocumentInput, ExtractionResult, Mention
from . import Store
from .schema import documents, events, mentions, sources

EXTRACTABLE = ("stored", "extracted")
ACCESS_RANK = {"public": 0, "restricted": 1, "confidential": 2}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def documents_to_extract(store: Store, version: str, *, force: bool = False) -> list[int]:
    from ..interop import IMPORTED_FORMATS        # rows of coded datasets carry their own events
    q = (select(documents.c.id).where(documents.c.status.in_(EXTRACTABLE))
         .where(documents.c.format.not_in(IMPORTED_FORMATS)))
    if not force:
        q = q.where((documents.c.extractor.is_(None)) | (documents.c.extractor != version))
    with store.engine.connect() as conn:
        return list(conn.execute(q.order_by(documents.c.id)).scalars())


def _country_hint(meta: dict) -> str | None:
    for key in ("country", "country_code", "страна", "країна"):
        v = meta.get(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def load_inputs(store: Store, ids: Iterable[int]) -> list[DocumentInput]:
    ids = list(ids)
    if not ids:
        return []
    cols = [documents.c.id, documents.c.name, documents.c.text, documents.c.language,
            documents.c.date, documents.c.title, documents.c.meta]
    with store.engine.connect() as conn:
        rows = conn.execute(select(*cols).where(documents.c.id.in_(ids))).all()
    out = []
    for r in sorted(rows, key=lambda r: r.id):
        try:
            meta = json.loads(r.meta) if r.meta else {}
        except ValueError:
            meta = {}
        out.append(DocumentInput(id=r.id, name=r.name, text=r.text or "", language=r.language,
                                 date=r.date, title=r.title,
                                 country_hint=_country_hint(meta if isinstance(meta, dict) else {})))
    return out


def save_extraction(store: Store, res: ExtractionResult) -> None:
    """Replace a document's mentions with ``res`` in one transaction."""
    with store.engine.begin() as conn:
        conn.execute(delete(mentions).where(mentions.c.document_id == res.doc_id))
        rows = []
        for i, m in enumerate(res.mentions):
            rows.append({
                "document_id": res.doc_id, "idx": i, "type": m.type, "subtype": m.subtype,
                "date_start": m.date.start if m.date else None,
                "date_end": m.date.end if m.date else None,
                "country": m.place.country if m.place else None,
                "data": json.dumps(m.to_dict(), ensure_ascii=False),
                "event_id": None, "extractor": res.extractor,
            })
        if rows:
            conn.execute(mentions.insert(), rows)
        conn.execute(update(documents).where(documents.c.id == res.doc_id).values(
            status="extracted", extractor=res.extractor,
            error_code="E040" if res.error else None, error=res.error, updated_at=now()))


def current_mentions(store: Store) -> Iterator[tuple[int, int, str, str, Mention]]:
    """(mention row id, document id, document name, access, Mention) for live documents."""
    q = (select(mentions.c.id, mentions.c.document_id, documents.c.name, documents.c.access, mentions.c.data)
         .join(documents, documents.c.id == mentions.c.document_id)
         .where(documents.c.status == "extracted")
         .order_by(mentions.c.document_id, mentions.c.idx))
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            yield r.id, r.document_id, r.name, r.access, Mention.from_dict(json.loads(r.data))


def clearance_levels(clearance: str) -> list[str]:
    rank = ACCESS_RANK.get(clearance, 0)
    return [k for k, v in ACCESS_RANK.items() if v <= rank]
