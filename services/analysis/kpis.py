"""The overview's KPI cards (经营总览), each with its value for the previous period.

Definitions (all in SQL, the same on SQLite and PostgreSQL; "in the period" means on one of its
days, China time; only live customers in the filter's dimensions count):

- **客户总数** (``customers_total``): customers created by the end of the period.
  **新增客户** (``customers_new``): created in the period.
- **活跃客户** (``active_customers``): customers with at least one order (交易记录, by
  ``order_date``), contact (沟通记录, by ``occurred_at``) or 回访 done (by ``done_date``) in
  the period — the same "order or contact" the lifecycle stages and 最近联系 use.
- **平均满意度** (``satisfaction_avg``) and **满意率** (``satisfied_share``): over the surveys
  dated in the period; satisfied is 满意 or 非常满意 (score ≥ 4).
- **续约率** (``renewal_rate``): renewals *due* in the period (``due_date``) that are decided:
  已续约 / (已续约 + 未续约). 跟进中 is undecided: it is left out of the rate (neither won nor
  lost yet) and shown as a count beside it (``renewals_pending``); a period whose renewals are
  all 跟进中 has no rate. **续约金额** (``renewal_amount``): the amounts of those 已续约. The
  target is the ``renewal_targets`` row of the period (``renewal_target``).
- **未结投诉** (``open_complaints``): complaints open at the end of the period (now, for a period
  in progress): received before it, and not resolved or closed by then. **超时投诉**
  (``overdue_complaints``): those of them received more than
  ``settings.complaint_overdue_hours`` before that moment.
- **处理时长中位数** (``resolution_median_minutes``): the median ``resolution_minutes`` of the
  complaints resolved in the period: the one measure of resolution time, the same as the trend
  chart's and 投诉分析's (a mean would move with one complaint left open for months).
- **流失风险客户** (``churn_risk``): customers at or above the churn threshold *now*
  (``services.analysis.churn``). The rules look at the last N days from today, so the figure
  has no past value to compare with; its card shows no delta.

Counts are ints, averages floats, money ``Decimal``; a figure with nothing to average is None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final, Literal

from sqlalchemy import case, distinct, func, literal, select, union_all
from sqlalchemy.orm import Session

from core import clock
from core.money import short_money, summed_money
from core.settings import Settings, get_settings
from core.vocab import RenewalOutcome
from db.models import (
    Complaint,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    RenewalTarget,
    Survey,
)
from services.access.roles import Actor, Perm
from services.analysis.filters import DashboardFilter, cached, period_for, scoped
from services.analysis.report_sheets import ReportSheet, register

SATISFIED_MIN: Final = 4
Unit = Literal["count", "percent", "score", "money", "minutes"]

KPI_KEYS: Final = (
    "customers_total", "customers_new", "active_customers", "satisfaction_avg",
    "satisfied_share", "renewal_rate", "renewal_amount", "open_complaints",
    "overdue_complaints", "resolution_median_minutes", "churn_risk",
)
UNITS: Final[dict[str, Unit]] = {
    "customers_total": "count", "customers_new": "count", "active_customers": "count",
    "satisfaction_avg": "score", "satisfied_share": "percent", "renewal_rate": "percent",
    "renewal_amount": "money", "open_complaints": "count", "overdue_complaints": "count",
    "resolution_median_minutes": "minutes", "churn_risk": "count",
}
LOWER_IS_BETTER: Final = frozenset({"open_complaints", "overdue_complaints",
                                    "resolution_median_minutes", "churn_risk"})


@dataclass(frozen=True)
class Kpi:
    """One card: this period's value, the previous period's, and the target if there is one."""

    key: str
    value: Any
    previous: Any = None
    target: Any = None
    detail: dict[str, Any] = field(default_factory=dict)
    """Figures shown beside the value (e.g. ``{"pending": 12}`` for the renewal rate)."""

    @property
    def unit(self) -> Unit:
        return UNITS[self.key]

    @property
    def lower_is_better(self) -> bool:
        return self.key in LOWER_IS_BETTER

    @property
    def delta(self) -> Any:
        """value - previous (percentage points for a share), None when either is missing."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class PeriodFigures:
    """Every period-dependent figure of one period (see the module docstring)."""

    customers_total: int = 0
    customers_new: int = 0
    active_customers: int = 0
    surveys: int = 0
    satisfaction_avg: float | None = None
    satisfied: int = 0
    renewed: int = 0
    not_renewed: int = 0
    renewals_pending: int = 0
    renewal_amount: Decimal = Decimal(0)
    open_complaints: int = 0
    overdue_complaints: int = 0
    resolved_complaints: int = 0
    resolution_median_minutes: float | None = None

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.surveys if self.surveys else None

    @property
    def renewal_rate(self) -> float | None:
        decided = self.renewed + self.not_renewed
        return self.renewed / decided if decided else None


