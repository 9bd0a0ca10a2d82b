"""Failed-login counts and locks per (account, client address), kept in ``login_locks``.

Counting per address means a stranger who types wrong passwords for ``admin`` locks only
their own address out, never the admin at the office. Every lock, every expiry and every
unlock by an administrator is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.clock import now
from core.settings import Settings
from db.models import LoginLock, User
from services.access import audit
from services.access.roles import Actor, Perm


@dataclass(frozen=True)
class LockState:
    """The locks of one account: the latest end and the addresses locked out."""

    until: datetime
    clients: tuple[str, ...]


def is_locked(session: Session, user_id: int, client: str, stamp: datetime) -> bool:
    until = session.scalar(select(LoginLock.locked_until).where(
        LoginLock.user_id == user_id, LoginLock.client == client))
    return until is not None and until > stamp


def release_expired(session: Session, stamp: datetime, settings: Settings) -> None:
    """Delete locks whose time is up, auditing each once (the DELETE returns it to one caller).

    Counts that no longer matter (last failure before the window, no lock) go too, so many
    addresses trying an account leave no lasting rows.
    """
    window_start = stamp - timedelta(minutes=settings.lockout_window_minutes)
    session.execute(delete(LoginLock).where(LoginLock.locked_until.is_(None),
                                            LoginLock.last_failed_at < window_start)
                    .execution_options(synchronize_session=False))
    rows = session.execute(
        delete(LoginLock).where(LoginLock.locked_until <= stamp)
        .returning(LoginLock.user_id, LoginLock.client)
        .execution_options(synchronize_session=False)
    ).all()
    if not rows:
        return
    names = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({user_id for user_id, _ in rows}))).all())
    for user_id, client in rows:
        audit.record(session, None, "login.unlocked", "user", user_id,
                     username=names.get(user_id), detail={"client": client, "reason": "expired"})


def clear(session: Session, user_id: int, client: str) -> None:
    """A successful login from this address forgets its earlier failures."""
    session.execute(delete(LoginLock).where(LoginLock.user_id == user_id,
                                            LoginLock.client == client)
                    .execution_options(synchronize_session=False))


def record_failure(session: Session, user: User, client: str, stamp: datetime,
                   settings: Settings) -> bool:
    """Count one failure from ``client``; lock it when the count reaches the limit.

    One atomic upsert, so app processes failing at the same time count every attempt.
    Returns whether this failure locked the address.
    """
    window_start = stamp - timedelta(minutes=settings.lockout_window_minutes)
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(LoginLock).values(
        user_id=user.id, client=client, failed_attempts=1, last_failed_at=stamp)
    count = session.scalar(stmt.on_conflict_do_update(
        index_elements=[LoginLock.user_id, LoginLock.client],
        set_={
            "failed_attempts": case((LoginLock.last_failed_at < window_start, 1),
                                    else_=LoginLock.failed_attempts + 1),
            "last_failed_at": stamp,
        },
    ).returning(LoginLock.failed_attempts)) or 0
    if count < settings.lockout_attempts:
        audit.record(session, None, "login.failed", "user", user.id, username=user.username,
                     detail={"reason": "wrong_password", "count": count, "client": client})
        return False
    until = stamp + timedelta(minutes=settings.lockout_minutes)
    session.execute(update(LoginLock).where(LoginLock.user_id == user.id,
                                            LoginLock.client == client)
                    .values(locked_until=until, failed_attempts=0)
                    .execution_options(synchronize_session=False))
    audit.record(session, None, "login.locked", "user", user.id, username=user.username,
                 detail={"client": client, "until": until})
    return True


def unlock_user(session: Session, user_id: int) -> list[str]:
    """Forget every failure and lock of the account; the addresses that were locked."""
    rows = session.execute(
        delete(LoginLock).where(LoginLock.user_id == user_id)
        .returning(LoginLock.client, LoginLock.locked_until)
        .execution_options(synchronize_session=False)
    ).all()
    stamp = now()
    return sorted(client for client, until in rows if until is not None and until > stamp)


def current_locks(session: Session, actor: Actor) -> dict[int, LockState]:
    """Accounts locked out from at least one address, for the users page."""
    actor.require(Perm.MANAGE_USERS)
    rows = session.execute(
        select(LoginLock.user_id, LoginLock.client, LoginLock.locked_until)
        .where(LoginLock.locked_until > now()).order_by(LoginLock.client)).all()
    states: dict[int, LockState] = {}
    for user_id, client, until in rows:
        prior = states.get(user_id)
        states[user_id] = LockState(
            until=max(until, prior.until) if prior else until,
            clients=(*prior.clients, client) if prior else (client,))
    return states
