"""Plotly figure builders of the dashboards: one palette, large type, Chinese labels.

Every builder takes plain values (stored vocabulary keys and numbers, as the aggregates of
``services.analysis`` return them) and returns a ``go.Figure``; labels are translated here
(``lbl`` for stored values, ``tr`` for wording). A point's ``customdata`` is its stored key, so
a click can open the customer lookup filtered to it (``show`` returns the clicked keys).

Colours mean the same thing on every chart: a tier, a satisfaction level, a complaint status,
a renewal outcome, a lifecycle stage or a customer type always has its own colour.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any, Final

import plotly.graph_objects as go
import streamlit as st

from components.i18n import lbl, tr
from core.vocab import ComplaintStatus, CustomerType, Lifecycle, RenewalOutcome, Tier
from services.geo import china_provinces, south_china_sea_inset

FONT: Final = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", ' \
    'sans-serif'
BASE_SIZE: Final = 17  # readable from the back of a meeting room
HEIGHT: Final = 400

PRIMARY: Final = "#2563EB"
SECONDARY: Final = "#F59E0B"
TARGET: Final = "#DC2626"
GOOD: Final = "#16A34A"
NEUTRAL: Final = "#94A3B8"
GRID: Final = "#E2E8F0"
TEXT: Final = "#1E293B"

TIER_COLORS: Final = {Tier.SILVER: "#94A3B8", Tier.GOLD: "#EAB308", Tier.PLATINUM: "#0EA5A4",
                      Tier.DIAMOND: "#6D28D9"}
SATISFACTION_COLORS: Final = {5: "#15803D", 4: "#84CC16", 3: "#FACC15", 2: "#F97316",
                              1: "#DC2626"}
STATUS_COLORS: Final = {ComplaintStatus.OPEN: "#DC2626", ComplaintStatus.IN_PROGRESS: "#F59E0B",
                        ComplaintStatus.RESOLVED: "#2563EB", ComplaintStatus.CLOSED: "#94A3B8"}
OUTCOME_COLORS: Final = {RenewalOutcome.RENEWED: "#16A34A", RenewalOutcome.IN_PROGRESS: "#F59E0B",
                         RenewalOutcome.NOT_RENEWED: "#DC2626", "": "#CBD5E1"}
LIFECYCLE_COLORS: Final = {Lifecycle.PROSPECT: "#A78BFA", Lifecycle.NEW: "#38BDF8",
                           Lifecycle.STABLE: "#22C55E", Lifecycle.LOYAL: "#0F766E",
                           Lifecycle.CHURNED: "#EF4444"}
TYPE_COLORS: Final = {CustomerType.PERSONAL: "#3B82F6", CustomerType.ENTERPRISE: "#F97316",
                      CustomerType.INSTITUTION: "#8B5CF6"}
QUALITATIVE: Final = ("#2563EB", "#F97316", "#10B981", "#A855F7", "#EAB308", "#EC4899",
                      "#14B8A6", "#64748B", "#84CC16", "#F43F5E")
MAP_SCALE: Final = ((0.0, "#EFF6FF"), (0.25, "#BFDBFE"), (0.5, "#60A5FA"), (0.75, "#2563EB"),
                    (1.0, "#1E3A8A"))
NO_DATA_FILL: Final = "#F1F5F9"
NEUTRAL_TEXT: Final = "#475569"
MAP_PARALLELS: Final = (25.0, 47.0)  # the conic projection of the map of China
MAP_LON: Final = 105.0

# plotly's geo subplot fetches a world outline from the internet even when it draws none;
# an empty topology given inline keeps the map working without any download.
PLOTLY_CONFIG: Final = {
    "displaylogo": False,
    # toImage: "Download plot as png" saves a file in the browser, where no audit entry can be
    # written; every chart's data is a sheet of the audited KPI report instead.
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
    "topojsonURL": 'data:application/json,{"type":"Topology","objects":{},"arcs":[]}#',
}


def safe(text: object) -> str:
    """A label for plotly, which reads a few HTML tags in text: user text stays literal."""
    return html.escape("" if text is None else str(text), quote=False)


def colors_for(keys: Sequence[Any], palette: dict[Any, str] | None) -> list[str]:
    if palette:
        return [palette.get(k, NEUTRAL) for k in keys]
    return [QUALITATIVE[i % len(QUALITATIVE)] for i in range(len(keys))]


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def count_step(top: float, ticks: int = 5) -> int:
    """A whole-number tick step (1, 2, 5 × 10ⁿ) giving about ``ticks`` ticks up to ``top``:
    plotly's own choice on a 0–2 axis is 0.5, which a whole-number format prints 0,1,1,2,2."""
    raw = top / ticks
    if raw <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(int(m * magnitude) for m in (1, 2, 5, 10) if m * magnitude >= raw)


