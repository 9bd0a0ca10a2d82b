"""How many customers are overdue for review, from the per-day counts the triggers keep.

Why: most customers are overdue, so counting them directly means counting most of the table
(65-80 ms on PostgreSQL at a million customers, against the lookup's 50 ms). The table
``customer_review_days`` (migration 0007) gets a delta row from a trigger for every customer
inserted, deleted or moved to another review day; the total is the sum of the deltas before the
cutoff's day plus the customers of the cutoff's own day up to the cutoff instant, which two
short ranges of the ``(last_reviewed_at, created_at)`` index give. ``compact`` folds the deltas
into one row per day; imports, the demo seeder and ``manage.py refresh-churn`` call it.

SQLite runs a row trigger with a statement journal per inserted row: about 50 µs each, five
seconds on an import of 100,000 customers. Bulk writers therefore suspend the insert trigger
(``bulk_insert_counts``) and count their rows themselves; PostgreSQL's statement trigger costs
next to nothing and stays on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

from sqlalchemy import Connection, Date, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from db.models import Customer, customer_review_days

DAYS = customer_review_days
INSERT_TRIGGER = "customers_review_days_insert"


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


@contextmanager
def bulk_insert_counts(connection: Connection
                       ) -> Iterator[Callable[[Mapping[date, int]], None]]:
    """For a bulk insert of customers: yields ``count({review day: customers})``, which the
    caller calls for the rows it inserts in the block.

    SQLite: the insert trigger is dropped for the block and re-created from its own stored
    SQL after it, inside the caller's transaction (SQLite's DDL is transactional: a failure
    rolls the drop back too, and no other connection can write meanwhile); the counts are
    written at the end. PostgreSQL: the trigger counts, ``count`` does nothing.
    """
    if connection.dialect.name != "sqlite":
        yield lambda counts: None
        return
    create = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        (INSERT_TRIGGER,)).scalar()
    if create is None:  # pragma: no cover - a database before migration 0007
        yield lambda counts: None
        return
    connection.exec_driver_sql(f"DROP TRIGGER {INSERT_TRIGGER}")
    pending: Counter[date] = Counter()
    try:
        yield pending.update
        rows = [{"day": day, "customers": n} for day, n in sorted(pending.items()) if n]
        if rows:
            connection.execute(insert(DAYS), rows)
    finally:
        connection.exec_driver_sql(create)


def review_day(created_at: datetime, last_reviewed_at: datetime | None = None) -> date:
    """The UTC day a customer counts on (as the triggers compute it)."""
    return (last_reviewed_at or created_at).astimezone(UTC).date()


def rebuild(connection: Connection) -> int:
    """Recount every day from the customers table (after a bulk load, or to repair);
    returns the rows written."""
    basis = func.coalesce(Customer.last_reviewed_at, Customer.created_at)
    day = (func.date(basis) if connection.dialect.name == "sqlite"
           else cast(func.timezone("UTC", basis), Date))
    connection.execute(delete(DAYS))
    connection.execute(insert(DAYS).from_select(
        ["day", "customers"], select(day, func.count()).select_from(Customer).group_by(day)))
    return connection.scalar(select(func.count()).select_from(DAYS)) or 0


__all__ = ["bulk_insert_counts", "compact", "overdue_count", "rebuild", "review_day"]
