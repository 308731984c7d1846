"""Interop with the datasets the field already uses: imports and comparison.

    import_acled(store, path)          ACLED CSV rows -> documents (format acled) and mentions
    import_mm(store, path)             Mass Mobilization CSV rows -> documents (format mm) and mentions
    import_events_jsonl(store, path)   another letopis store's events-jsonl -> documents (format letopis)
    compare(store, path, fmt)          our events vs an ACLED / MM file, by the linking rules

Every import is idempotent and links the store afterwards. Exports live in ``letopis.export``.
The tables are ``data/acled_*.yaml``; the mappings are documented in docs/INTEROP.md.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..store import Store
from .stats import ExportStats, ImportStats

# documents these imports create; their mentions come from the dataset, not from extraction
IMPORTED_FORMATS = ("acled", "mm", "letopis")
IMPORT_FORMATS = ("acled-csv", "mm-csv", "events-jsonl")


def import_file(store: Store, fmt: str, path: str | Path, *, access: str = "public") -> ImportStats:
    """Import ``path`` in format ``fmt`` (one of IMPORT_FORMATS) into ``store``."""
    if fmt == "acled-csv":
        from .acled_import import import_acled as run
    elif fmt == "mm-csv":
        from .mm_import import import_mm as run
    elif fmt == "events-jsonl":
        from .jsonl_import import import_events_jsonl as run
    else:
        raise UsageError(f"unknown import format {fmt!r}", hint="choose one of " + ", ".join(IMPORT_FORMATS))
    return run(store, path, access=access)


def compare(store: Store, other_path: str | Path, fmt: str, *, clearance: str = "public"):
    from .compare import compare as run
    return run(store, other_path, fmt, clearance=clearance)


__all__ = ["IMPORTED_FORMATS", "IMPORT_FORMATS", "ExportStats", "ImportStats", "compare", "import_file"]
