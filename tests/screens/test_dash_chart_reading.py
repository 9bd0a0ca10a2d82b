"""Charts a person can read: integer ticks on counts, data labels not cut off at the top,
and an unchanged KPI shown as unchanged (no arrow, no colour)."""

from __future__ import annotations

import plotly.graph_objects as go
from streamlit.testing.v1 import AppTest

from components import charts

MONTHS = ["2026-01", "2026-02", "2026-03"]


def _integer_ticks(axis) -> bool:
    """The ticks plotly draws are whole numbers: fixed tick values that are all integers,
    or a whole-number step from 0. Automatic ticks on a 0–2 range step by 0.5 (0,1,1,2,2)."""
    if axis.tickvals is not None:
        return all(float(v).is_integer() for v in axis.tickvals)
    return (axis.dtick is not None and float(axis.dtick).is_integer() and axis.dtick >= 1
            and axis.tick0 in (None, 0))


def test_count_axes_tick_whole_numbers() -> None:
    for fig, axis in (
        (charts.bars([("a", 2), ("b", 1)], label=str), "yaxis"),
        (charts.bars([("a", 7), ("b", 1)], label=str), "yaxis"),
        (charts.bars([("a", 2), ("b", 1)], label=str, horizontal=True), "xaxis"),
        (charts.bars([("a", 2300), ("b", 11)], label=str), "yaxis"),
        (charts.complaint_trend(MONTHS, [1, 2, 0], [90.0, None, None]), "yaxis"),
        (charts.stacked_months(MONTHS, [("已续约", [1, 0, 2]), ("跟进中", [0, 1, 0])],
                               palette=charts.OUTCOME_COLORS, label=str), "yaxis"),
    ):
        assert _integer_ticks(fig.layout[axis]), (fig.data[0].type, axis, fig.layout[axis])


def test_the_map_legend_ticks_whole_customers() -> None:
    fig = charts.province_map([("广东省", 2), ("北京市", 1)])
    assert _integer_ticks(fig.data[0].colorbar)


def _top(fig: go.Figure, axis: str) -> float:
    rng = fig.layout[axis].range
    assert rng is not None, f"{axis} autoranges: no room above the highest label"
    return rng[1]


def test_top_data_labels_have_room() -> None:
    vertical = charts.bars([(m, n) for m, n in zip(MONTHS * 8, range(1, 25), strict=True)],
                           label=str, show_share=False)
    assert _top(vertical, "yaxis") >= 24 * 1.15
    two_lines = charts.bars([("a", 40), ("b", 10)], label=str)
    assert _top(two_lines, "yaxis") >= 40 * 1.25
    horizontal = charts.bars([("a", 40), ("b", 10)], label=str, horizontal=True)
    assert _top(horizontal, "xaxis") >= 40 * 1.25
    renewal = charts.renewal_trend(MONTHS, [1.0, 0.5, None], [90.0, 90.0, 90.0], [2, 1, 0],
                                   [2, 2, 0], [0, 0, 1])
    assert _top(renewal, "yaxis") >= 100 * 1.15
    satisfaction = charts.satisfaction_trend(MONTHS, [5.0, 4.0, None], [1.0, 0.5, None],
                                             [2, 2, 0])
    for fig in (vertical, two_lines, horizontal, renewal, satisfaction):
        for trace in fig.data:
            if trace.text is not None and any(trace.text):
                assert trace.cliponaxis is False, trace.name


def test_unchanged_at_the_precision_shown() -> None:
    from services.analysis.kpis import unchanged

    assert unchanged("count", 0)
    assert not unchanged("count", 1)
    assert unchanged("percent", 0.0004)      # +0.0 个百分点
    assert not unchanged("percent", 0.001)
    assert unchanged("score", 0.004)
    assert unchanged("minutes", 2)           # +0.0 小时
    assert not unchanged("minutes", 6)
    assert unchanged("money", 0)
    assert not unchanged("count", None)


def _card_app(key: str, value, previous) -> None:
    from components import kpi_cards
    from services.analysis.kpis import Kpi

    kpi_cards.card(Kpi(key, value, previous))


def test_an_unchanged_card_has_no_arrow_and_no_colour() -> None:
    at = AppTest.from_function(_card_app, args=("customers_new", 5, 5)).run()
    assert not at.exception, at.exception
    metric = at.metric[0].proto
    assert metric.delta == "持平"                   # was "+0", green, arrow up
    assert metric.color == metric.MetricColor.GRAY
    assert metric.direction == metric.MetricDirection.NONE
    at = AppTest.from_function(_card_app, args=("customers_new", 6, 5)).run()
    metric = at.metric[0].proto
    assert metric.delta == "+1"
    assert metric.color == metric.MetricColor.GREEN
    assert metric.direction == metric.MetricDirection.UP

