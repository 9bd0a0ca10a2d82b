"""Finding a customer by a 客户编号 typed without its ``C`` or by part of it (issue 14): the
sequence part ("123", "000123"), the number without ``C`` and its beginning ("C2026000"), all
answered through the unique index on 客户编号 (and the tiny ``sequences`` table), no scan."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import NumberCounter
from services.access.roles import Actor
from services.customers.lookup import CustomerQuery, resolve_text, search, search_ids
from tests.support.factories import actor_for, make_customer, make_user


@pytest.fixture
def clerk(db: Session) -> Actor:
    for year, last in ((2025, 200), (2026, 1200)):
        db.add(NumberCounter(name=f"customer_no:{year}", value=last))
    for number, name in (("C2026000123", "甲一"), ("C2025000123", "乙二"),
                         ("C2026001123", "丙三"), ("C2026000124", "丁四"),
                         ("C2026000999", "戊五"), ("KH-2026-7", "己六")):
        make_customer(db, customer_no=number, name=name)
    user = make_user(db, "clerk_search", Role.CLERK)
    db.commit()
    return actor_for(user)


def _numbers(db: Session, actor: Actor, text: str) -> list[str]:
    rows, total = search(db, actor, CustomerQuery(text=text), limit=50)
    assert total == len(rows)
    assert sorted(search_ids(db, actor, CustomerQuery(text=text))) == sorted(r.id for r in rows)
    return sorted(r.customer_no for r in rows)


def test_a_whole_number_without_its_c(db: Session, clerk: Actor) -> None:
    assert _numbers(db, clerk, "2026000123") == ["C2026000123"]
    assert _numbers(db, clerk, " c2026000123 ") == ["C2026000123"]  # as before


def test_the_sequence_part_with_or_without_leading_zeros(db: Session, clerk: Actor) -> None:
    assert _numbers(db, clerk, "000123") == ["C2025000123", "C2026000123"]
    assert _numbers(db, clerk, "123") == ["C2025000123", "C2026000123"]
    assert _numbers(db, clerk, "1123") == ["C2026001123"]
    assert _numbers(db, clerk, "6000123") == ["C2026000123"]  # the year's tail and the sequence
    assert _numbers(db, clerk, "26000999") == ["C2026000999"]


def test_the_beginning_of_a_number(db: Session, clerk: Actor) -> None:
    assert _numbers(db, clerk, "C2026000") == ["C2026000123", "C2026000124", "C2026000999"]
    assert _numbers(db, clerk, "C20260001") == ["C2026000123", "C2026000124"]
    assert _numbers(db, clerk, "202600012") == ["C2026000123", "C2026000124"]


def test_nothing_is_found_for_a_part_no_number_has(db: Session, clerk: Actor) -> None:
    assert _numbers(db, clerk, "000555") == []
    assert _numbers(db, clerk, "C2024000") == []


def test_a_deleted_customer_stays_out(db: Session, clerk: Actor) -> None:
    from sqlalchemy import select

    from core.clock import now
    from db.models import Customer

    gone = db.scalar(select(Customer).where(Customer.customer_no == "C2025000123"))
    gone.deleted_at = now()
    db.commit()
    assert _numbers(db, clerk, "123") == ["C2026000123"]


def test_a_prefix_too_short_to_be_a_few_numbers_is_not_a_number_search() -> None:
    """"C2026" would be every customer of a year: it stays a plain text search, and the
    conditions the lookup adds stay few (one per year at most)."""
    match = resolve_text("C2026", years=[2025, 2026])
    assert match is not None and len(match.exact) == 1  # the number "C2026" itself only
    assert len(resolve_text("123", years=range(2000, 2027)).exact) <= 3


def test_a_whole_number_is_a_key_and_a_beginning_is_paged_like_a_fragment() -> None:
    """A key's rows are fetched whole (at most a few); a beginning may be 1,000 numbers, so
    it is paged through ids: 50 rows read, not 1,000."""
    assert resolve_text("2026000123", years=[2026]).key
    assert resolve_text("C2026000123", years=[2026]).key
    assert not resolve_text("C2026000", years=[2026]).key
    assert not resolve_text("2026000", years=[2026]).key


def test_a_beginning_shared_by_many_numbers_pages_with_the_right_total(
        db: Session, clerk: Actor) -> None:
    for n in range(200, 290):
        make_customer(db, customer_no=f"C2026000{n:03d}", name=f"批量{n}")
    db.commit()
    rows, total = search(db, clerk, CustomerQuery(text="C2026000", sort="customer_no"),
                         offset=50, limit=50)
    assert total == 93  # 123, 124, 999 and the 90 made here
    assert len(rows) == 43
