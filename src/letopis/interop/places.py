"""What the export's place dicts leave out (kind, geonameid, admin1), read back from the gazetteer.

The events-jsonl place is ``{name, name_en, country, lat, lon}``. ACLED needs the place's kind
(geo_precision) and its first-level region (admin1); an import needs the kind and the geonameid
so that linking compares places as the original store did. A place is the gazetteer entry of
the same English name and country whose coordinates lie within 1 km (or, without coordinates,
the one entry of that name and kind); otherwise it keeps what the dict says, and its kind is
guessed: a country's own name is a country, a place without coordinates a region, else a city.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..model import Place

MATCH_KM = 1.0


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    kind: str
    geonameid: int | None
    admin1: str | None          # English name of the first-level region, when known


@lru_cache(maxsize=1)
def _gazetteer():
    from ..extract.gazetteer import Gazetteer
    g = Gazetteer.load()
    regions = {(r[3], r[4]): r[9] for r in g.rows if r[2] == "region" and r[4]}
    return g, regions


def _km(a: Place, b: Place) -> float | None:
    from ..link.pairs import km
    return km(a, b)


@lru_cache(maxsize=50_000)
def place_info(name: str, name_en: str | None, country: str | None,
               lat: float | None, lon: float | None) -> PlaceInfo:
    g, regions = _gazetteer()
    given = Place(name=name, name_en=name_en, country=country, lat=lat, lon=lon)
    found = None
    for key in dict.fromkeys(x for x in (name_en, name) if x):
        for i, _ in g._ranked(key, country=country):
            row = g.rows[i]
            if country and row[3] != country:
                continue
            cand = g.place(i)
            d = _km(given, cand)
            if d is not None and d <= MATCH_KM or d is None and lat is None and \
                    (row[9] or "").lower() == (name_en or name).lower():
                found = row
                break
        if found:
            break
    if found:
        code, gid, kind, cc, a1 = found[:5]
        admin1 = found[9] if kind == "region" else regions.get((cc, a1)) if kind == "city" else None
        return PlaceInfo(kind, gid, admin1)
    if country:
        c = g.country(country)
        if c and (name_en or name).lower() in {(c.name_en or "").lower(), c.name.lower(), country.lower()}:
            return PlaceInfo("country", c.geonameid, None)
    return PlaceInfo("city" if lat is not None else "region", None, None)


def info_of(place: dict | None) -> PlaceInfo | None:
    if not place:
        return None
    return place_info(place.get("name") or "", place.get("name_en"), place.get("country"),
                      place.get("lat"), place.get("lon"))


def restore_place(place: dict | None) -> Place | None:
    """An export place dict -> a Place with its kind and geonameid, as linking wants it."""
    if not place:
        return None
    info = info_of(place)
    return Place(name=place.get("name") or "", name_en=place.get("name_en"), country=place.get("country"),
                 lat=place.get("lat"), lon=place.get("lon"), kind=info.kind, geonameid=info.geonameid)
