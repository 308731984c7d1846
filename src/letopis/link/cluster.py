"""Event coreference: which mentions from different documents are one real-world event.

Pure and deterministic: the same mentions give the same clusters and ids, whatever
order they arrive in. Blocking by (type, country) and by year keeps the pairs
compared near linear in the corpus size.

Two mentions may join when
- they come from different documents (one document reports each event once);
- they have the same type;
- their dates agree (one contains the other at the coarser precision), or both lack one;
- their places agree (same place, within 30 km, or one contains the other), or one lacks one;
and the pair scores high enough: an exact date, a same place, shared actors.
Clusters never take two mentions of one document, and every member must agree with every other.
"""
from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass

from ..model import Mention, Place

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


def _actor_overlap(a: Mention, b: Mention) -> bool:
    na = {x.name.lower() for x in a.actors if x.kind != "group"}
    return bool(na & {x.name.lower() for x in b.actors if x.kind != "group"})


def pair_score(a: Mention, b: Mention) -> int | None:
    """None when the two cannot be one event; else higher is more certain."""
    if a.type != b.type:
        return None
    dr, pr = dates_relation(a, b), places_relation(a, b)
    if dr == "conflict" or pr == "conflict":
        return None
    score = {"same": 3, "contains": 1, "none": 0, "one": 0}[dr]
    score += {"same": 2, "contains": 1, "none": 0, "one": 0}[pr]
    if _actor_overlap(a, b):
        score += 1
    if dr in ("none", "one") and pr in ("none", "one"):
        return None          # nothing anchors the pair
    return score


def _block_keys(m: Mention) -> list[tuple]:
    country = m.place.country if m.place else None
    year = _parts(m.date.start if m.date else None)[:1]
    return [(m.type, country, year[0] if year else None)]


def cluster(items: list[Item]) -> dict[str, list[Item]]:
    """event id -> its member items (in natural-key order)."""
    items = sorted(items, key=lambda it: it.key)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for k in _block_keys(it.mention):
            blocks[k].append(i)
    # undated or country-less mentions may join a dated / placed block of the same type
    by_type_country: dict[tuple, list[int]] = defaultdict(list)
    by_type_year: dict[tuple, list[int]] = defaultdict(list)
    for (t, c, y), idx in blocks.items():
        by_type_country[(t, c)].extend(idx)
        by_type_year[(t, y)].extend(idx)
    pairs: list[tuple[int, int, int]] = []
    seen = set()

    def consider(group: list[int]) -> None:
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                i, j = group[x], group[y]
                if i > j:
                    i, j = j, i
                if (i, j) in seen or items[i].doc == items[j].doc:
                    continue
                seen.add((i, j))
                s = pair_score(items[i].mention, items[j].mention)
                if s is not None and s >= WEAK_SCORE:
                    pairs.append((s, i, j))

    for (t, c, y), idx in blocks.items():
        consider(idx)
        if y is None:                       # undated: compare with the whole (type, country)
            consider(by_type_country[(t, c)])
        if c is None:                       # no country: compare with the same type and year
            consider(by_type_year[(t, y)])
    partners: dict[int, int] = defaultdict(int)
    for _, i, j in pairs:
        partners[i] += 1
        partners[j] += 1
    pairs = [p for p in pairs if p[0] >= MIN_SCORE or (partners[p[1]] == 1 and partners[p[2]] == 1)]
    pairs.sort(key=lambda p: (-p[0], items[p[1]].key, items[p[2]].key))

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

    out: dict[str, list[Item]] = {}
    for root, idx in members.items():
        group = sorted((items[k] for k in idx), key=lambda it: it.key)
        out[event_id([it.key for it in group])] = group
    return out


def _loosely_compatible(items: list[Item], mi: list[int], mj: list[int]) -> bool:
    """Every cross pair must at least not conflict on type, date or place."""
    for a in mi:
        for b in mj:
            ma, mb = items[a].mention, items[b].mention
            if ma.type != mb.type or dates_relation(ma, mb) == "conflict" or places_relation(ma, mb) == "conflict":
                return False
    return True
