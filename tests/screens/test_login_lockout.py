"""Issue 13 point 7 (and 17, lockouts): no username enumeration, no locking a stranger out.

An unknown name, a wrong password and a locked account must look the same to the person logging
in (message and time), and a lock holds per account *and* client address, so an anonymous
person elsewhere cannot keep ``admin`` out. Locks and unlocks are audited.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.settings import load_settings
from core.vocab import Role
from db.engine import make_engine
from db.models import AuditEntry, LoginLock
from services.access.auth import LOCAL_CLIENT, LoginOutcome, client_address, verify_login
from services.access.roles import cli_actor
from services.access.users import unlock
from tests.support.factories import make_user

APP = str(Path(__file__).resolve().parents[2] / "app.py")
STRANGER = "203.0.113.9"
OFFICE = "198.51.100.7"


def _attempt(engine, settings, username: str, password: str,
             client: str = LOCAL_CLIENT) -> LoginOutcome:
    """One login attempt in its own transaction, as one request of one app process."""
    with Session(engine) as s:
        result = verify_login(s, username, password, settings, client=client)
        s.commit()
    return result.outcome


def _actions(db: Session) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _login_form(username: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _visible(at: AppTest) -> list[str]:
    """Everything the login page shows, in order (errors, notes, captions)."""
    return ([f"error:{e.value}" for e in at.error] + [f"warning:{e.value}" for e in at.warning]
            + [f"info:{e.value}" for e in at.info] + [f"caption:{e.value}" for e in at.caption])


def test_unknown_wrong_and_locked_look_the_same_on_the_login_page(engine, settings,
                                                                   db) -> None:
    make_user(db, "clerk1", password="right-pass")
    make_user(db, "clerk2", password="right-pass")
    db.commit()
    # The app under test has no client address (as through localhost): lock clerk1 there.
    for _ in range(settings.lockout_attempts):
        _attempt(engine, settings, "clerk1", "wrong")
    assert _attempt(engine, settings, "clerk1", "right-pass") is LoginOutcome.LOCKED

    unknown = _visible(_login_form("nobody", "whatever-pass"))
    wrong = _visible(_login_form("clerk2", "wrong-pass"))
    locked = _visible(_login_form("clerk1", "right-pass"))
    assert unknown == wrong == locked
    assert any(line.startswith("error:") for line in unknown)
    assert "锁定" not in "".join(locked)


def test_unknown_wrong_and_locked_take_about_the_same_time(engine, settings, db) -> None:
    make_user(db, "clerk1", password="right-pass")
    make_user(db, "clerk2", password="right-pass")
    db.commit()
    for _ in range(settings.lockout_attempts):
        _attempt(engine, settings, "clerk1", "wrong")
    relaxed = replace(settings, lockout_attempts=1000)

    def timed(username: str, password: str, policy=relaxed) -> float:
        started = time.perf_counter()
        _attempt(engine, policy, username, password)
        return time.perf_counter() - started

    samples = {"unknown": [], "wrong": [], "locked": []}
    for _ in range(5):  # interleaved, so load on the machine hits all three alike
        samples["unknown"].append(timed("no-such-user", "wrong-password"))
        samples["wrong"].append(timed("clerk2", "wrong-password"))
        samples["locked"].append(timed("clerk1", "right-pass", settings))
    medians = {k: statistics.median(v) for k, v in samples.items()}
    # Each spends one password hash verification (tens of ms); skipping it would be ~100x faster.
    assert max(medians.values()) < 2.0 * min(medians.values()), medians


def test_a_stranger_cannot_lock_a_user_out_from_another_address(engine, settings, db) -> None:
    make_user(db, "admin", role=Role.ADMIN, password="admin-pass")
    db.commit()
    for _ in range(3 * settings.lockout_attempts):
        _attempt(engine, settings, "admin", "guess", client=STRANGER)
    # The stranger's address is locked, even for the right password ...
    assert _attempt(engine, settings, "admin", "admin-pass", client=STRANGER) \
        is LoginOutcome.LOCKED
    # ... but the admin at the office logs in.
    assert _attempt(engine, settings, "admin", "admin-pass", client=OFFICE) is LoginOutcome.OK
    # Without a client address the process-local key is one more address, not a global lock.
    assert _attempt(engine, settings, "admin", "admin-pass") is LoginOutcome.OK


def test_lock_counts_failures_within_window_per_address(engine, settings, db) -> None:
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    strict = replace(settings, lockout_attempts=3)
    for client in (STRANGER, OFFICE):
        assert _attempt(engine, strict, "clerk1", "wrong", client) is LoginOutcome.FAILED
        assert _attempt(engine, strict, "clerk1", "wrong", client) is LoginOutcome.FAILED
    # Old failures fall out of the window.
    db.execute(update(LoginLock).where(LoginLock.client == OFFICE)
               .values(last_failed_at=now() - timedelta(minutes=16)))
    db.commit()
    assert _attempt(engine, strict, "clerk1", "wrong", OFFICE) is LoginOutcome.FAILED
    assert _attempt(engine, strict, "clerk1", "wrong", STRANGER) is LoginOutcome.LOCKED
    assert _attempt(engine, strict, "clerk1", "right-pass", OFFICE) is LoginOutcome.OK
    # Stale counts of other addresses are forgotten, so many addresses leave no lasting rows.
    make_user(db, "clerk2")
    db.commit()
    for n in range(3):
        _attempt(engine, strict, "clerk2", "wrong", f"192.0.2.{n}")
    db.execute(update(LoginLock).where(LoginLock.locked_until.is_(None))
               .values(last_failed_at=now() - timedelta(minutes=16)))
    db.commit()
    _attempt(engine, strict, "nobody", "x", OFFICE)
    db.expire_all()
    assert [(lock.client, lock.locked_until is not None)
            for lock in db.scalars(select(LoginLock))] == [(STRANGER, True)]


def test_lock_is_shared_across_processes(settings, db) -> None:
    """Two engines stand for two app processes: the lock lives in the database."""
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    first, second = make_engine(settings.database_url), make_engine(settings.database_url)
    try:
        for i in range(settings.lockout_attempts - 1):
            assert _attempt(first if i % 2 else second, settings, "clerk1", "wrong",
                            STRANGER) is LoginOutcome.FAILED
        assert _attempt(first, settings, "clerk1", "wrong", STRANGER) is LoginOutcome.LOCKED
        assert _attempt(second, settings, "clerk1", "right-pass", STRANGER) \
            is LoginOutcome.LOCKED
        assert _attempt(second, settings, "clerk1", "right-pass", OFFICE) is LoginOutcome.OK
    finally:
        first.dispose()
        second.dispose()


def test_lock_expiry_and_admin_unlock_are_audited(engine, settings, db) -> None:
    make_user(db, "boss", role=Role.ADMIN)
    clerk = make_user(db, "clerk1", password="right-pass")
    db.commit()
    for _ in range(settings.lockout_attempts):
        _attempt(engine, settings, "clerk1", "wrong", STRANGER)
    lock = db.scalar(select(AuditEntry).where(AuditEntry.action == "login.locked"))
    assert lock is not None and lock.entity_id == str(clerk.id)
    assert lock.detail["client"] == STRANGER and lock.detail["until"]

    # The lock expires: the next login attempt (anyone's) records the unlock once.
    db.execute(update(LoginLock).values(locked_until=now() - timedelta(seconds=1)))
    db.commit()
    assert _attempt(engine, settings, "nobody", "x", OFFICE) is LoginOutcome.FAILED
    assert _attempt(engine, settings, "nobody", "x", OFFICE) is LoginOutcome.FAILED
    expired = db.scalars(select(AuditEntry).where(AuditEntry.action == "login.unlocked")).all()
    assert len(expired) == 1
    assert expired[0].entity_id == str(clerk.id)
    assert expired[0].detail == {"client": STRANGER, "reason": "expired"}
    assert _attempt(engine, settings, "clerk1", "right-pass", STRANGER) is LoginOutcome.OK

    # Locked again, then an administrator unlocks: audited with the addresses released.
    for _ in range(settings.lockout_attempts):
        _attempt(engine, settings, "clerk1", "wrong", STRANGER)
    unlock(db, cli_actor(demo_mode=False), clerk.id)
    db.commit()
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.unlock")).one()
    assert entry.detail == {"clients": [STRANGER]}
    assert _attempt(engine, settings, "clerk1", "right-pass", STRANGER) is LoginOutcome.OK
    assert _actions(db).count("login.locked") == 2


@pytest.mark.parametrize(("ip", "header", "values", "expected"), [
    ("192.0.2.1", "", ["10.0.0.1"], "192.0.2.1"),           # no proxy trusted: header ignored
    (None, "", [], LOCAL_CLIENT),                             # localhost: no address
    (None, "X-Forwarded-For", ["198.51.100.7"], "198.51.100.7"),
    # The proxy appends the address it saw; what the client put in front is forged.
    (None, "X-Forwarded-For", ["1.2.3.4, 198.51.100.7"], "198.51.100.7"),
    (None, "X-Forwarded-For", ["1.2.3.4", "198.51.100.7 "], "198.51.100.7"),
    ("192.0.2.1", "X-Forwarded-For", [], "192.0.2.1"),       # header missing: the connection
    ("192.0.2.1", "X-Real-IP", ["not an address"], "192.0.2.1"),
])
def test_client_address(ip, header, values, expected) -> None:
    assert client_address(ip, header, values) == expected


def test_trusted_proxy_header_setting(tmp_path: Path) -> None:
    base = Path(__file__).resolve().parents[2] / "config.toml"
    assert load_settings(base, env={}).trusted_proxy_header == ""
    config = tmp_path / "config.toml"
    config.write_text(base.read_text(encoding="utf-8").replace(
        'trusted_proxy_header = ""', 'trusted_proxy_header = "X-Forwarded-For"'),
        encoding="utf-8")
    assert load_settings(config, env={}).trusted_proxy_header == "X-Forwarded-For"
