"""Bug 12: the map of China carries the 南海诸岛 inset of every national map published in
China (without it the map is a 问题地图)."""

from __future__ import annotations

from components.charts import province_map
from services.geo.build_china import signed_area


def _inset_trace(fig):
    return [tr for tr in fig.data if tr.type == "choropleth"
            and [f["id"] for f in tr.geojson["features"]] == ["南海诸岛"]]


def test_the_map_draws_the_south_china_sea_inset() -> None:
    fig = province_map([("广东省", 10), ("北京市", 3)])
    (inset,) = _inset_trace(fig)
    polygons = inset.geojson["features"][0]["geometry"]["coordinates"]
    # ECharts' inset: the coast at the top, ten dashes and the frame around them.
    assert len(polygons) == 12
    lon_range, lat_range = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    for polygon in polygons:
        (ring,) = polygon
        assert ring[0] == ring[-1] and signed_area(ring[:-1]) < 0  # clockwise, as plotly wants
        for lon, lat in ring:
            assert lon_range[0] <= lon <= lon_range[1] and lat_range[0] <= lat <= lat_range[1]
    # Drawn, not data: no colour scale, no hover, no click (hoverinfo "skip" fires no event).
    assert inset.showscale is False and inset.hoverinfo == "skip"
    assert list(inset.locations) == ["南海诸岛"]
    # The province trace stays the first one (clicks and tests read it).
    assert fig.data[0].type == "choropleth" and len(fig.data[0].locations) == 34
    labels = [tr for tr in fig.data if tr.type == "scattergeo"]
    assert labels and labels[0].text[0] == "南海诸岛" and labels[0].hoverinfo == "skip"


def test_an_empty_map_has_no_inset_either() -> None:
    assert not _inset_trace(province_map([]))
