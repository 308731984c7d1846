"""The ingest driver: paths in, documents and sources stored, one file per transaction.

Every file (every record of an archive) is stored in its own transaction, in a
sorted, deterministic order, so a run killed at any moment leaves each file
either untouched or done, and the next run finishes the job with exactly the
state of one clean run. Nothing is held in memory beyond the file at hand.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator

from ..errors import IngestError, UnsupportedFormatError
from ..store import Store
from ..store import documents as db
from .base import FieldNames, Item, ReadContext, read_head
from .language import DEFAULT_CANDIDATES, detect_language
from .readers import choose_reader, supported_extensions
from .stdin import stdin_item
from .walk import FileEntry, walk_paths

Progress = Callable[[int, int], None]    # (files done, files in total)
INGESTED, UNCHANGED, FAILED = "ingested", "unchanged", "failed"


@dataclass(frozen=True, slots=True)
class IngestOptions:
    access: str = "public"
    max_bytes: int = 20 * 1024 * 1024
    fields: FieldNames = FieldNames()
    languages: tuple[str, ...] = DEFAULT_CANDIDATES


@dataclass
class IngestStats:
    ingested: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0                 # files in folders that no reader takes
    failures: list[tuple[str, str, str]] = field(default_factory=list)   # (name, code, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)        # stored, metadata problem: (name, what)

    def count(self, outcome: str, name: str = "", error: Exception | None = None) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome == FAILED and error is not None:
            self.failures.append((name, getattr(error, "code", "E000"), str(error)))

    def warn(self, name: str, problem: str | None) -> None:
        if problem:
            self.warnings.append((name, problem))

    def summary(self) -> str:
        s = f"ingested {self.ingested} / unchanged {self.unchanged} / failed {self.failed}"
        return s + (f" / skipped {self.skipped}" if self.skipped else "")


def _as_ingest_error(e: Exception, name: str) -> IngestError:
    if isinstance(e, IngestError):
        return e
    return IngestError(f"{name} could not be read: {type(e).__name__}: {e}",
                       hint="please report this file's format to the letopis maintainers")


def store_failure(conn, spath: str, name: str, error: IngestError) -> str:
    """A path that gave no bytes: the source says why; the document it held, if any, stays."""
    src = db.get_source(conn, spath)
    db.put_source(conn, spath, name, src.document_id if src else None, "failed", error.code, error.message)
    return FAILED


def store_item(conn, spath: str, item: Item, opts: IngestOptions) -> tuple[str, Exception | None, str | None]:
    """Store one item inside the caller's transaction → (outcome, error, metadata problem)."""
    src = db.get_source(conn, spath)
    old_id = src.document_id if src is not None else None
    if item.error is not None and not item.raw:
        return store_failure(conn, spath, item.name, _as_ingest_error(item.error, item.name)), item.error, None
    sha = hashlib.sha256(item.raw).hexdigest()
    doc = db.find_document(conn, sha)
    if doc is not None and doc.status != "failed":
        tightened = db.raise_access(conn, doc, opts.access) if not doc.declares_access else False
        if src is not None and src.document_id == doc.id and src.status == "ok":
            return (INGESTED if tightened else UNCHANGED), None, None
        db.revive_document(conn, doc)
        db.put_source(conn, spath, item.name, doc.id, "ok", current=src)
        if old_id not in (None, doc.id):
            db.supersede_if_orphaned(conn, old_id)
        return INGESTED, None, None
    try:
        if item.error is not None:
            raise item.error
        parsed = item.parse()
        error = None
    except Exception as e:  # readers wrap third-party parsers; any failure is this file's, not the batch's
        error = _as_ingest_error(e, item.name)
    previous = old_id if old_id is not None and (doc is None or old_id != doc.id) else None
    if error is not None:
        if doc is None:
            doc_id = db.insert_document(conn, sha256=sha, name=item.name, format=item.format, raw=item.raw,
                                        access=opts.access, status="failed", error_code=error.code,
                                        error=error.message, previous_id=previous)
        else:
            doc_id = doc.id
        db.put_source(conn, spath, item.name, doc_id, "failed", error.code, error.message, current=src)
        if old_id not in (None, doc_id):
            db.supersede_if_orphaned(conn, old_id)
        return FAILED, error, None
    language = parsed.language or detect_language(parsed.text[parsed.body_start:], opts.languages)
    fields = dict(name=item.name, format=parsed.format, raw=item.raw, text=parsed.text,
                  title=parsed.title, date=parsed.date, language=language, meta=parsed.meta,
                  meta_error=parsed.meta_error, access=parsed.access or opts.access,
                  status="stored", error_code=None, error=None)
    if doc is None:
        doc_id = db.insert_document(conn, sha256=sha, previous_id=previous, **fields)
    else:                                   # failed before; a reader can read it now
        doc_id = doc.id
        db.update_document(conn, doc_id, **fields)
    db.put_source(conn, spath, item.name, doc_id, "ok", current=src)
    if old_id not in (None, doc_id):
        db.supersede_if_orphaned(conn, old_id)
    return INGESTED, None, parsed.meta_error


def _ingest_file(store: Store, entry: FileEntry, ctx: ReadContext, opts: IngestOptions,
                 stats: IngestStats) -> None:
    def fail(error: Exception) -> None:
        err = _as_ingest_error(error, entry.name)
        with store.engine.begin() as conn:
            store_failure(conn, entry.path, entry.name, err)
        stats.count(FAILED, entry.name, err)

    if entry.error is not None:
        return fail(entry.error)
    try:
        reader = choose_reader(entry.path, read_head(entry.path))
    except IngestError as e:
        return fail(e)
    if reader is None:
        if entry.explicit:
            fail(UnsupportedFormatError(
                f"{entry.name}: no reader takes this kind of file",
                hint="letopis reads " + ", ".join(supported_extensions())))
        else:
            stats.skipped += 1
        return
    try:
        for item in reader.items(entry.path, entry.name, ctx):
            with store.engine.begin() as conn:
                outcome, error, problem = store_item(conn, entry.path + item.key, item, opts)
            stats.count(outcome, item.name, error)
            stats.warn(item.name, problem)
    except IngestError as e:
        fail(e)


def _units(paths: list[str]) -> Iterator[FileEntry | None]:
    """The files to read, walked lazily; None stands for stdin."""
    for p in paths:
        if p == "-":
            yield None
        else:
            yield from walk_paths([p])


def ingest_paths(store: Store, paths: list[str], options: IngestOptions | None = None, *,
                 progress: Progress | None = None, stdin: BinaryIO | None = None) -> IngestStats:
    """Store every document under ``paths`` (files, folders, or '-' for ``stdin``)."""
    opts = options or IngestOptions()
    ctx = ReadContext(max_bytes=opts.max_bytes, fields=opts.fields)
    stats = IngestStats()
    total = sum(1 for _ in _units(paths)) if progress else 0   # a cheap first walk, for the bar only
    for done, unit in enumerate(_units(paths), 1):
        if unit is None:
            item, spath = stdin_item(stdin, ctx)
            with store.engine.begin() as conn:
                outcome, error, problem = store_item(conn, spath, item, opts)
            stats.count(outcome, item.name, error)
            stats.warn(item.name, problem)
        else:
            _ingest_file(store, unit, ctx, opts, stats)
        if progress:
            progress(done, max(total, done))
    return stats
