"""Build src/letopis/serve/static/borders.geojson from world-atlas's TopoJSON (Natural Earth, public domain).

    npm pack world-atlas && tar xzf world-atlas-*.tgz
    python tools/build_borders.py package/countries-50m.json

Decodes the quantized, delta-encoded arcs (TopoJSON spec 2.1) and writes one
Feature per country with coordinates rounded to 2 decimals (~1 km), which keeps
the file under 1 MB.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

MIN_STEP = 0.1
OUT = Path(__file__).resolve().parents[1] / "src/letopis/serve/static/borders.geojson"


def decode_arcs(topo: dict, digits: int) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx; y += dy
            pts.append((round(x * sx + tx, digits), round(y * sy + ty, digits)))
        arcs.append(pts)
    return arcs


def ring(indexes: list[int], arcs) -> list[list[float]]:
    out: list = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    cleaned = [list(out[0])]
    for p in out[1:]:            # thin: drop points closer than MIN_STEP degrees to the last kept one
        if abs(p[0] - cleaned[-1][0]) + abs(p[1] - cleaned[-1][1]) >= MIN_STEP:
            cleaned.append(list(p))
    if cleaned[0] != cleaned[-1]:
        cleaned.append(cleaned[0])
    return cleaned


def build(src: str, digits: int = 2) -> dict:
    topo = json.loads(Path(src).read_text())
    arcs = decode_arcs(topo, digits)
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        coords = [[r for r in (ring(rr, arcs) for rr in poly) if len(r) >= 4] for poly in polys]
        coords = [p for p in coords if p]
        if coords:
            feats.append({"type": "Feature", "properties": {"name": g.get("properties", {}).get("name")},
                          "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    return {"type": "FeatureCollection", "features": feats}


if __name__ == "__main__":
    data = build(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    OUT.write_text(json.dumps(data, separators=(",", ":")))
    print(f"{OUT}: {len(data['features'])} countries, {OUT.stat().st_size} bytes")
