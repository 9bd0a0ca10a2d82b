"""投诉 charts: complaints received in the period by channel, type and (current) status; the
monthly count and median resolution time; the overdue list.

- A complaint counts in the month it was received (``received_at``, China time).
- The **median resolution time** of a month is over the complaints *resolved* that month
  (``resolved_at``), from ``complaints.resolution_minutes`` (computed when resolved, never
  typed): exact, the mean of the two middle values for an even count, computed in SQL with
  window functions on both backends.
- **Overdue**: not yet resolved (待处理/处理中) and received longer ago than
  ``complaints.overdue_hours`` — now, whatever the period (it is a to-do list).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.settings import get_settings
from core.vocab import COMPLAINT_TYPES, ComplaintChannel, ComplaintStatus
from db.models import Complaint, Customer, User
from services.access.roles import Actor, Perm
from services.analysis.chart_sql import (
    in_scope,
    median_by,
    medians_and_counts,
    month_index,
    trend_months,
)
from services.analysis.filters import DashboardFilter, cached

OPEN_STATUSES: Final = (ComplaintStatus.OPEN.value, ComplaintStatus.IN_PROGRESS.value)
OVERDUE_LIMIT: Final = 100


@dataclass(frozen=True)
class ComplaintCharts:
    total: int
    by_channel: tuple[tuple[str, int], ...]
    by_type: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    median_minutes: float | None  # complaints resolved in the period
    month_labels: tuple[str, ...]
    monthly_count: tuple[int, ...]
    monthly_median_minutes: tuple[float | None, ...]
    monthly_resolved: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return self.total == 0 and not any(self.monthly_count) and not any(
            self.monthly_resolved)


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Known values in their vocabulary order, then any others by count."""
    known = [(v, counts.get(v, 0)) for v in order]
    extra = sorted(((v, n) for v, n in counts.items() if v not in order),
                   key=lambda item: -item[1])
    return tuple(known + extra)


def compute(session: Session, flt: DashboardFilter) -> ComplaintCharts:
    stmt = in_scope(
        select(Complaint.channel, Complaint.complaint_type, Complaint.status, func.count())
        .where(flt.time_in(Complaint.received_at)),
        flt, Complaint.customer_id, session,
    ).group_by(Complaint.channel, Complaint.complaint_type, Complaint.status)
    channels: dict[str, int] = defaultdict(int)
    types: dict[str, int] = defaultdict(int)
    statuses: dict[str, int] = defaultdict(int)
    total = 0
    for channel, ctype, status, n in session.execute(stmt):
        channels[channel] += n
        types[ctype] += n
        statuses[status] += n
        total += n

    def scope(s):
        return in_scope(s, flt, Complaint.customer_id, session)

    period_median = median_by(session, Complaint.resolution_minutes, None,
                              [flt.time_in(Complaint.resolved_at)], scope)

    months = trend_months(flt)
    received = month_index(Complaint.received_at, months, timestamp=True)
    count_stmt = scope(select(received, func.count())
                       .where(months.time_in(Complaint.received_at))).group_by(received)
    counts = dict(session.execute(count_stmt).all())
    resolved = month_index(Complaint.resolved_at, months, timestamp=True)
    medians, resolved_counts = medians_and_counts(
        session, Complaint.resolution_minutes, resolved, [months.time_in(Complaint.resolved_at)],
        scope)
    n = len(months.starts)
    return ComplaintCharts(
        total=total,
        by_channel=_ordered(channels, tuple(c.value for c in ComplaintChannel)),
        by_type=_ordered(types, COMPLAINT_TYPES),
        by_status=_ordered(statuses, tuple(s.value for s in ComplaintStatus)),
        median_minutes=period_median.get(0),
        month_labels=tuple(months.labels()),
        monthly_count=tuple(int(counts.get(k, 0)) for k in range(n)),
        monthly_median_minutes=tuple(medians.get(k) for k in range(n)),
        monthly_resolved=tuple(int(resolved_counts.get(k, 0)) for k in range(n)),
    )


def complaint_charts(session: Session, actor: Actor, flt: DashboardFilter) -> ComplaintCharts:
    """The complaint charts' data, cached per filter."""
    actor.require(Perm.DASHBOARDS)
    return cached(session, "charts.complaints", flt, lambda: compute(session, flt))


@dataclass(frozen=True)
class OverdueComplaint:
    id: int
    customer_id: int
    customer_no: str
    customer_name: str
    channel: str
    complaint_type: str
    status: str
    received_at: datetime
    hours_open: int
    handler: str | None


def overdue(session: Session, actor: Actor, flt: DashboardFilter, *,
            now: datetime | None = None, limit: int = OVERDUE_LIMIT
            ) -> tuple[list[OverdueComplaint], int]:
    """Unresolved complaints older than the configured limit, oldest first (at most
    ``limit``), and how many there are in all. Read live, never cached: it is a to-do list
    with customer names."""
    actor.require(Perm.DASHBOARDS)
    now = now or clock.now()
    cutoff = now - timedelta(hours=get_settings().complaint_overdue_hours)
    where = [Complaint.status.in_(OPEN_STATUSES), Complaint.received_at < cutoff]
    total = session.scalar(in_scope(select(func.count()).select_from(Complaint).where(*where),
                                    flt, Complaint.customer_id, session)) or 0
    stmt = in_scope(
        select(Complaint.id, Customer.id, Customer.customer_no, Customer.name, Complaint.channel,
               Complaint.complaint_type, Complaint.status, Complaint.received_at,
               User.display_name)
        .select_from(Complaint).outerjoin(User, User.id == Complaint.handler_id).where(*where),
        flt, Complaint.customer_id, session, join=True,
    ).order_by(Complaint.received_at, Complaint.id).limit(limit)
    rows = [OverdueComplaint(cid, cust, no, name, channel, ctype, status, received,
                             int((now - received).total_seconds() // 3600), handler)
            for cid, cust, no, name, channel, ctype, status, received, handler
            in session.execute(stmt)]
    return rows, int(total)
