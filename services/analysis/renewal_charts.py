"""续约 charts: the monthly renewal rate against its target, upcoming expiries by month, and
the reasons given for not renewing.

- **Renewal rate** of a month: of the renewal records due that month (``renewals.due_date``)
  that are decided, the share 已续约: ``已续约 / (已续约 + 未续约)``. Records still 跟进中 are
  counted apart (``pending``) and do not lower the rate before the customer has decided.
- **Target** of a month: the monthly row of ``renewal_targets`` for that month, else the
  quarter's row, else the year's (a manager sets whichever granularity they plan in).
- **Upcoming expiries**: contracts whose ``end_date`` falls in the next ``UPCOMING_MONTHS``
  months from today (whatever the period), by month and by the contract's renewal record
  (none yet, 跟进中, 已续约 early, 未续约; a contract has at most one).
- **Reasons**: 未续约 records due in the period, by reason as typed (the most frequent
  ``TOP_REASONS``, the rest together).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.money import summed_money
from core.vocab import RenewalOutcome
from db.models import Contract, Renewal, RenewalTarget
from services.access.roles import Actor, Perm
from services.analysis.chart_sql import (
    in_scope,
    month_index,
    share,
    trend_months,
    upcoming_months,
)
from services.analysis.filters import DashboardFilter, cached, period_for

UPCOMING_MONTHS: Final = 6
TOP_REASONS: Final = 8
NO_RECORD: Final = ""
"""Status of an expiring contract with no renewal record yet."""
OTHER_REASONS: Final = "\u2026"
"""Key of the bucket holding the less frequent reasons."""


@dataclass(frozen=True)
class RenewalMonth:
    label: str
    renewed: int
    not_renewed: int
    pending: int
    amount: Decimal
    target_rate: float | None  # percent 0-100

    @property
    def decided(self) -> int:
        return self.renewed + self.not_renewed

    @property
    def rate(self) -> float | None:
        """Renewal rate as a fraction (0-1), None with nothing decided."""
        return share(self.renewed, self.decided)


@dataclass(frozen=True)
class RenewalCharts:
    period: RenewalMonth  # the filter's whole period (label ""; target of its first month)
    monthly: tuple[RenewalMonth, ...]
    upcoming_labels: tuple[str, ...]
    upcoming: tuple[tuple[str, tuple[int, ...]], ...]  # status -> count per upcoming month
    reasons: tuple[tuple[str, int], ...]  # reason ("" unknown, OTHER_REASONS) -> count

    @property
    def empty(self) -> bool:
        return (not any(m.decided or m.pending for m in self.monthly)
                and not any(sum(c) for _, c in self.upcoming) and not self.reasons)


def target_for(month: date, targets: dict[tuple[str, date], float]) -> float | None:
    """The month's target rate (percent): its own, else its quarter's, else its year's."""
    for kind in ("month", "quarter", "year"):
        start = period_for(kind, month)[0]  # type: ignore[arg-type]
        if (kind, start) in targets:
            return targets[(kind, start)]
    return None


def period_target(flt: DashboardFilter, targets: dict[tuple[str, date], float]
                  ) -> float | None:
    """The period's target rate (percent): its own row, else the enclosing quarter's or
    year's (as the overview's KPI card); none for a custom range."""
    kinds = ("month", "quarter", "year")
    if flt.kind not in kinds:
        return None
    for kind in kinds[kinds.index(flt.kind):]:
        start = period_for(kind, flt.start)[0]  # type: ignore[arg-type]
        if (kind, start) in targets:
            return targets[(kind, start)]
    return None


def load_targets(session: Session, flt: DashboardFilter) -> dict[tuple[str, date], float]:
    """The target rates by period; none for a view narrowed to some customers (targets are
    set for the whole company)."""
    if flt.narrowed:
        return {}
    return {(kind, start): float(rate) for kind, start, rate in session.execute(
        select(RenewalTarget.period_kind, RenewalTarget.period_start,
               RenewalTarget.target_rate))}


