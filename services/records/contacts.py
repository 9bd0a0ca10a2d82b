"""沟通记录: contacts with a customer (phone call, e-mail, SMS, visit, online), added from the
profile, corrected and deleted.

A contact moves the customer's 最近联系 date (``last_contact_at``: the latest contact or visit
done, as the demo data defines it) and so its lifecycle stage (流失 counts days without order
or contact), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.vocab import InteractionMethod
from db.models import Customer, FollowUp, Interaction
from services.access import masking
from services.access.roles import Actor, Perm
from services.customers import live, tiers
from services.records.input import Checker
from services.records.stored import add_record, delete_record, live_record, update_record

FIELDS = ("occurred_at", "method", "content")
CONTENT_MAX = 5000


class InteractionNotFound(CatalogError):
    def __init__(self, interaction_id: int) -> None:
        super().__init__("interactions.error.not_found", interaction_id=interaction_id)


@dataclass(frozen=True)
class InteractionView:
    id: int
    customer_id: int
    occurred_at: datetime
    method: str
    content: str
    user_id: int | None

    def values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS}


def check_interaction(raw: Mapping[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """Stored values of a contact form: when (aware, not in the future), method, content."""
    now = now or clock.now()
    check = Checker("interaction", raw, clock.local(now).date())  # type: ignore[union-attr]
    values = {
        "occurred_at": check.moment("occurred_at", required=True, now=now),
        "method": check.choice("method", [m.value for m in InteractionMethod], required=True),
        "content": check.text("content", required=True, max_length=CONTENT_MAX,
                              multiline=True),
    }
    check.done()
    return values


def refresh_last_contact(session: Session, customer_id: int) -> None:
    """Set 最近联系 from the customer's contacts and visits done, then the lifecycle stage."""
    session.flush()
    latest_contact = session.scalar(select(func.max(Interaction.occurred_at)).where(
        Interaction.customer_id == customer_id))
    latest_visit = session.scalar(select(func.max(FollowUp.done_date)).where(
        FollowUp.customer_id == customer_id))
    days: list[date] = []
    if latest_contact is not None:
        if latest_contact.tzinfo is None:  # defensive: stored instants are UTC
            latest_contact = latest_contact.replace(tzinfo=UTC)
        days.append(clock.local(latest_contact).date())  # type: ignore[union-attr]
    if latest_visit is not None:
        days.append(latest_visit if isinstance(latest_visit, date)
                    else date.fromisoformat(str(latest_visit)))
    customer = session.get(Customer, customer_id)
    if customer is None:
        return
    value = max(days) if days else None
    if customer.last_contact_at != value:
        session.execute(Customer.__table__.update().where(Customer.__table__.c.id == customer_id)
                        .values(last_contact_at=value))
        session.expire(customer)
    tiers.on_orders_changed(session, [customer_id])


def _keyed(values: Mapping[str, Any]) -> dict[str, Any]:
    return {f"interaction.{k}": v for k, v in values.items()}


def _view(row: Interaction) -> InteractionView:
    return InteractionView(row.id, row.customer_id, row.occurred_at, row.method, row.content,
                           row.user_id)


def _interaction(session: Session, interaction_id: int) -> Interaction:
    return live_record(session, Interaction, interaction_id, InteractionNotFound)


def get_interaction(session: Session, actor: Actor, interaction_id: int) -> InteractionView:
    actor.require(Perm.VIEW_CUSTOMERS)
    row = _interaction(session, interaction_id)
    return masking.hide_record(_view(row), "interaction",
                               masking.hides(session, actor, row.customer_id))


def add_interaction(session: Session, actor: Actor, customer_id: int,
                    raw: Mapping[str, Any]) -> int:
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = live(session, customer_id)
    values = check_interaction(raw)
    row = add_record(session, actor, Interaction(customer_id=customer.id, user_id=actor.user_id,
                                                 created_at=clock.now(), **values),
                     "interaction.create", _keyed(values), "interaction_id")
    refresh_last_contact(session, customer.id)
    return row.id


def update_interaction(session: Session, actor: Actor, interaction_id: int,
                       raw: Mapping[str, Any]) -> bool:
    actor.require(Perm.EDIT_CUSTOMERS)
    row = _interaction(session, interaction_id)
    before = _view(row).values()
    values = check_interaction(masking.keep_hidden(raw, before))
    if not update_record(session, actor, row, "interaction.update", values, _keyed(before),
                         _keyed(values), {"interaction_id": row.id}):
        return False
    refresh_last_contact(session, row.customer_id)
    return True


def delete_interaction(session: Session, actor: Actor, interaction_id: int) -> None:
    actor.require(Perm.DELETE_CUSTOMERS)
    row = _interaction(session, interaction_id)
    before = _keyed(_view(row).values())
    customer_id = delete_record(session, actor, row, "interaction.delete", before,
                                {"interaction_id": interaction_id})
    refresh_last_contact(session, customer_id)
