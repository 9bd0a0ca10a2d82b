"""交易记录: orders added, corrected and deleted from the profile.

The 订单编号 is issued by the app (``SO`` + year + 6 digits, from the ``sequences`` table like the
客户编号). Every change brings the customer's first/last order dates, tier, lifecycle stage and
value segment up to date in the same transaction (``services.customers.tiers.on_orders_changed``),
and a
customer's first order plans the welcome visit
(``services.records.visit_planning.on_first_orders``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.vocab import PaymentMethod
from db.models import Order
from services.access import masking
from services.access.roles import Actor, Perm
from services.customers import CustomerNotFound, live, numbering, tiers
from services.records import visit_planning
from services.records.input import Checker
from services.records.stored import add_record, delete_record, live_record, update_record

FIELDS = ("order_date", "product", "quantity", "amount", "payment_method")


class OrderNotFound(CatalogError):
    def __init__(self, order_id: int) -> None:
        super().__init__("orders.error.not_found", order_id=order_id)


@dataclass(frozen=True)
class OrderView:
    id: int
    customer_id: int
    order_no: str
    order_date: date
    product: str
    quantity: int
    amount: Decimal
    payment_method: str | None

    def values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS}


def next_order_no(session: Session, *, year: int | None = None) -> str:
    """Issue the next 订单编号 ``SO`` + year + 6 digits, in the caller's transaction."""
    return numbering.next_number(session, "order_no", "SO", Order.order_no, year=year)


def check_order(raw: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """The stored values of an order form, or ``InvalidRecord`` naming each bad field."""
    check = Checker("order", raw, today or clock.today())
    values = {
        "order_date": check.day("order_date", required=True),
        "product": check.text("product", required=True, max_length=100),
        "quantity": check.count("quantity", required=True),
        "amount": check.money("amount", required=True),
        "payment_method": check.choice("payment_method", [m.value for m in PaymentMethod]),
    }
    check.done()
    return values


def _keyed(values: Mapping[str, Any]) -> dict[str, Any]:
    """Audit keys ``order.<field>``: the 变更记录 labels them with ``field.order.<field>``."""
    return {f"order.{k}": v for k, v in values.items()}


def _view(order: Order) -> OrderView:
    return OrderView(order.id, order.customer_id, order.order_no, order.order_date,
                     order.product, order.quantity, Decimal(order.amount), order.payment_method)


def _order(session: Session, order_id: int) -> Order:
    return live_record(session, Order, order_id, OrderNotFound)


def get_order(session: Session, actor: Actor, order_id: int) -> OrderView:
    actor.require(Perm.VIEW_CUSTOMERS)
    order = _order(session, order_id)
    return masking.hide_record(_view(order), "order",
                               masking.hides(session, actor, order.customer_id))


def _had_orders(session: Session, customer_id: int) -> bool:
    return session.scalar(select(Order.id).where(Order.customer_id == customer_id)
                          .limit(1)) is not None


def add_order(session: Session, actor: Actor, customer_id: int, raw: Mapping[str, Any]) -> int:
    """Add an order to a live customer; returns its id. A customer's first order plans the
    after-first-order visit."""
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = live(session, customer_id)
    values = check_order(raw)
    first = not _had_orders(session, customer.id)
    order_no = next_order_no(session)
    order = add_record(session, actor, Order(customer_id=customer.id, order_no=order_no,
                                             created_at=clock.now(), **values),
                       "order.create", _keyed({"order_no": order_no, **values}), "order_id")
    tiers.on_orders_changed(session, [customer.id])
    if first:
        visit_planning.on_first_orders(session, [customer.id])
    return order.id


def update_order(session: Session, actor: Actor, order_id: int,
                 raw: Mapping[str, Any]) -> bool:
    """Correct an order; returns whether anything changed."""
    actor.require(Perm.EDIT_CUSTOMERS)
    order = _order(session, order_id)
    before = _view(order).values()
    values = check_order(masking.keep_hidden(raw, before))
    if not update_record(session, actor, order, "order.update", values, _keyed(before),
                         _keyed(values), {"order_id": order.id, "order_no": order.order_no}):
        return False
    tiers.on_orders_changed(session, [order.customer_id])
    return True


def delete_order(session: Session, actor: Actor, order_id: int) -> None:
    """Delete an order (admins: deleting a service record needs DELETE_CUSTOMERS)."""
    actor.require(Perm.DELETE_CUSTOMERS)
    order = _order(session, order_id)
    before = _keyed({"order_no": order.order_no, **_view(order).values()})
    customer_id = delete_record(session, actor, order, "order.delete", before,
                                {"order_id": order_id})
    tiers.on_orders_changed(session, [customer_id])


__all__ = ["CustomerNotFound", "OrderNotFound", "OrderView", "add_order", "check_order",
           "delete_order", "get_order", "next_order_no", "update_order"]