# ---- SQL -------------------------------------------------------------------------------------

def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name



def _as_of(flt: DashboardFilter) -> datetime:
    """The moment a snapshot figure is taken: the end of the period, or now if sooner."""
    return min(flt.end_before, clock.now())


def _customers(session: Session, flt: DashboardFilter) -> tuple[int, int]:
    # Two counts, each one range of the (deleted_at, created_at) index when no dimension is
    # chosen (a CASE over every row costs three times as much).
    conds = flt.customer_conditions(Customer, dialect=_dialect(session))
    total = select(func.count()).where(Customer.created_at < flt.end_before, *conds)
    new = select(func.count()).where(Customer.created_at >= flt.start_at,
                                     Customer.created_at < flt.end_before, *conds)
    total_n, new_n = session.execute(select(total.scalar_subquery(),
                                            new.scalar_subquery())).one()
    return int(total_n), int(new_n)


def _active(session: Session, flt: DashboardFilter) -> int:
    # COUNT(DISTINCT) over UNION ALL: one temporary set instead of UNION's one per branch.
    ids = union_all(
        select(Order.customer_id.label("cid")).where(flt.date_in(Order.order_date)),
        select(Interaction.customer_id).where(flt.time_in(Interaction.occurred_at)),
        select(FollowUp.customer_id).where(flt.date_in(FollowUp.done_date)),
    ).subquery()
    stmt = scoped(select(func.count(distinct(ids.c.cid))), flt, ids.c.cid, session)
    return int(session.scalar(stmt) or 0)


def _surveys(session: Session, flt: DashboardFilter) -> tuple[int, float | None, int]:
    satisfied = func.coalesce(func.sum(case((Survey.score >= SATISFIED_MIN, 1), else_=0)), 0)
    stmt = scoped(select(func.count(), func.avg(Survey.score), satisfied)
                  .where(flt.date_in(Survey.survey_date)), flt, Survey.customer_id, session)
    n, avg, sat = session.execute(stmt).one()
    return int(n), (float(avg) if avg is not None else None), int(sat)


def _renewals(session: Session, flt: DashboardFilter) -> dict[str, tuple[int, Decimal]]:
    stmt = scoped(select(Renewal.outcome, func.count(), func.sum(Renewal.amount))
                  .where(flt.date_in(Renewal.due_date)).group_by(Renewal.outcome),
                  flt, Renewal.customer_id, session)
    return {outcome: (int(n), summed_money(amount))
            for outcome, n, amount in session.execute(stmt)}


def _open_complaints(session: Session, flt: DashboardFilter, settings: Settings
                     ) -> tuple[int, int]:
    at = _as_of(flt)
    overdue_before = at - timedelta(hours=settings.complaint_overdue_hours)
    overdue = func.coalesce(func.sum(case((Complaint.received_at < overdue_before, 1),
                                          else_=0)), 0)
    stmt = scoped(select(func.count(), overdue).where(
        Complaint.received_at < at,
        (Complaint.resolved_at.is_(None)) | (Complaint.resolved_at >= at),
        (Complaint.closed_at.is_(None)) | (Complaint.closed_at >= at),
    ), flt, Complaint.customer_id, session)
    n, late = session.execute(stmt).one()
    return int(n), int(late)


def _resolution(session: Session, flt: DashboardFilter) -> tuple[int, float | None]:
    """(complaints resolved in the period, their median resolution minutes)."""
    from services.analysis.chart_sql import medians_and_counts

    medians, counts = medians_and_counts(
        session, Complaint.resolution_minutes, None, [flt.time_in(Complaint.resolved_at)],
        lambda stmt: scoped(stmt, flt, Complaint.customer_id, session))
    return counts.get(0, 0), medians.get(0)