def compute(session: Session, flt: DashboardFilter, today: date | None = None
            ) -> RenewalCharts:
    today = today or clock.today()
    months = trend_months(flt)
    index = month_index(Renewal.due_date, months)
    stmt = in_scope(
        select(index, Renewal.outcome, func.count(), func.sum(Renewal.amount))
        .where(months.date_in(Renewal.due_date)),
        flt, Renewal.customer_id, session,
    ).group_by(index, Renewal.outcome)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for k, outcome, n, amount in session.execute(stmt):
        counts[k][outcome] += n
        if outcome == RenewalOutcome.RENEWED and amount is not None:
            amounts[k] += summed_money(amount)
    targets = load_targets(session, flt)
    monthly = tuple(
        RenewalMonth(label, counts[k][RenewalOutcome.RENEWED],
                     counts[k][RenewalOutcome.NOT_RENEWED], counts[k][RenewalOutcome.IN_PROGRESS],
                     amounts[k], target_for(start, targets))
        for k, (label, start) in enumerate(zip(months.labels(), months.starts, strict=True)))
    period_stmt = in_scope(
        select(Renewal.outcome, func.count(), func.sum(Renewal.amount))
        .where(flt.date_in(Renewal.due_date)),
        flt, Renewal.customer_id, session,
    ).group_by(Renewal.outcome)
    whole: dict[str, tuple[int, Decimal]] = {
        outcome: (n, summed_money(amount)) for outcome, n, amount in session.execute(
            period_stmt)}
    none = (0, Decimal(0))
    period = RenewalMonth("", whole.get(RenewalOutcome.RENEWED, none)[0],
                          whole.get(RenewalOutcome.NOT_RENEWED, none)[0],
                          whole.get(RenewalOutcome.IN_PROGRESS, none)[0],
                          whole.get(RenewalOutcome.RENEWED, none)[1],
                          period_target(flt, targets))
    upcoming = upcoming_months(today, UPCOMING_MONTHS)
    return RenewalCharts(period=period, monthly=monthly, upcoming_labels=tuple(upcoming.labels()),
                         upcoming=_upcoming(session, flt, upcoming),
                         reasons=_reasons(session, flt))


def _upcoming(session: Session, flt: DashboardFilter, months) -> tuple:
    # A contract has at most one renewal record (services.records.contracts): an outer join is
    # exact.
    k = month_index(Contract.end_date, months)
    status = func.coalesce(Renewal.outcome, NO_RECORD)
    stmt = in_scope(
        select(k, status, func.count()).select_from(Contract)
        .outerjoin(Renewal, Renewal.contract_id == Contract.id)
        .where(months.date_in(Contract.end_date)),
        flt, Contract.customer_id, session,
    ).group_by(k, status)
    n_months = len(months.starts)
    by_status: dict[str, list[int]] = {s: [0] * n_months for s in (
        NO_RECORD, RenewalOutcome.IN_PROGRESS.value, RenewalOutcome.RENEWED.value,
        RenewalOutcome.NOT_RENEWED.value)}
    for index, outcome, n in session.execute(stmt):
        by_status.setdefault(outcome, [0] * n_months)[index] += n
    return tuple((s, tuple(c)) for s, c in by_status.items())


def _reasons(session: Session, flt: DashboardFilter) -> tuple[tuple[str, int], ...]:
    reason = func.coalesce(func.trim(Renewal.reason), NO_RECORD)
    stmt = in_scope(
        select(reason, func.count())
        .where(Renewal.outcome == RenewalOutcome.NOT_RENEWED.value,
               flt.date_in(Renewal.due_date)),
        flt, Renewal.customer_id, session,
    ).group_by(reason)
    rows = sorted(((r or NO_RECORD, n) for r, n in session.execute(stmt)),
                  key=lambda item: (-item[1], item[0]))
    merged: dict[str, int] = defaultdict(int)
    for r, n in rows:
        merged[r] += n  # "" and blanks trimmed to "" meet here
    ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    top, rest = ordered[:TOP_REASONS], ordered[TOP_REASONS:]
    if rest:
        top.append((OTHER_REASONS, sum(n for _, n in rest)))
    return tuple(top)


def renewal_charts(session: Session, actor: Actor, flt: DashboardFilter) -> RenewalCharts:
    """The renewal charts' data, cached per filter (and day: upcoming counts from today)."""
    actor.require(Perm.DASHBOARDS)
    today = clock.today()
    return cached(session, f"charts.renewals:{today.isoformat()}", flt,
                  lambda: compute(session, flt, today))
