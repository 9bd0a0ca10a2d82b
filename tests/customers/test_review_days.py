"""The per-day review counts (migration 0007 triggers, services.customers.review_days) against a
direct count, through every way customers are written."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from core.clock import now
from db.models import Customer, customer_review_days
from services.customers import review_days
from tests.support.factories import make_customer

T0 = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def direct(session: Session, cutoff: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Customer).where(
        Customer.created_at < cutoff,
        or_(Customer.last_reviewed_at.is_(None), Customer.last_reviewed_at < cutoff))) or 0


def cutoffs() -> list[datetime]:
    """Whole days, the day boundaries themselves, and instants inside a day."""
    return [T0 + timedelta(days=d, hours=h) for d in range(-3, 6) for h in (-9.5, 0, 3, 14.5)]


def assert_matches(session: Session) -> None:
    session.flush()
    for cutoff in cutoffs():
        assert review_days.overdue_count(session, cutoff) == direct(session, cutoff), cutoff


def customer(session: Session, created: datetime, reviewed: datetime | None = None,
             **kwargs: object) -> Customer:
    c = make_customer(session, **kwargs)
    c.created_at = created
    c.last_reviewed_at = reviewed
    session.flush()
    return c


def test_inserts_reviews_deletes_and_restores_keep_the_count(db: Session) -> None:
    people = [customer(db, T0 + timedelta(days=d, hours=h))
              for d in range(-2, 4) for h in (0, 5, 20)]
    assert_matches(db)
    people[0].last_reviewed_at = T0 + timedelta(days=2, hours=1)  # reviewed: moves later
    people[4].last_reviewed_at = people[4].created_at + timedelta(minutes=5)  # same day
    assert_matches(db)
    people[0].last_reviewed_at = T0 + timedelta(days=4)  # reviewed again
    people[1].deleted_at = now()  # soft delete: still counted, as the lookup counts it
    assert_matches(db)
    db.delete(people[2])  # hard delete
    assert_matches(db)
    db.execute(update(Customer).where(Customer.id.in_([p.id for p in people[5:9]]))
               .values(last_reviewed_at=T0 + timedelta(days=1, hours=2)))  # a bulk UPDATE
    assert_matches(db)
    db.execute(delete(Customer).where(Customer.id.in_([p.id for p in people[9:12]])))
    assert_matches(db)


def test_core_bulk_inserts_are_counted(db: Session) -> None:
    template = customer(db, T0)
    row = {c.key: getattr(template, c.key) for c in Customer.__table__.columns
           if c.key not in ("id", "customer_no")}
    db.execute(insert(Customer.__table__), [
        {**row, "customer_no": f"CB{i:06d}", "created_at": T0 + timedelta(hours=7 * i)}
        for i in range(40)])
    assert_matches(db)


def test_compact_folds_the_deltas_and_keeps_the_totals(db: Session) -> None:
    people = [customer(db, T0 + timedelta(hours=11 * i)) for i in range(20)]
    for p in people[:10]:
        p.last_reviewed_at = T0 + timedelta(days=5)
    db.flush()
    before = [review_days.overdue_count(db, c) for c in cutoffs()]
    rows = review_days.compact(db.connection())
    stored = db.execute(select(customer_review_days.c.day,
                               func.count()).group_by(customer_review_days.c.day)).all()
    assert rows == len(stored) and all(n == 1 for _, n in stored)
    assert [review_days.overdue_count(db, c) for c in cutoffs()] == before
    assert_matches(db)


@pytest.mark.parametrize("interval", [30, 180])
def test_the_lookups_review_overdue_total_is_the_direct_count(db: Session, interval: int,
                                                              monkeypatch) -> None:
    from services.access.roles import cli_actor
    from services.customers import lookup
    from services.customers.lookup import CustomerQuery, search

    stamp = now()
    for days in (1, 29, 31, 100, 179, 181, 400):
        customer(db, stamp - timedelta(days=days))
        customer(db, stamp - timedelta(days=days + 500), stamp - timedelta(days=days))
    gone = customer(db, stamp - timedelta(days=300))
    gone.deleted_at = stamp
    db.commit()
    monkeypatch.setattr(lookup, "review_cutoff",
                        lambda interval_days=None: stamp - timedelta(days=interval))
    _rows, total = search(db, cli_actor(True), CustomerQuery(review_overdue=True))
    cutoff = stamp - timedelta(days=interval)
    expected = db.scalar(select(func.count()).select_from(Customer).where(
        Customer.deleted_at.is_(None), Customer.created_at < cutoff,
        or_(Customer.last_reviewed_at.is_(None), Customer.last_reviewed_at < cutoff)))
    assert total == expected > 0


def test_a_bulk_insert_counted_by_hand_matches_and_keeps_the_trigger(db: Session) -> None:
    template = customer(db, T0)
    row = {c.key: getattr(template, c.key) for c in Customer.__table__.columns
           if c.key not in ("id", "customer_no")}
    stamps = [T0 + timedelta(hours=5 * i) for i in range(30)]
    conn = db.connection()
    with review_days.bulk_insert_counts(conn) as count:
        conn.execute(insert(Customer.__table__), [
            {**row, "customer_no": f"CH{i:06d}", "created_at": s}
            for i, s in enumerate(stamps)])
        count(Counter(review_days.review_day(s) for s in stamps))
    assert_matches(db)
    customer(db, T0 + timedelta(days=1))  # the trigger is back for ordinary inserts
    assert_matches(db)


def test_rebuild_recounts_from_the_customers(db: Session) -> None:
    for i in range(12):
        created = T0 + timedelta(hours=9 * i)
        customer(db, created, created + timedelta(days=3) if i % 3 else None)
    db.execute(delete(customer_review_days))
    assert review_days.overdue_count(db, T0 + timedelta(days=9)) < 12
    review_days.rebuild(db.connection())
    assert_matches(db)
