"""Issue 13 point 10: every concurrency failure of every action is the stale-record message.

Real threads race on the real database (SQLite and PostgreSQL): each outcome must be either
success or ``ConcurrentChange`` (whose message the pages show), never a raw database error,
and no success may be lost."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import now
from core.errors import ConcurrentChange
from core.vocab import Role
from db.engine import make_engine, session_scope
from db.models import Customer, Tag
from services import customers as cr
from services.customers import tags
from tests.support.factories import actor_for, make_customer, make_user

THREADS = 3


@pytest.fixture
def clerk(db: Session):
    user = make_user(db, "u_clerk", Role.CLERK)
    db.commit()
    return actor_for(user, demo_mode=False)


def race(engine: Engine, work: Callable[[Session, int], object],
         threads: int = THREADS) -> list[BaseException | None]:
    """Run ``work`` in ``threads`` threads, each in its own ``session_scope``, all reading
    before any writes: every session waits for the others at its first flush."""
    barrier = threading.Barrier(threads, timeout=20)
    mine: dict[int, int] = {}  # id(session) -> index, for the sessions of this race only
    outcomes: list[BaseException | None] = [None] * threads

    def hold(session: Session, *_: object) -> None:
        index = mine.pop(id(session), None)
        if index is not None:
            barrier.wait()

    def run(index: int) -> None:
        try:
            with session_scope(engine) as session:
                mine[id(session)] = index
                work(session, index)
        except BaseException as exc:
            outcomes[index] = exc

    event.listen(Session, "before_flush", hold)
    try:
        workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
    finally:
        event.remove(Session, "before_flush", hold)
    return outcomes


def assert_only_stale(outcomes: list[BaseException | None]) -> None:
    unexpected = [repr(o) for o in outcomes if o is not None and
                  not isinstance(o, ConcurrentChange)]
    assert not unexpected, unexpected
    assert any(o is None for o in outcomes), "one of them must win"


def test_concurrent_tag_adds_are_stale_never_a_crash(engine: Engine, db: Session,
                                                     clerk) -> None:
    customer = make_customer(db)
    names = [f"T{i}" for i in range(THREADS)]
    db.add_all(Tag(name=name, created_at=now()) for name in names)
    db.commit()
    outcomes = race(engine, lambda s, i: tags.add_tags(s, clerk, customer.id, names[i]))
    assert_only_stale(outcomes)
    assert any(isinstance(o, ConcurrentChange) for o in outcomes)  # the race did happen
    with Session(engine) as s:
        kept = sorted(t.name for t in s.get(Customer, customer.id).tags)
    # Every add that reported success is there; every refused one is not.
    assert kept == [names[i] for i, o in enumerate(outcomes) if o is None]
    assert ConcurrentChange().message("zh").startswith("未保存")


def test_racing_inserts_of_one_unique_key_are_stale(engine: Engine, db: Session,
                                                    clerk) -> None:
    """Both pass the duplicate check (nothing there yet), then both insert the same 客户编号:
    the unique index refuses the second, which is a lost race, not a crash."""
    outcomes = race(engine, lambda s, i: cr.create_customer(
        s, clerk, {"name": f"并发{i}", "mobile": f"1390000000{i}", "customer_no": "C20269999"}))
    assert_only_stale(outcomes)
    assert sum(o is None for o in outcomes) == 1
    with Session(engine) as s:
        assert s.query(Customer).filter_by(customer_no="C20269999").count() == 1


def test_locked_sqlite_file_is_stale(settings, db: Session, clerk) -> None:
    """Another process holds the write lock longer than the busy timeout."""
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite's file lock")
    customer = make_customer(db)
    db.commit()
    impatient = make_engine(settings.database_url)
    event.listen(impatient, "connect",
                 lambda conn, _rec: conn.execute("PRAGMA busy_timeout=200"))
    holder = make_engine(settings.database_url)
    try:
        with holder.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            with pytest.raises(ConcurrentChange), session_scope(impatient) as session:
                tags.add_tags(session, clerk, customer.id, "VIP")
            conn.exec_driver_sql("ROLLBACK")
    finally:
        impatient.dispose()
        holder.dispose()


def test_deadlock_on_postgresql_is_stale(settings, engine: Engine, db: Session) -> None:
    """Two actions update two customers in opposite orders: PostgreSQL aborts one of them."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's deadlock detection")
    a, b = make_customer(db), make_customer(db)
    db.commit()
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list[BaseException | None] = [None, None]

    def run(index: int, first: int, second: int) -> None:
        try:
            with session_scope(engine) as session:
                bump = text("UPDATE customers SET notes = :n WHERE id = :id")
                session.execute(bump, {"n": f"t{index}", "id": first})
                barrier.wait()
                session.execute(bump, {"n": f"t{index}", "id": second})
        except BaseException as exc:
            outcomes[index] = exc

    workers = [threading.Thread(target=run, args=(0, a.id, b.id)),
               threading.Thread(target=run, args=(1, b.id, a.id))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert_only_stale(outcomes)
    assert sum(isinstance(o, ConcurrentChange) for o in outcomes) == 1


def test_serialization_failure_on_postgresql_is_stale(settings, engine: Engine,
                                                      db: Session) -> None:
    """Under REPEATABLE READ a row changed since the snapshot cannot be updated (40001)."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's isolation levels")
    c = make_customer(db)
    db.commit()
    strict = engine.execution_options(isolation_level="REPEATABLE READ")
    with pytest.raises(ConcurrentChange), session_scope(strict) as session:
        session.execute(text("SELECT notes FROM customers WHERE id = :id"), {"id": c.id})
        with engine.begin() as other:
            other.execute(text("UPDATE customers SET notes = 'x' WHERE id = :id"),
                          {"id": c.id})
        session.execute(text("UPDATE customers SET notes = 'y' WHERE id = :id"),
                        {"id": c.id})


def test_a_bug_is_not_taken_for_a_race(engine: Engine) -> None:
    """A NOT NULL violation is a programming error: it stays an error, not a stale record."""
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.execute(text("INSERT INTO tags (name, created_at) VALUES (NULL, :at)"),
                        {"at": now()})
