"""User accounts: creation, roles, passwords, deactivation. Admin actions, audited."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import now
from core.errors import CatalogError
from core.vocab import Role
from db.bulk import read_pairs
from db.models import User
from services.access import audit, login_locks
from services.access.passwords import MIN_LENGTH, check_password, hash_password
from services.access.roles import Actor, Perm
from services.customers.validation import control_char_error

USERNAME_RE = re.compile(r"^[a-z0-9_.-]{2,50}$")


class UserError(CatalogError):
    """A refused user action; ``key`` and ``params`` name the catalog message to show."""


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def _check_password(password: str) -> None:
    if len(password or "") < MIN_LENGTH:
        raise UserError("users.error.password_short", min=MIN_LENGTH)


def get_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == normalize_username(username)))


def create_user(session: Session, actor: Actor, username: str, display_name: str,
                role: Role | str, password: str) -> User:
    actor.require(Perm.MANAGE_USERS)
    username = normalize_username(username)
    if not USERNAME_RE.match(username):
        raise UserError("users.error.username_format")
    if get_by_username(session, username) is not None:
        raise UserError("users.error.username_taken", username=username)
    display_name = _clean_display_name(display_name, username)
    _check_password(password)
    stamp = now()
    user = User(username=username, display_name=display_name, role=Role(role).value,
                password_hash=hash_password(password), active=True,
                password_changed_at=stamp, created_at=stamp, updated_at=stamp)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", user.id,
                 changes={"username": [None, username], "role": [None, user.role]})
    return user


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserError("users.error.not_found")
    return user


def _guard_last_admin(session: Session, user: User) -> None:
    """Never leave the system without an active administrator."""
    if user.role == Role.ADMIN and user.active:
        admins = session.scalar(select(func.count()).select_from(User).where(
            User.role == Role.ADMIN.value, User.active.is_(True))) or 0
        if admins <= 1:
            raise UserError("users.error.last_admin")


def _clean_display_name(display_name: str, fallback: str) -> str:
    display_name = (display_name or "").strip() or fallback
    if len(display_name) > 50:
        raise UserError("users.error.display_name_long")
    control = control_char_error("display_name", display_name)
    if control is not None:
        raise UserError("input.users.display_name_control", **control.params)
    return display_name


def change_display_name(session: Session, actor: Actor, user_id: int,
                        display_name: str) -> User:
    """Rename a user as others see them (lists, pickers, the audit log): a typo made at
    creation, a married name. Blank keeps the current name rather than showing nothing."""
    actor.require(Perm.MANAGE_USERS)
    user = _get(session, user_id)
    name = _clean_display_name(display_name, user.display_name)
    if name == user.display_name:
        return user
    before = user.display_name
    user.display_name = name
    user.updated_at = now()
    audit.record(session, actor, "user.display_name", "user", user.id,
                 changes={"display_name": [before, name]})
    return user


def change_role(session: Session, actor: Actor, user_id: int, role: Role | str) -> User:
    actor.require(Perm.MANAGE_USERS)
    user = _get(session, user_id)
    role = Role(role)
    if user.role == role:
        return user
    if role != Role.ADMIN:
        _guard_last_admin(session, user)
    before = user.role
    user.role = role.value
    user.updated_at = now()
    user.sessions_revoked_at = now()  # the new role applies from the next login
    audit.record(session, actor, "user.role", "user", user.id,
                 changes={"role": [before, role.value]})
    return user


def reset_password(session: Session, actor: Actor, user_id: int, password: str) -> User:
    actor.require(Perm.MANAGE_USERS)
    user = _get(session, user_id)
    _check_password(password)
    stamp = now()
    user.password_hash = hash_password(password)
    user.password_changed_at = stamp
    user.sessions_revoked_at = stamp
    user.updated_at = stamp
    unlocked = login_locks.unlock_user(session, user.id)
    audit.record(session, actor, "user.password_reset", "user", user.id,
                 detail={"unlocked_clients": unlocked} if unlocked else None)
    return user


def change_own_password(session: Session, actor: Actor, current: str, new: str) -> datetime:
    """The logged-in user sets a new password, proving the current one.

    Every session of the user is revoked, so a browser left logged in elsewhere (or a stolen
    cookie) is out. Returns the issue time for the caller's own fresh session, just after the
    revocation, so this browser stays logged in.
    """
    if actor.user_id is None:
        raise UserError("users.error.not_found")
    user = _get(session, actor.user_id)
    if not check_password(current, user.password_hash):
        audit.record(session, actor, "user.password_change_refused", "user", user.id)
        raise UserError("login_pw.error.current_wrong")
    _check_password(new)
    stamp = now()
    user.password_hash = hash_password(new)
    user.password_changed_at = stamp
    user.sessions_revoked_at = stamp
    user.updated_at = stamp
    audit.record(session, actor, "user.password_change", "user", user.id)
    return stamp + timedelta(milliseconds=1)


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    actor.require(Perm.MANAGE_USERS)
    user = _get(session, user_id)
    if user.active == active:
        return user
    if not active:
        if actor.user_id == user.id:
            raise UserError("users.error.self_deactivate")
        _guard_last_admin(session, user)
        user.sessions_revoked_at = now()
    user.active = active
    user.updated_at = now()
    audit.record(session, actor, "user.activate" if active else "user.deactivate", "user",
                 user.id, changes={"active": [not active, active]})
    return user


def unlock(session: Session, actor: Actor, user_id: int) -> User:
    actor.require(Perm.MANAGE_USERS)
    user = _get(session, user_id)
    clients = login_locks.unlock_user(session, user.id)
    audit.record(session, actor, "user.unlock", "user", user.id, detail={"clients": clients})
    return user


def list_users(session: Session, actor: Actor) -> Sequence[User]:
    actor.require(Perm.MANAGE_USERS)
    return session.scalars(select(User).order_by(User.role, User.username)).all()


def active_users(session: Session) -> Sequence[User]:
    """For pickers (account manager) and validation: every active account."""
    return session.scalars(select(User).where(User.active.is_(True))
                           .order_by(User.display_name)).all()


def find_user(session: Session, user_id: int) -> User | None:
    """A user by id, active or not: the name of a former assignee or manager to show."""
    return session.get(User, user_id)


def set_language(session: Session, user_id: int, language: str) -> None:
    if language not in ("zh", "en"):
        raise UserError("users.error.language")
    user = _get(session, user_id)
    user.language = language


def display_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The display name of each user id (ids of no user left out): the one place names of
    people are read for a list, a profile or a log."""
    return read_pairs(session, User.id, User.display_name, (i for i in user_ids if i is not None))


def names_by_username(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    return read_pairs(session, User.username, User.display_name, usernames)
