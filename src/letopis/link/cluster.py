"""Event coreference: which mentions from different documents are one real-world event.

Pure and deterministic: the same mentions give the same clusters and ids, whatever
order they arrive in. Blocking (``CandidateIndex``: type, country, day / month / year,
place) keeps the pairs compared near linear in the corpus size. The clusters of one
connected component of compared pairs depend on that component alone, which is what
lets ``link.incremental`` re-cluster only the components new mentions touch.

Two mentions may join when
- they come from different documents (one document reports each event once);
- they have the same type;
- their dates agree (one contains the other at the coarser precision), or both lack one;
- their places agree (same place, within 30 km, or one contains the other), or one lacks one;
and the pair scores high enough: the same day (3) or month (2), the same place (2) or one inside
the other (1), a person or organisation both name (1), two numbers both state (1: counts, days,
article numbers read the same in every language). A shared year alone scores nothing. A pair of
score 2 merges only when neither side has another candidate; among equal scores the pair that
shares more numbers goes first.
Clusters never take two mentions of one document, and every member must agree with every other.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..model import Mention, Place
from .translit import actor_key

PLACE_KM = 30.0
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


def _parts(d: str | None) -> tuple[int, ...]:
    if not d:
        return ()
    try:
        return tuple(int(x) for x in d.split("-"))
    except ValueError:
        return ()


def dates_relation(a: Mention, b: Mention) -> str:
    """'same' (equal starts, day precision), 'contains', 'none' (both undated), 'one' (one dated), 'conflict'."""
    da, db = _parts(a.date.start if a.date else None), _parts(b.date.start if b.date else None)
    if not da and not db:
        return "none"
    if not da or not db:
        return "one"
    k = min(len(da), len(db))
    if da[:k] != db[:k]:
        # ranges: a start inside the other's range counts as containment
        for x, y in ((a, db), (b, da)):
            end = _parts(x.date.end if x.date else None)
            if end:
                lo, hi = _parts(x.date.start)[:len(y)], end[:len(y)]
                if lo <= y[:len(lo)] and y[:len(hi)] <= hi:
                    return "contains"
        return "conflict"
    return "same" if len(da) == len(db) else "contains"


def _km(p: Place, q: Place) -> float | None:
    if None in (p.lat, p.lon, q.lat, q.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (p.lat, p.lon, q.lat, q.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def places_relation(a: Mention, b: Mention) -> str:
    """'same', 'contains' (country/region vs a place inside it), 'one' (one unknown), 'none', 'conflict'."""
    p, q = a.place, b.place
    if p is None and q is None:
        return "none"
    if p is None or q is None:
        return "one"
    if p.geonameid and p.geonameid == q.geonameid:
        return "same"
    if p.country and q.country and p.country != q.country:
        return "conflict"
    if p.kind == "city" and q.kind == "city":
        km = _km(p, q)
        if km is not None:
            return "same" if km <= PLACE_KM else "conflict"
        return "same" if (p.name_en or p.name).lower() == (q.name_en or q.name).lower() else "conflict"
    if p.kind != q.kind:
        return "contains"
    return "same" if (p.name_en or p.name).lower() == (q.name_en or q.name).lower() else "conflict"


_NUM = re.compile(r"(?<![\w.,])\d{1,6}(?![\w]|[.,]\d)")


def _numbers(m: Mention) -> frozenset[str]:
    """The numbers a mention's evidence states, and the day of its date; years left out (the dates
    compare those): days, counts, article numbers. They read the same in every language, so two reports of one event
    often share them ('18 марта ... 15 человек ... ст. 213' / 'On 18 March ... 15 arrests ... 213')."""
    d = _parts(m.date.start if m.date else None)
    out = {str(d[2])} if len(d) == 3 else set()      # the day, said or implied by the context
    for s in m.evidence:
        for x in _NUM.findall(s.text):
            if not (len(x) == 4 and x[:2] in ("19", "20")):
                out.add(x.lstrip("0") or "0")
    return frozenset(out)


def _actor_overlap(a: Mention, b: Mention) -> bool:
    """A person or organisation both mentions name, across scripts and inflections (translit keys)."""
    na = {actor_key(x.name, x.kind) for x in a.actors if x.kind != "group"}
    na.discard("")
    return bool(na & {actor_key(x.name, x.kind) for x in b.actors if x.kind != "group"})


def _date_points(a: Mention, b: Mention, dr: str) -> int:
    """What agreeing dates say: the same day 3, the same month 2, a day inside a month (or a
    range) 1. A shared year says nothing on its own: two reports "in 2013" in one city join only
    with more (a person, numbers they share), and then only when nothing else competes."""
    if dr not in ("same", "contains"):
        return 0
    k = min(len(_parts(a.date.start)), len(_parts(b.date.start)))
    if dr == "contains" and k == 3:      # a range that holds the other's day
        k = 2
    return max(0, {3: 3, 2: 2}.get(k, 0) - (dr == "contains"))


def pair_score(a: Mention, b: Mention) -> int | None:
    """None when the two cannot be one event; else higher is more certain."""
    if a.type != b.type:
        return None
    dr, pr = dates_relation(a, b), places_relation(a, b)
    if dr == "conflict" or pr == "conflict":
        return None
    score = _date_points(a, b, dr)
    score += {"same": 2, "contains": 1, "none": 0, "one": 0}[pr]
    if _actor_overlap(a, b):
        score += 1
    if len(_numbers(a) & _numbers(b)) >= 2:
        score += 1
    if dr in ("none", "one") and pr in ("none", "one"):
        return None          # nothing anchors the pair
    return score


def _block_keys(m: Mention) -> tuple:
    """(type, country, level, start, year, month, place key, coarse) of a mention, for blocking.

    level: D (day), M (month), Y (year, or a range across months), U (undated). A mention can
    only join one whose blocking fields allow it (see ``CandidateIndex.neighbours``).
    """
    p = m.place
    country = p.country if p else None
    start = m.date.start if m.date else None
    d = _parts(start)
    e = _parts(m.date.end if m.date else None)
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


class CandidateIndex:
    """Which pairs are compared: a symmetric relation, cheap to look up, near linear in the corpus.

    Same type and same country, and: two day-precise dates on the same day; a month-precise date
    with any date of that month; a year-precise date with a day or month of that year at the same
    place or naming the same person or organisation; two year-precise dates of one year at the
    same place (or either place a region / country); an undated mention with any mention at the
    same place.
    A mention without a country meets only mentions (of any country) with the same start date: a
    day, or a month or a year when they also name the same person or organisation (a bare month or
    year with no place anchors nothing, and would chain every report of that month worldwide).
    """
    __slots__ = ("keys", "ix", "acts")

    def __init__(self) -> None:
        self.keys: list[tuple] = []
        self.acts: list[set[str]] = []
        self.ix: dict[tuple, list[int]] = defaultdict(list)

    def add(self, m: Mention) -> int:
        i = len(self.keys)
        k = _block_keys(m)
        self.keys.append(k)
        t, c, level, start, y, mo, pk, coarse = k
        ix = self.ix
        acts = {actor_key(a.name, a.kind) for a in m.actors if a.kind != "group"} - {""} if start else set()
        if c is None:
            if start and len(start) == 10:
                ix["nc", t, start].append(i)
                ix["ex", t, start].append(i)
            elif start:              # a month or a year with no place: only with a shared actor
                for a in acts:
                    ix["ncact", t, start, a].append(i)
                    ix["exact", t, start, a].append(i)
            self.acts.append(acts)
            return i
        if level == "U":
            if pk is not None:
                ix["pk", t, c, pk].append(i)
                ix["upk", t, c, pk].append(i)
            self.acts.append(set())
            return i
        ix["ex", t, start].append(i)
        if len(start) != 10:
            for a in acts:
                ix["exact", t, start, a].append(i)
        if pk is not None:
            ix["pk", t, c, pk].append(i)
        if level == "D":
            ix["day", t, c, start[:10]].append(i)
            ix["mall", t, c, y, mo].append(i)
        elif level == "M":
            ix["mall", t, c, y, mo].append(i)
            ix["mon", t, c, y, mo].append(i)
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
        self.acts.append(acts)
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
            out.update(get(("pk", t, c, pk), ()) if pk is not None else ())
        else:
            if len(start) == 10:
                out.update(get(("nc", t, start), ()))
            else:
                for a in self.acts[i]:
                    out.update(get(("ncact", t, start, a), ()))
            out.update(get(("upk", t, c, pk), ()))
            if level == "D":
                out.update(get(("day", t, c, start[:10]), ()))
                out.update(get(("mon", t, c, y, mo), ()))
            elif level == "M":
                out.update(get(("mall", t, c, y, mo), ()))
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
    pairs: list[tuple[int, int, int]] = []
    for i in (range(len(items)) if only is None else only):
        a = items[i]
        for j in index.neighbours(i):
            if j <= i and only is None:
                continue
            b = items[j]
            if a.doc == b.doc:
                continue
            s = pair_score(a.mention, b.mention)
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
    pairs = candidate_pairs(items)
    partners: dict[int, int] = defaultdict(int)
    for _, i, j in pairs:
        partners[i] += 1
        partners[j] += 1
    if partners_of is not None:
        for i, it in enumerate(items):
            partners[i] = partners_of.get(it.key, partners[i])
    pairs = [p for p in pairs if p[0] >= MIN_SCORE or (partners[p[1]] == 1 and partners[p[2]] == 1)]
    nums = [_numbers(it.mention) for it in items]
    pairs.sort(key=lambda p: (-p[0], -len(nums[p[1]] & nums[p[2]]), items[p[1]].key, items[p[2]].key))

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
        if {items[k].doc for k in mi} & {items[k].doc for k in mj}:
            continue
        if any(pair_score(items[a].mention, items[b].mention) is None for a in mi for b in mj
               if (a, b) != (i, j)) and not _loosely_compatible(items, mi, mj):
            continue
        parent[rj] = ri
        members[ri] = mi + mj
        del members[rj]

    groups = [sorted((items[k] for k in idx), key=lambda it: it.key) for idx in members.values()]
    if decisions is not None:
        return decisions.apply(groups)
    return {event_id([it.key for it in g]): g for g in groups}


def _loosely_compatible(items: list[Item], mi: list[int], mj: list[int]) -> bool:
    """Every cross pair must at least not conflict on type, date or place."""
    for a in mi:
        for b in mj:
            ma, mb = items[a].mention, items[b].mention
            if ma.type != mb.type or dates_relation(ma, mb) == "conflict" or places_relation(ma, mb) == "conflict":
                return False
    return True
