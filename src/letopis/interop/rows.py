"""What every import shares: reading a CSV, rendering a row as a text with spans, storing it.

A dataset row becomes a document whose text is a readable rendering of the row
("Label: value" lines); every mention built from the row points into that text, so its
evidence is checkable with one slice like any other document's. The document's identity is
the sha256 of the canonical row (its fields as sorted JSON), so a re-import finds it again
and changes nothing; a row whose content changed replaces the older document of its source.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import UsageError
from ..model import ExtractionResult, Mention, Span
from ..store import Store
from ..store.documents import (find_document, get_source, insert_document, put_source, revive_document,
                               supersede_if_orphaned)
from ..store.events import save_extraction
from .stats import ImportStats

ACCESS = ("public", "restricted", "confidential")


class ImportFormatError(UsageError):
    """The file is not in the format the import was asked for."""


def read_csv(path: str | Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Rows of a CSV (UTF-8, BOM allowed; comma, semicolon or tab), keys lower-cased and stripped."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read {p}: {e.strerror or e}", hint="check the path") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")   # older dataset downloads
    head = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(head.splitlines()[0] if head else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    fields = [(f or "").strip().lower() for f in reader.fieldnames or []]
    missing = [c for c in required if c not in fields]
    if missing:
        raise ImportFormatError(f"{p.name}: missing columns {missing}",
                                hint=f"is this the right --format? columns found: {fields[:12]}")
    for row in reader:
        yield {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else ""
               for k, v in row.items() if k is not None}


def row_sha(kind: str, row: dict) -> str:
    canon = json.dumps({"format": kind, "row": row}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class TextBuilder:
    """Builds a document text line by line and gives the span of each value written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, s: str) -> None:
        self.parts.append(s)
        self.size += len(s)

    def line(self, label: str, value: str | None) -> Span | None:
        """Write "label: value\\n"; the span of the value, or None when there is no value."""
        if value is None or not str(value).strip():
            return None
        value = " ".join(str(value).split())
        self.write(f"{label}: ")
        start = self.size
        self.write(value)
        self.write("\n")
        return Span(start, start + len(value), value)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True, slots=True)
class RowDocument:
    source_path: str        # unique per row: <absolute file>#<row id>
    name: str               # <file name>#<row id>: the `doc` of exports
    format: str             # acled | mm | letopis
    sha256: str
    text: str
    meta: dict
    date: str | None = None
    title: str | None = None
    language: str | None = "en"


def store_row(store: Store, rd: RowDocument, mentions: tuple[Mention, ...], extractor: str,
              stats: ImportStats, access: str = "public") -> None:
    """Store one row's document and mentions; a row already stored is left as it is."""
    if access not in ACCESS:
        raise UsageError(f"unknown access level {access!r}", hint=f"choose one of {ACCESS}")
    with store.engine.begin() as conn:
        existing = find_document(conn, rd.sha256)
        src = get_source(conn, rd.source_path)
        old = src.document_id if src is not None else None
        if existing is not None:
            revive_document(conn, existing)
            put_source(conn, rd.source_path, rd.name, existing.id, "ok")
            if old is not None and old != existing.id:
                supersede_if_orphaned(conn, old)
            doc_id, done = existing.id, existing.status == "extracted" and existing.extractor == extractor
        else:
            doc_id = insert_document(conn, sha256=rd.sha256, name=rd.name, format=rd.format,
                                     raw=rd.text.encode("utf-8"), text=rd.text, title=rd.title, date=rd.date,
                                     language=rd.language, meta=rd.meta, access=access, status="stored")
            put_source(conn, rd.source_path, rd.name, doc_id, "ok")
            if old is not None:
                supersede_if_orphaned(conn, old)
            done = False
    if done:
        stats.unchanged += 1
        return
    if existing is None and old is not None:
        stats.replaced += 1
    else:
        stats.added += 1
    save_extraction(store, ExtractionResult(doc_id, mentions, extractor))
    stats.mentions += len(mentions)


def finish(store: Store, stats: ImportStats) -> ImportStats:
    from ..link import link_store
    stats.events = link_store(store).events
    return stats
