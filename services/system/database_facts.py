"""Facts about a database stored in the database itself (table ``database_facts``).

A config file travels with the code, not with the data: copied to a production server, a
``demo_mode = true`` once let a trainer wipe real customers. Whether a database is a demo
database is therefore decided here, by a stamp that only ``seed-demo`` writes, never by
settings or the environment.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.orm import Session

from core import clock
from db.models import DatabaseFact

DEMO = "demo"
"""Set by ``services.demo.seed_demo`` only: this database holds demo data."""

DATASET = "demo_dataset"
"""Set by ``services.demo.seed_demo`` beside ``DEMO``: the case dataset the demo data was made
from (``general``, ``retail``, ``finance``, ``healthcare``), shown on the home page."""

Executor = Connection | Session


def get_fact(conn: Executor, key: str) -> str | None:
    return conn.execute(select(DatabaseFact.value).where(DatabaseFact.key == key)).scalar()


def set_fact(conn: Executor, key: str, value: str) -> None:
    """Insert or replace one fact (in the caller's transaction)."""
    table = DatabaseFact.__table__
    done = conn.execute(update(table).where(table.c.key == key)
                        .values(value=value, updated_at=clock.now()))
    if not done.rowcount:
        conn.execute(table.insert().values(key=key, value=value, updated_at=clock.now()))


def delete_fact(conn: Executor, key: str) -> None:
    conn.execute(delete(DatabaseFact.__table__).where(DatabaseFact.key == key))


def is_demo_database(conn: Executor) -> bool:
    """True only if ``seed-demo`` stamped this database; no setting can make it so."""
    return get_fact(conn, DEMO) == "1"


def stamp_demo(conn: Executor) -> None:
    """Mark this database as a demo database (called by the demo seeder, in its transaction)."""
    set_fact(conn, DEMO, "1")


def demo_dataset(conn: Executor) -> str | None:
    """The case dataset ``seed-demo`` loaded last (None before any, or on a database seeded
    before datasets existed, which held the general one)."""
    return get_fact(conn, DATASET)


def stamp_dataset(conn: Executor, name: str) -> None:
    """Record the case dataset just loaded (called by the demo seeder, in its transaction)."""
    set_fact(conn, DATASET, name)
