"""Migrations from empty on both databases match the models; the audit log is append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from db.migrate import downgrade, upgrade
from db.models import Base
from services.access import audit
from services.access.roles import cli_actor


def test_migrated_schema_matches_models(engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_migrations_go_down_to_empty_and_up_again(engine) -> None:
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_audit_log_refuses_update_and_delete(db) -> None:
    audit.record(db, cli_actor(True), "test.action", "thing", 1, changes={"a": [1, 2]})
    db.commit()
    for statement in ("UPDATE audit_log SET action = 'tampered'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError):
            db.execute(text(statement))
            db.flush()
        db.rollback()
    assert db.execute(text("SELECT action FROM audit_log")).scalars().all() == ["test.action"]


def test_sqlite_connections_use_wal_and_foreign_keys(engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_times_come_back_timezone_aware_and_money_as_decimal(db) -> None:
    from datetime import date
    from decimal import Decimal

    from core.clock import now
    from db.models import Order
    from tests.support.factories import make_customer

    customer = make_customer(db)
    db.add(Order(customer_id=customer.id, order_no="O1", order_date=date(2026, 1, 2),
                 product="咨询服务", quantity=1, amount=Decimal("1234.56"), created_at=now()))
    db.commit()
    db.expire_all()
    order = db.query(Order).one()
    assert order.amount == Decimal("1234.56") and isinstance(order.amount, Decimal)
    assert order.created_at.tzinfo is not None
    assert db.get(type(customer), customer.id).created_at.tzinfo is not None
