"""Map data shipped with the project (never downloaded at run time).

``china_provinces()`` is a GeoJSON FeatureCollection of China's 34 provincial-level divisions,
one feature per province whose ``id`` is the full name ``core.regions.PROVINCES`` uses, so a
choropleth joins it to ``customers.province`` directly. ``south_china_sea_inset()`` is the
南海诸岛 inset every national map published in China must carry (without it the map is a
问题地图), from the same package. Source and licence: ``NOTICE.md`` here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("china_provinces.geojson")
INSET = Path(__file__).with_name("south_china_sea_inset.geojson")


@cache
def china_provinces() -> dict[str, Any]:
    """The province boundaries (read once per process; treat the result as read-only)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def province_names() -> list[str]:
    return [feature["id"] for feature in china_provinces()["features"]]


@cache
def south_china_sea_inset() -> dict[str, Any]:
    """The 南海诸岛 inset (coast, dashes and frame) as one feature, drawn beside the provinces
    (read once per process; treat the result as read-only)."""
    return json.loads(INSET.read_text(encoding="utf-8"))
