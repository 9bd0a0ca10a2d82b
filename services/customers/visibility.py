"""Reading a customer row the actor may see, and how its values look on screen.

``live`` (may be changed: not deleted, not erased), ``visible`` (may be looked at: deleted ones
only for those who may restore them), ``mask_value`` (the one masking rule). Every other module
of the record uses these, so the rule for "which customer may I touch" is written once."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, Final

from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ
from core.settings import Settings
from db.models import (
    Customer,
)
from services.access import masking
from services.access.roles import Actor, Perm
from services.customers.errors import CustomerErased, CustomerNotFound

SENSITIVE_FIELDS: Final = masking.PROTECTED_FIELDS
ERASED_PREFIX: Final = "已删除客户"
"""An erased customer's name is this prefix and the 客户编号 (``services.privacy.erasure``)."""


def erased_name(customer_no: str) -> str:
    return f"{ERASED_PREFIX}{customer_no}"


def is_erased(customer: Customer) -> bool:
    """Erased records keep the erased name and no way to reach the person."""
    return customer.name == erased_name(customer.customer_no) and not (
        customer.mobile or customer.phone or customer.email or customer.id_number_enc)


def refuse_erased(customer: Customer) -> Customer:
    """``customer``, unless its personal information was erased (``CustomerErased``): such a
    record stays for its facts but takes no edit and no new record."""
    if is_erased(customer):
        raise CustomerErased(customer.customer_no)
    return customer



def mask_value(field_name: str, value: Any, settings: Settings | None = None, *,
               customer_type: str | None = None) -> Any:
    """The value as anyone may see it on screen: ``services.access.masking.mask_field``, the one
    masking rule (手机号, 邮箱, 证件号码 and a protected 固定电话 masked, the rest as is)."""
    return masking.mask_field(field_name, value, customer_type=customer_type, settings=settings)


def plain(value: Any) -> Any:
    """Stored form of a validated value (enums as their Chinese value)."""
    if isinstance(value, Enum):
        return value.value
    return value


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def get_row(session: Session, customer_id: int, *, fresh: bool = True) -> Customer:
    customer = session.get(Customer, customer_id, populate_existing=fresh)
    if customer is None:
        raise CustomerNotFound(customer_id)
    return customer


def live(session: Session, customer_id: int) -> Customer:
    """A customer that may be changed: it exists, is not deleted and was not erased."""
    customer = get_row(session, customer_id)
    if customer.deleted_at is not None:
        raise CustomerNotFound(customer_id)
    return refuse_erased(customer)


def visible(session: Session, actor: Actor, customer_id: int) -> Customer:
    """A customer this actor may look at: deleted ones only for those who may restore them."""
    actor.require(Perm.VIEW_CUSTOMERS)
    customer = get_row(session, customer_id, fresh=False)
    if customer.deleted_at is not None and not actor.can(Perm.DELETE_CUSTOMERS):
        raise CustomerNotFound(customer_id)
    return customer
