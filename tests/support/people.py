"""The users the tests act as: one per role, made once here (the ``people`` and ``app_people``
fixtures of ``tests/conftest.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import User
from tests.support.factories import actor_for, make_customer, make_user


def make_people(db: Session, *, display_names: bool = True) -> dict[str, Any]:
    """A user and an actor per role, for service tests: ``people["clerk"]`` is the clerk's
    actor on a real database (``demo_mode=False``: trainers may not write), ``people["users"]``
    the users by role value (usernames ``u_clerk``…, display names ``clerk名``…, or the
    usernames again without ``display_names``)."""
    users = {role: make_user(db, f"u_{role.value}", role,
                             display_name=f"{role.value}名" if display_names else None)
             for role in Role}
    out: dict[str, Any] = {r.value: actor_for(u, demo_mode=False) for r, u in users.items()}
    out["users"] = {r.value: u for r, u in users.items()}
    db.commit()
    return out



def make_app_users(db: Session) -> dict[Role, User]:
    """A user per role who can log in to the app as ``logged_in(role)`` does: username the
    role's value, display name ``<role>-name``."""
    return {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
            for role in Role}


def make_app_people(db: Session) -> dict[Role, User]:
    """``make_app_users`` and two customers for the lists: a person managed by the clerk and a
    company."""
    users = make_app_users(db)
    make_customer(db, name="欧阳娜娜", mobile="13912345678", email="nana@example.cn",
                  account_manager_id=users[Role.CLERK].id)
    make_customer(db, name="上海云帆科技有限公司", customer_type="企业", mobile="13700001111",
                  company="上海云帆科技有限公司", province="上海市", tier="钻石")
    db.commit()
    return users
