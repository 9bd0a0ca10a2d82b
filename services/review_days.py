"""How many customers are overdue for review, from the per-day counts the triggers keep.

Why: most customers are overdue, so counting them directly means counting most of the table
(65-80 ms on PostgreSQL at a million customers, against the lookup's 50 ms). The table
``customer_review_days`` (migration 0007) gets a delta row from a trigger for every customer
inserted, deleted or moved to another review day; the total is the sum of the deltas before the
cutoff's day plus the customers of the cutoff's own day up to the cutoff instant, which two
short ranges of the ``(last_reviewed_at, created_at)`` index give. ``compact`` folds the deltas
into one row per day; imports, the demo seeder and ``manage.py refresh-churn`` call it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import Session

from db.models import Customer, customer_review_days

DAYS = customer_review_days


def overdue_count(session: Session, cutoff: datetime) -> int:
    """Customers, deleted included, last reviewed (or, never reviewed, created) before
    ``cutoff``. A review never precedes creation, so a customer reviewed before the cutoff
    was created before it too."""
    cutoff = cutoff.astimezone(UTC)
    day = cutoff.date()
    day_start = datetime.combine(day, time(), UTC)
    whole_days = session.scalar(select(func.coalesce(func.sum(DAYS.c.customers), 0))
                                .where(DAYS.c.day < day)) or 0
    count = select(func.count()).select_from(Customer)
    reviewed = session.scalar(count.where(Customer.last_reviewed_at >= day_start,
                                          Customer.last_reviewed_at < cutoff)) or 0
    created = session.scalar(count.where(Customer.last_reviewed_at.is_(None),
                                         Customer.created_at >= day_start,
                                         Customer.created_at < cutoff)) or 0
    return int(whole_days) + reviewed + created


def compact(connection: Connection) -> int:
    """Fold the deltas into one row per day (days netting to zero dropped); returns the rows
    left. One ``DELETE ... RETURNING`` reads exactly the rows it removes, so deltas another
    transaction commits meanwhile are kept, not lost."""
    gone = connection.execute(delete(DAYS).returning(DAYS.c.day, DAYS.c.customers)).all()
    totals: dict[object, int] = {}
    for day, customers in gone:
        totals[day] = totals.get(day, 0) + customers
    rows = [{"day": day, "customers": n} for day, n in sorted(totals.items()) if n]
    if rows:
        connection.execute(insert(DAYS), rows)
    return len(rows)


__all__ = ["compact", "overdue_count"]
