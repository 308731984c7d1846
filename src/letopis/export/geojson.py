"""The `geojson` export: canonical events as a FeatureCollection of points (RFC 7946).

RFC 7946 rules kept: coordinates are [longitude, latitude] in WGS 84, finite and in range;
no ``crs`` member; a Feature's ``id`` is a string; ``properties`` is an object. Events
without coordinates are skipped and counted (``stats.skipped["no coordinates"]``).
The collection is written feature by feature, so memory does not grow with the store.
``check_geojson`` applies the same rules to a parsed document and lists what breaks them.
"""
from __future__ import annotations

import json
import math
from typing import IO

from ..interop.stats import ExportStats
from ..model import FIGURE_KINDS
from ..store import Store
from .events_jsonl import iter_events


def _coordinate(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v)


def feature(ev: dict) -> dict | None:
    """One Feature for a canonical event, or None when it has no valid point."""
    place = ev["place"] or {}
    lat, lon = _coordinate(place.get("lat")), _coordinate(place.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    figures = ev["figures"] or {}
    props = {
        "id": ev["id"], "type": ev["type"], "subtype": ev["subtype"],
        "date_start": ev["date"]["start"], "date_end": ev["date"]["end"],
        "place": place.get("name"), "place_en": place.get("name_en"), "country": place.get("country"),
        "sources": len({m["doc"] for m in ev["mentions"]}),
    }
    for kind in FIGURE_KINDS:
        f = figures.get(kind) or {}
        for part in ("low", "best", "high"):
            props[f"{kind}_{part}"] = f.get(part)
    return {"type": "Feature", "id": ev["id"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def write(store: Store, out: IO[str], *, clearance: str = "public", stats: ExportStats | None = None,
          **filters) -> int:
    """Write a FeatureCollection; returns the number of features written."""
    stats = stats if stats is not None else ExportStats()
    out.write('{"type": "FeatureCollection", "features": [')
    for ev in iter_events(store, clearance=clearance, **filters):
        f = feature(ev)
        if f is None:
            stats.skip("no coordinates")
            continue
        out.write(("\n" if not stats.written else ",\n") + json.dumps(f, ensure_ascii=False, allow_nan=False))
        stats.written += 1
    out.write("\n]}\n")
    return stats.written


def _check_position(pos, where: str) -> list[str]:
    if not isinstance(pos, list) or len(pos) not in (2, 3):
        return [f"{where}: a position is an array of 2 or 3 numbers"]
    nums = [_coordinate(x) for x in pos]
    if any(x is None for x in nums):
        return [f"{where}: position members must be finite numbers"]
    lon, lat = nums[0], nums[1]
    errs = []
    if not -180 <= lon <= 180:
        errs.append(f"{where}: longitude {lon} out of range (is the order lon, lat?)")
    if not -90 <= lat <= 90:
        errs.append(f"{where}: latitude {lat} out of range (is the order lon, lat?)")
    return errs


def check_geojson(doc) -> list[str]:
    """RFC 7946 problems of a parsed FeatureCollection of Point features (empty list: valid)."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return ["top level: must be an object with type FeatureCollection"]
    errs = []
    if "crs" in doc:
        errs.append("top level: RFC 7946 removed the crs member")
    feats = doc.get("features")
    if not isinstance(feats, list):
        return errs + ["top level: features must be an array"]
    for n, f in enumerate(feats):
        where = f"feature {n}"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            errs.append(f"{where}: type must be Feature")
            continue
        if "crs" in f:
            errs.append(f"{where}: crs member not allowed")
        if "id" in f and (isinstance(f["id"], bool) or not isinstance(f["id"], (str, int, float))):
            errs.append(f"{where}: id must be a string or a number")
        if "properties" not in f or not (f["properties"] is None or isinstance(f["properties"], dict)):
            errs.append(f"{where}: properties must be an object or null")
        g = f.get("geometry", "missing")
        if g is None:
            continue
        if not isinstance(g, dict) or g.get("type") != "Point" or "coordinates" not in g:
            errs.append(f"{where}: geometry must be a Point with coordinates")
            continue
        errs.extend(_check_position(g["coordinates"], where))
    return errs