def count_axis(top: float, *, headroom: float = 1.15, fmt: str = ",d") -> dict[str, Any]:
    """A value axis of counts: whole-number ticks from 0, and room above the highest bar
    for its label (a label outside the plot area is cut off at the top)."""
    end = max(float(top), 1.0) * headroom
    return {"range": [0, end], "tick0": 0, "dtick": count_step(end), "tickformat": fmt}


def _layout(fig: go.Figure, *, height: int = HEIGHT, legend: bool = True) -> go.Figure:
    fig.update_layout(
        template="plotly_white", height=height,
        font={"family": FONT, "size": BASE_SIZE, "color": TEXT},
        margin={"l": 10, "r": 10, "t": 40 if legend else 16, "b": 10},
        hoverlabel={"font": {"family": FONT, "size": BASE_SIZE}},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                "font": {"size": BASE_SIZE - 1}, "title": None},
        bargap=0.25, separators=".,", clickmode="event+select", dragmode=False,
    )
    fig.update_xaxes(gridcolor=GRID, automargin=True, tickfont={"size": BASE_SIZE - 1},
                     title={"font": {"size": BASE_SIZE - 1}})
    fig.update_yaxes(gridcolor=GRID, automargin=True, tickfont={"size": BASE_SIZE - 1},
                     title={"font": {"size": BASE_SIZE - 1}})
    return fig


def empty_figure(message: str | None = None, *, height: int = 220) -> go.Figure:
    """A blank chart that says there is nothing to show (instead of empty axes)."""
    fig = go.Figure()
    fig.add_annotation(text=message or tr("charts.no_data"), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font={"size": BASE_SIZE + 2, "color": NEUTRAL})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=height, legend=False)


# ---- generic ---------------------------------------------------------------------------------

def bars(items: Sequence[tuple[Any, float]], *, palette: dict[Any, str] | None = None,
         label: Callable[[Any], str] = lbl, horizontal: bool = False, value_name: str = "",
         fmt: str = ",.0f", height: int = HEIGHT, clickable: bool = True,
         show_share: bool = True, share_of: float | None = None) -> go.Figure:
    """One bar per key (in the given order), coloured by ``palette`` and labelled with the
    value (and its share of the total: ``share_of`` when the bars are only the top few)."""
    if not items or not any(v for _, v in items):
        return empty_figure()
    keys = [k for k, _ in items]
    values = [v for _, v in items]
    names = [safe(label(k)) for k in keys]
    total = share_of or sum(values) or 1
    joiner = " · " if horizontal else "<br>"
    text = [f"{v:{fmt}}{joiner}{v / total:.0%}" if show_share else f"{v:{fmt}}"
            for v in values]
    bar = go.Bar(
        x=values if horizontal else names, y=names if horizontal else values,
        orientation="h" if horizontal else "v", marker_color=colors_for(keys, palette),
        text=text, textposition="auto", textangle=0, cliponaxis=False,
        insidetextanchor="end" if horizontal else "middle",
        customdata=[[k] for k in keys] if clickable else None, name=value_name,
        hovertemplate=("%{y}" if horizontal else "%{x}") + f"<br>{safe(value_name)}: "
        + ("%{x:" if horizontal else "%{y:") + fmt + "}<extra></extra>",
    )
    fig = go.Figure(bar)
    # Room for the label of the longest bar when it does not fit inside: two lines above
    # a vertical bar, "1,234 · 12%" beside a horizontal one.
    headroom = 1.3 if show_share else 1.18
    if fmt.endswith(("0f", "d")):
        value_axis = count_axis(max(values), headroom=headroom, fmt=fmt)
    else:
        value_axis = {"tickformat": fmt, "range": [0, max(values) * headroom]}
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category")
        fig.update_xaxes(**value_axis)
        height = max(height, 60 + 42 * len(items))
    else:
        fig.update_xaxes(type="category", tickangle=-45 if len(items) > 8 else None)
        fig.update_yaxes(**value_axis)
    fig.update_layout(uniformtext={"minsize": BASE_SIZE - 5, "mode": "hide"})
    return _layout(fig, height=height, legend=False)


