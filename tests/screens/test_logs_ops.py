"""Structured logs (data-protection spec, "Configuration and logs"): JSON lines with time, level,
event, user id, page, duration and request id, of errors, logins, lockouts, slow queries and
commands; never a personal value; an unexpected error shows the person a short message with the
request id that is in the log."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core import logs
from core.settings import CONFIG_PATH, PROJECT_ROOT, get_settings, load_settings
from core.vocab import Role
from db.models import Customer
from services.access.auth import LoginOutcome, verify_login
from tests.support.factories import make_customer, make_user

APP = str(PROJECT_ROOT / "app.py")
FIELDS = ["time", "level", "event", "user_id", "page", "duration_ms", "request_id"]
# Personal values the tests put through logins, commands, queries and errors.
NAME, MOBILE, EMAIL, NOTE = "欧阳娜娜", "13912345678", "nana.secret@example.cn", "腰椎不好请轻声"
USERNAME, DISPLAY, PASSWORD = "ouyang_nana", "欧阳经理", "Wrong-Pass-777"
PERSONAL = (NAME, MOBILE, EMAIL, NOTE, USERNAME, DISPLAY, PASSWORD, "nana.secret", "12345678")


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_no_personal_value(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    for value in PERSONAL:
        assert value not in raw, f"{value!r} in the log"
    assert "Traceback" not in raw


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The logs of this test process go to a file of its own, every level, every query."""
    path = tmp_path / "logs" / "crm.jsonl"
    logs.configure(file=path, stderr=False, level="DEBUG", slow_query_ms=0)
    yield path
    logs.configure(file=None, stderr=False)


def test_every_line_has_the_fields_in_order(log_file: Path) -> None:
    request = logs.begin_request(page="customers", user_id=7)
    logs.event("demo.check", duration_ms=12.345, rows=3)
    [line] = lines(log_file)
    assert list(line)[:7] == FIELDS
    assert line["event"] == "demo.check" and line["level"] == "INFO"
    assert (line["user_id"], line["page"], line["request_id"]) == (7, "customers", request)
    assert line["duration_ms"] == 12.3 and line["rows"] == 3
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


def test_only_known_fields_and_code_like_text_are_written(log_file: Path) -> None:
    with pytest.raises(TypeError):
        logs.event("x", name=NAME)  # a field outside EXTRA never reaches the log
    logs.event("x", reason=NAME)
    logs.event("x", reason=EMAIL)
    logs.event("x", reason="has space")
    logs.event("x", reason="wrong_password")
    assert [line["reason"] for line in lines(log_file)] == [
        logs.REDACTED, logs.REDACTED, logs.REDACTED, "wrong_password"]


def test_an_error_is_logged_by_class_and_place_never_its_message(log_file: Path) -> None:
    try:
        raise RuntimeError(f"{NAME} {MOBILE}")
    except RuntimeError as exc:
        logs.error("page.error", exc)
    [line] = lines(log_file)
    assert line["level"] == "ERROR" and line["error"] == "RuntimeError"
    assert any("test_logs_ops.py" in where for where in line["where"])
    assert_no_personal_value(log_file)


def test_slow_queries_are_logged_without_their_values(log_file: Path, db: Session) -> None:
    make_customer(db, name=NAME, mobile=MOBILE, email=EMAIL, notes=NOTE)
    db.commit()
    assert db.scalar(select(Customer.id).where(Customer.name == NAME,
                                               Customer.mobile == MOBILE))
    db.execute(text(f"SELECT '{NAME}', {MOBILE}"))  # literals in the text itself: blanked too
    slow = [line for line in lines(log_file) if line["event"] == "db.slow_query"]
    assert slow and all(line["level"] == "WARNING" and line["duration_ms"] >= 0
                        and line["statement"] and line["statement_id"] for line in slow)
    assert any(line["statement"].startswith("SELECT customers.id") for line in slow)
    assert any(line["statement"] == "SELECT ?, ?" for line in slow)
    assert_no_personal_value(log_file)


