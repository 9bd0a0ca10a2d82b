"""The KPI report: one ``.xlsx`` with a sheet per KPI table or chart, and the filters used.

Sheets come from a registry, so every dashboard module adds its own datasets where it
computes them::

    from services.dashboard import report

    report.register(report.ReportSheet(
        key="satisfaction.levels",                 # unique, stable
        title_key="dash.report.sheet.levels",      # catalog key of the sheet name
        headers=("dash.report.col.level", "dash.report.col.count"),  # catalog keys
        rows=lambda session, flt, lang: [...],     # aggregates only, in header order
        order=200,                                 # position in the workbook
    ))

``rows`` gets the session, the ``DashboardFilter`` and the language (for vocabulary labels:
``services.i18n.label(value, lang)``) and returns plain values (str, int, float, Decimal,
date); it should read through the module's cached function so the report costs no more than
the page. Every module of ``services.dashboard`` is imported before a report is built, so a
module's ``register`` calls at import time are enough.

The report is audited as ``export.dashboard_report`` with the filters; it holds aggregates
only (no personal data), so every role that may see the dashboards may download it.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy.orm import Session

from services import audit
from services.dashboard.filters import DashboardFilter, period_label
from services.excel.writer import Formats, column_widths, new_workbook, sheet_name, write_cell
from services.i18n import label, t
from services.roles import Actor, Perm

RowsFn = Callable[[Session, DashboardFilter, str], Iterable[Sequence[Any]]]
FILTERS_ORDER: Final = 0


@dataclass(frozen=True)
class ReportSheet:
    key: str
    title_key: str
    headers: tuple[str, ...]
    """Catalog keys of the column headers."""
    rows: RowsFn
    order: int = 100


_REGISTRY: dict[str, ReportSheet] = {}


def register(sheet: ReportSheet) -> ReportSheet:
    """Add (or replace, by key) a sheet of the report."""
    _REGISTRY[sheet.key] = sheet
    return sheet


def _discover() -> None:
    import services.dashboard as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")


def sheets() -> list[ReportSheet]:
    """Every registered sheet, in workbook order."""
    _discover()
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key))


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


def write_report(out: Any, session: Session, flt: DashboardFilter, lang: str = "zh", *,
                 managers: dict[int, str] | None = None, generated: str = "") -> list[str]:
    """Write the workbook to ``out``; returns the sheet names in order. No rights checked."""
    wb = new_workbook(out, streaming=False)
    fmt = Formats.create(wb)
    names: list[str] = []
    used: set[str] = set()

    def add(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
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

    filters = filter_rows(flt, lang, managers)
    if flt.narrowed:  # why the KPI sheet's target column is empty
        filters.append((t("dash.report.col.target", lang), t("dashx.target.company_only", lang)))
    if generated:
        filters.append((t("dash.report.generated", lang), generated))
    add(t("dash.report.sheet.filters", lang),
        (t("dash.report.col.filter", lang), t("dash.report.col.value", lang)), filters)
    for sheet in sheets():
        rows = [tuple(row) for row in sheet.rows(session, flt, lang)]
        add(t(sheet.title_key, lang), [t(h, lang) for h in sheet.headers], rows)
    wb.close()
    return names


def build_report(session: Session, actor: Actor, flt: DashboardFilter, lang: str = "zh", *,
                 managers: dict[int, str] | None = None) -> bytes:
    """The KPI report as bytes for a download; audited as an export."""
    from services import clock

    actor.require(Perm.DASHBOARDS)
    buffer = io.BytesIO()
    stamp = clock.shown(clock.now())
    names = write_report(buffer, session, flt, lang, managers=managers, generated=stamp)
    audit.record(session, actor, "export.dashboard_report", None, None,
                 detail={"sheets": len(names), "filters": flt.to_params()})
    return buffer.getvalue()