def donut(items: Sequence[tuple[Any, float]], *, palette: dict[Any, str] | None = None,
          label: Callable[[Any], str] = lbl, height: int = HEIGHT) -> go.Figure:
    if not items or not any(v for _, v in items):
        return empty_figure()
    keys = [k for k, v in items if v]
    fig = go.Figure(go.Pie(
        labels=[safe(label(k)) for k in keys], values=[v for _, v in items if v], hole=0.5,
        marker={"colors": colors_for(keys, palette), "line": {"color": "white", "width": 2}},
        customdata=[[k] for k in keys], sort=False, direction="clockwise",
        texttemplate="%{label}<br>%{percent:.1%}", textposition="outside",
        hovertemplate="%{label}: %{value:,} (%{percent})<extra></extra>",
    ))
    fig = _layout(fig, height=height, legend=False)
    fig.update_layout(margin={"l": 40, "r": 40, "t": 30, "b": 30})
    return fig


def stacked_months(labels: Sequence[str], series: Sequence[tuple[Any, Sequence[int]]], *,
                   palette: dict[Any, str] | None, label: Callable[[Any], str] = lbl,
                   height: int = HEIGHT) -> go.Figure:
    """Monthly stacked bars, one trace per key (a click gives ``[month, key]``)."""
    if not any(sum(v) for _, v in series):
        return empty_figure()
    fig = go.Figure()
    colors = dict(zip([k for k, _ in series], colors_for([k for k, _ in series], palette),
                      strict=True))
    for key, values in series:
        if not any(values):
            continue
        fig.add_bar(x=list(labels), y=list(values), name=safe(label(key)),
                    marker_color=colors[key], customdata=[[m, key] for m in labels],
                    hovertemplate="%{x} · " + safe(label(key)) + ": %{y:,}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(**count_axis(max(sum(col) for col in zip(*(v for _, v in series),
                                                                   strict=True))))
    return _layout(fig, height=height)


# ---- satisfaction ----------------------------------------------------------------------------

def satisfaction_levels() -> list[tuple[int, str]]:
    from core.vocab import SATISFACTION_LABELS

    return [(s, lbl(SATISFACTION_LABELS[s])) for s in (5, 4, 3, 2, 1)]


def satisfaction_distribution(counts: Sequence[int]) -> go.Figure:
    """``counts`` in score order 5 … 1."""
    levels = satisfaction_levels()
    return bars([(s, n) for (s, _), n in zip(levels, counts, strict=True)],
                palette=SATISFACTION_COLORS, label=dict(levels).get, horizontal=True,
                value_name=tr("charts.surveys"), clickable=False)


def satisfaction_trend(labels: Sequence[str], averages: Sequence[float | None],
                       shares: Sequence[float | None], counts: Sequence[int]) -> go.Figure:
    """Share satisfied (bars, left axis, %) and the average score (line, right axis, 1-5)."""
    if not any(counts):
        return empty_figure()
    fig = go.Figure()
    fig.add_bar(x=list(labels), y=[None if s is None else s * 100 for s in shares],
                name=tr("charts.share_satisfied"), marker_color="#86EFAC",
                customdata=list(counts),
                hovertemplate="%{x}<br>" + tr("charts.share_satisfied")
                + ": %{y:.1f}%<br>" + tr("charts.surveys") + ": %{customdata:,}<extra></extra>")
    fig.add_scatter(x=list(labels), y=list(averages), name=tr("charts.average_score"),
                    mode="lines+markers+text", yaxis="y2", connectgaps=False,
                    line={"color": SATISFACTION_COLORS[5], "width": 4}, marker={"size": 10},
                    text=[f"{a:.2f}" if a is not None else "" for a in averages],
                    textposition="top center", textfont={"size": BASE_SIZE - 3},
                    cliponaxis=False,
                    hovertemplate="%{x}<br>" + tr("charts.average_score")
                    + ": %{y:.2f}<extra></extra>")
    fig.update_layout(
        # Bars in the lower part, the score line above them: the two never hide each other.
        yaxis={"title": {"text": tr("charts.share_satisfied_axis")}, "range": [0, 165],
               "tickvals": [0, 25, 50, 75, 100],
               "ticktext": ["0%", "25%", "50%", "75%", "100%"]},
        yaxis2={"title": {"text": tr("charts.average_score")}, "overlaying": "y",
                "side": "right", "range": [-1.5, 5.6], "showgrid": False, "tickmode": "array",
                "tickvals": [1, 2, 3, 4, 5]},
    )
    fig.update_xaxes(type="category")
    return _layout(fig)


