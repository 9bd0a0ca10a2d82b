"""The demo's users: one login per role (public passwords) and the account managers who own
customers (role clerk, unknown random passwords)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, insert, select

from core import clock
from core.vocab import Role
from db.models import User
from services.access.passwords import hash_password


class DemoAccount(NamedTuple):
    username: str
    password: str
    role: str
    display_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin-demo", Role.ADMIN.value, "王敏"),
    DemoAccount("manager", "manager-demo", Role.MANAGER.value, "李强"),
    DemoAccount("clerk", "clerk-demo", Role.CLERK.value, "张丽"),
    DemoAccount("trainer", "trainer-demo", Role.TRAINER.value, "陈老师"),
)
"""One login per role, documented in README; passwords are public, so demo databases only."""

ACCOUNT_MANAGERS: tuple[tuple[str, str], ...] = (
    ("am01", "刘洋"), ("am02", "赵静"), ("am03", "孙伟"),
    ("am04", "周婷"), ("am05", "吴磊"), ("am06", "郑芳"),
)
"""Account-manager users (role clerk) with unknown random passwords: owners, not logins."""


@lru_cache(maxsize=8)
def demo_hash(password: str) -> str:
    """Hash of a public demo password, once per process (tests seed many databases)."""
    return hash_password(password)


@lru_cache(maxsize=1)
def unusable_hash() -> str:
    """Hash of a random password nobody knows: account managers own customers, not logins."""
    return hash_password(secrets.token_urlsafe(32))


def ensure_users(conn: Connection) -> tuple[dict[str, int], int]:
    """The demo logins and account managers, created only if absent. Returns ids, created."""
    wanted = [(a.username, a.display_name, a.role, demo_hash(a.password))
              for a in DEMO_ACCOUNTS]
    wanted += [(u, name, Role.CLERK.value, unusable_hash()) for u, name in ACCOUNT_MANAGERS]
    names = [w[0] for w in wanted]
    existing = set(conn.scalars(select(User.username).where(User.username.in_(names))))
    stamp = clock.now()
    missing = [dict(username=u, display_name=n, role=r, password_hash=h, active=True,
                    password_changed_at=stamp, created_at=stamp,
                    updated_at=stamp)
               for u, n, r, h in wanted if u not in existing]
    if missing:
        conn.execute(insert(User), missing)
    ids = dict(conn.execute(select(User.username, User.id).where(User.username.in_(names))).all())
    return ids, len(missing)
