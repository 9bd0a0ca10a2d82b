"""客户经理: one row of KPIs per account manager, over the customers assigned to them (the
customer's current ``account_manager_id``), for the filter's period and dimensions.

- **customers**: their customers existing at the end of the period.
- **conversion rate** (潜在 → customer with an order): of their customers *created in the
  period*, the share that placed at least one order by the end of the period
  (``first_order_at`` on or before the period's last day).
- **satisfaction**: surveys dated in the period: average score and share satisfied (4-5).
- **renewal rate**: renewal records due in the period, ``已续约 / (已续约 + 未续约)`` (as the
  renewal chart; 跟进中 not yet counted).
- **sales**: the amount and number of orders dated in the period.
- **visits done**: 回访 done in the period; **overdue**: 回访 planned before the end of the
  period (and before today) and not done by then — the backlog at the period's end, so for
  the current period the visits overdue now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from core import clock
from core.money import summed_money
from core.vocab import RenewalOutcome
from db.models import Customer, FollowUp, Order, Renewal, Survey, User
from services.access.roles import Actor, Perm
from services.analysis.chart_sql import dialect, existing_by_end, in_scope, share
from services.analysis.filters import DashboardFilter, cached
from services.analysis.satisfaction import ScoreCounts


@dataclass
class ManagerRow:
    manager_id: int | None
    username: str | None = None
    name: str | None = None
    customers: int = 0
    new_customers: int = 0
    converted: int = 0
    scores: ScoreCounts = field(default_factory=lambda: ScoreCounts.of({}))
    renewed: int = 0
    not_renewed: int = 0
    sales: Decimal = Decimal(0)
    orders: int = 0
    visits_done: int = 0
    visits_overdue: int = 0

    @property
    def conversion_rate(self) -> float | None:
        return share(self.converted, self.new_customers)

    @property
    def renewal_rate(self) -> float | None:
        return share(self.renewed, self.renewed + self.not_renewed)

    @property
    def has_activity(self) -> bool:
        return any((self.customers, self.new_customers, self.scores.total, self.renewed,
                    self.not_renewed, self.orders, self.visits_done, self.visits_overdue))


def compute(session: Session, flt: DashboardFilter, today: date | None = None
            ) -> tuple[ManagerRow, ...]:
    today = today or clock.today()
    rows: dict[int | None, ManagerRow] = {}

    def row(manager_id: int | None) -> ManagerRow:
        if manager_id not in rows:
            rows[manager_id] = ManagerRow(manager_id)
        return rows[manager_id]

    am = Customer.account_manager_id
    conds = flt.customer_conditions(Customer, dialect=dialect(session))

    # Customers and the period's new customers with their conversion, in one pass.
    created_in = flt.time_in(Customer.created_at)
    converted = and_(created_in, Customer.first_order_at.is_not(None),
                     Customer.first_order_at <= flt.end)
    # Grouped by an expression, not the column: SQLite then scans the covering
    # ix_customers_composition instead of walking the manager index and reading every row.
    manager_key = am + 0
    stmt = (select(manager_key, func.count(), func.sum(case((created_in, 1), else_=0)),
                   func.sum(case((converted, 1), else_=0)))
            .where(*conds, *existing_by_end(flt)).group_by(manager_key))
    for manager, n, new, conv in session.execute(stmt):
        r = row(manager)
        r.customers, r.new_customers, r.converted = n, int(new or 0), int(conv or 0)

    def by_manager(select_stmt, customer_id):
        return in_scope(select_stmt.select_from(customer_id.class_), flt, customer_id, session,
                        join=True).group_by(am)

    scores: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    stmt = by_manager(select(am, Survey.score, func.count())
                      .where(flt.date_in(Survey.survey_date)), Survey.customer_id)
    for manager, score, n in session.execute(stmt.group_by(Survey.score)):
        scores[manager][int(score)] += n
    for manager, counts in scores.items():
        row(manager).scores = ScoreCounts.of(counts)

    stmt = by_manager(
        select(am, func.sum(case((Renewal.outcome == RenewalOutcome.RENEWED.value, 1), else_=0)),
               func.sum(case((Renewal.outcome == RenewalOutcome.NOT_RENEWED.value, 1),
                             else_=0)))
        .where(flt.date_in(Renewal.due_date)), Renewal.customer_id)
    for manager, renewed, not_renewed in session.execute(stmt):
        r = row(manager)
        r.renewed, r.not_renewed = int(renewed or 0), int(not_renewed or 0)

    stmt = by_manager(select(am, func.sum(Order.amount), func.count())
                      .where(flt.date_in(Order.order_date)), Order.customer_id)
    for manager, amount, n in session.execute(stmt):
        r = row(manager)
        r.sales, r.orders = summed_money(amount), n

    stmt = by_manager(select(am, func.count()).where(flt.date_in(FollowUp.done_date)),
                      FollowUp.customer_id)
    for manager, n in session.execute(stmt):
        row(manager).visits_done = n
    # Overdue: still open, or done only after the period. Two statements, each answered by
    # its own index (the open visits' partial index; done_date ranges), not one OR.
    due_before = min(flt.end + timedelta(days=1), today)
    for late in (FollowUp.done_date.is_(None), FollowUp.done_date > flt.end):
        stmt = by_manager(select(am, func.count()).where(FollowUp.planned_date < due_before,
                                                         late), FollowUp.customer_id)
        for manager, n in session.execute(stmt):
            row(manager).visits_overdue += n

    ids = [m for m in rows if m is not None]
    if ids:
        for uid, username, name in session.execute(
                select(User.id, User.username, User.display_name).where(User.id.in_(ids))):
            rows[uid].username, rows[uid].name = username, name
    result = [r for r in rows.values() if r.has_activity]
    result.sort(key=lambda r: (r.manager_id is None, -r.sales, -r.customers, r.name or ""))
    return tuple(result)


def totals(rows: tuple[ManagerRow, ...] | list[ManagerRow]) -> ManagerRow:
    """All rows added up (rates recomputed from the sums, not averaged)."""
    total = ManagerRow(None)
    counts: dict[int, int] = defaultdict(int)
    for r in rows:
        total.customers += r.customers
        total.new_customers += r.new_customers
        total.converted += r.converted
        total.renewed += r.renewed
        total.not_renewed += r.not_renewed
        total.sales += r.sales
        total.orders += r.orders
        total.visits_done += r.visits_done
        total.visits_overdue += r.visits_overdue
        for score, n in zip((5, 4, 3, 2, 1), r.scores.counts, strict=True):
            counts[score] += n
    total.scores = ScoreCounts.of(counts)
    return total


def manager_table(session: Session, actor: Actor, flt: DashboardFilter
                  ) -> tuple[ManagerRow, ...]:
    """The account-manager table's rows, cached per filter and day (rows hold counts, ids
    and the managers' own names, no customer data)."""
    actor.require(Perm.DASHBOARDS)
    today = clock.today()
    return cached(session, f"charts.managers:{today.isoformat()}", flt,
                  lambda: compute(session, flt, today))
