"""One stored record of a customer (an order, a contact, a visit): finding it while its customer
is not deleted, and adding, correcting or deleting it with its audit entry (under the customer).

Why one place: each kind wrote these steps out again with only the names changed, so a fix to
one (say, which customers count as deleted) had to be made three times.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from db.models import Customer
from services.access import audit
from services.access.roles import Actor, Perm


class OfCustomer(Protocol):
    id: Any
    customer_id: Any


R = TypeVar("R", bound=OfCustomer)


def live_record(session: Session, model: type[R], record_id: int,
                missing: Callable[[int], Exception]) -> R:
    """The record ``record_id``; ``missing(record_id)`` is raised when there is none or its
    customer is deleted (a deleted customer's records are gone for the pages too)."""
    row = session.get(model, record_id)
    if row is None:
        raise missing(record_id)
    customer = session.get(Customer, row.customer_id)
    if customer is None or customer.deleted_at is not None:
        raise missing(record_id)
    return row


def customer_shown(session: Session, actor: Actor, customer_id: int,
                   missing: Callable[[], Exception]) -> Customer:
    """The customer of a record opened for reading; ``missing()`` is raised when there is none,
    or it is deleted and ``actor`` may not delete (and so restore) customers."""
    customer = session.get(Customer, customer_id)
    if customer is None or (customer.deleted_at is not None
                            and not actor.can(Perm.DELETE_CUSTOMERS)):
        raise missing()
    return customer


def add_record(session: Session, actor: Actor, row: R, action: str, keyed: Mapping[str, Any],
               id_key: str) -> R:
    """Store the new ``row``, audited as ``action`` with its values (``keyed``: audit keys)
    and its id under ``id_key``."""
    session.add(row)
    session.flush()
    audit.record(session, actor, action, "customer", row.customer_id,
                 changes=audit.diff({}, keyed), detail={id_key: row.id})
    return row


def update_record(session: Session, actor: Actor, row: OfCustomer, action: str,
                  values: Mapping[str, Any], before: Mapping[str, Any],
                  after: Mapping[str, Any], detail: Mapping[str, Any]) -> bool:
    """Set ``values`` on ``row`` when the audit keys ``before`` and ``after`` differ, audited as
    ``action``; whether anything changed."""
    changes = audit.diff(before, after)
    if not changes:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    audit.record(session, actor, action, "customer", row.customer_id, changes=changes,
                 detail=dict(detail))
    return True


def delete_record(session: Session, actor: Actor, row: OfCustomer, action: str,
                  before: Mapping[str, Any], detail: Mapping[str, Any]) -> int:
    """Delete ``row``, audited under its customer as ``action`` with the values it had
    (``before``, audit keys); the customer's id, for what follows from the deletion."""
    customer_id = row.customer_id
    session.delete(row)
    session.flush()
    audit.record(session, actor, action, "customer", customer_id,
                 changes=audit.diff(before, {}), detail=dict(detail))
    return customer_id
