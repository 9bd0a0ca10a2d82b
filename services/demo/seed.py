"""Seeding and resetting the demo database: one transaction that writes users, tags, customers
and their records, numbers, targets and the search index, stamps the database as a demo
database and audits the run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.orm import Session

from core import clock
from core.settings import get_settings
from db.models import Customer, NumberCounter
from services.access import audit
from services.access.roles import Actor, Perm, PermissionDenied
from services.customers import review_days
from services.customers.search_index import rebuild_search_index
from services.demo.accounts import ensure_users
from services.demo.calendar import RECORD_DAYS, Calendar
from services.demo.datasets import get_profile
from services.demo.generator import CHUNK_CUSTOMERS, GenParams
from services.demo.parallel import generate_in_children, generate_inline
from services.demo.profiles import GENERAL, DemoProfile
from services.demo.tables import CUSTOMER_TABLES, ID_TABLES, SEEDED_TABLES
from services.demo.tags import ensure_tags
from services.demo.targets import demo_target_rows, insert_demo_targets
from services.demo.writers import (
    CopyWriter,
    Deferred,
    SqliteWriter,
    Writer,
    bulk_session,
    defer_indexes,
    finish_postgres,
    relabel,
    write_chunk,
)
from services.system import database_facts

ProgressFn = Callable[[str, int, int], None]

DEFER_INDEXES_MIN = 20_000
"""From this size indexes are built after the load instead of row by row."""

PARALLEL_MIN_CUSTOMERS = 20_000
"""From this size child processes generate rows while this one writes (start-up ~1 s)."""

GENERATOR_PROCESSES = 2
"""Child processes generating chunks (round robin). Two keep both cores of a small server
busy: generation is the larger half of the work and the database the other."""


class DemoDataPresent(RuntimeError):
    """The database already has customers; seeding would mix demo data into them."""


@dataclass
class SeedReport:
    """What one seeding run wrote (rows per table) and how long it took."""

    seed: int
    today: date
    counts: dict[str, int] = field(default_factory=dict)
    users_created: int = 0
    tags: int = 0
    reset: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{self.counts.get(t, 0):,} {t.replace('_', ' ')}" for t in SEEDED_TABLES]
        return (", ".join(parts) + f"; {self.tags} tags, {self.users_created} new users"
                + f" (seed {self.seed}, today {self.today.isoformat()})")


def seed_demo(engine: Engine, customers: int, seed: int, reset: bool = False,
              progress: ProgressFn | None = None, today: date | None = None,
              dataset: str = GENERAL.name, profile: DemoProfile | None = None) -> SeedReport:
    """Load ``customers`` demo customers with two years of records, in one transaction.

    ``dataset`` names the case dataset (``services.demo.datasets.PROFILES``: general, retail,
    finance, healthcare; ``KeyError`` for another); ``profile`` gives one directly instead.
    The dataset's name is recorded beside the demo stamp (``database_facts.demo_dataset``).
    Raises ``DemoDataPresent`` when customers exist and ``reset`` is false; with ``reset`` all
    customer data (not users, not the audit log) is replaced. ``today`` fixes the calendar
    (default: today in China), so the same ``seed``, ``today`` and dataset give the same
    data. ``progress(stage, done, total)`` is called after each chunk.
    """
    if customers < 0:
        raise ValueError("customers must be zero or more")
    profile = profile or get_profile(dataset)
    started = time.perf_counter()
    today = today or clock.today()
    report = SeedReport(seed=seed, today=today)
    notify = progress or (lambda stage, done, total: None)
    postgres = engine.dialect.name == "postgresql"
    with bulk_session(engine) as conn:
        users, tag_ids, next_ids = prepare(conn, report, reset, notify, profile)
        params = GenParams(seed=seed, today=today, total=max(customers, 1),
                           settings=get_settings(), users=users, tag_ids=tag_ids,
                           first_customer_id=next_ids["customers"], postgres=postgres,
                           profile=profile, chunk=CHUNK_CUSTOMERS)
        counts = load(conn, params, customers, next_ids, notify)
        store_sequences(conn, Calendar(seed, today, customers).last_numbers(customers))
        # 续约目标 of every month, quarter and year of the years the demo's records cover,
        # sized on the contracts ending in each period.
        counts["renewal_targets"] = insert_demo_targets(conn, demo_target_rows(
            conn, date((today - timedelta(days=RECORD_DAYS)).year, 1, 1),
            date(today.year, 12, 31), users.get("manager"), seed))
        finish(conn, customers, notify)
        report.counts = counts
        database_facts.stamp_demo(conn)  # the only way a database becomes a demo database
        database_facts.stamp_dataset(conn, profile.name)
        audit.append(conn, [dict(
            at=clock.now(), user_id=None, username="cli",
            action="demo.reset" if report.reset else "demo.seed", entity=None, entity_id=None,
            changes=None,
            detail={"customers": customers, "seed": seed, "today": today.isoformat(),
                    "dataset": profile.name, "counts": counts})])
    if postgres and customers >= DEFER_INDEXES_MIN:
        vacuum_postgres(engine)
    notify("finishing", 1, 1)
    report.seconds = time.perf_counter() - started
    return report


def prepare(conn: Connection, report: SeedReport, reset: bool, notify: ProgressFn,
            profile: DemoProfile) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Empty the customer tables (on ``reset``), ensure the users and the profile's tags.
    Returns user ids and tag ids by name, and the next free id of each seeded table."""
    if has_customers(conn):
        if not reset:
            raise DemoDataPresent("the database already has customers")
        notify("reset", 0, 1)
        delete_customer_data(conn)
        report.reset = True
        notify("reset", 1, 1)
    users, report.users_created = ensure_users(conn)
    tag_ids = ensure_tags(conn, profile.tags)
    report.tags = len(tag_ids)
    return users, tag_ids, next_free_ids(conn)


