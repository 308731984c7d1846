"""Flat CSV exports for spreadsheets: `csv` (one row per event), `figures-csv` (one row per figure report).

Lists inside a cell are joined with " | ". Cells that a spreadsheet would run as a formula
(text starting with =, +, -, @, tab or carriage return, CWE-1236) get a leading apostrophe,
unless ``formula_guard=False``; numbers are written as numbers and never guarded.
"""
from __future__ import annotations

import csv
from typing import IO, Iterator

from ..interop.stats import ExportStats
from ..model import FIGURE_KINDS
from ..store import Store
from .events_jsonl import iter_events

SEP = " | "
EVENT_COLUMNS = (
    ["id", "type", "subtype", "other_types", "date_start", "date_end", "place", "place_en", "country",
     "lat", "lon"]
    + [f"{k}_{p}" for k in FIGURE_KINDS for p in ("low", "best", "high")]
    + ["perpetrators", "targets", "organizers", "participants", "other_actors", "demands",
       "demand_categories", "mentions", "documents"])
FIGURE_COLUMNS = ["event_id", "kind", "doc", "low", "high", "attribution", "source",
                  "evidence_start", "evidence_end", "evidence_text"]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def guard(value, on: bool = True):
    """A text cell that a spreadsheet would evaluate gets a leading apostrophe."""
    if on and isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def event_row(ev: dict) -> dict:
    place = ev["place"] or {}
    row = {
        "id": ev["id"], "type": ev["type"], "subtype": ev["subtype"],
        "other_types": SEP.join(f"{t}:{n}" for t, n in sorted((ev.get("types") or {}).items())
                                if t != ev["type"]),
        "date_start": ev["date"]["start"], "date_end": ev["date"]["end"],
        "place": place.get("name"), "place_en": place.get("name_en"), "country": place.get("country"),
        "lat": place.get("lat"), "lon": place.get("lon"),
    }
    for k in FIGURE_KINDS:
        f = (ev["figures"] or {}).get(k) or {}
        for p in ("low", "best", "high"):
            row[f"{k}_{p}"] = f.get(p)
    for role, col in (("perpetrator", "perpetrators"), ("target", "targets"), ("organizer", "organizers"),
                      ("participant", "participants"), ("other", "other_actors")):
        row[col] = SEP.join(a["name"] for a in ev["actors"] if a["role"] == role)
    row["demands"] = SEP.join(d["text"] for d in ev["demands"])
    row["demand_categories"] = SEP.join(sorted({d["category"] for d in ev["demands"]}))
    row["mentions"] = len(ev["mentions"])
    row["documents"] = SEP.join(dict.fromkeys(m["doc"] for m in ev["mentions"]))
    return row


def figure_rows(ev: dict) -> Iterator[dict]:
    for kind in FIGURE_KINDS:
        for r in (ev.get("figure_reports") or {}).get(kind, []):
            sp = r.get("evidence") or {}
            yield {"event_id": ev["id"], "kind": kind, "doc": r["doc"], "low": r["low"], "high": r["high"],
                   "attribution": r.get("attribution"), "source": r.get("source"),
                   "evidence_start": sp.get("start"), "evidence_end": sp.get("end"),
                   "evidence_text": sp.get("text", r.get("text"))}


def _writer(out: IO[str], columns: list[str]) -> csv.DictWriter:
    w = csv.DictWriter(out, fieldnames=columns)
    w.writeheader()
    return w


def write_events(store: Store, out: IO[str], *, clearance: str = "public", stats: ExportStats | None = None,
                 formula_guard: bool = True, **filters) -> int:
    """One row per canonical event; returns the number of rows."""
    stats = stats if stats is not None else ExportStats()
    w = _writer(out, EVENT_COLUMNS)
    for ev in iter_events(store, clearance=clearance, **filters):
        w.writerow({k: guard(v, formula_guard) for k, v in event_row(ev).items()})
        stats.written += 1
    return stats.written


def write_figures(store: Store, out: IO[str], *, clearance: str = "public", stats: ExportStats | None = None,
                  formula_guard: bool = True, **filters) -> int:
    """One row per figure report (every document's count of every kind); returns the number of rows."""
    stats = stats if stats is not None else ExportStats()
    w = _writer(out, FIGURE_COLUMNS)
    for ev in iter_events(store, clearance=clearance, **filters):
        for row in figure_rows(ev):
            w.writerow({k: guard(v, formula_guard) for k, v in row.items()})
            stats.written += 1
    return stats.written
