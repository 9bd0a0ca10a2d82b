"""Small helpers to make users and customers in tests without the demo seeder."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from core.clock import now
from core.vocab import Role
from db.models import Customer, User
from services.access.passwords import hash_password
from services.access.roles import Actor

_counter = itertools.count(1)
# Hashing is deliberately slow; tests share one hash per password.
_HASHES: dict[str, str] = {}


def make_user(session: Session, username: str, role: Role | str = Role.CLERK,
              password: str = "secret-pass", display_name: str | None = None,
              active: bool = True) -> User:
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    stamp = now()
    user = User(username=username, display_name=display_name or username, role=Role(role).value,
                password_hash=_HASHES[password], active=active,
                created_at=stamp, updated_at=stamp)
    session.add(user)
    session.flush()
    return user


def actor_for(user: User, demo_mode: bool = True) -> Actor:
    return Actor(user_id=user.id, username=user.username, role=Role(user.role),
                 demo_mode=demo_mode, trainee=user.training_class_id is not None)


def make_customer(session: Session, **fields: object) -> Customer:
    n = next(_counter)
    stamp = now()
    values: dict[str, object] = {
        "customer_no": f"C2026{n:06d}", "name": f"测试客户{n}", "customer_type": "个人",
        "mobile": f"138{n:08d}", "created_at": stamp, "updated_at": stamp,
    }
    values.update(fields)
    customer = Customer(**values)
    session.add(customer)
    session.flush()
    return customer