def test_a_fast_query_is_not_logged(tmp_path: Path, db: Session) -> None:
    path = tmp_path / "quiet.jsonl"
    logs.configure(file=path, stderr=False, level="INFO", slow_query_ms=60_000)
    try:
        db.execute(text("SELECT 1"))
    finally:
        logs.configure(file=None, stderr=False)
    assert not path.exists() or not path.read_text()


def test_logins_and_lockouts_name_the_user_by_id_only(log_file: Path, db: Session,
                                                      settings) -> None:
    from dataclasses import replace

    rules = replace(settings, lockout_attempts=3)
    user = make_user(db, USERNAME, Role.CLERK, password="Right-Pass-1", display_name=DISPLAY)
    db.commit()
    outcomes = []
    for password in (PASSWORD, PASSWORD, PASSWORD, "Right-Pass-1"):
        outcomes.append(verify_login(db, USERNAME, password, rules, client="10.1.2.3").outcome)
        db.commit()
    assert verify_login(db, "nobody_" + USERNAME, PASSWORD, rules).outcome is LoginOutcome.FAILED
    fresh = make_user(db, "other_user", Role.CLERK, password="Right-Pass-1")
    assert verify_login(db, "other_user", "Right-Pass-1", rules).ok
    db.commit()
    assert outcomes[-2:] == [LoginOutcome.LOCKED, LoginOutcome.LOCKED]
    got = [(line["event"], line["user_id"], line["reason"])
           for line in lines(log_file) if line["event"].startswith("login")]
    assert got == [
        ("login.failed", user.id, "wrong_password"),
        ("login.failed", user.id, "wrong_password"),
        ("login.lockout", user.id, "lockout_started"),
        ("login.refused_locked", user.id, "refused_locked"),
        ("login.failed", None, "unknown_or_inactive"),
        ("login", fresh.id, None),
    ]
    assert all(line["duration_ms"] > 0 for line in lines(log_file)
               if line["event"].startswith("login"))
    assert_no_personal_value(log_file)
    assert "10.1.2.3" not in log_file.read_text()  # nor the client's address


# -- commands ------------------------------------------------------------------------------


def _config_with_logs(tmp_path: Path, log: Path, slow_query_ms: int = 1) -> Path:
    text_ = CONFIG_PATH.read_text(encoding="utf-8")
    text_ = text_.replace('file = "data/logs/crm.jsonl"', f'file = "{log}"')
    text_ = text_.replace("slow_query_ms = 500", f"slow_query_ms = {slow_query_ms}")
    path = tmp_path / "config.toml"
    path.write_text(text_, encoding="utf-8")
    assert load_settings(path, env={}).log_path == log
    return path


def test_commands_log_name_duration_and_status_and_no_value(tmp_path: Path) -> None:
    log = tmp_path / "ops" / "crm.jsonl"
    env = {**os.environ, "CRM_CONFIG": str(_config_with_logs(tmp_path, log)),
           "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'crm.db'}"}
    env.pop("CRM_RAISE_ERRORS", None)
    env.pop("CRM_LOG_FILE", None)  # the file of the config above

    def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env,
                              input=stdin, capture_output=True, text=True, timeout=180)

    book = tmp_path / f"{NAME}.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "客户"
    wb.active.append(["客户名称", "客户类型", "手机号", "邮箱", "备注"])
    wb.active.append([NAME, "个人", MOBILE, EMAIL, NOTE])
    wb.save(book)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    runs = [
        (("init-db",), "", 0),
        (("create-user", USERNAME, "--role", "clerk", "--display-name", DISPLAY),
         "Secret-Pass-99\n", 0),
        (("import-customers", str(book)), "", 0),
        (("export-customers", str(tmp_path / f"{NAME}-out.xlsx")), "", 0),
        (("import-customers", str(tmp_path / f"{NAME}-missing.xlsx")), "", 2),
    ]
    for args, stdin, status in runs:
        done = manage(*args, stdin=stdin)
        assert done.returncode == status, (args, done.stderr)
    crashed = manage("export-customers", str(blocker / f"{NAME}.xlsx"))
    assert crashed.returncode == 1 and "Traceback" in crashed.stderr  # a crash stays visible
    commands = [line for line in lines(log) if line["event"] == "command"]
    assert [(c["command"], c["status"]) for c in commands] == [
        ("init-db", 0), ("create-user", 0), ("import-customers", 0), ("export-customers", 0),
        ("import-customers", 2), ("export-customers", 1)]
    for line in commands:
        assert list(line)[:7] == FIELDS and line["duration_ms"] > 0 and line["request_id"]
    [error] = [line for line in lines(log) if line["event"] == "command.error"]
    assert error["request_id"] == commands[-1]["request_id"]
    assert error["error"] in ("NotADirectoryError", "FileExistsError")
    assert any(line["event"] == "db.slow_query" for line in lines(log))  # 1 ms: many are
    assert_no_personal_value(log)


