"""The KPI report draws native Excel charts (chart objects over the sheet's own cells), not
only tables."""

from __future__ import annotations

import io

import openpyxl
import pytest

from services.access.roles import cli_actor
from services.analysis import report
from services.analysis.filters import DashboardFilter
from tests.support import dashboard_data as data

pytestmark = pytest.mark.usefixtures("dashboard_clock")


def _refs(chart) -> list[str]:
    out = []
    for plot in [chart, *getattr(chart, "_charts", [])]:
        for series in plot.series:
            out.append(series.val.numRef.f)
            if series.cat is not None:
                ref = series.cat.strRef or series.cat.numRef
                out.append(ref.f)
    return out


def test_the_report_has_native_charts_over_its_tables(db) -> None:
    data.build(db)
    flt = DashboardFilter.for_period("year", today=data.TODAY)
    content = report.build_report(db, cli_actor(True), flt, "zh")
    wb = openpyxl.load_workbook(io.BytesIO(content))
    charted = {ws.title: ws._charts for ws in wb.worksheets if ws._charts}
    # Failed before: no sheet held a chart.
    for title in ("满意度分布", "月度续约率与目标", "月度投诉量与处理时长", "客户经理业绩一览",
                  "流失预警规则"):
        assert title in charted, (title, sorted(charted))
    for title, charts in charted.items():
        ws = wb[title]
        for chart in charts:
            refs = _refs(chart)
            assert refs, title
            for ref in refs:
                sheet, cells = ref.rsplit("!", 1)
                assert sheet.strip("'") == title
                first, _, last = cells.replace("$", "").partition(":")
                last = last or first
                assert int(first[1:]) == 2 and int(last[1:]) <= ws.max_row
    # A total row is not a category of the chart.
    rules = wb["流失预警规则"]
    ref = _refs(charted["流失预警规则"][0])[0]
    assert ref.endswith(f"${rules.max_row - 1}")
