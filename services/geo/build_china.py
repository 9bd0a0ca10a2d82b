"""Rebuild ``china_provinces.geojson`` from Apache ECharts 4.x's ``map/json/china.json``, and
``south_china_sea_inset.geojson`` (the 南海诸岛 inset) from its ``lib/coord/geo/fix/nanhai.js``.

Run once by a developer, never by the app (the result is committed next to this file)::

    npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz
    .venv/bin/python -m services.geo.build_china package/map/json/china.json

ECharts stores each ring as a string: every coordinate is a zig-zag encoded delta from the
previous point, in characters offset by 64, scaled by 1024 (``UTF8Encoding``; see ECharts'
``src/coord/geo/parseGeoJson.js``). This script decodes the rings, renames the 34 features to
the full names of ``core.regions`` (ECharts uses the short forms), rounds coordinates to
``DECIMALS`` places (about 1 km: a national map needs no more), drops repeated points and
slivers, and orients rings as plotly's geo (d3-geo, spherical) expects: exterior rings
clockwise, holes counter-clockwise (the reverse of RFC 7946), else a province fills the globe.

ECharts draws the 南海诸岛 inset of Chinese national maps (the coast, the ten dashes and a frame,
placed east of Taiwan) from the ``points`` of ``nanhai.js``, in units of 1/10.5 degree east and
0.75/10.5 degree south of ``geoCoord``; they are converted the same way here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from core.regions import PROVINCES, SHORT_NAME

OUT = Path(__file__).with_name("china_provinces.geojson")
INSET_OUT = Path(__file__).with_name("south_china_sea_inset.geojson")
INSET_NAME = "南海诸岛"
DECIMALS = 2
TOLERANCE = 0.03  # degrees (about 3 km) for Douglas-Peucker; a screen pixel is about 0.07°
MIN_POINTS = 4  # a closed ring needs at least three distinct points


def decode_ring(text: str, offset: list[int], scale: float = 1024.0) -> list[list[float]]:
    points = []
    prev_x, prev_y = offset
    for i in range(0, len(text), 2):
        x = ord(text[i]) - 64
        y = ord(text[i + 1]) - 64
        x = (x >> 1) ^ -(x & 1)
        y = (y >> 1) ^ -(y & 1)
        prev_x += x
        prev_y += y
        points.append([prev_x / scale, prev_y / scale])
    return points


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise (x east, y north)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1],
                                                                strict=True)) / 2


def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on an open polyline (iterative, keeps both ends)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, index = 0.0, -1
        for i in range(lo + 1, hi):
            d = _distance(points[i], points[lo], points[hi])
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(lo, index), (index, hi)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def clean_ring(ring: list[list[float]], exterior: bool) -> list[list[float]] | None:
    if len(ring) > 8:
        # Split at the point farthest from the first, so a closed ring keeps its shape.
        far = max(range(len(ring)), key=lambda i: _distance(ring[i], ring[0], ring[0]))
        simpler = simplify(ring[:far + 1], TOLERANCE)[:-1] + simplify(ring[far:] + ring[:1],
                                                                      TOLERANCE)
        if len(simpler) >= MIN_POINTS:
            ring = simpler
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    if len(out) < MIN_POINTS or abs(signed_area(out[:-1])) < 10 ** (-2 * DECIMALS):
        return None
    clockwise = signed_area(out[:-1]) < 0
    if clockwise != exterior:
        out.reverse()
    return out


def convert(source: dict) -> dict:
    scale = float(source.get("UTF8Scale") or 1024)
    full_by_short = {short: full for full, short in SHORT_NAME.items()}
    features = []
    for feature in source["features"]:
        geometry = feature["geometry"]
        offsets = geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            polygons = [(geometry["coordinates"], offsets)]
        else:
            polygons = list(zip(geometry["coordinates"], offsets, strict=True))
        out = []
        for rings, ring_offsets in polygons:
            decoded = [clean_ring(decode_ring(r, o, scale), exterior=k == 0)
                       for k, (r, o) in enumerate(zip(rings, ring_offsets, strict=True))]
            if decoded[0] is not None:
                out.append([decoded[0], *(r for r in decoded[1:] if r is not None)])
        name = full_by_short[feature["properties"]["name"]]
        features.append({"type": "Feature", "id": name, "properties": {"name": name},
                         "geometry": {"type": "MultiPolygon", "coordinates": out}})
    features.sort(key=lambda f: PROVINCES.index(f["id"]))
    missing = set(PROVINCES) - {f["id"] for f in features}
    if missing:
        raise SystemExit(f"no boundary for {sorted(missing)}")
    return {"type": "FeatureCollection", "features": features}


def _js_array(source: str, name: str) -> list:
    match = re.search(rf"var {name} = (\[.*?\]);", source, re.S)
    if match is None:
        raise SystemExit(f"no {name} in nanhai.js")
    return json.loads(match.group(1))


def convert_inset(source: str) -> dict:
    """The inset's polygons in degrees (ECharts' own transform), clockwise for plotly."""
    lon0, lat0 = _js_array(source, "geoCoord")
    polygons = []
    for points in _js_array(source, "points"):
        ring = [[round(lon0 + x / 10.5, 4), round(lat0 - y * 0.75 / 10.5, 4)] for x, y in points]
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        if signed_area(ring[:-1]) > 0:
            ring.reverse()
        polygons.append([ring])
    feature = {"type": "Feature", "id": INSET_NAME, "properties": {"name": INSET_NAME},
               "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
    return {"type": "FeatureCollection", "features": [feature]}


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    print(f"{path}: {len(data['features'])} features, {path.stat().st_size:,} bytes")


def main(argv: list[str]) -> None:
    china = Path(argv[0])
    _write(OUT, convert(json.loads(china.read_text(encoding="utf-8"))))
    nanhai = china.parents[2] / "lib" / "coord" / "geo" / "fix" / "nanhai.js"
    _write(INSET_OUT, convert_inset(nanhai.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main(sys.argv[1:])