def period_figures(session: Session, flt: DashboardFilter,
                   settings: Settings | None = None) -> PeriodFigures:
    """Every period-dependent KPI figure of ``flt``'s period (uncached)."""
    settings = settings or get_settings()
    total, new = _customers(session, flt)
    surveys, avg, satisfied = _surveys(session, flt)
    renewals = _renewals(session, flt)
    open_n, overdue_n = _open_complaints(session, flt, settings)
    resolved, resolution = _resolution(session, flt)
    zero = (0, Decimal(0))
    return PeriodFigures(
        customers_total=total, customers_new=new, active_customers=_active(session, flt),
        surveys=surveys, satisfaction_avg=avg, satisfied=satisfied,
        renewed=renewals.get(RenewalOutcome.RENEWED, zero)[0],
        not_renewed=renewals.get(RenewalOutcome.NOT_RENEWED, zero)[0],
        renewals_pending=renewals.get(RenewalOutcome.IN_PROGRESS, zero)[0],
        renewal_amount=renewals.get(RenewalOutcome.RENEWED, zero)[1],
        open_complaints=open_n, overdue_complaints=overdue_n,
        resolved_complaints=resolved, resolution_median_minutes=resolution,
    )


def renewal_target(session: Session, flt: DashboardFilter
                   ) -> tuple[float | None, Decimal | None]:
    """(rate as a fraction, amount) aimed for in the filter's period.

    The rate of a month or quarter without its own target falls back to the target of the
    quarter or year containing it (a rate applies to any part of the period); the amount is
    additive and only ever the period's own. A custom range has a target only when it is
    exactly one calendar month, quarter or year. Targets are company-wide: a view narrowed
    to some customers (``flt.narrowed``) has none.
    """
    if flt.narrowed:
        return None, None
    kinds = ("month", "quarter", "year")
    own = flt.kind if flt.is_calendar else next(
        (k for k in kinds if period_for(k, flt.start) == (flt.start, flt.end)), None)
    if own is None:
        return None, None
    wanted = [(k, period_for(k, flt.start)[0]) for k in kinds[kinds.index(own):]]
    rows = {(kind, start): (rate, amount) for kind, start, rate, amount in session.execute(
        select(RenewalTarget.period_kind, RenewalTarget.period_start, RenewalTarget.target_rate,
               RenewalTarget.target_amount)
        .where(RenewalTarget.period_start.in_([s for _, s in wanted])))}
    rate = next((rows[w][0] for w in wanted if w in rows), None)
    amount = rows.get(wanted[0], (None, None))[1]
    return (float(rate) / 100 if rate is not None else None,
            Decimal(amount) if amount is not None else None)


def has_customers(session: Session) -> bool:
    """Whether there is any live customer at all (else the overview shows its empty state)."""
    return session.scalar(select(literal(1)).where(Customer.deleted_at.is_(None)).limit(1)) \
        is not None


# ---- the cards -------------------------------------------------------------------------------

def cards(current: PeriodFigures, previous: PeriodFigures, churn_risk: int | None,
          target: tuple[float | None, Decimal | None] = (None, None),
          churn_by_rule: dict[str, int] | None = None,
          target_scope: str | None = None) -> dict[str, Kpi]:
    """The KPI cards from two periods' figures, keyed by ``KPI_KEYS``. ``target_scope``
    "company": the view is narrowed and the company-wide targets do not apply to it."""
    rate_target, amount_target = target
    scope = {"target_scope": target_scope} if target_scope else {}
    pairs = {key: (getattr(current, key), getattr(previous, key))
             for key in KPI_KEYS if key != "churn_risk"}
    out = {key: Kpi(key, value, prev) for key, (value, prev) in pairs.items()}
    out["renewal_rate"] = Kpi("renewal_rate", current.renewal_rate, previous.renewal_rate,
                              target=rate_target,
                              detail={"pending": current.renewals_pending,
                                      "renewed": current.renewed,
                                      "not_renewed": current.not_renewed, **scope})
    out["renewal_amount"] = Kpi("renewal_amount", current.renewal_amount,
                                previous.renewal_amount, target=amount_target, detail=scope)
    out["satisfied_share"] = Kpi("satisfied_share", current.satisfied_share,
                                 previous.satisfied_share, detail={"surveys": current.surveys})
    out["resolution_median_minutes"] = Kpi(
        "resolution_median_minutes", current.resolution_median_minutes,
        previous.resolution_median_minutes, detail={"resolved": current.resolved_complaints})
    out["churn_risk"] = Kpi("churn_risk", churn_risk, detail={"by_rule": churn_by_rule or {}})
    return {key: out[key] for key in KPI_KEYS}


