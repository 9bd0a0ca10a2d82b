"""Everything the 经营总览 page shows, in one call: the benchmark's unit of work.

``compute_overview(session, actor, flt)`` returns the KPI cards and the three monthly trends the
page draws (satisfaction, renewal rate against target, complaints with the median resolution
time). It reads only what the page draws: the chart pages' fuller datasets (by tier, by
manager, upcoming expiries, reasons …) are computed when those pages are opened.

The independent aggregates (this period's figures, the previous period's, the churn counts and
each trend) run side by side on a small thread pool, each on its own connection, and each is
cached per filter (``filters.cached``), so the cards and the report reuse them.
``register_part`` adds a dataset to the overview (a callable ``(session, actor, flt)``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.money import summed_money
from core.vocab import RenewalOutcome
from db.models import Complaint, Renewal, Survey
from services.access.roles import Actor, Perm
from services.analysis import churn, kpis
from services.analysis.chart_sql import median_by, month_index, trend_months
from services.analysis.filters import DashboardFilter, cached, scoped
from services.analysis.kpis import Kpi, has_customers, overview_kpis

WORKERS: Final = 3
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="dashboard")

PartFn = Callable[[Session, Actor, DashboardFilter], Any]
_PARTS: dict[str, PartFn] = {}


def register_part(name: str, fn: PartFn) -> None:
    """Add (or replace) a dataset the overview shows; it runs with the others, in parallel."""
    _PARTS[name] = fn


# ---- the trends the overview draws ------------------------------------------------------------

@dataclass(frozen=True)
class SatisfactionTrend:
    labels: tuple[str, ...]
    monthly: tuple[Any, ...]  # satisfaction.ScoreCounts per month


@dataclass(frozen=True)
class ComplaintTrend:
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    median_minutes: tuple[float | None, ...]


def satisfaction_trend(session: Session, flt: DashboardFilter) -> SatisfactionTrend:
    from services.analysis.satisfaction import ScoreCounts

    months = trend_months(flt)
    index = month_index(Survey.survey_date, months)
    stmt = scoped(select(index, Survey.score, func.count())
                  .where(months.date_in(Survey.survey_date)),
                  flt, Survey.customer_id, session).group_by(index, Survey.score)
    by_month: dict[int, dict[int, int]] = defaultdict(dict)
    for k, score, n in session.execute(stmt):
        by_month[int(k)][int(score)] = int(n)
    return SatisfactionTrend(tuple(months.labels()), tuple(
        ScoreCounts.of(by_month.get(k, {})) for k in range(len(months.starts))))


def renewal_trend(session: Session, flt: DashboardFilter) -> tuple[Any, ...]:
    """renewal_charts.RenewalMonth per month: outcomes of the renewals due, and the target."""
    from services.analysis.renewal_charts import RenewalMonth, load_targets, target_for

    months = trend_months(flt)
    index = month_index(Renewal.due_date, months)
    stmt = scoped(select(index, Renewal.outcome, func.count(), func.sum(Renewal.amount))
                  .where(months.date_in(Renewal.due_date)),
                  flt, Renewal.customer_id, session).group_by(index, Renewal.outcome)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for k, outcome, n, amount in session.execute(stmt):
        counts[int(k)][outcome] += int(n)
        if outcome == RenewalOutcome.RENEWED and amount is not None:
            amounts[int(k)] += summed_money(amount)
    targets = load_targets(session, flt)
    return tuple(
        RenewalMonth(label, counts[k][RenewalOutcome.RENEWED],
                     counts[k][RenewalOutcome.NOT_RENEWED], counts[k][RenewalOutcome.IN_PROGRESS],
                     amounts[k], target_for(start, targets))
        for k, (label, start) in enumerate(zip(months.labels(), months.starts, strict=True)))


def complaint_trend(session: Session, flt: DashboardFilter) -> ComplaintTrend:
    months = trend_months(flt)

    def scope(stmt):
        return scoped(stmt, flt, Complaint.customer_id, session)

    received = month_index(Complaint.received_at, months, timestamp=True)
    counts = dict(session.execute(scope(select(received, func.count())
                                        .where(months.time_in(Complaint.received_at)))
                                  .group_by(received)).all())
    resolved = month_index(Complaint.resolved_at, months, timestamp=True)
    medians = median_by(session, Complaint.resolution_minutes, resolved,
                        [months.time_in(Complaint.resolved_at)], scope)
    n = len(months.starts)
    return ComplaintTrend(tuple(months.labels()),
                          tuple(int(counts.get(k, 0)) for k in range(n)),
                          tuple(medians.get(k) for k in range(n)))


def _trend(name: str, fn: Callable[[Session, DashboardFilter], Any]) -> PartFn:
    def part(session: Session, actor: Actor, flt: DashboardFilter) -> Any:
        actor.require(Perm.DASHBOARDS)
        return cached(session, f"overview.{name}", flt, lambda: fn(session, flt))
    return part


register_part("satisfaction", _trend("satisfaction", satisfaction_trend))
register_part("renewals", _trend("renewals", renewal_trend))
register_part("complaints", _trend("complaints", complaint_trend))


# ---- all of it --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    empty: bool
    """No live customer at all: the page shows its empty state instead."""
    kpis: dict[str, Kpi] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)


def _in_own_session(session: Session, fn: Callable[[Session], Any]) -> Callable[[], Any]:
    bind = session.get_bind()

    def run() -> Any:
        with Session(bind) as own:
            return fn(own)
    return run


def compute_overview(session: Session, actor: Actor, flt: DashboardFilter) -> Overview:
    """The KPI cards and every part for ``flt``; cached as a whole (one data-version check
    when nothing changed) and per aggregate (a change recomputes them all, in parallel)."""
    actor.require(Perm.DASHBOARDS)
    return cached(session, "overview.all", flt, lambda: _compute(session, actor, flt))


def _compute(session: Session, actor: Actor, flt: DashboardFilter) -> Overview:
    if not has_customers(session):
        return Overview(empty=True)
    jobs: dict[str, Callable[[Session], Any]] = {
        "figures": lambda s: kpis.figures(s, flt),
        "previous": lambda s: kpis.figures(s, flt.previous()),
        "churn": lambda s: churn.summary(s, flt),
        **{f"part:{name}": (lambda s, fn=fn: fn(s, actor, flt)) for name, fn in _PARTS.items()},
    }
    futures = {name: _pool.submit(_in_own_session(session, fn)) for name, fn in jobs.items()}
    done = {name: future.result() for name, future in futures.items()}
    parts = {name.removeprefix("part:"): value for name, value in done.items()
             if name.startswith("part:")}
    return Overview(False, overview_kpis(session, actor, flt), parts)
