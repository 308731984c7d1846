"""Exports: format name -> writer ``write(store, out, *, clearance, stats=None, **filters) -> int``.

    events-jsonl   the contract of ../shared/spec/EVENTS.md (events_jsonl.py)
    acled-csv      ACLED's column set and vocabulary (acled.py)
    ftm            FollowTheMoney 3.x entities, JSON lines (ftm.py)
    geojson        a FeatureCollection of event points, RFC 7946 (geojson.py)
    csv            one flat row per event, for spreadsheets (csv_flat.py)
    figures-csv    one row per figure report (csv_flat.py)

Every writer streams ``iter_events`` (no row cap) and sees only what ``clearance`` allows.
It returns the number of records written (events; features; rows for figures-csv); pass an
``ExportStats`` as ``stats`` to learn what was skipped and why.
"""
from __future__ import annotations

from typing import IO, Callable

from ..errors import UsageError
from ..interop.stats import ExportStats
from ..store import Store

Writer = Callable[..., int]


def _events_jsonl(store: Store, out: IO[str], *, clearance: str = "public",
                  stats: ExportStats | None = None, **filters) -> int:
    from .events_jsonl import write_events_jsonl
    n = write_events_jsonl(store, out, clearance=clearance, **filters)
    if stats is not None:
        stats.written += n
    return n


def _lazy(module: str, name: str) -> Writer:
    def run(store: Store, out: IO[str], **kw) -> int:
        from importlib import import_module
        return getattr(import_module(f"letopis.export.{module}"), name)(store, out, **kw)
    run.__name__ = f"{module}.{name}"
    return run


FORMATS: dict[str, Writer] = {
    "events-jsonl": _events_jsonl,
    "acled-csv": _lazy("acled", "write"),
    "ftm": _lazy("ftm", "write"),
    "geojson": _lazy("geojson", "write"),
    "csv": _lazy("csv_flat", "write_events"),
    "figures-csv": _lazy("csv_flat", "write_figures"),
}


def get_writer(fmt: str) -> Writer:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown export format {fmt!r}",
                         hint="choose one of " + ", ".join(FORMATS)) from None


def export(store: Store, fmt: str, out: IO[str], *, clearance: str = "public",
           stats: ExportStats | None = None, **filters) -> int:
    """Write ``store``'s events in format ``fmt`` to the text stream ``out``."""
    return get_writer(fmt)(store, out, clearance=clearance, stats=stats, **filters)


__all__ = ["FORMATS", "ExportStats", "export", "get_writer"]
