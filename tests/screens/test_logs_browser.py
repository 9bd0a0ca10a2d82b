"""In Chromium: a wrong config.toml shows only its message; an unexpected error on a page (a
table gone under a running app: the database error quotes the statement and its values) shows a
short message with the request id that is in the log, and neither leaks a value or a trace."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.settings import CONFIG_PATH
from core.vocab import Role
from tests.support.browser import browser_page, chromium_path, login, running_app, wait_idle
from tests.support.factories import make_customer, make_user

pytestmark = pytest.mark.browser
NAME, MOBILE = "欧阳娜娜", "13912345678"


@pytest.fixture
def app_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    return settings.database_url


def _visible_text(page) -> str:
    return page.locator("section.stMain, [data-testid='stMain']").first.inner_text()


def test_wrong_config_shows_only_its_message(app_db: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG_PATH.read_text(encoding="utf-8").replace(
        "lockout_attempts = 5", "lockout_atempts = 5"), encoding="utf-8")
    with running_app(app_db, env={"CRM_CONFIG": str(config)}) as base, \
            browser_page() as page:
        page.goto(base)
        page.get_by_text("security.lockout_atempts").wait_for()
        wait_idle(page)
        shown = _visible_text(page)
        assert "security.lockout_attempts" in shown and "配置错误" in shown
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Traceback" not in shown and page.get_by_label("用户名").count() == 0


def test_unexpected_error_shows_the_request_id_of_its_log_line(
        app_db: str, engine, tmp_path: Path) -> None:
    with Session(engine) as s:
        make_user(s, "admin", Role.ADMIN, password="admin-pass-1")
        make_customer(s, name=NAME, mobile=MOBILE)
        s.commit()
    log = tmp_path / "logs" / "crm.jsonl"
    env = {"CRM_RAISE_ERRORS": "", "CRM_LOG_FILE": str(log)}
    with running_app(app_db, env=env) as base, browser_page() as page:
        login(page, base, "admin", "admin-pass-1")
        wait_idle(page)
        with sqlite3.connect(make_url(app_db).database) as raw:  # the table goes away
            raw.execute("ALTER TABLE customers RENAME TO customers_gone")
        page.reload()
        page.get_by_text("出错了").wait_for()
        wait_idle(page)
        shown = _visible_text(page)
        assert page.locator("[data-testid='stException']").count() == 0
        for leak in ("Traceback", "OperationalError", "customers", "SELECT", NAME, MOBILE):
            assert leak not in shown, leak
        request = re.search(r"请求编号 ([0-9a-f]{12})", shown)
        assert request, shown
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    errors = [e for e in entries if e["event"] == "page.error"]
    assert request.group(1) in {e["request_id"] for e in errors}
    [error] = [e for e in errors if e["request_id"] == request.group(1)]
    assert error["error"] == "OperationalError" and error["user_id"] and error["page"]
    assert any(e["event"] == "login" for e in entries)
    raw_log = log.read_text(encoding="utf-8")
    for leak in (NAME, MOBILE, "admin-pass-1", '"admin"'):
        assert leak not in raw_log, leak
