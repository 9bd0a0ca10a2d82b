"""Engine and sessions. SQLite gets WAL and foreign keys on every connection."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import ConnectionPoolEntry

from core import logs


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Erasure (services.privacy.erasure): deleted and overwritten content is zeroed, not left
    # in free space, on every connection, since any write may free a page holding a value.
    cur.execute("PRAGMA secure_delete=ON")
    # Lookups at a million customers are index-heavy: map the file and keep 64 MB of pages.
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def make_engine(url: str, *, schema: str | None = None, echo: bool = False) -> Engine:
    """Create an engine; ``schema`` puts a PostgreSQL connection in its own schema (tests)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        logs.watch_queries(engine)  # statements slower than [logs] slow_query_ms
        return engine
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    engine = create_engine(url, echo=echo, connect_args=connect_args)
    dialect = engine.dialect

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        _ping_if_idle(dialect, dbapi_conn, record)

    event.listen(engine, "checkin", _note_checkin)
    logs.watch_queries(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled PostgreSQL connection idle longer than this is pinged before use."""


def _note_checkin(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dialect: Any, dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
    """``pool_pre_ping``, but only for a connection that sat in the pool a while.

    Why: a ping is a round trip on every checkout, an eighth of an exact-key lookup, while a
    connection handed back moments ago (the same page's previous query) is all but certainly
    alive. One idle longer may have died with a server restart: then the pool is told, and
    it discards that connection and hands out a fresh one, as ``pool_pre_ping`` would.
    """
    last = record.info.get("checked_in_at")
    if last is not None and time.monotonic() - last < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dialect.do_ping(dbapi_conn)
    except Exception as exc:
        raise DisconnectionError("pooled connection failed its ping") from exc


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    if url is None:
        from core.settings import get_settings

        url = get_settings().database_url
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


_RACE_SQLSTATES: Final = frozenset({
    "23505",  # unique_violation: both passed the "does it exist" check, both inserted
    "23503",  # foreign_key_violation: the row referred to was deleted meanwhile
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available
})
_RACE_SQLITE_ERRORS: Final = frozenset({
    "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_FOREIGNKEY",
    "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED",
    "SQLITE_LOCKED_SHAREDCACHE",
})


def is_concurrency_failure(exc: BaseException) -> bool:
    """Whether ``exc`` means another transaction won a race on the same rows.

    Why each: a lost optimistic lock (``StaleDataError``, the version counter); a unique or
    foreign key refused at the database although the service checked it first, so someone
    inserted or deleted in between; PostgreSQL's serialization failures, deadlocks and lock
    timeouts; SQLite's busy or locked file (a writer held it longer than the busy timeout).
    A NOT NULL or CHECK violation is a bug, not a race, and stays an error.
    """
    if isinstance(exc, StaleDataError):
        return True
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RACE_SQLSTATES
    name = getattr(orig, "sqlite_errorname", None)
    if name is not None:
        return name in _RACE_SQLITE_ERRORS
    return False


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error.

    A concurrency failure (``is_concurrency_failure``) leaves as
    ``core.errors.ConcurrentChange``, so every action that loses a race to another user
    ends in the same stale-record message, whatever the database said.
    """
    session = session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        session.rollback()
        if is_concurrency_failure(exc):
            from core.errors import ConcurrentChange  # db is below services: import late

            raise ConcurrentChange() from exc
        raise
    finally:
        session.close()


class ReadOnlySessionError(RuntimeError):
    """A write was attempted in a ``read_scope`` session."""


class ReadSession(Session):
    """The session of ``read_scope``: it refuses to flush ORM writes."""


@event.listens_for(ReadSession, "before_flush")
def _refuse_flush(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlySessionError("read_scope sessions do not write; use session_scope")


@lru_cache(maxsize=4)
def _autocommit(engine: Engine) -> Engine:
    return engine.execution_options(isolation_level="AUTOCOMMIT")


@contextmanager
def read_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session for pages and lookups that only read.

    Why: each statement runs on its own, outside an explicit transaction, so a lookup pays
    for no BEGIN and ROLLBACK round trips (on PostgreSQL two of the four a one-row lookup by
    客户编号 made). The price is that two statements may see different commits; a list page
    and its total are allowed that. ORM writes are refused at flush; Core writes must not be
    issued here (each would commit at once).
    """
    session = ReadSession(_autocommit(engine or get_engine()), expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
