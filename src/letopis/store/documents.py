"""Persistence of documents and their sources: what ingest writes and the CLI lists.

A document is one distinct content (identity: its sha256); a source is one path
(or archive record) and says which document it holds now, or why it failed.
Writers take a ``Connection`` inside the caller's transaction, so one file is
stored atomically; readers take the ``Store``.

Document status: ``stored`` → ``extracted`` (by extraction), ``failed`` (bytes
kept, no usable text), ``superseded`` (an edited file replaced it and no source
holds it any more).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import Connection, bindparam, func, select, update

from ..errors import NotFoundError
from . import Store
from .schema import documents, events, mentions, sources

LIVE = ("stored", "extracted")
ACCESS_RANK = {"public": 0, "restricted": 1, "confidential": 2}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ----------------------------------------------------------------- writers (inside a transaction)

# Statements built once: ingest runs them for every file.
_SOURCE_BY_PATH = select(sources).where(sources.c.path == bindparam("path"))
_DOC_BY_SHA = select(documents.c.id, documents.c.status, documents.c.extractor, documents.c.access,
                     documents.c.meta).where(documents.c.sha256 == bindparam("sha"))
_SOURCES_HOLDING = (select(func.count()).select_from(sources)
                    .where(sources.c.document_id == bindparam("doc_id")))


def get_source(conn: Connection, path: str):
    return conn.execute(_SOURCE_BY_PATH, {"path": path}).first()


@dataclass(frozen=True, slots=True)
class DocRef:
    id: int
    status: str
    extractor: str | None
    access: str
    declares_access: bool          # its own metadata sets the access level


def find_document(conn: Connection, sha256: str) -> DocRef | None:
    r = conn.execute(_DOC_BY_SHA, {"sha": sha256}).first()
    if r is None:
        return None
    try:
        meta = json.loads(r.meta) if r.meta else {}
    except ValueError:
        meta = {}
    declares = isinstance(meta, dict) and meta.get("access") not in (None, "")
    return DocRef(r.id, r.status, r.extractor, r.access, declares)


def insert_document(conn: Connection, **fields) -> int:
    stamp = now()
    fields.setdefault("created_at", stamp)
    fields.setdefault("updated_at", stamp)
    if isinstance(fields.get("meta"), dict):
        fields["meta"] = json.dumps(fields["meta"], ensure_ascii=False, sort_keys=True)
    return conn.execute(documents.insert(), fields).inserted_primary_key[0]


def update_document(conn: Connection, doc_id: int, **fields) -> None:
    if isinstance(fields.get("meta"), dict):
        fields["meta"] = json.dumps(fields["meta"], ensure_ascii=False, sort_keys=True)
    fields["updated_at"] = now()
    conn.execute(update(documents).where(documents.c.id == doc_id).values(**fields))


def revive_document(conn: Connection, doc) -> None:
    """A superseded document that a source holds again becomes live again."""
    if doc.status == "superseded":
        update_document(conn, doc.id, status="extracted" if doc.extractor else "stored")


def raise_access(conn: Connection, doc, access: str) -> bool:
    """Make a document at least as restricted as ``access``; never loosens. True if changed."""
    if ACCESS_RANK.get(access, 2) > ACCESS_RANK.get(doc.access, 2):
        update_document(conn, doc.id, access=access)
        return True
    return False


_UNSET = object()


def put_source(conn: Connection, path: str, name: str, document_id: int | None,
               status: str, error_code: str | None = None, error: str | None = None,
               *, current=_UNSET) -> bool:
    """Insert or update the source at ``path``; writes nothing when nothing differs. True if written.

    ``current`` is the source row when the caller has just read it (saves a query)."""
    row = get_source(conn, path) if current is _UNSET else current
    values = {"name": name, "document_id": document_id, "status": status,
              "error_code": error_code, "error": error}
    if row is None:
        conn.execute(sources.insert(), {"path": path, "updated_at": now(), **values})
        return True
    if all(getattr(row, k) == v for k, v in values.items()):
        return False
    conn.execute(update(sources).where(sources.c.id == row.id).values(updated_at=now(), **values))
    return True


def supersede_if_orphaned(conn: Connection, doc_id: int | None) -> None:
    """Mark a document superseded when no source holds it any more."""
    if doc_id is None:
        return
    held = conn.execute(_SOURCES_HOLDING, {"doc_id": doc_id}).scalar_one()
    if not held:
        row = conn.execute(select(documents.c.status).where(documents.c.id == doc_id)).first()
        if row is not None and row.status in LIVE:
            update_document(conn, doc_id, status="superseded")


# ----------------------------------------------------------------- readers

_LIST_COLS = (documents.c.id, documents.c.name, documents.c.format, documents.c.status,
              documents.c.language, documents.c.access, documents.c.date, documents.c.title,
              documents.c.error_code, documents.c.error, documents.c.meta_error,
              documents.c.previous_id, documents.c.extractor)


def list_documents(store: Store, *, status: str | None = None) -> Iterator[dict]:
    """Every document, oldest first, without its text and bytes."""
    q = select(*_LIST_COLS).order_by(documents.c.id)
    if status:
        q = q.where(documents.c.status == status)
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            yield dict(r._mapping)


def failed_sources(store: Store) -> Iterator[dict]:
    """Every path or record that could not be stored, with its reason."""
    q = (select(sources.c.id, sources.c.path, sources.c.name, sources.c.document_id,
                sources.c.error_code, sources.c.error)
         .where(sources.c.status == "failed").order_by(sources.c.name))
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            yield dict(r._mapping)


def get_document(store: Store, doc_id: int) -> dict:
    """One document with its text, bytes, metadata and the paths that hold it."""
    with store.engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}",
                                hint="`letopis docs` lists the ids in this store")
        paths = list(conn.execute(select(sources.c.name).where(sources.c.document_id == doc_id)
                                  .order_by(sources.c.name)).scalars())
    d = dict(row._mapping)
    try:
        d["meta"] = json.loads(d["meta"]) if d["meta"] else {}
    except ValueError:
        d["meta"] = {}
    d["sources"] = paths
    return d


def store_stats(store: Store) -> dict:
    """Counts for `letopis stats`: documents by status, format, language, access; sources; mentions; events."""
    out: dict = {}
    with store.engine.connect() as conn:
        for col in ("status", "format", "language", "access"):
            c = documents.c[col]
            rows = conn.execute(select(c, func.count()).group_by(c).order_by(c)).all()
            out[f"documents_by_{col}"] = {str(k): n for k, n in rows}
        out["documents"] = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        out["sources"] = conn.execute(select(func.count()).select_from(sources)).scalar_one()
        out["failed_sources"] = conn.execute(select(func.count()).select_from(sources)
                                             .where(sources.c.status == "failed")).scalar_one()
        out["mentions"] = conn.execute(select(func.count()).select_from(mentions)).scalar_one()
        out["events"] = conn.execute(select(func.count()).select_from(events)).scalar_one()
    return out
