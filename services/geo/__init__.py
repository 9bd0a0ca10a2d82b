"""Map data shipped with the project (never downloaded at run time).

``china_provinces()`` is a GeoJSON FeatureCollection of China's 34 provincial-level divisions,
one feature per province whose ``id`` is the full name ``services.regions.PROVINCES`` uses, so a
choropleth joins it to ``customers.province`` directly. Source and licence: ``NOTICE.md`` here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("china_provinces.geojson")


@cache
def china_provinces() -> dict[str, Any]:
    """The province boundaries (read once per process; treat the result as read-only)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def province_names() -> list[str]:
    return [feature["id"] for feature in china_provinces()["features"]]