def load(conn: Connection, params: GenParams, customers: int, next_ids: dict[str, int],
         notify: ProgressFn) -> dict[str, int]:
    """Generate and write every chunk (in child processes from ``PARALLEL_MIN_CUSTOMERS`` on),
    indexes set aside from ``DEFER_INDEXES_MIN`` on. Returns the rows written per table."""
    # SQLite's per-row insert trigger would cost 50 µs a customer: suspended for the load,
    # which review_days.rebuild recounts in finish().
    with review_days.bulk_insert_counts(conn):
        writer: Writer = CopyWriter(conn) if params.postgres else SqliteWriter(conn)
        deferred = (defer_indexes(conn, SEEDED_TABLES) if customers >= DEFER_INDEXES_MIN
                    else Deferred())
        counts = dict.fromkeys(SEEDED_TABLES, 0)
        notify("customers", 0, customers)
        chunks = (generate_in_children(params, customers, GENERATOR_PROCESSES)
                  if customers >= PARALLEL_MIN_CUSTOMERS
                  else generate_inline(params, customers))
        for stop, rows in chunks:
            relabel(rows, next_ids)
            write_chunk(writer, rows)
            for table, table_rows in rows.items():
                counts[table] += len(table_rows)
            notify("customers", stop, customers)
    if deferred.indexes or deferred.foreign_keys:
        notify("indexing", 0, 1)
        deferred.restore(conn)
        notify("indexing", 1, 1)
    return counts


def finish(conn: Connection, customers: int, notify: ProgressFn) -> None:
    """The search index, the review-day counts, and the planner's statistics."""
    notify("search index", 0, 1)
    rebuild_search_index(conn)  # grams and mobile_last4 of every customer, in this transaction
    review_days.rebuild(conn)  # the load ran without SQLite's insert trigger
    notify("search index", 1, 1)
    notify("finishing", 0, 1)
    if conn.dialect.name == "postgresql":
        finish_postgres(conn)
    elif customers >= 50_000:
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")


def has_customers(conn: Connection) -> bool:
    return conn.execute(select(Customer.id).limit(1)).first() is not None


def delete_customer_data(conn: Connection) -> None:
    """Empty every customer table (users and the append-only audit log stay)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("TRUNCATE " + ", ".join(CUSTOMER_TABLES))
        return
    for table in CUSTOMER_TABLES:
        conn.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - constant table names


def next_free_ids(conn: Connection) -> dict[str, int]:
    result = {}
    for table in ID_TABLES:
        top = conn.execute(text(f"SELECT max(id) FROM {table}")).scalar()  # noqa: S608
        result[table] = (top or 0) + 1
    return result


def store_sequences(conn: Connection, year_seq: dict[int, int]) -> None:
    """``customer_no:YYYY`` = the last number issued, so new customers continue after them."""
    for year, value in sorted(year_seq.items()):
        name = f"customer_no:{year}"
        current = conn.execute(select(NumberCounter.value)
                               .where(NumberCounter.name == name)).scalar()
        if current is None:
            conn.execute(insert(NumberCounter).values(name=name, value=value))
        elif current < value:
            conn.execute(NumberCounter.__table__.update().where(NumberCounter.name == name)
                         .values(value=value))


def vacuum_postgres(engine: Engine) -> None:
    """Set the visibility map of the tables the lookup counts on, so that its index-only scans
    visit no table pages: what autovacuum does a little after any bulk load, done at once so
    the first searches (and the benchmark) see the steady state. VACUUM cannot run inside a
    transaction, hence after the load's commit."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM customers, customer_tags, customer_search_grams")


def reset_demo(engine: Engine, actor: Actor, customers: int = 2000, seed: int = 42,
               dataset: str = GENERAL.name) -> SeedReport:
    """The trainer's one-click reset: fresh demo data of ``dataset`` (the trainer picks the
    case), on a database ``seed-demo`` stamped.

    The stamp is read here again, whatever the actor says: a reset deletes every customer.
    """
    actor.require(Perm.RESET_DEMO)
    get_profile(dataset)  # an unknown dataset is refused before anything is backed up
    with engine.connect() as conn:
        demo = database_facts.is_demo_database(conn)
    if not demo:
        raise PermissionDenied(Perm.RESET_DEMO, actor.role)
    from services.backup.demo_reset import backup_before_reset

    backup_before_reset(engine, actor)  # a reset deletes every customer: a backup first
    report = seed_demo(engine, customers=customers, seed=seed, reset=True, dataset=dataset)
    with Session(engine) as session:
        audit.record(session, actor, "demo.reset_by_user", detail={"customers": customers,
                                                                    "seed": seed,
                                                                    "dataset": dataset})
        session.commit()
    return report