def satisfaction_by_group(groups: Sequence[tuple[Any, str, Sequence[int]]], *,
                          clickable: bool = True) -> go.Figure:
    """100% stacked horizontal bars: for each group (key, label, counts 5…1) the share of each
    level; the group's average score and number of surveys under its name."""
    groups = [g for g in groups if sum(g[2])]
    if not groups:
        return empty_figure()
    fig = go.Figure()
    names = []
    for _, name, counts in groups:
        n = sum(counts)
        avg = sum(s * c for s, c in zip((5, 4, 3, 2, 1), counts, strict=True)) / n
        names.append(f"<b>{safe(name)}</b><br><span style='font-size:{BASE_SIZE - 4}px'>"
                     + tr("charts.avg_and_n", avg=f"{avg:.2f}", n=f"{n:,}") + "</span>")
    for i, (score, level) in enumerate(satisfaction_levels()):
        shares = [c[i] / sum(c) * 100 for _, _, c in groups]
        fig.add_bar(
            y=names, x=shares, orientation="h", name=level,
            marker_color=SATISFACTION_COLORS[score],
            text=[f"{s:.0f}%" if s >= 12 else "" for s in shares], textposition="inside",
            textangle=0, insidetextanchor="middle",
            customdata=[[key if clickable else None, c[i]] for key, _, c in groups],
            hovertemplate="%{y} · " + level + ": %{x:.1f}% (%{customdata[1]:,})<extra></extra>")
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(range=[0, 100], ticksuffix="%", tickvals=[0, 25, 50, 75, 100])
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, height=max(280, 120 + 62 * len(groups)))


# ---- renewals --------------------------------------------------------------------------------

def renewal_trend(labels: Sequence[str], rates: Sequence[float | None],
                  targets: Sequence[float | None], renewed: Sequence[int],
                  decided: Sequence[int], pending: Sequence[int]) -> go.Figure:
    """Renewal rate per month (bars, green at or above target, red below) and the target
    (dashed line). ``rates`` are fractions, ``targets`` percents."""
    if not any(decided) and not any(pending):
        return empty_figure()
    values = [None if r is None else r * 100 for r in rates]
    colors = [GOOD if t is None or v is None or v >= t else TARGET
              for v, t in zip(values, targets, strict=True)]
    fig = go.Figure()
    fig.add_bar(x=list(labels), y=values, name=tr("charts.renewal_rate"),
                marker_color=colors,
                customdata=[list(row) for row in zip(renewed, decided, pending, labels,
                                                     strict=True)],
                text=[f"{v:.0f}%" if v is not None else "" for v in values],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{x}<br>" + tr("charts.renewal_rate") + ": %{y:.1f}%<br>"
                + tr("charts.renewal_counts") + "<extra></extra>")
    if any(t is not None for t in targets):
        fig.add_scatter(x=list(labels), y=list(targets), name=tr("charts.target"),
                        mode="lines+markers", line={"color": TARGET, "width": 3, "dash": "dash",
                                                    "shape": "hvh"},
                        marker={"size": 8}, connectgaps=False,
                        hovertemplate="%{x}<br>" + tr("charts.target") + ": %{y:.1f}%"
                        "<extra></extra>")
    # 120: room above a 100% bar for its label.
    fig.update_layout(yaxis={"range": [0, 120], "ticksuffix": "%",
                             "tickvals": [0, 20, 40, 60, 80, 100]})
    fig.update_xaxes(type="category")
    return _layout(fig)


# ---- complaints ------------------------------------------------------------------------------

def complaint_trend(labels: Sequence[str], counts: Sequence[int],
                    medians: Sequence[float | None]) -> go.Figure:
    """Complaints received per month (bars) and the median resolution time in hours (line,
    right axis)."""
    if not any(counts) and not any(m is not None for m in medians):
        return empty_figure()
    hours = [None if m is None else m / 60 for m in medians]
    fig = go.Figure()
    fig.add_bar(x=list(labels), y=list(counts), name=tr("charts.complaints_received"),
                marker_color="#93C5FD",
                hovertemplate="%{x}<br>" + tr("charts.complaints_received")
                + ": %{y:,}<extra></extra>")
    fig.add_scatter(x=list(labels), y=hours, name=tr("charts.median_hours"), yaxis="y2",
                    mode="lines+markers", line={"color": SECONDARY, "width": 4},
                    marker={"size": 10}, connectgaps=False,
                    hovertemplate="%{x}<br>" + tr("charts.median_hours")
                    + ": %{y:.1f}<extra></extra>")
    top = max([h for h in hours if h is not None], default=1)
    fig.update_layout(
        yaxis={"title": {"text": tr("charts.complaints_axis")},
               **count_axis(max(counts, default=0))},
        yaxis2={"title": {"text": tr("charts.hours_axis")}, "overlaying": "y", "side": "right",
                "range": [0, top * 1.25], "showgrid": False, "tickmode": "auto",
                "tickformat": ",.0f"},
    )
    fig.update_xaxes(type="category")
    return _layout(fig)


# ---- composition -----------------------------------------------------------------------------

