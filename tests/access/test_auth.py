"""Login hardening that streamlit-authenticator lacks: lockout, timing, revocation, lifetime."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.clock import now
from core.vocab import Role
from db.models import AuditEntry, LoginLock, User
from services.access.auth import (
    LoginOutcome,
    decode_session_token,
    encode_session_token,
    revoke_sessions,
    session_user,
    verify_login,
)
from services.access.roles import cli_actor
from services.access.users import change_role, reset_password, set_active
from tests.support.factories import make_user

KEY = "k" * 40


def _attempt(engine, settings, username: str, password: str) -> LoginOutcome:
    """One login attempt in its own transaction, as one request of one app process."""
    with Session(engine) as s:
        result = verify_login(s, username, password, settings)
        s.commit()
    return result.outcome


def test_correct_password_logs_in_and_resets_count(engine, settings, db) -> None:
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    assert _attempt(engine, settings, "clerk1", "wrong") is LoginOutcome.FAILED
    assert _attempt(engine, settings, " CLERK1 ", "right-pass") is LoginOutcome.OK
    db.expire_all()
    user = db.scalar(select(User).where(User.username == "clerk1"))
    assert user.last_login_at is not None
    assert db.scalars(select(LoginLock)).all() == []


def test_lockout_after_configured_failures_refuses_correct_password(engine, settings,
                                                                    db) -> None:
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    outcomes = [_attempt(engine, settings, "clerk1", "wrong") for _ in range(5)]
    assert outcomes[:4] == [LoginOutcome.FAILED] * 4
    assert outcomes[4] is LoginOutcome.LOCKED
    # Locked: the right password is refused too (from this address).
    assert _attempt(engine, settings, "clerk1", "right-pass") is LoginOutcome.LOCKED
    db.expire_all()
    lock = db.scalars(select(LoginLock)).one()
    assert timedelta(minutes=14) < lock.locked_until - now() <= timedelta(minutes=15)
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "login.locked" in actions and "login.refused_locked" in actions


def test_lock_expires_after_configured_time(engine, settings, db) -> None:
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    for _ in range(5):
        _attempt(engine, settings, "clerk1", "wrong")
    db.execute(update(LoginLock).values(locked_until=now() - timedelta(seconds=1)))
    db.commit()
    assert _attempt(engine, settings, "clerk1", "right-pass") is LoginOutcome.OK


def test_lockout_policy_comes_from_settings(engine, settings, db) -> None:
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    strict = replace(settings, lockout_attempts=2)
    assert _attempt(engine, strict, "clerk1", "wrong") is LoginOutcome.FAILED
    assert _attempt(engine, strict, "clerk1", "wrong") is LoginOutcome.LOCKED


def test_unknown_and_inactive_users_fail_like_wrong_password(engine, settings, db) -> None:
    make_user(db, "gone", password="right-pass", active=False)
    db.commit()
    assert _attempt(engine, settings, "nobody", "x") is LoginOutcome.FAILED
    assert _attempt(engine, settings, "gone", "right-pass") is LoginOutcome.FAILED
    assert _attempt(engine, settings, "", "") is LoginOutcome.FAILED


def test_unknown_username_costs_the_same_time_as_wrong_password(engine, settings,
                                                                db) -> None:
    make_user(db, "clerk1", password="right-pass")
    db.commit()
    relaxed = replace(settings, lockout_attempts=1000)

    def timed(username: str) -> float:
        started = time.perf_counter()
        _attempt(engine, relaxed, username, "wrong-password")
        return time.perf_counter() - started

    wrong = statistics.median(timed("clerk1") for _ in range(5))
    unknown = statistics.median(timed("no-such-user") for _ in range(5))
    # Both spend one password hash check; skipping it would make unknown ~100x faster.
    assert unknown > 0.5 * wrong
    assert unknown < 2.0 * wrong


def test_session_token_round_trip_and_tampering() -> None:
    from core.settings import Settings

    issued = now()
    token = encode_session_token("clerk1", issued, Settings(), KEY)
    username, got = decode_session_token(token, KEY)
    assert username == "clerk1" and abs((got - issued).total_seconds()) < 0.001
    assert decode_session_token(token, "another-key" * 4) is None
    assert decode_session_token(token[:-2] + "xx", KEY) is None
    assert decode_session_token(None, KEY) is None
    # A token without an issue time (the authenticator's own shape) is refused.
    bare = jwt.encode({"username": "clerk1", "exp_date": (now() + timedelta(hours=1))
                       .timestamp()}, KEY, algorithm="HS256")
    assert decode_session_token(bare, KEY) is None
    expired = encode_session_token("clerk1", now() - timedelta(hours=13), Settings(), KEY)
    assert decode_session_token(expired, KEY) is None


def test_cookie_issued_before_logout_no_longer_counts(settings, db) -> None:
    user = make_user(db, "clerk1")
    issued = now() - timedelta(minutes=5)
    assert session_user(db, "clerk1", issued, settings).id == user.id
    revoke_sessions(db, user.id)
    db.expire_all()
    assert session_user(db, "clerk1", issued, settings) is None
    assert session_user(db, "clerk1", now() + timedelta(seconds=1), settings) is not None


@pytest.mark.parametrize("action", ["password", "deactivate", "role"])
def test_cookie_revoked_by_admin_actions(settings, db, action: str) -> None:
    make_user(db, "boss", role=Role.ADMIN)
    user = make_user(db, "clerk1")
    issued = now() - timedelta(minutes=1)
    admin = cli_actor(demo_mode=True)
    if action == "password":
        reset_password(db, admin, user.id, "a-new-password")
    elif action == "deactivate":
        set_active(db, admin, user.id, False)
    else:
        change_role(db, admin, user.id, Role.MANAGER)
    db.flush()
    assert session_user(db, "clerk1", issued, settings) is None


def test_cookie_older_than_session_lifetime_refused(settings, db) -> None:
    make_user(db, "clerk1")
    assert session_user(db, "clerk1", now() - timedelta(hours=11), settings) is not None
    assert session_user(db, "clerk1", now() - timedelta(hours=13), settings) is None
    short = replace(settings, session_lifetime_hours=1)
    assert session_user(db, "clerk1", now() - timedelta(hours=2), short) is None
