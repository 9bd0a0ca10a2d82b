"""Customer lookup for lists: filters, sorting and server-side paging, masked per role."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from db.models import Customer, User
from services import masking
from services.roles import Actor, Perm

SORTABLE = {
    "customer_no": Customer.customer_no,
    "name": Customer.name,
    "customer_type": Customer.customer_type,
    "industry": Customer.industry,
    "province": Customer.province,
    "tier": Customer.tier,
    "lifecycle": Customer.lifecycle,
    "created_at": Customer.created_at,
}

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    customer_type: str | None = None
    industry: str | None = None
    province: str | None = None
    tier: str | None = None
    lifecycle: str | None = None
    account_manager_id: int | None = None
    sort: str = "created_at"
    descending: bool = True


@dataclass(frozen=True)
class CustomerRow:
    """What a list shows of a customer: contact details already masked."""

    id: int
    customer_no: str
    name: str
    customer_type: str
    mobile: str | None
    email: str | None
    company: str | None
    industry: str | None
    province: str | None
    city: str | None
    tier: str
    lifecycle: str
    account_manager: str | None
    created_at: datetime
    tags: list[str] = field(default_factory=list)


def _text_condition(text: str):  # noqa: ANN202 - SQLAlchemy boolean clause
    """Match 客户编号, name, mobile (full or last four digits), email or company."""
    text = text.strip()
    digits = "".join(_DIGITS.findall(text))
    conditions = [
        Customer.customer_no == text.upper(),
        Customer.name.contains(text, autoescape=True),
        Customer.company.contains(text, autoescape=True),
        Customer.email == text.lower(),
    ]
    if len(digits) == 4 and len(text) <= 6:
        conditions.append(Customer.mobile.endswith(digits, autoescape=True))
    elif len(digits) >= 7:
        conditions.append(Customer.mobile == digits[-11:])
    return or_(*conditions)


def build_query(q: CustomerQuery) -> Select:
    stmt = select(Customer).where(Customer.deleted_at.is_(None))
    if q.text.strip():
        stmt = stmt.where(_text_condition(q.text))
    for column, value in (
        (Customer.customer_type, q.customer_type),
        (Customer.industry, q.industry),
        (Customer.province, q.province),
        (Customer.tier, q.tier),
        (Customer.lifecycle, q.lifecycle),
        (Customer.account_manager_id, q.account_manager_id),
    ):
        if value is not None and value != "":
            stmt = stmt.where(column == value)
    return stmt


def search(session: Session, actor: Actor, q: CustomerQuery, *, offset: int = 0,
           limit: int = 50) -> tuple[list[CustomerRow], int]:
    """One page of customers matching ``q`` and the total count."""
    actor.require(Perm.VIEW_CUSTOMERS)
    stmt = build_query(q)
    total = session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(Customer.id).order_by(None).subquery())) or 0
    column = SORTABLE.get(q.sort, Customer.created_at)
    order = (column.desc(), Customer.id.desc()) if q.descending else (column.asc(),
                                                                      Customer.id.asc())
    customers = session.scalars(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return [to_row(c) for c in customers], total


def to_row(c: Customer) -> CustomerRow:
    return CustomerRow(
        id=c.id, customer_no=c.customer_no, name=c.name, customer_type=c.customer_type,
        mobile=masking.mask_mobile(c.mobile), email=masking.mask_email(c.email),
        company=c.company, industry=c.industry, province=c.province, city=c.city,
        tier=c.tier, lifecycle=c.lifecycle,
        account_manager=c.account_manager.display_name if c.account_manager else None,
        created_at=c.created_at, tags=[t.name for t in c.tags],
    )


def account_managers(session: Session) -> Sequence[User]:
    """Users that customers are assigned to, for the filter drop-down."""
    return session.scalars(
        select(User).where(User.id.in_(select(Customer.account_manager_id).distinct()))
        .order_by(User.display_name)).all()


@dataclass(frozen=True)
class HomeCounts:
    total: int
    new_30d: int
    mine: int


def home_counts(session: Session, actor: Actor) -> HomeCounts:
    """The three figures the home page greets a user with."""
    actor.require(Perm.VIEW_CUSTOMERS)
    from datetime import timedelta

    from services.clock import now

    live = select(func.count()).select_from(Customer).where(Customer.deleted_at.is_(None))
    total = session.scalar(live) or 0
    new = session.scalar(live.where(Customer.created_at >= now() - timedelta(days=30))) or 0
    mine = session.scalar(live.where(Customer.account_manager_id == actor.user_id)) or 0 \
        if actor.user_id is not None else 0
    return HomeCounts(total=total, new_30d=new, mine=mine)