def province_map(items: Sequence[tuple[str, int]], *, height: int = 560) -> go.Figure:
    """Customers per province on a map of China (the boundaries ship with the project)."""
    counts = {k: v for k, v in items if k}
    if not any(counts.values()):
        return empty_figure(height=height)
    geo = china_provinces()
    names = [f["id"] for f in geo["features"]]
    values = [counts.get(n, 0) for n in names]
    fig = go.Figure(go.Choropleth(
        geojson=geo, featureidkey="id", locations=names, z=values,
        colorscale=[list(p) for p in MAP_SCALE], zmin=0, zmax=max(values) or 1,
        marker={"line": {"color": "white", "width": 1}}, customdata=[[n] for n in names],
        colorbar={"title": {"text": tr("charts.customers"), "side": "top"}, "thickness": 16,
                  "len": 0.7, "tickfont": {"size": BASE_SIZE - 2}, "tickformat": ",d",
                  "tick0": 0, "dtick": count_step(max(values))},
        hovertemplate="%{location}<br>" + tr("charts.customers") + ": %{z:,}<extra></extra>",
    ))
    _add_inset(fig)
    fig.update_geos(visible=False, projection_type="conic equal area",
                    projection_parallels=list(MAP_PARALLELS), projection_rotation_lon=MAP_LON,
                    lataxis_range=[17, 54], lonaxis_range=[73, 136], bgcolor="rgba(0,0,0,0)")
    fig = _layout(fig, height=height, legend=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0})
    return fig


def _upright(inset: dict[str, Any]) -> Callable[[float, float], list[float]]:
    """A turn of the inset's points by the angle the conic projection gives the meridians at
    its place, so its frame is drawn upright as on a printed map (else it would lean)."""
    points = [p for polygon in inset["features"][0]["geometry"]["coordinates"]
              for ring in polygon for p in ring]
    lon_c = (min(p[0] for p in points) + max(p[0] for p in points)) / 2
    lat_c = (min(p[1] for p in points) + max(p[1] for p in points)) / 2
    cone = sum(math.sin(math.radians(p)) for p in MAP_PARALLELS) / 2
    angle = math.radians(cone * (lon_c - MAP_LON))
    shrink = math.cos(math.radians(lat_c))

    def turn(lon: float, lat: float) -> list[float]:
        x, y = (lon - lon_c) * shrink, lat - lat_c
        x, y = x * math.cos(angle) + y * math.sin(angle), y * math.cos(angle) - x * math.sin(angle)
        return [round(lon_c + x / shrink, 4), round(lat_c + y, 4)]

    return turn


def _add_inset(fig: go.Figure) -> None:
    """The 南海诸岛 inset of every Chinese national map, drawn in a fixed grey: a map without
    it is a 问题地图. hoverinfo "skip" fires no click, so it never becomes a drill-through."""
    inset = south_china_sea_inset()
    feature = inset["features"][0]
    name, turn = feature["id"], _upright(inset)
    polygons = [[[turn(lon, lat) for lon, lat in ring] for ring in polygon]
                for polygon in feature["geometry"]["coordinates"]]
    upright = {"type": "FeatureCollection", "features": [
        {**feature, "geometry": {"type": "MultiPolygon", "coordinates": polygons}}]}
    label_lon, label_lat = turn(130.0, 19.15)  # inside the frame, bottom right
    fig.add_trace(go.Choropleth(
        geojson=upright, featureidkey="id", locations=[name], z=[0], showscale=False,
        colorscale=[[0, NEUTRAL], [1, NEUTRAL]], hoverinfo="skip",
        marker={"line": {"color": NEUTRAL, "width": 0.5}}))
    fig.add_trace(go.Scattergeo(
        lon=[label_lon], lat=[label_lat], mode="text", text=[tr("shell.map.south_china_sea")],
        textfont={"size": BASE_SIZE - 3, "color": NEUTRAL_TEXT}, hoverinfo="skip",
        showlegend=False))


def show(fig: go.Figure, key: str, *, clickable: bool = False) -> list[list[Any]]:
    """Render a figure; with ``clickable`` return the ``customdata`` of the clicked point(s)."""
    event = st.plotly_chart(fig, key=key, theme=None, config=PLOTLY_CONFIG,
                            on_select="rerun" if clickable else "ignore",
                            selection_mode="points")
    if not clickable or not event:
        return []
    points = (event.get("selection") or {}).get("points") or []
    out = []
    for point in points:
        data = point.get("customdata")
        if data is None and point.get("location"):
            data = [point["location"]]
        if data is not None:
            out.append(data if isinstance(data, list) else [data])
    return out
