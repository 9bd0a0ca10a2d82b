"""Login checks that close streamlit-authenticator's gaps, kept in the database.

- Failed attempts are counted per account *and client address* (``services.access.login_locks``), so
  several app processes share the count and a stranger cannot keep someone else out; after
  ``lockout_attempts`` failures within the window that address is locked, and while locked
  even the right password is refused from it.
- Unknown name, inactive account, wrong password and locked address give the person the same
  answer after the same work: one password hash verification each (a dummy hash for unknown
  names), and one message on the login page.
- A trainee (issue 17) whose class expired or was closed, or on a database that is not a demo
  database, is refused with the reason shown (only after the right password); an ended
  class's trainee is deactivated there and then, and their sessions stop counting.
- A session (cookie) is valid only if it was issued after the user's ``sessions_revoked_at``
  (set by logout, password change or reset, role change and deactivation) and within the
  session lifetime.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import logs
from core.clock import now
from core.settings import Settings
from db.models import User
from services.access import audit, login_locks
from services.access.passwords import check_and_upgrade
from services.access.users import normalize_username
from services.training.classes import deactivate_trainee, trainee_refusal

# The client key when the app sees no address (a browser on the same machine).
LOCAL_CLIENT = "local"


class LoginOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"      # unknown user, wrong password or inactive
    LOCKED = "locked"      # told apart only in the audit log, never on the login page
    # A trainee with the right password whose class ended, or on a database that is not a
    # demo database (issue 17): told on the login page (``reason``), since only the account's
    # holder can see it.
    REFUSED = "refused"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user_id: int | None = None
    # For the log only (the login page never tells them apart): a code, never a value.
    reason: str = field(default="", compare=False)

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.OK


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(ip_address: str | None, trusted_header: str,
                   header_values: Sequence[str]) -> str:
    """The address logins are counted against.

    The connection's address, unless ``security.trusted_proxy_header`` names the header a
    reverse proxy sets: then its last entry, the one the proxy itself added (entries before it
    come from the client and may be forged).
    """
    if trusted_header:
        entries = [part for value in header_values for part in value.split(",")]
        proxied = _address(entries[-1]) if entries else None
        if proxied:
            return proxied
    return (_address(ip_address) if ip_address else None) or LOCAL_CLIENT


def verify_login(session: Session, username: str, password: str, settings: Settings,
                 client: str = LOCAL_CLIENT) -> LoginResult:
    """Check a login attempt from ``client`` and record it (audit, and a log line naming the
    user by id only: never the name typed, the password or the address). The caller commits."""
    started = time.perf_counter()
    result = _verify_login(session, username, password, settings, client)
    event = {"refused_locked": "login.refused_locked",
             "lockout_started": "login.lockout"}.get(result.reason) or {
        LoginOutcome.OK: "login", LoginOutcome.FAILED: "login.failed",
        LoginOutcome.LOCKED: "login.locked",
        LoginOutcome.REFUSED: "login.refused_trainee"}[result.outcome]
    logs.event(event, level=logging.INFO if result.ok else logging.WARNING,
               user_id=result.user_id, duration_ms=(time.perf_counter() - started) * 1000,
               outcome=result.outcome.value, reason=result.reason or None)
    return result


def _verify_login(session: Session, username: str, password: str, settings: Settings,
                  client: str) -> LoginResult:
    name = normalize_username(username)
    client = client[:64] or LOCAL_CLIENT
    stamp = now()
    login_locks.release_expired(session, stamp, settings)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    # Always one hash verification, whatever follows, so the time reveals nothing.
    password_ok, new_hash = check_and_upgrade(password, user.password_hash if user else None)
    trainee = user is not None and user.training_class_id is not None
    if user is None or not (user.active or trainee):
        return _unknown_or_inactive(session, user, name, client)
    if login_locks.is_locked(session, user.id, client, stamp):
        audit.record(session, None, "login.refused_locked", "user", user.id, username=name,
                     detail={"client": client})
        return LoginResult(LoginOutcome.LOCKED, user.id, "refused_locked")
    refusal = trainee_refusal(session, user, stamp) if trainee and password_ok else None
    if refusal is not None:  # the right password: the holder may know why
        audit.record(session, None, "login.refused_trainee", "user", user.id,
                     username=name, detail={"reason": refusal, "client": client})
        if refusal == "class_ended":
            deactivate_trainee(session, user, refusal)
        return LoginResult(LoginOutcome.REFUSED, user.id, refusal)
    if not user.active:
        return _unknown_or_inactive(session, user, name, client)
    if password_ok:
        values: dict[str, object] = {"last_login_at": stamp}
        if new_hash:
            values["password_hash"] = new_hash  # an old bcrypt hash moves to argon2id
        session.execute(update(User).where(User.id == user.id).values(**values)
                        .execution_options(synchronize_session=False))
        login_locks.clear(session, user.id, client)
        audit.record(session, None, "login", "user", user.id, username=name,
                     detail={"client": client, "hash_upgraded": True} if new_hash
                     else {"client": client})
        return LoginResult(LoginOutcome.OK, user.id)
    if login_locks.record_failure(session, user, client, stamp, settings):
        return LoginResult(LoginOutcome.LOCKED, user.id, "lockout_started")
    return LoginResult(LoginOutcome.FAILED, user.id, "wrong_password")


def _unknown_or_inactive(session: Session, user: User | None, name: str,
                         client: str) -> LoginResult:
    audit.record(session, None, "login.failed", "user", user.id if user else None,
                 username=name[:50] or "anonymous",
                 detail={"reason": "unknown_or_inactive", "client": client})
    return LoginResult(LoginOutcome.FAILED, reason="unknown_or_inactive")


def session_user(session: Session, username: str, issued_at: datetime,
                 settings: Settings) -> User | None:
    """The user of a session issued at ``issued_at``, or None if it no longer counts."""
    user = session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None or not user.active or trainee_refusal(session, user) is not None:
        return None
    if user.sessions_revoked_at is not None and issued_at <= user.sessions_revoked_at:
        return None
    if issued_at < now() - timedelta(hours=settings.session_lifetime_hours):
        return None
    return user


def revoke_sessions(session: Session, user_id: int) -> None:
    """Invalidate every cookie issued so far (logout everywhere)."""
    session.execute(update(User).where(User.id == user_id).values(sessions_revoked_at=now()))


def encode_session_token(username: str, issued_at: datetime, settings: Settings,
                         key: str) -> str:
    """The login cookie's JWT, in the shape streamlit-authenticator reads, plus ``iat``."""
    exp = issued_at + timedelta(hours=settings.session_lifetime_hours)
    return jwt.encode({"username": username, "exp_date": exp.timestamp(),
                       "iat": issued_at.timestamp()}, key, algorithm="HS256")


def decode_session_token(token: str | None, key: str) -> tuple[str, datetime] | None:
    """``(username, issued_at)`` of a well-signed, unexpired cookie, else None.

    Tokens without ``iat`` (issued by an unpatched authenticator) are refused: without an issue
    time a revoked cookie could not be told from a current one.
    """
    if not token:
        return None
    try:
        data = jwt.decode(token, key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    try:
        username = str(data["username"])
        issued = datetime.fromtimestamp(float(data["iat"]), UTC)
        expires = float(data["exp_date"])
    except (KeyError, TypeError, ValueError):
        return None
    if expires <= now().timestamp():
        return None
    return username, issued
