"""Compare the store's events with a coded dataset (ACLED or Mass Mobilization CSV).

The other file's rows become mentions exactly as an import would make them (nothing is
written to the store). Each of our canonical events is then matched against them by the
rules that linking uses to join mentions (``letopis.link.pairs.pair_score``): same type,
dates that agree (one contains the other), places that agree (same place, within 30 km,
or one containing the other), and enough anchoring (score at least ``WEAK_SCORE``). Pairs
are taken one to one, surest first. An ACLED row of "Protest with intervention" gives two
mentions (a protest and a crackdown), so it can match two of our events.

Result: ``both`` (our event, their row), ``ours_only`` (events the dataset lacks) and
``theirs_only`` (rows none of whose mentions we have).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import UsageError
from ..link.cluster import WEAK_SCORE, pair_score
from ..model import Actor, DateValue, Mention, Span
from ..store import Store
from .places import restore_place

FORMATS = ("acled-csv", "mm-csv")


@dataclass(frozen=True, slots=True)
class Match:
    event_id: str
    row_id: str             # the row's document name: <file>#<id>
    type: str
    score: int


@dataclass(frozen=True, slots=True)
class CompareResult:
    both: tuple[Match, ...]
    ours_only: tuple[str, ...]          # our event ids
    theirs_only: tuple[str, ...]        # their row ids
    their_rows: int                     # rows with at least one in-scope mention
    skipped_rows: int                   # rows outside letopis's scope

    def summary(self) -> str:
        ours = len({m.event_id for m in self.both})
        theirs = len({m.row_id for m in self.both})
        return (f"{ours} of our events are in the other dataset ({theirs} of its rows); "
                f"{len(self.ours_only)} of ours it lacks; {len(self.theirs_only)} of its rows we lack; "
                f"{self.skipped_rows} of its rows out of scope")

    def rows(self) -> Iterator[dict]:
        """One dict per line of a report: status both | ours_only | theirs_only."""
        for m in self.both:
            yield {"status": "both", "event_id": m.event_id, "row_id": m.row_id, "type": m.type, "score": m.score}
        for e in self.ours_only:
            yield {"status": "ours_only", "event_id": e, "row_id": None, "type": None, "score": None}
        for r in self.theirs_only:
            yield {"status": "theirs_only", "event_id": None, "row_id": r, "type": None, "score": None}


def event_mention(ev: dict) -> Mention:
    """A canonical event as one mention, to be compared like linking compares mentions."""
    place = restore_place(ev["place"])
    date = DateValue(ev["date"]["start"], ev["date"]["end"]) if ev["date"]["start"] else None
    actors = tuple(Actor(a["name"], a["role"], a.get("kind") or "group") for a in ev["actors"])
    return Mention(ev["type"], ev["subtype"], (Span(0, 0, ""),), date, place, (), actors)


def _their_mentions(path: str | Path, fmt: str) -> tuple[list[tuple[str, Mention]], list[str], int]:
    if fmt == "acled-csv":
        from .acled_import import read_rows
    elif fmt == "mm-csv":
        from .mm_import import read_rows
    else:
        raise UsageError(f"unknown comparison format {fmt!r}", hint=f"choose one of {FORMATS}")
    out, row_ids, skipped = [], [], 0
    for _row, name, _text, _spans, mentions in read_rows(path):
        if isinstance(mentions, str):
            skipped += 1
            continue
        row_ids.append(name)
        out.extend((name, m) for m in mentions)
    return out, row_ids, skipped


def _key(m: Mention) -> tuple[str, str | None]:
    return m.type, m.place.country if m.place else None


def compare(store: Store, other_path: str | Path, fmt: str, *, clearance: str = "public") -> CompareResult:
    """Which of our events the other dataset has, which it lacks, and which of its rows we lack."""
    from ..export.events_jsonl import iter_events
    theirs, row_ids, skipped = _their_mentions(other_path, fmt)
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, m) in enumerate(theirs):
        index[_key(m)].append(i)
        index[(m.type, "*")].append(i)
    pairs, ours = [], []
    for ev in iter_events(store, clearance=clearance):
        mine = event_mention(ev)
        ours.append(ev["id"])
        t, c = _key(mine)
        cands = index.get((t, "*"), []) if c is None else index.get((t, c), []) + index.get((t, None), [])
        for i in cands:
            s = pair_score(mine, theirs[i][1])
            if s is not None and s >= WEAK_SCORE:
                pairs.append((-s, ev["id"], theirs[i][0], i))
    pairs.sort()
    used_ev, used_m, both = set(), set(), []
    for neg, eid, row, i in pairs:
        if eid in used_ev or i in used_m:
            continue
        used_ev.add(eid)
        used_m.add(i)
        both.append(Match(eid, row, theirs[i][1].type, -neg))
    matched_rows = {m.row_id for m in both}
    return CompareResult(
        both=tuple(both), ours_only=tuple(e for e in ours if e not in used_ev),
        theirs_only=tuple(r for r in row_ids if r not in matched_rows),
        their_rows=len(row_ids), skipped_rows=skipped)
