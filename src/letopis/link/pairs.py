"""How sure it is that two mentions from different documents are one event (``pair_score``).

Two mentions may join when they have the same type; their dates agree (one contains the other
at the coarser precision, or a start falls in the other's range), or both lack one; their places
agree (same place, within 30 km, or one contains the other), or one lacks one. The score then
counts what ties them: the same day (3) or month (2) or a day inside a month (1) — a shared year
alone counts nothing —, the same place (2) or one inside the other (1), a person or organisation
both name (1), two numbers both state (1: counts, days, article numbers read the same in every
language).

Linking scores millions of pairs, so each mention's parsed facts are computed once
(``features``) and pairs are scored from those (``score``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..model import Mention, Place
from .translit import actor_key

PLACE_KM = 30.0
_PLACE_POINTS = {"same": 2, "contains": 1, "none": 0, "one": 0}
_NUM = re.compile(r"(?<![\w.,])\d{1,6}(?![\w]|[.,]\d)")


def parts(d: str | None) -> tuple[int, ...]:
    """'2011-12-16' → (2011, 12, 16); '' or junk → ()."""
    if not d:
        return ()
    try:
        return tuple(int(x) for x in d.split("-"))
    except ValueError:
        return ()


@dataclass(frozen=True, slots=True)
class Features:
    """What pair scoring reads from a mention, parsed once."""
    type: str
    start: tuple[int, ...]
    end: tuple[int, ...]
    place: Place | None
    actors: frozenset[str]          # transliteration keys of named people and organisations
    numbers: frozenset[str]


def features(m: Mention) -> Features:
    start = parts(m.date.start if m.date else None)
    end = parts(m.date.end if m.date else None)
    acts = frozenset(actor_key(x.name, x.kind) for x in m.actors if x.kind != "group") - {""}
    return Features(m.type, start, end, m.place, acts, numbers(m, start))


def numbers(m: Mention, start: tuple[int, ...] | None = None) -> frozenset[str]:
    """The numbers a mention's evidence states, and the day of its date; years left out (the dates
    compare those): days, counts, article numbers. They read the same in every language, so two
    reports of one event often share them ('18 марта ... 15 человек ... ст. 213' / 'On 18 March
    ... 15 arrests ... 213')."""
    d = parts(m.date.start if m.date else None) if start is None else start
    out = {str(d[2])} if len(d) == 3 else set()      # the day, said or implied by the context
    for s in m.evidence:
        for x in _NUM.findall(s.text):
            if not (len(x) == 4 and x[:2] in ("19", "20")):
                out.add(x.lstrip("0") or "0")
    return frozenset(out)


def date_relation(a: Features, b: Features) -> str:
    """'same' (equal starts, equal precision), 'contains', 'none' (both undated), 'one' (one
    dated), 'conflict'."""
    da, db = a.start, b.start
    if not da and not db:
        return "none"
    if not da or not db:
        return "one"
    k = min(len(da), len(db))
    if da[:k] != db[:k]:
        # ranges: a start inside the other's range counts as containment
        for x, y in ((a, db), (b, da)):
            if x.end:
                lo, hi = x.start[:len(y)], x.end[:len(y)]
                if lo <= y[:len(lo)] and y[:len(hi)] <= hi:
                    return "contains"
        return "conflict"
    return "same" if len(da) == len(db) else "contains"


def km(p: Place, q: Place) -> float | None:
    if None in (p.lat, p.lon, q.lat, q.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (p.lat, p.lon, q.lat, q.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def place_relation(p: Place | None, q: Place | None) -> str:
    """'same', 'contains' (country/region vs a place inside it), 'one' (one unknown), 'none', 'conflict'."""
    if p is None and q is None:
        return "none"
    if p is None or q is None:
        return "one"
    if p.geonameid and p.geonameid == q.geonameid:
        return "same"
    if p.country and q.country and p.country != q.country:
        return "conflict"
    if p.kind == "city" and q.kind == "city":
        d = km(p, q)
        if d is not None:
            return "same" if d <= PLACE_KM else "conflict"
        return "same" if (p.name_en or p.name).lower() == (q.name_en or q.name).lower() else "conflict"
    if p.kind != q.kind:
        return "contains"
    return "same" if (p.name_en or p.name).lower() == (q.name_en or q.name).lower() else "conflict"


def _date_points(a: Features, b: Features, dr: str) -> int:
    """The same day 3, the same month 2, a day inside a month (or a range) 1. A shared year says
    nothing on its own: two reports "in 2013" in one city join only with more (a person, numbers
    they share), and then only when nothing else competes."""
    if dr not in ("same", "contains"):
        return 0
    k = min(len(a.start), len(b.start))
    if dr == "contains" and k == 3:      # a range that holds the other's day
        k = 2
    return max(0, {3: 3, 2: 2}.get(k, 0) - (dr == "contains"))


def score(a: Features, b: Features) -> int | None:
    """None when the two cannot be one event; else higher is more certain."""
    if a.type != b.type:
        return None
    dr = date_relation(a, b)
    if dr == "conflict":
        return None
    pr = place_relation(a.place, b.place)
    if pr == "conflict" or (dr in ("none", "one") and pr in ("none", "one")):
        return None          # a conflict, or nothing anchors the pair
    s = _date_points(a, b, dr) + _PLACE_POINTS[pr]
    if a.actors and not a.actors.isdisjoint(b.actors):
        s += 1
    if len(a.numbers & b.numbers) >= 2:
        s += 1
    return s


def pair_score(a: Mention, b: Mention) -> int | None:
    """``score`` of two mentions (parsing both; linking itself scores from cached features)."""
    return score(features(a), features(b))


def compatible(a: Features, b: Features) -> bool:
    """Not in conflict on type, date or place (weaker than scoring: nothing needs to tie them)."""
    return a.type == b.type and date_relation(a, b) != "conflict" and place_relation(a.place, b.place) != "conflict"


def actor_overlap(a: Mention, b: Mention) -> bool:
    """A person or organisation both mentions name, across scripts and inflections (translit keys)."""
    fa, fb = features(a), features(b)
    return bool(fa.actors & fb.actors)
