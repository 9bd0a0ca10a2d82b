"""Retention (保存期限, PIPL Art. 19 and 47; data-protection.md "Retention").

A customer is *past retention* when, for ``retention.inactive_years``, they have had no order,
no contact, no visit done, no complaint and no contract live at any time: the purpose the data
was collected for has ended. Administrators see them in one list with the reason and erase
them (``services.privacy.erasure``) one by one or in bulk, each erasure audited on its own.
Nothing is erased by itself.

Reading of the rule: a visit counts when it was done (a periodic visit the app planned for the
future would otherwise keep everyone forever); a contract counts while live, that is, when it
ends on or after the cut-off; a customer created after the cut-off is not past retention yet.
Customers already erased are not listed; soft-deleted ones are (they still hold the data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Engine, exists, func, literal, select
from sqlalchemy.orm import Session

from core import clock
from core.settings import get_settings
from db.engine import session_scope
from db.models import Complaint, Contract, Customer, FollowUp, Interaction, Order
from services.access.roles import Actor, Perm
from services.privacy.erasure import ERASED_PREFIX, Erasure, erase_customer, finish

KINDS = ("order", "contact", "visit", "complaint", "contract")
"""Activity kinds, in the order the reason names them."""


@dataclass(frozen=True)
class PastRetention:
    """One customer past retention, with what the reason says."""

    customer_id: int
    customer_no: str
    name: str
    created_at: datetime
    deleted: bool
    last_kind: str | None
    """The kind of the latest activity (``KINDS``), None if there never was any."""
    last_day: date | None


def cutoff(today: date | None = None, years: int | None = None) -> date:
    """The day ``years`` before today (29 February falls back to the 28th)."""
    today = today or clock.today()
    years = get_settings().retention_inactive_years if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=clock.LOCAL_TZ)


def _activity(day: date) -> list[tuple[str, Any, ColumnElement[bool]]]:
    """(kind, the column giving its day, the condition 'on or after the cut-off')."""
    since = _start(day)
    return [
        ("order", Order, Order.order_date >= day),
        ("contact", Interaction, Interaction.occurred_at >= since),
        ("visit", FollowUp, FollowUp.done_date >= day),
        ("complaint", Complaint, Complaint.received_at >= since),
        ("contract", Contract, Contract.end_date >= day),
    ]


def _where(day: date) -> list[ColumnElement[bool]]:
    conditions = [Customer.created_at < _start(day),
                  Customer.name != literal(ERASED_PREFIX) + Customer.customer_no]
    for _kind, model, recent in _activity(day):
        conditions.append(~exists().where(model.customer_id == Customer.id, recent))
    return conditions


_LAST = {"order": Order.order_date, "contact": Interaction.occurred_at,
         "visit": FollowUp.done_date, "complaint": Complaint.received_at,
         "contract": Contract.end_date}


def _last_activity(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, date]]:
    """Each customer's latest activity (kind, day) among ``ids``."""
    latest: dict[int, tuple[str, date]] = {}
    for kind, column in _LAST.items():
        model = column.class_
        rows = session.execute(select(model.customer_id, func.max(column))
                               .where(model.customer_id.in_(ids))
                               .group_by(model.customer_id)).all()
        for cid, value in rows:
            if value is None:
                continue
            day = clock.local(value).date() if isinstance(value, datetime) else value
            if cid not in latest or day > latest[cid][1]:
                latest[cid] = (kind, day)
    return latest


def past_retention(session: Session, actor: Actor, *, today: date | None = None,
                   offset: int = 0, limit: int = 50) -> tuple[list[PastRetention], int]:
    """A page of the customers past retention (longest inactive first: oldest created) and
    the total. Administrators only."""
    actor.require(Perm.DELETE_CUSTOMERS)
    conditions = _where(cutoff(today))
    total = int(session.scalar(select(func.count()).select_from(Customer).where(*conditions))
                or 0)
    rows = session.execute(
        select(Customer.id, Customer.customer_no, Customer.name, Customer.created_at,
               Customer.deleted_at).where(*conditions)
        .order_by(Customer.created_at, Customer.id).offset(offset).limit(limit)).all()
    latest = _last_activity(session, [r.id for r in rows]) if rows else {}
    page = [PastRetention(r.id, r.customer_no, r.name, r.created_at, r.deleted_at is not None,
                          *latest.get(r.id, (None, None))) for r in rows]
    return page, total


def past_retention_ids(session: Session, actor: Actor, *, today: date | None = None) -> list[int]:
    """Every customer past retention now, for a bulk erasure (checked again per customer)."""
    actor.require(Perm.DELETE_CUSTOMERS)
    return list(session.scalars(select(Customer.id).where(*_where(cutoff(today)))
                                .order_by(Customer.created_at, Customer.id)))


def is_past_retention(session: Session, customer_id: int, *, today: date | None = None) -> bool:
    """Whether this customer is past retention now (a bulk erasure checks each again)."""
    return session.scalar(select(Customer.id).where(
        Customer.id == customer_id, *_where(cutoff(today)))) is not None


def erase_past_retention(engine: Engine, actor: Actor, customer_ids: Sequence[int],
                         reason: str, *, today: date | None = None) -> tuple[list[Erasure], int]:
    """The bulk action: erase each customer still past retention, each in its own transaction
    and audit entry (one refusal does not undo the others); then empty the WAL once. Returns
    the erasures and how many were skipped (no longer past retention, or erased meanwhile)."""
    actor.require(Perm.DELETE_CUSTOMERS)
    done: list[Erasure] = []
    skipped = 0
    for customer_id in customer_ids:
        with session_scope(engine) as session:
            if not is_past_retention(session, customer_id, today=today):
                skipped += 1
                continue
            done.append(erase_customer(session, actor, customer_id, reason))
    finish(engine)
    return done, skipped


__all__ = ["KINDS", "PastRetention", "cutoff", "erase_past_retention", "is_past_retention",
           "past_retention", "past_retention_ids"]
