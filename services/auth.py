"""Login checks that close streamlit-authenticator's gaps, kept in the database.

- Failed attempts are counted in the ``users`` row with one atomic UPDATE, so several app
  processes share the count; after ``lockout_attempts`` failures within the window the account
  is locked, and while locked even the right password is refused.
- An unknown or inactive username spends one bcrypt check too, so it takes as long as a wrong
  password and the response time does not reveal which usernames exist.
- A session (cookie) is valid only if it was issued after the user's ``sessions_revoked_at``
  (set by logout, password reset, role change and deactivation) and within the session lifetime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from db.models import User
from services import audit
from services.clock import now
from services.passwords import check_password
from services.settings import Settings
from services.users import normalize_username


class LoginOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"      # unknown user, wrong password or inactive: one message for all
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.OK


def verify_login(session: Session, username: str, password: str, settings: Settings,
                 ) -> LoginResult:
    """Check a login attempt and record it. The caller commits."""
    name = normalize_username(username)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    stamp = now()
    password_ok = check_password(password, user.password_hash if user else None)
    if user is None or not user.active:
        audit.record(session, None, "login.failed", "user", user.id if user else None,
                     username=name[:50] or "anonymous", detail={"reason": "unknown_or_inactive"})
        return LoginResult(LoginOutcome.FAILED)
    if user.locked_until is not None and user.locked_until > stamp:
        audit.record(session, None, "login.refused_locked", "user", user.id, username=name)
        return LoginResult(LoginOutcome.LOCKED, user.id)
    if password_ok:
        session.execute(update(User).where(User.id == user.id).values(
            failed_attempts=0, locked_until=None, last_login_at=stamp))
        audit.record(session, None, "login", "user", user.id, username=name)
        return LoginResult(LoginOutcome.OK, user.id)
    return _record_failure(session, user, stamp, settings)


def _record_failure(session: Session, user: User, stamp: datetime, settings: Settings,
                    ) -> LoginResult:
    window_start = stamp - timedelta(minutes=settings.lockout_window_minutes)
    session.execute(
        update(User).where(User.id == user.id).values(
            failed_attempts=case(
                ((User.last_failed_at.is_(None)) | (User.last_failed_at < window_start), 1),
                else_=User.failed_attempts + 1,
            ),
            last_failed_at=stamp,
        ).execution_options(synchronize_session=False)
    )
    count = session.scalar(select(User.failed_attempts).where(User.id == user.id)
                           .execution_options(populate_existing=True)) or 0
    if count >= settings.lockout_attempts:
        until = stamp + timedelta(minutes=settings.lockout_minutes)
        session.execute(update(User).where(User.id == user.id).values(
            locked_until=until, failed_attempts=0).execution_options(synchronize_session=False))
        audit.record(session, None, "login.locked", "user", user.id, username=user.username,
                     detail={"until": until})
        return LoginResult(LoginOutcome.LOCKED, user.id)
    audit.record(session, None, "login.failed", "user", user.id, username=user.username,
                 detail={"reason": "wrong_password", "count": count})
    return LoginResult(LoginOutcome.FAILED, user.id)


def session_user(session: Session, username: str, issued_at: datetime,
                 settings: Settings) -> User | None:
    """The user of a session issued at ``issued_at``, or None if it no longer counts."""
    user = session.scalar(select(User).where(User.username == normalize_username(username)))
    if user is None or not user.active:
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
