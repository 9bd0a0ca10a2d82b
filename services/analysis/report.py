"""The KPI report: one ``.xlsx`` with a sheet per KPI table or chart, and the filters used.

Sheets come from a registry (``report_sheets``), so every dashboard module adds its own
datasets where it computes them::

    from services.analysis.report_sheets import ReportSheet, register

    register(ReportSheet(
        key="satisfaction.levels",                 # unique, stable
        title_key="dash.report.sheet.levels",      # catalog key of the sheet name
        headers=("dash.report.col.level", "dash.report.col.count"),  # catalog keys
        rows=lambda session, flt, lang: [...],     # aggregates only, in header order
        order=200,                                 # position in the workbook
    ))

``rows`` gets the session, the ``DashboardFilter`` and the language (for vocabulary labels:
``core.i18n.label(value, lang)``) and returns plain values (str, int, float, Decimal,
date); it should read through the module's cached function so the report costs no more than
the page. The modules of ``SHEET_MODULES`` are imported before a report is built, so a listed
module's ``register`` calls at import time are enough.

The report is audited as ``export.dashboard_report`` with the filters; it holds aggregates
only (no personal data), so every role that may see the dashboards may download it.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Sequence
from typing import Any, Final

from sqlalchemy.orm import Session

from core.i18n import label, t
from services.access import audit
from services.access.roles import Actor, Perm
from services.analysis.filters import DashboardFilter, period_label
from services.analysis.report_sheets import (
    ReportChart,
    ReportSheet,
    registered,
)
from services.excel.writer import Formats, column_widths, new_workbook, sheet_name, write_cell

FILTERS_ORDER: Final = 0


# The modules whose import registers report sheets, listed (not found by walking the package):
# a module adding a sheet adds itself here.
SHEET_MODULES: Final = ("services.analysis.kpis", "services.analysis.churn",
                        "services.analysis.chart_report")


def _discover() -> None:
    for name in SHEET_MODULES:
        importlib.import_module(name)


def sheets() -> list[ReportSheet]:
    """Every registered sheet, in workbook order."""
    _discover()
    return registered()


def filter_rows(flt: DashboardFilter, lang: str, managers: dict[int, str] | None = None
                ) -> list[tuple[str, str]]:
    """The filters sheet: (what, chosen) for the period, its comparison and each dimension."""
    everyone = t("dash.filter.all", lang)

    def listed(values: Sequence[Any], show: Callable[[Any], str]) -> str:
        return "、".join(show(v) for v in values) if values else everyone

    managers = managers or {}
    return [
        (t("dash.filter.kind", lang), t(f"dash.filter.kind.{flt.kind}", lang)),
        (t("dash.filter.period", lang), period_label(flt, lang)),
        (t("dash.report.range", lang), f"{flt.start.isoformat()} ~ {flt.end.isoformat()}"),
        (t("dash.report.previous", lang), period_label(flt.previous(), lang)),
        (t("dash.filter.province", lang), listed(flt.provinces, str)),
        (t("dash.filter.industry", lang), listed(flt.industries, lambda v: label(v, lang))),
        (t("dash.filter.tier", lang), listed(flt.tiers, lambda v: label(v, lang))),
        (t("dash.filter.type", lang), listed(flt.customer_types, lambda v: label(v, lang))),
        (t("dash.filter.manager", lang),
         listed(flt.manager_ids, lambda v: managers.get(v, str(v)))),
    ]


_FONT: Final = {"name": "Microsoft YaHei"}


def _chart(wb: Any, sheet: str, title: str, headers: Sequence[str], last: int,
           spec: ReportChart) -> Any:
    """The xlsxwriter chart of ``spec`` over rows 1..``last`` of ``sheet``."""
    chart = wb.add_chart({"type": spec.kind})
    categories = [sheet, 1, 0, last, 0]
    for col in spec.values:
        chart.add_series({"name": [sheet, 0, col], "categories": categories,
                          "values": [sheet, 1, col, last, col],
                          "data_labels": {"value": True}})
    if spec.line:
        line = wb.add_chart({"type": "line"})
        for col in spec.line:
            line.add_series({"name": [sheet, 0, col], "categories": categories,
                             "values": [sheet, 1, col, last, col], "y2_axis": True,
                             "marker": {"type": "circle"}})
        chart.combine(line)
        line.set_y2_axis({"name": ", ".join(headers[c] for c in spec.line),
                          "num_font": _FONT, "name_font": _FONT})
    chart.set_title({"name": title, "name_font": {**_FONT, "size": 13}})
    axis = {"name": ", ".join(headers[c] for c in spec.values), "num_font": _FONT,
            "name_font": _FONT, "min": 0}
    if spec.kind == "bar":  # categories down the side, first row at the top
        chart.set_y_axis({"num_font": _FONT, "reverse": True})
        chart.set_x_axis(axis)
    else:
        chart.set_x_axis({"num_font": _FONT})
        chart.set_y_axis(axis)
    chart.set_legend({"position": "bottom", "font": _FONT})
    return chart


def write_report(out: Any, session: Session, flt: DashboardFilter, lang: str = "zh", *,
                 managers: dict[int, str] | None = None, generated: str = "") -> list[str]:
    """Write the workbook to ``out``; returns the sheet names in order. No rights checked."""
    wb = new_workbook(out, streaming=False)
    fmt = Formats.create(wb)
    names: list[str] = []
    used: set[str] = set()

    def add(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
            chart: ReportChart | None = None) -> None:
        name = sheet_name(title)
        base, n = name, 2
        while name.lower() in used:
            name = sheet_name(f"{base[:27]}({n})")
            n += 1
        used.add(name.lower())
        names.append(name)
        ws = wb.add_worksheet(name)
        for col, head in enumerate(headers):
            ws.write_string(0, col, head, fmt.header)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                write_cell(ws, r, col, value, fmt)
        for col, width in enumerate(column_widths(headers, rows[:200])):
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 0)
        if rows:
            ws.autofilter(0, 0, len(rows), max(0, len(headers) - 1))
        last = len(rows) - (1 if chart is not None and chart.skip_last_row else 0)
        if chart is not None and last >= 1:
            ws.insert_chart(1, len(headers) + 1, _chart(wb, name, title, headers, last, chart),
                            {"x_scale": 1.6, "y_scale": 1.4})

    filters = filter_rows(flt, lang, managers)
    if flt.narrowed:  # why the KPI sheet's target column is empty
        filters.append((t("dash.report.col.target", lang), t("dashx.target.company_only", lang)))
    if generated:
        filters.append((t("dash.report.generated", lang), generated))
    add(t("dash.report.sheet.filters", lang),
        (t("dash.report.col.filter", lang), t("dash.report.col.value", lang)), filters)
    for sheet in sheets():
        rows = [tuple(row) for row in sheet.rows(session, flt, lang)]
        add(t(sheet.title_key, lang), [t(h, lang) for h in sheet.headers], rows, sheet.chart)
    wb.close()
    return names


def build_report(session: Session, actor: Actor, flt: DashboardFilter, lang: str = "zh", *,
                 managers: dict[int, str] | None = None) -> bytes:
    """The KPI report as bytes for a download; audited as an export."""
    from core import clock

    actor.require(Perm.DASHBOARDS)
    buffer = io.BytesIO()
    stamp = clock.shown(clock.now())
    names = write_report(buffer, session, flt, lang, managers=managers, generated=stamp)
    audit.record(session, actor, "export.dashboard_report", None, None,
                 detail={"sheets": len(names), "filters": flt.to_params()})
    return buffer.getvalue()
