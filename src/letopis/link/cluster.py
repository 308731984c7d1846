"""Event coreference: which mentions from different documents are one real-world event.

Pure and deterministic: the same mentions give the same clusters and ids, whatever
order they arrive in. Blocking (``CandidateIndex``: type, country, day / month / year,
place, a map cell) keeps the pairs compared near linear in the corpus size. The clusters of
one connected component of compared pairs depend on that component alone, which is what
lets ``link.incremental`` re-cluster only the components new mentions touch.

Pairs are scored by ``link.pairs`` (same type; agreeing dates and places; the same day or
month, the same place, named people, shared numbers). A pair of score 3 or more merges; a
pair of score 2 merges only when neither side has another candidate; among equal scores the
pair that shares more numbers goes first. Clusters never take two mentions of one document,
and no two members may conflict on type, date or place.
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass

from ..model import Mention
from .pairs import PLACE_KM, Features, compatible, features, pair_score, parts, score  # noqa: F401
from .pairs import actor_overlap as _actor_overlap  # noqa: F401
from .pairs import numbers as _numbers  # noqa: F401
MIN_SCORE = 3          # a pair this sure merges
WEAK_SCORE = 2         # a weaker pair merges only when neither side has another candidate


@dataclass(frozen=True, slots=True)
class Item:
    key: str            # stable natural key: document name, type, first evidence offset
    doc: str
    mention: Mention


def natural_key(doc: str, m: Mention) -> str:
    start = m.evidence[0].start if m.evidence else 0
    return f"{doc}\x1f{m.type}\x1f{start:09d}"


def event_id(member_keys: list[str]) -> str:
    return "evt-" + hashlib.sha1(min(member_keys).encode("utf-8")).hexdigest()[:12]


def _block_keys(m: Mention, f: Features | None = None) -> tuple:
    """(type, country, level, start, year, month, place key, coarse) of a mention, for blocking.

    level: D (day), M (month), Y (year, or a range across months), U (undated). A mention can
    only join one whose blocking fields allow it (see ``CandidateIndex.neighbours``).
    """
    p = m.place
    country = p.country if p else None
    start = m.date.start if m.date else None
    d = f.start if f is not None else parts(start)
    e = f.end if f is not None else parts(m.date.end if m.date else None)
    if not d:
        level, y, mo = "U", None, None
    else:
        y, mo = d[0], (d[1] if len(d) > 1 else None)
        level = {3: "D", 2: "M"}.get(len(d), "Y")
        if e and e[:2] != d[:2]:
            level, mo = "Y", None
        elif e and level == "D" and e != d:
            level = "M"
    pk = (p.geonameid or (p.name_en or p.name).lower()) if p else None
    coarse = bool(p) and p.kind != "city"
    return (m.type, country, level, start, y, mo, pk, coarse)


CELL_LAT, CELL_LON = 0.5, 1.0      # map cells: two towns within PLACE_KM lie in the same or adjacent cells
POLAR = 66.0                       # beyond, a degree of longitude is too short: one cell per country


def _cell(m: Mention) -> tuple[int, int] | None:
    """The map cell of a town with coordinates; None for countries, regions, unplaced towns."""
    p = m.place
    if p is None or p.kind != "city" or p.lat is None or p.lon is None or abs(p.lat) > POLAR:
        return None
    return (math.floor(p.lat / CELL_LAT), math.floor(p.lon / CELL_LON))


class CandidateIndex:
    """Which pairs are compared: a symmetric relation, cheap to look up, near linear in the corpus.

    Same type and same country, and: two day-precise dates on the same day; a month-precise date
    with any date of that month; a year-precise date with a day or month of that year at the same
    place or naming the same person or organisation; two year-precise dates of one year at the
    same place (or either place a region / country); an undated mention with any mention at the
    same town, or at the same country or region when both name the same person or organisation
    (an undated "in Kazakhstan" anchors nothing else, and would meet every report there). Within a day or a month, a town with coordinates meets only towns in its own
    and the adjacent map cells (farther ones cannot be within PLACE_KM) and places without a cell.
    A mention without a country meets only mentions (of any country) with the same start date: a
    day, or a month or a year when they also name the same person or organisation (a bare month or
    year with no place anchors nothing, and would chain every report of that month worldwide).

    ``features[i]`` holds what pair scoring needs of mention ``i``, parsed once.
    """
    __slots__ = ("keys", "ix", "acts", "cells", "features")

    def __init__(self) -> None:
        self.keys: list[tuple] = []
        self.acts: list[frozenset[str]] = []
        self.cells: list[tuple[int, int] | None] = []
        self.features: list[Features] = []
        self.ix: dict[tuple, list[int]] = defaultdict(list)

    def _put(self, key: tuple, cell, i: int) -> None:
        """Into the whole bucket (for mentions without a cell) and into its cell's share."""
        self.ix[key].append(i)
        self.ix[key + (cell if cell is not None else "x",)].append(i)

    def _near(self, key: tuple, cell, out: set) -> None:
        get = self.ix.get
        if cell is None:
            out.update(get(key, ()))
            return
        r, c = cell
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                out.update(get(key + ((r + dr, c + dc),), ()))
        out.update(get(key + ("x",), ()))

    def add(self, m: Mention) -> int:
        i = len(self.keys)
        f = features(m)
        k = _block_keys(m, f)
        cell = _cell(m)
        self.keys.append(k)
        self.features.append(f)
        self.cells.append(cell)
        t, c, level, start, y, mo, pk, coarse = k
        ix = self.ix
        acts = f.actors if start else frozenset()
        self.acts.append(acts)
        if c is None:
            if start and len(start) == 10:
                ix["nc", t, start].append(i)
                ix["ex", t, start].append(i)
            elif start:              # a month or a year with no place: only with a shared actor
                for a in acts:
                    ix["ncact", t, start, a].append(i)
                    ix["exact", t, start, a].append(i)
            return i
        if level == "U":
            if pk is not None and coarse:    # undated, a whole country or region: only with a name
                for a in f.actors:
                    ix["pkact", t, c, pk, a].append(i)
                    ix["upkact", t, c, pk, a].append(i)
            elif pk is not None:
                ix["pk", t, c, pk].append(i)
                ix["upk", t, c, pk].append(i)
            return i
        ix["ex", t, start].append(i)
        if len(start) != 10:
            for a in acts:
                ix["exact", t, start, a].append(i)
        if pk is not None:
            ix["pk", t, c, pk].append(i)
            if coarse:
                for a in f.actors:
                    ix["pkact", t, c, pk, a].append(i)
        if level == "D":
            self._put(("day", t, c, start[:10]), cell, i)
            self._put(("mall", t, c, y, mo), cell, i)
        elif level == "M":
            self._put(("mall", t, c, y, mo), cell, i)
            self._put(("mon", t, c, y, mo), cell, i)
        if level in ("D", "M"):
            ix["dmpk", t, c, y, pk].append(i)
            for a in acts:
                ix["dmact", t, c, y, a].append(i)
        else:
            ix["ylev", t, c, y].append(i)
            ix["ylevpk", t, c, y, pk].append(i)
            if coarse:
                ix["ylevcoarse", t, c, y].append(i)
            for a in acts:
                ix["ylevact", t, c, y, a].append(i)
        return i

    def neighbours(self, i: int) -> set[int]:
        t, c, level, start, y, mo, pk, coarse = self.keys[i]
        ix, out = self.ix, set()
        get = ix.get
        if c is None:
            if start and len(start) == 10:
                out.update(get(("ex", t, start), ()))
            elif start:
                for a in self.acts[i]:
                    out.update(get(("exact", t, start, a), ()))
        elif level == "U":
            if pk is not None and coarse:
                for a in self.features[i].actors:
                    out.update(get(("pkact", t, c, pk, a), ()))
            elif pk is not None:
                out.update(get(("pk", t, c, pk), ()))
        else:
            cell = self.cells[i]
            if len(start) == 10:
                out.update(get(("nc", t, start), ()))
            else:
                for a in self.acts[i]:
                    out.update(get(("ncact", t, start, a), ()))
            if coarse:
                for a in self.features[i].actors:
                    out.update(get(("upkact", t, c, pk, a), ()))
            else:
                out.update(get(("upk", t, c, pk), ()))
            if level == "D":
                self._near(("day", t, c, start[:10]), cell, out)
                self._near(("mon", t, c, y, mo), cell, out)
            elif level == "M":
                self._near(("mall", t, c, y, mo), cell, out)
            acts = self.acts[i]
            if level in ("D", "M"):      # year-precise mentions of that year: same place or same actor
                out.update(get(("ylevpk", t, c, y, pk), ()))
                for a in acts:
                    out.update(get(("ylevact", t, c, y, a), ()))
            else:
                out.update(get(("dmpk", t, c, y, pk), ()))
                for a in acts:
                    out.update(get(("dmact", t, c, y, a), ()))
                if coarse:               # two year-precise dates: the same year, any place in it
                    out.update(get(("ylev", t, c, y), ()))
                else:
                    out.update(get(("ylevpk", t, c, y, pk), ()))
                    out.update(get(("ylevcoarse", t, c, y), ()))
        out.discard(i)
        return out


