"""Marking a customer reviewed (核查), deleting (soft) and restoring it; each audited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from core import clock
from services.access import audit
from services.access.roles import Actor, Perm
from services.customers import tiers
from services.customers.entry import find_duplicates, full_values
from services.customers.errors import DuplicateCustomer
from services.customers.visibility import get_row, live


def mark_reviewed(session: Session, actor: Actor, customer_id: int) -> datetime:
    """Stamp the record as checked (核查) now; audited. Returns the time stamped."""
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = live(session, customer_id)
    before = customer.last_reviewed_at
    customer.last_reviewed_at = clock.now()
    session.flush()
    audit.record(session, actor, "customer.review", "customer", customer.id,
                 changes=audit.diff({"last_reviewed_at": before},
                                    {"last_reviewed_at": customer.last_reviewed_at}),
                 detail={"version": customer.version})
    return customer.last_reviewed_at


def delete_customer(session: Session, actor: Actor, customer_id: int) -> bool:
    """Soft-delete (administrators): hidden from lists and duplicate checks, restorable.
    False if it was already deleted."""
    actor.require(Perm.DELETE_CUSTOMERS)
    customer = get_row(session, customer_id)
    if customer.deleted_at is not None:
        return False
    customer.deleted_at = clock.now()
    customer.deleted_by_id = actor.user_id
    session.flush()
    audit.record(session, actor, "customer.delete", "customer", customer.id,
                 changes=audit.diff({"deleted_at": None}, {"deleted_at": customer.deleted_at}),
                 detail={"version": customer.version, "customer_no": customer.customer_no})
    return True


def restore_customer(session: Session, actor: Actor, customer_id: int, *,
                     today: date | None = None) -> bool:
    """Undo a soft delete (administrators). Refused with ``DuplicateCustomer`` if a live
    customer has since taken its 手机号, 邮箱 or 证件号码. False if it was not deleted."""
    actor.require(Perm.DELETE_CUSTOMERS)
    customer = get_row(session, customer_id)
    if customer.deleted_at is None:
        return False
    values = full_values(session, customer)
    duplicates = find_duplicates(session, values, exclude_id=customer.id)
    if duplicates:
        raise DuplicateCustomer(duplicates)
    before = customer.deleted_at
    customer.deleted_at = None
    customer.deleted_by_id = None
    session.flush()
    tiers.recompute_ids(session, [customer.id], today)
    audit.record(session, actor, "customer.restore", "customer", customer.id,
                 changes=audit.diff({"deleted_at": before}, {"deleted_at": None}),
                 detail={"version": customer.version})
    return True
