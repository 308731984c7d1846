"""The stages after ingest, as library functions the CLI and the server call.

    extract_pending(store)  documents waiting for (re-)extraction → mentions, in a process pool
    link(store)             mentions → canonical events (deterministic ids)

Each document's mentions are written in one transaction together with its new
status, so a run killed at any moment leaves every document either untouched or
done, and running again finishes the job with the same result.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .model import DocumentInput, ExtractionResult
from .store import Store
from .store import events as store_events

Progress = Callable[[int, int], None]   # (done, total)


@dataclass
class ExtractStats:
    documents: int = 0
    mentions: int = 0
    failed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class LinkStats:
    mentions: int = 0
    events: int = 0


NATIVE_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_native_threads() -> None:
    """One BLAS thread per process: extraction scales by processes, and BLAS threads of two
    workers fighting over two cores made two workers slower than one. Takes effect for
    numpy imported after the call (worker processes); an explicit setting is kept."""
    import os
    for var in NATIVE_THREAD_VARS:
        os.environ.setdefault(var, "1")


def _extract_one(doc: DocumentInput) -> ExtractionResult:
    from .extract import extract_document
    return extract_document(doc)


def _chunks(items: list, n: int) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def extract_pending(store: Store, *, workers: int = 1, progress: Progress | None = None,
                    force: bool = False, batch: int = 64) -> ExtractStats:
    """Extract every document that has no mentions from the current extractor version."""
    from .extract import EXTRACTOR_VERSION
    ids = store_events.documents_to_extract(store, EXTRACTOR_VERSION, force=force)
    stats = ExtractStats()
    limit_native_threads()
    total = len(ids)
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for chunk in _chunks(ids, batch):
            docs = store_events.load_inputs(store, chunk)
            results = pool.map(_extract_one, docs, chunksize=4) if pool else map(_extract_one, docs)
            for res in results:
                store_events.save_extraction(store, res)
                stats.documents += 1
                stats.mentions += len(res.mentions)
                if res.error:
                    stats.failed += 1
                    stats.errors.append((res.doc_id, res.error))
                if progress:
                    progress(stats.documents, total)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    return stats


def link(store: Store) -> LinkStats:
    from .link import link_store
    return link_store(store)
