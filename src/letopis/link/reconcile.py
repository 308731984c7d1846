"""Reconcile the mentions of one canonical event into its canonical view (EVENTS.md).

figures: low = smallest low reported, high = largest high reported (and at least the largest
low, so that "at least 64" beside "16" gives 16..64, not 16..16), best = median of the
reports' midpoints (an open side counts by its known side), after dropping reports that
only repeat another document's figure word for word.
type: the type most mentions give (ties: the earliest mention's); the others stay visible.
date, place: the most precise value that the mentions agree on.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from ..model import FIGURE_KINDS, Mention, Place

PLACE_RANK = {"country": 0, "region": 1, "city": 2}


@dataclass(frozen=True, slots=True)
class SourcedMention:
    doc: str            # document name
    doc_id: int
    access: str
    mention: Mention


def _midpoint(low: int | None, high: int | None) -> float | None:
    if low is None and high is None:
        return None
    if low is None:
        return float(high)
    if high is None:
        return float(low)
    return (low + high) / 2


def figure_reports(items: list[SourcedMention]) -> dict[str, list[dict]]:
    """kind -> every report: doc, low, high, attribution, source, wording, evidence."""
    out: dict[str, list[dict]] = {}
    for sm in items:
        seen = set()
        for f in sm.mention.figures:
            if (f.kind, f.low, f.high) in seen:
                continue          # the same count twice in one document is one report
            seen.add((f.kind, f.low, f.high))
            out.setdefault(f.kind, []).append({
                "doc": sm.doc, "low": f.low, "high": f.high, "attribution": f.attribution,
                "source": f.source, "text": f.span.text,
                "evidence": f.span.to_dict()})
    return out


def reconcile_figures(reports: dict[str, list[dict]]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for kind in FIGURE_KINDS:
        reps = reports.get(kind) or []
        uniq, seen_words = [], set()
        for r in reps:
            key = (" ".join(r["text"].lower().split()), r["low"], r["high"])
            if key in seen_words:
                continue          # the same wording in another document: a copy, counted once
            seen_words.add(key)
            uniq.append(r)
        if not uniq:
            continue
        lows = [r["low"] for r in uniq if r["low"] is not None]
        highs = [r["high"] for r in uniq if r["high"] is not None]
        mids = [m for m in (_midpoint(r["low"], r["high"]) for r in uniq) if m is not None]
        best = statistics.median(mids) if mids else None
        if best is not None and float(best).is_integer():
            best = int(best)
        # high is the largest high reported, and never below a lower bound someone reported
        high = max(highs + lows) if highs else None
        out[kind] = {"low": min(lows) if lows else None, "best": best, "high": high}
    return out


def _date_precision(d: str | None) -> int:
    return len(d or "")


def choose_date(items: list[SourcedMention]) -> dict | None:
    dated = [sm.mention.date for sm in items if sm.mention.date and sm.mention.date.start]
    if not dated:
        return None
    counts = Counter(d.start for d in dated)
    best = max(dated, key=lambda d: (_date_precision(d.start), counts[d.start]))
    # only as precise as the majority allows: a lone day-precise date that contradicts the others loses
    agreeing = [d for d in dated if best.start.startswith(d.start) or d.start.startswith(best.start)]
    if len(agreeing) * 2 < len(dated):
        best = max(dated, key=lambda d: (counts[d.start], _date_precision(d.start)))
    ends = [d.end for d in dated if d.start == best.start and d.end]
    return {"start": best.start, "end": ends[0] if ends else None}


def choose_place(items: list[SourcedMention]) -> Place | None:
    places = [sm.mention.place for sm in items if sm.mention.place]
    if not places:
        return None
    counts = Counter((p.name_en or p.name) for p in places)
    return max(places, key=lambda p: (PLACE_RANK.get(p.kind, 0), counts[p.name_en or p.name]))


def choose_type(items: list[SourcedMention]) -> tuple[str, str | None, dict[str, int]]:
    types = Counter(sm.mention.type for sm in items)
    order = {t: i for i, t in reversed(list(enumerate(sm.mention.type for sm in items)))}
    top = max(types, key=lambda t: (types[t], -order[t]))
    subs = Counter(sm.mention.subtype for sm in items if sm.mention.type == top and sm.mention.subtype)
    sub = subs.most_common(1)[0][0] if subs else None
    return top, sub, dict(types)


def merge_actors(items: list[SourcedMention]) -> list[dict]:
    seen, out = set(), []
    for sm in items:
        for a in sm.mention.actors:
            key = (a.name.lower(), a.role)
            if key not in seen:
                seen.add(key)
                out.append({"name": a.name, "role": a.role, "kind": a.kind})
    return out


def merge_demands(items: list[SourcedMention]) -> list[dict]:
    seen, out = set(), []
    for sm in items:
        for d in sm.mention.demands:
            key = (d.text.lower(), d.category)
            if key not in seen:
                seen.add(key)
                out.append({"text": d.text, "category": d.category})
    return out


def canonical_view(event_id: str, items: list[SourcedMention]) -> dict:
    """The events-jsonl object for one event, from the mentions a reader may see."""
    etype, subtype, types = choose_type(items)
    place = choose_place(items)
    reports = figure_reports(items)
    return {
        "id": event_id,
        "type": etype,
        "subtype": subtype,
        "types": types,
        "date": choose_date(items) or {"start": None, "end": None},
        "place": place.to_dict(full=False) if place else None,
        "actors": merge_actors(items),
        "figures": reconcile_figures(reports),
        "figure_reports": reports,
        "demands": merge_demands(items),
        "mentions": [mention_view(sm) for sm in items],
    }


def mention_view(sm: SourcedMention) -> dict:
    m = sm.mention
    return {
        "doc": sm.doc,
        "type": m.type,
        "subtype": m.subtype,
        "date": m.date.to_dict() if m.date else None,
        "place": m.place.to_dict(full=False) if m.place else None,
        "figures": m.figures_dict(),
        "actors": [{"name": a.name, "role": a.role, "kind": a.kind} for a in m.actors],
        "demands": [{"text": d.text, "category": d.category} for d in m.demands],
        "evidence": [s.to_dict() for s in m.evidence],
    }