def candidate_pairs(items: list[Item], index: "CandidateIndex | None" = None,
                    only: "list[int] | None" = None) -> list[tuple[int, int, int]]:
    """(score, i, j) for every compared pair (i < j) that scores at least WEAK_SCORE."""
    if index is None:
        index = CandidateIndex()
        for it in items:
            index.add(it.mention)
    feats = index.features
    pairs: list[tuple[int, int, int]] = []
    for i in (range(len(items)) if only is None else only):
        doc, fa = items[i].doc, feats[i]
        for j in index.neighbours(i):
            if (j <= i and only is None) or items[j].doc == doc:
                continue
            s = score(fa, feats[j])
            if s is not None and s >= WEAK_SCORE:
                pairs.append((s, i, j) if i < j else (s, j, i))
    return pairs


def cluster(items: list[Item], decisions=None, partners_of: "dict[str, int] | None" = None) -> dict[str, list[Item]]:
    """event id -> its member items (in natural-key order).

    ``partners_of`` (item key → how many mentions it pairs with in the whole store) lets
    incremental linking cluster a part of the store exactly as the whole would be clustered.

    ``decisions`` (a ``link.decisions.Decisions``) are applied after clustering: splits take
    mentions out, merges force unions, and decided events keep the ids people saw.
    """
    items = sorted(items, key=lambda it: it.key)
    index = CandidateIndex()
    for it in items:
        index.add(it.mention)
    feats = index.features
    pairs = candidate_pairs(items, index)
    partners: dict[int, int] = defaultdict(int)
    for _, i, j in pairs:
        partners[i] += 1
        partners[j] += 1
    if partners_of is not None:
        for i, it in enumerate(items):
            partners[i] = partners_of.get(it.key, partners[i])
    pairs = [p for p in pairs if p[0] >= MIN_SCORE or (partners[p[1]] == 1 and partners[p[2]] == 1)]
    pairs.sort(key=lambda p: (-p[0], -len(feats[p[1]].numbers & feats[p[2]].numbers),
                              items[p[1]].key, items[p[2]].key))

    parent = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in pairs:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi, mj = members[ri], members[rj]
        if (len(mi) > 1 or len(mj) > 1) and not _mergeable(items, feats, mi, mj):
            continue
        parent[rj] = ri
        members[ri] = mi + mj
        del members[rj]

    groups = [[items[k] for k in sorted(idx)] for idx in members.values()]    # items are in key order
    if decisions is not None:
        return decisions.apply(groups)
    return {event_id([it.key for it in g]): g for g in groups}


def _mergeable(items: list[Item], feats: list[Features], mi: list[int], mj: list[int]) -> bool:
    """No document twice, and no cross pair in conflict on type, date or place."""
    if {items[k].doc for k in mi} & {items[k].doc for k in mj}:
        return False
    return all(compatible(feats[a], feats[b]) for a in mi for b in mj)
