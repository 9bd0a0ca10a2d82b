"""The chart pages' datasets as sheets of the KPI report (``services.analysis.report``): one
sheet per chart, read through the same cache as the pages, aggregates only.

Rates are percentages (0-100, one decimal), resolution times hours, money yuan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.i18n import label, t
from core.vocab import SATISFACTION_LABELS
from db.models import User
from services.analysis import (
    account_managers,
    complaint_charts,
    composition,
    renewal_charts,
)
from services.analysis import satisfaction as sat
from services.analysis.filters import DashboardFilter, cached
from services.analysis.report_sheets import ReportChart, ReportSheet, register

Rows = Iterable[Sequence[Any]]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _names(session: Session, ids: Iterable[int | None], lang: str) -> dict[int | None, str]:
    wanted = [i for i in ids if i is not None]
    names: dict[int | None, str] = {None: t("charts.unassigned", lang)}
    if wanted:
        names.update((uid, name) for uid, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(wanted))))
    return names


# -- the cached datasets (the same cache entries as the pages') --------------------------------

def _satisfaction(session: Session, flt: DashboardFilter) -> sat.Satisfaction:
    return cached(session, "charts.satisfaction", flt, lambda: sat.compute(session, flt))


def _renewals(session: Session, flt: DashboardFilter) -> renewal_charts.RenewalCharts:
    today = clock.today()
    return cached(session, f"charts.renewals:{today.isoformat()}", flt,
                  lambda: renewal_charts.compute(session, flt, today))


def _complaints(session: Session, flt: DashboardFilter) -> complaint_charts.ComplaintCharts:
    return cached(session, "charts.complaints", flt,
                  lambda: complaint_charts.compute(session, flt))


def _composition(session: Session, flt: DashboardFilter) -> composition.Composition:
    return cached(session, "charts.composition", flt, lambda: composition.compute(session, flt))


def _managers(session: Session, flt: DashboardFilter) -> tuple[account_managers.ManagerRow, ...]:
    today = clock.today()
    return cached(session, f"charts.managers:{today.isoformat()}", flt,
                  lambda: account_managers.compute(session, flt, today))


# -- rows --------------------------------------------------------------------------------------

def _levels(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    overall = _satisfaction(session, flt).overall
    for score, n in zip(sat.SCORES, overall.counts, strict=True):
        yield (label(SATISFACTION_LABELS[score], lang), score, n,
               _pct(n / overall.total) if overall.total else None)


def _sat_monthly(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _satisfaction(session, flt)
    for month, counts in zip(data.month_labels, data.monthly, strict=True):
        yield month, counts.total, _round(counts.average), _pct(counts.share_satisfied)


def _sat_tiers(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    for tier, counts in _satisfaction(session, flt).by_tier:
        yield label(tier, lang), counts.total, _round(counts.average), _pct(counts.share_satisfied)


def _sat_managers(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _satisfaction(session, flt).by_manager
    names = _names(session, (m for m, _ in data), lang)
    for manager, counts in data:
        yield (names.get(manager, str(manager)), counts.total, _round(counts.average),
               _pct(counts.share_satisfied))


def _ren_monthly(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    for m in _renewals(session, flt).monthly:
        yield (m.label, m.renewed, m.not_renewed, m.pending, _pct(m.rate), m.target_rate,
               m.amount)


def _ren_upcoming(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _renewals(session, flt)
    for status, counts in data.upcoming:
        name = t("charts.ren.no_record", lang) if status == renewal_charts.NO_RECORD \
            else label(status, lang)
        for month, n in zip(data.upcoming_labels, counts, strict=True):
            if n:
                yield month, name, n


def _ren_reasons(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    for reason, n in _renewals(session, flt).reasons:
        if reason == renewal_charts.NO_RECORD:
            reason = t("charts.ren.no_reason", lang)
        elif reason == renewal_charts.OTHER_REASONS:
            reason = t("charts.ren.other_reasons", lang)
        yield reason, n


def _cmp_split(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _complaints(session, flt)
    for key, items in (("charts.col.channel", data.by_channel), ("charts.col.type", data.by_type),
                       ("charts.col.status", data.by_status)):
        for value, n in items:
            yield t(key, lang), label(value, lang), n


def _cmp_monthly(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _complaints(session, flt)
    for month, n, resolved, median in zip(data.month_labels, data.monthly_count,
                                          data.monthly_resolved, data.monthly_median_minutes,
                                          strict=True):
        yield month, n, resolved, None if median is None else round(median / 60, 1)


def _composition_rows(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _composition(session, flt)
    unknown = t("charts.unknown", lang)
    for key, items in (("charts.comp.tier", data.by_tier), ("charts.comp.type", data.by_type),
                       ("charts.comp.lifecycle", data.by_lifecycle),
                       ("charts.comp.industry", data.by_industry),
                       ("charts.comp.map", data.by_province)):
        for value, n in items:
            yield t(key, lang), label(value, lang) if value else unknown, n


def _new_monthly(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    data = _composition(session, flt)
    yield from zip(data.month_labels, data.new_monthly, strict=True)


def _manager_rows(session: Session, flt: DashboardFilter, lang: str) -> Rows:
    rows = _managers(session, flt)
    named = [(r.name or t("charts.unassigned", lang), r) for r in rows]
    named.append((t("charts.total", lang), account_managers.totals(rows)))
    for name, r in named:
        yield (name, r.customers, r.new_customers, _pct(r.conversion_rate), r.scores.total,
               _round(r.scores.average), _pct(r.scores.share_satisfied), _pct(r.renewal_rate),
               r.sales, r.orders, r.visits_done, r.visits_overdue)


_SHEETS = (
    ("charts.levels", "charts.sat.distribution", ("charts.report.level", "charts.report.score",
                                                  "charts.surveys", "charts.report.share"),
     _levels),
    ("charts.sat_monthly", "charts.sat.trend", ("charts.report.month", "charts.surveys",
                                                "charts.average_score",
                                                "charts.report.satisfied_pct"), _sat_monthly),
    ("charts.sat_tiers", "charts.report.sheet.sat_tier", (
        "charts.report.tier", "charts.surveys", "charts.average_score",
        "charts.report.satisfied_pct"), _sat_tiers),
    ("charts.sat_managers", "charts.report.sheet.sat_manager", (
        "charts.col.manager", "charts.surveys", "charts.average_score",
        "charts.report.satisfied_pct"), _sat_managers),
    ("charts.ren_monthly", "charts.ren.trend", (
        "charts.report.month", "charts.report.renewed", "charts.report.not_renewed",
        "charts.report.pending", "charts.report.rate_pct", "charts.report.target_pct",
        "charts.renewal_amount"), _ren_monthly),
    ("charts.ren_upcoming", "charts.report.sheet.upcoming", (
        "charts.report.month", "charts.report.progress", "charts.contracts"), _ren_upcoming),
    ("charts.ren_reasons", "charts.ren.reasons", ("charts.report.reason", "charts.contracts"),
     _ren_reasons),
    ("charts.cmp_split", "charts.report.sheet.complaints", (
        "charts.report.dimension", "charts.report.value", "charts.complaints"), _cmp_split),
    ("charts.cmp_monthly", "charts.cmp.trend", (
        "charts.report.month", "charts.complaints_received", "charts.report.resolved",
        "charts.median_hours"), _cmp_monthly),
    ("charts.composition", "nav.dash_composition", (
        "charts.report.dimension", "charts.report.value", "charts.customers"),
     _composition_rows),
    ("charts.new_monthly", "charts.comp.new", ("charts.report.month", "charts.new_customers"),
     _new_monthly),
    ("charts.managers", "charts.am.table", (
        "charts.col.manager", "charts.col.customers", "charts.col.new",
        "charts.report.conversion_pct", "charts.col.surveys", "charts.col.satisfaction",
        "charts.report.satisfied_pct", "charts.report.rate_pct", "charts.col.sales",
        "charts.col.orders", "charts.col.visits_done", "charts.col.visits_overdue"),
     _manager_rows),
)

# The native Excel chart of each sheet (a long table of several dimensions has none).
_CHARTS: dict[str, ReportChart] = {
    "charts.levels": ReportChart("bar", values=(2,)),
    "charts.sat_monthly": ReportChart("column", values=(3,), line=(2,)),
    "charts.sat_tiers": ReportChart("bar", values=(3,)),
    "charts.sat_managers": ReportChart("bar", values=(3,)),
    "charts.ren_monthly": ReportChart("column", values=(4,), line=(5,)),
    "charts.ren_reasons": ReportChart("bar", values=(1,)),
    "charts.cmp_monthly": ReportChart("column", values=(1,), line=(3,)),
    "charts.new_monthly": ReportChart("column", values=(1,)),
    "charts.managers": ReportChart("bar", values=(8,), skip_last_row=True),
}

for _order, (_key, _title, _headers, _rows) in enumerate(_SHEETS):
    register(ReportSheet(key=_key, title_key=_title, headers=_headers,
                                       rows=_rows, order=300 + _order,
                                       chart=_CHARTS.get(_key)))
