"""Bug 11: the app opened on a database that was never migrated (or is behind the code) says
what to run instead of Streamlit's redacted error box."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from core.settings import get_settings
from db.engine import get_engine, make_engine
from db.migrate import upgrade

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PG_URL = os.environ.get("CRM_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def bare_url(request: pytest.FixtureRequest, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """URL of an empty database (an empty SQLite file, or an empty PostgreSQL schema) that
    the app is pointed at."""
    if request.param == "sqlite":
        path = tmp_path / "empty.db"
        path.touch()
        url = f"sqlite:///{path}"
    else:
        schema = "t_" + uuid.uuid4().hex[:12]
        admin = make_engine(PG_URL)  # type: ignore[arg-type]
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in PG_URL else "?"  # type: ignore[operator]
        url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        yield url
    finally:
        get_engine.cache_clear()
        get_settings.cache_clear()
        if request.param != "sqlite":
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def _run() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30).run()


def test_never_migrated_database_says_what_to_run(bare_url: str) -> None:
    at = _run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert "python manage.py init-db" in errors[0]
    assert "数据库" in errors[0]
    assert not at.text_input  # no login form on a database without tables


def test_database_behind_the_code_says_what_to_run(bare_url: str) -> None:
    engine = make_engine(bare_url)
    upgrade(engine, "0010")
    engine.dispose()
    at = _run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "python manage.py init-db" in errors[0], errors


def test_migrated_database_shows_the_login(bare_url: str) -> None:
    engine = make_engine(bare_url)
    upgrade(engine)
    engine.dispose()
    at = _run()
    assert not at.exception and not at.error
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
