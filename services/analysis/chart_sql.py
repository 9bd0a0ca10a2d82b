"""SQL building blocks of the dashboard charts, the same on SQLite and PostgreSQL.

- ``trend_months``: the months a monthly chart shows for a filter.
- ``month_index``: a CASE expression numbering the month a date or timestamp falls in, from
  bounds computed here (local midnight for timestamps), so no backend date function is needed
  and a timestamp stored in UTC lands in its China-time month.
- ``in_scope``: limit a statement on a record table to the filter's customers.
- ``median_by``: the exact median of an integer column per group, with window functions.

Charts aggregate in SQL and read back a few hundred rows at most; nothing loads a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, select
from sqlalchemy.orm import Session

from core import clock
from core.clock import LOCAL_TZ
from db.models import Customer
from services.analysis.filters import DashboardFilter

TREND_MONTHS: Final = 12
"""A monthly chart shows at least this many months, ending with the period's last month."""
MAX_TREND_MONTHS: Final = 36


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Months:
    """Consecutive calendar months; the last one may end early (at ``last_day``)."""

    starts: tuple[date, ...]
    last_day: date

    @property
    def first_day(self) -> date:
        return self.starts[0]

    def bounds(self) -> list[date]:
        """Month starts and the day after ``last_day``: ``len(starts) + 1`` bounds."""
        return [*self.starts[1:], self.last_day + timedelta(days=1)]

    def labels(self) -> list[str]:
        return [f"{m.year:04d}-{m.month:02d}" for m in self.starts]

    def date_in(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.first_day, column <= self.last_day)

    def time_in(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= _midnight(self.first_day),
                    column < _midnight(self.last_day + timedelta(days=1)))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ)


def trend_months(flt: DashboardFilter) -> Months:
    """The months of the period when it spans at least ``TREND_MONTHS`` (at most the last
    ``MAX_TREND_MONTHS``), else the ``TREND_MONTHS`` months ending with the period's last
    month. The series stops at the period's end, so a past period never shows later data."""
    months = flt.months()
    if len(months) < TREND_MONTHS:
        last = months[-1]
        months = [add_months(last, -k) for k in range(TREND_MONTHS - 1, -1, -1)]
    return Months(tuple(months[-MAX_TREND_MONTHS:]), flt.end)


def upcoming_months(today: date, count: int) -> Months:
    """The ``count`` months from today's month on, the first starting today."""
    starts = [add_months(today, k) for k in range(count)]
    last = add_months(today, count) - timedelta(days=1)
    return Months((today, *starts[1:]), last)


def month_index(column: Any, months: Months, *, timestamp: bool = False) -> Any:
    """0-based index of the month ``column`` falls in; use with ``months.date_in`` /
    ``time_in`` in the WHERE clause (outside the months the value is the last index)."""
    bounds = months.bounds()[:-1]
    if not bounds:
        return literal_column("0")
    whens = [(column < (_midnight(b) if timestamp else b), k) for k, b in enumerate(bounds)]
    return case(*whens, else_=len(bounds))


def in_scope(stmt: Select, flt: DashboardFilter, customer_id: Any, session: Session, *,
             join: bool = False) -> Select:
    """``stmt`` limited to the filter's customers (live, and in every chosen dimension).

    Without dimensions a record table is not joined to customers: only the few deleted
    customers' ids are left out (``join=True`` joins anyway, to group by a customer column).
    """
    if join or flt.has_dimensions:
        return stmt.join(Customer, Customer.id == customer_id).where(
            *flt.customer_conditions(Customer, dialect=dialect(session)))
    deleted = select(Customer.id).where(Customer.deleted_at.is_not(None))
    return stmt.where(customer_id.not_in(deleted))


def median_by(session: Session, value: Any, group: Any | None, where: Sequence[Any],
              scope: Any = None) -> dict[Any, float]:
    """The exact median of ``value`` per ``group``: see ``medians_and_counts``."""
    return medians_and_counts(session, value, group, where, scope)[0]


def medians_and_counts(session: Session, value: Any, group: Any | None, where: Sequence[Any],
                       scope: Any = None) -> tuple[dict[Any, float], dict[Any, int]]:
    """The exact median of ``value`` per ``group`` (the mean of the two middle values when the
    count is even), and the number of values per group, in SQL on both backends. With
    ``group`` None there is one group, keyed 0; ``scope(stmt)`` may add joins/conditions.

    First the count of each group, then each row's rank within its group (``row_number``, one
    sort), keeping only the middle one or two ranks of each group.
    """
    key = literal_column("0") if group is None else group
    conds = [value.is_not(None), *where]

    def scoped(stmt: Select) -> Select:
        return scope(stmt) if scope is not None else stmt

    table = value.class_  # the record table (the scope may join customers to it)
    count_stmt = scoped(select(key.label("g"), func.count()).select_from(table).where(*conds))
    if group is not None:
        count_stmt = count_stmt.group_by(group)
    counts = {g: int(n) for g, n in session.execute(count_stmt) if n}
    middle = {g: {(n + 1) // 2, (n + 2) // 2} for g, n in counts.items() if n}
    if not middle:
        return {}, counts
    ranked = scoped(select(
        key.label("g"), value.label("v"),
        func.row_number().over(partition_by=group, order_by=value).label("rn"),
    ).select_from(table).where(*conds)).subquery()
    wanted = sorted(set().union(*middle.values()))
    picked: dict[Any, list[float]] = {}
    for g, v, rn in session.execute(select(ranked.c.g, ranked.c.v, ranked.c.rn)
                                    .where(ranked.c.rn.in_(wanted))):
        if rn in middle.get(g, ()):
            picked.setdefault(g, []).append(float(v))
    return {g: sum(vs) / len(vs) for g, vs in picked.items()}, counts


def existing_by_end(flt: DashboardFilter) -> list[Any]:
    """Customers created by the end of the period: no condition at all for a period that
    ends today (every customer qualifies), so SQLite scans a covering index instead of
    ranging over ``created_at`` and reading each row."""
    if flt.end_before > clock.now():
        return []
    return [Customer.created_at < flt.end_before]


def share(part: int, whole: int) -> float | None:
    """``part / whole`` as a fraction, None when there is nothing to divide."""
    return part / whole if whole else None
