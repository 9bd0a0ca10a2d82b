"""Fixtures: a fresh, migrated database per test on SQLite, and on PostgreSQL too when
``CRM_TEST_POSTGRES_URL`` is set (each test in its own schema)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

# Secrets for the test run, set before any service reads them (never the developer's own).
os.environ["CRM_COOKIE_KEY"] = "test-cookie-" + uuid.uuid4().hex
os.environ["CRM_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
os.environ["CRM_HASH_KEY"] = "test-hash-" + uuid.uuid4().hex
os.environ.pop("CRM_DATABASE_URL", None)
# An unexpected error on a page reaches Streamlit (AppTest's exception, the browser tests' check)
# instead of the short message with a request id (components.concurrency;
# tests/screens/test_logs_ops.py
# turns it off to test that message).
os.environ["CRM_RAISE_ERRORS"] = "1"
# The app's and commands' logs of a test run go to a file of the run, not the project's data/.
os.environ["CRM_LOG_FILE"] = os.path.join(
    os.environ.get("TMPDIR", "/tmp"), f"crm-test-logs-{os.getpid()}", "crm.jsonl")
# A demo reset backs the database up first (services.backup.demo_reset): into the run's own
# directory, not the project's data/.
os.environ["CRM_DEMO_RESET_BACKUP_DIR"] = os.path.join(
    os.environ.get("TMPDIR", "/tmp"), f"crm-test-backups-{os.getpid()}")

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.settings import Settings, get_settings, load_settings
from core.vocab import Role
from db.engine import get_engine, make_engine
from db.migrate import upgrade
from db.models import User
from services.access.keys import stamp_fingerprints
from services.access.secrets import get_secrets
from services.system.database_facts import DEMO, delete_fact, stamp_demo

PG_URL = os.environ.get("CRM_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def prepare(engine: Engine) -> None:
    """Migrate, record the test keys' fingerprints, and stamp the database as a demo database,
    as ``seed-demo`` does: most tests exercise the demo rights (trainers edit). Tests of a
    real database use ``real_database``."""
    upgrade(engine)
    with engine.begin() as conn:
        stamp_fingerprints(conn, get_secrets())
        stamp_demo(conn)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "crm.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"  # type: ignore[operator]
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 sqlite_template: Path) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for this test."""
    if request.param == "sqlite":
        path = tmp_path / "crm.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(PG_URL)  # type: ignore[arg-type]
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = _pg_schema_url(schema)
    engine = make_engine(url)
    prepare(engine)
    engine.dispose()
    try:
        yield url
    finally:
        get_engine.cache_clear()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings pointing at this test's database, also for code that calls get_settings()."""
    monkeypatch.setenv("CRM_DATABASE_URL", database_url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    current = load_settings()
    yield current
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return get_engine(settings.database_url)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@pytest.fixture
def real_database(engine: Engine) -> Engine:
    """This test's database without the demo stamp: a production database."""
    with engine.begin() as conn:
        delete_fact(conn, DEMO)
    return engine


@pytest.fixture
def people(db: Session, request: pytest.FixtureRequest) -> dict[str, Any]:
    """A user and an actor per role for service tests (``tests.support.people.make_people``);
    a module marked ``plain_display_names`` gets display names equal to the usernames."""
    from tests.support.people import make_people

    plain = request.node.get_closest_marker("plain_display_names") is not None
    return make_people(db, display_names=not plain)


@pytest.fixture
def app_people(db: Session) -> dict[Role, User]:
    """A user per role who can log in to the app, and two customers to list
    (``tests.support.people.make_app_people``)."""
    from tests.support.people import make_app_people

    return make_app_people(db)


@pytest.fixture
def dashboard_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The dashboard test data's fixed today, with the dashboard cache cleared around the test
    (a cached figure from another test's data would otherwise be read)."""
    from core import clock
    from services.analysis.filters import clear_cache
    from tests.support import dashboard_data as data

    monkeypatch.setattr(clock, "now", lambda: data.NOW)
    monkeypatch.setattr(clock, "today", lambda: data.TODAY)
    clear_cache()
    yield
    clear_cache()
