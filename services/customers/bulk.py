"""Assigning an account manager to many customers at once: one audit row for the batch."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import clock
from db.bulk import chunks
from db.models import (
    Customer,
    User,
)
from services.access import audit
from services.access.roles import Actor, Perm
from services.customers.errors import RecordError


def bulk_assign_manager(session: Session, actor: Actor, customer_ids: Iterable[int],
                        manager_id: int | None) -> int:
    """Make ``manager_id`` (an active user, or None for nobody) the account manager of these
    live customers; one audit row with the count, the ids and each previous manager.
    Returns how many customers changed."""
    actor.require(Perm.EDIT_CUSTOMERS)
    manager = None
    if manager_id is not None:
        manager = session.get(User, manager_id)
        if manager is None or not manager.active:
            raise RecordError("records.error.manager_unknown")
    ids = sorted(set(customer_ids))
    current: dict[int, int | None] = {}
    for part in chunks(ids):
        current.update(session.execute(select(Customer.id, Customer.account_manager_id).where(
            Customer.id.in_(part), Customer.deleted_at.is_(None))).all())
    affected = sorted(cid for cid, mid in current.items() if mid != manager_id)
    if affected:
        table = Customer.__table__
        stamp = clock.now()
        for part in chunks(affected):
            session.execute(update(table).where(table.c.id.in_(part)).values(
                account_manager_id=manager_id, version=table.c.version + 1,
                updated_at=stamp, updated_by_id=actor.user_id))
        wanted = set(affected)
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Customer) and obj.id in wanted:
                session.expire(obj, ["account_manager_id", "account_manager", "version",
                                     "updated_at", "updated_by_id"])
    usernames = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({m for m in current.values() if m is not None}))).all())
    audit.record(session, actor, "customer.bulk_assign", "customer", None,
                 changes={"account_manager": [None, manager.username if manager else None]},
                 detail={"count": len(affected), "ids": affected, "requested": len(ids),
                         "previous": {str(cid): usernames.get(current[cid])  # type: ignore[arg-type]
                                      for cid in affected}})
    return len(affected)