# -- the app ------------------------------------------------------------------------------


@pytest.fixture
def app_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's settings send its logs to a file of this test (before ``settings`` reads)."""
    log = tmp_path / "app-logs" / "crm.jsonl"
    monkeypatch.setenv("CRM_CONFIG", str(_config_with_logs(tmp_path, log, 500)))
    monkeypatch.delenv("CRM_RAISE_ERRORS", raising=False)
    monkeypatch.delenv("CRM_LOG_FILE", raising=False)
    get_settings.cache_clear()
    yield log
    get_settings.cache_clear()
    logs.configure(file=None, stderr=False)


def test_unexpected_error_shows_the_request_id_that_is_in_the_log(
        app_log: Path, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    make_customer(db, name=NAME, mobile=MOBILE)
    db.commit()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"{NAME} {MOBILE} {EMAIL}")

    import components.navigation

    monkeypatch.setattr(components.navigation, "home_links", broken)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    from core.clock import now

    at.session_state["crm_login_at"] = now()
    at.run()
    assert not at.exception
    [shown] = [e.value for e in at.error]
    request = re.search(r"[0-9a-f]{12}", shown)
    assert request and "出错了" in shown
    for value in (NAME, MOBILE, "RuntimeError", "Traceback", "home_links"):
        assert value not in shown
    [line] = [line for line in lines(app_log) if line["event"] == "page.error"]
    assert line["request_id"] == request.group(0)
    assert (line["level"], line["user_id"], line["error"]) == ("ERROR", admin.id, "RuntimeError")
    assert line["page"] and any("home" in where for where in line["where"])
    assert_no_personal_value(app_log)


def test_without_the_switch_tests_still_see_the_exception(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """CRM_RAISE_ERRORS (set for the test run): AppTest and browser tests see errors."""
    assert os.environ.get("CRM_RAISE_ERRORS")
    make_user(db, "admin", Role.ADMIN)
    db.commit()
    import components.navigation

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(components.navigation, "home_links", broken)
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    from core.clock import now

    at.session_state["crm_login_at"] = now()
    at.run()
    assert at.exception


def test_streamlit_shows_no_error_details() -> None:
    """Outside the app's own handler (a crash in Streamlit itself) no traceback either."""
    import tomllib

    with open(PROJECT_ROOT / ".streamlit" / "config.toml", "rb") as fh:
        assert tomllib.load(fh)["client"]["showErrorDetails"] == "none"


def test_logs_go_to_stderr_when_asked(tmp_path: Path) -> None:
    code = ("from core import logs\n"
            "logs.configure(file=None, stderr=True)\n"
            "logs.begin_request()\n"
            "logs.event('demo.check', level=30)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60)
    line = json.loads(done.stderr)
    assert line["event"] == "demo.check" and line["level"] == "WARNING"
    assert logging.getLogger(logs.LOGGER_NAME).propagate is False
