"""Demo data is searchable at once: the seeder builds the search index in its transaction."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Customer
from services.access.roles import cli_actor
from services.customers.lookup import CustomerQuery, search
from services.customers.search_index import check_search_index
from services.demo import seed_demo


def test_seeded_customers_are_indexed_for_search(engine, db) -> None:
    seed_demo(engine, customers=120, seed=3)
    assert check_search_index(db.connection()) == (0, 0)
    someone = db.scalars(select(Customer).where(Customer.mobile.is_not(None))
                         .order_by(Customer.id)).first()
    assert someone.mobile_last4 == someone.mobile[-4:]
    actor = cli_actor(demo_mode=True)
    by_name, _ = search(db, actor, CustomerQuery(text=someone.name), limit=200)
    assert someone.id in {r.id for r in by_name}
    by_last4, _ = search(db, actor, CustomerQuery(text=someone.mobile[-4:]), limit=200)
    assert someone.id in {r.id for r in by_last4}


def test_reset_leaves_no_stale_grams(engine, db) -> None:
    seed_demo(engine, customers=60, seed=3)
    seed_demo(engine, customers=40, seed=4, reset=True)
    assert check_search_index(db.connection()) == (0, 0)


def test_reset_demo_follows_the_role_matrix(engine, db) -> None:
    import pytest

    from core.vocab import Role
    from services.access.roles import Actor, PermissionDenied
    from services.demo import reset_demo

    seed_demo(engine, customers=30, seed=1)
    with pytest.raises(PermissionDenied):
        reset_demo(engine, Actor(None, "clerk", Role.CLERK, demo_mode=True), customers=10)
    with pytest.raises(PermissionDenied):  # not a demo database: nobody resets it
        reset_demo(engine, Actor(None, "trainer", Role.TRAINER, demo_mode=False), customers=10)
    reset_demo(engine, Actor(None, "trainer", Role.TRAINER, demo_mode=True), customers=10)
    assert db.query(Customer).count() == 10
