"""Sessions: the read-only scope pages use for lookups."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from core.clock import now
from db.engine import ReadOnlySessionError, read_scope, session_scope
from db.models import Tag


def test_read_scope_reads_what_was_committed(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Tag(name="只读测试", created_at=now()))
    with read_scope(engine) as session:
        assert session.scalar(select(Tag.name).where(Tag.name == "只读测试")) == "只读测试"


def test_read_scope_runs_outside_a_transaction_and_hands_the_connection_back_clean(
        engine: Engine) -> None:
    with read_scope(engine) as session:
        conn = session.connection()
        assert conn.get_execution_options()["isolation_level"] == "AUTOCOMMIT"
        if engine.dialect.name == "postgresql":
            assert conn.connection.driver_connection.autocommit  # type: ignore[union-attr]
    with session_scope(engine) as session:
        conn = session.connection()
        assert "isolation_level" not in conn.get_execution_options()
        if engine.dialect.name == "postgresql":
            assert not conn.connection.driver_connection.autocommit  # type: ignore[union-attr]


def test_read_scope_refuses_orm_writes(engine: Engine) -> None:
    with read_scope(engine) as session:
        before = session.scalar(select(func.count()).select_from(Tag))
        session.add(Tag(name="不该写入", created_at=now()))
        with pytest.raises(ReadOnlySessionError):
            session.flush()
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Tag)) == before
        assert session.execute(text("SELECT 1")).scalar() == 1


def test_a_pooled_connection_that_died_is_replaced_not_handed_out(engine: Engine) -> None:
    """The idle ping (instead of pool_pre_ping on every checkout): a connection killed on the
    server while it sat in the pool is discarded and a fresh one used."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's pool")
    from db import engine as engine_module

    with engine.connect() as killer:
        with engine.connect() as conn:
            victim = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        # The victim is back in the pool, first in line: kill it from the other connection.
        killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(victim)})")
    old = engine_module.PING_AFTER_IDLE_SECONDS
    engine_module.PING_AFTER_IDLE_SECONDS = 0.0  # as if it had sat idle a while
    try:
        with read_scope(engine) as session:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        assert pid != victim
    finally:
        engine_module.PING_AFTER_IDLE_SECONDS = old