def figures(session: Session, flt: DashboardFilter) -> PeriodFigures:
    """``period_figures`` of the filter's period, cached per filter (the previous period of one
    view is a filter of its own: ``figures(session, flt.previous())``)."""
    return cached(session, "kpis.figures", flt, lambda: period_figures(session, flt))


def compute_kpis(session: Session, flt: DashboardFilter,
                 settings: Settings | None = None) -> dict[str, Kpi]:
    """The KPI cards of ``flt`` (no permission check: callers check). Each part is cached."""
    from services.analysis.churn import summary

    if settings is not None:  # explicit settings (tests): nothing cached
        current = period_figures(session, flt, settings)
        previous = period_figures(session, flt.previous(), settings)
    else:
        current, previous = figures(session, flt), figures(session, flt.previous())
    risk = summary(session, flt, settings)
    return cards(current, previous, risk.total, renewal_target(session, flt), risk.by_rule,
                 target_scope="company" if flt.narrowed else None)


def overview_kpis(session: Session, actor: Actor, flt: DashboardFilter) -> dict[str, Kpi]:
    """The overview's KPI cards for ``flt`` (aggregates only, cached per filter)."""
    actor.require(Perm.DASHBOARDS)
    return compute_kpis(session, flt)


# ---- display ---------------------------------------------------------------------------------

def format_value(unit: Unit, value: Any, lang: str = "zh") -> str:
    """A KPI value as its card shows it; ``—`` when there is none."""
    from core.i18n import t

    if value is None:
        return t("dash.kpi.no_data", lang)
    if unit == "count":
        return f"{int(value):,}"
    if unit == "percent":
        return f"{float(value) * 100:.1f}%"
    if unit == "score":
        return f"{float(value):.2f}"
    if unit == "money":
        return short_money(value, lang)
    return t("dash.unit.hours", lang, value=f"{float(value) / 60:,.1f}")


def unchanged(unit: Unit, delta: Any) -> bool:
    """The change rounds to zero at the precision its card shows: a "+0" is no change and
    gets neither an arrow nor a colour."""
    if delta is None:
        return False
    if unit == "count":
        return int(delta) == 0
    if unit == "percent":
        return round(float(delta) * 100, 1) == 0
    if unit == "score":
        return round(float(delta), 2) == 0
    if unit == "money":
        return round(float(delta)) == 0
    return round(float(delta) / 60, 1) == 0


def format_delta(unit: Unit, delta: Any, lang: str = "zh") -> str | None:
    """The change against the previous period, signed; None when there is none."""
    from core.i18n import t

    if delta is None:
        return None
    if unit == "count":
        return f"{int(delta):+,}"
    if unit == "percent":
        return t("dash.unit.pp", lang, value=f"{float(delta) * 100:+.1f}")
    if unit == "score":
        return f"{float(delta):+.2f}"
    if unit == "money":
        text = short_money(abs(Decimal(delta)), lang)
        return ("-" if delta < 0 else "+") + text
    return t("dash.unit.hours", lang, value=f"{float(delta) / 60:+,.1f}")


def report_value(unit: Unit, value: Any) -> Any:
    """A KPI value as the report's cell holds it: percent ×100, minutes as hours."""
    if value is None:
        return None
    if unit == "percent":
        return round(float(value) * 100, 2)
    if unit == "minutes":
        return round(float(value) / 60, 2)
    if unit == "score":
        return round(float(value), 3)
    return value


def _report_rows(session: Session, flt: DashboardFilter, lang: str) -> list[tuple]:
    from core.i18n import t

    rows = []
    for key, kpi in compute_kpis(session, flt).items():
        unit = kpi.unit
        target = kpi.target * 100 if unit == "percent" and kpi.target is not None \
            else kpi.target
        rows.append((t(f"dash.kpi.{key}", lang), report_value(unit, kpi.value),
                     report_value(unit, kpi.previous), report_value(unit, kpi.delta),
                     target, t(f"dash.report.unit.{unit}", lang)))
    return rows


def _register_report() -> None:
    register(ReportSheet(
        key="kpis", title_key="dash.report.sheet.kpis",
        headers=("dash.report.col.kpi", "dash.report.col.current", "dash.report.col.previous",
                 "dash.report.col.change", "dash.report.col.target", "dash.report.col.unit"),
        rows=_report_rows, order=10))


_register_report()
