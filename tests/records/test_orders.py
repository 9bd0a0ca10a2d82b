"""交易记录 and 沟通记录 from the profile: validation per field, the issued 订单编号, order dates,
tier and lifecycle kept up to date, 最近联系, roles and the audit trail."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.vocab import Role
from db.models import AuditEntry, Customer, Interaction, Order
from services.access.roles import PermissionDenied
from services.customers import CustomerNotFound
from services.records.contacts import (
    add_interaction,
    delete_interaction,
    update_interaction,
)
from services.records.input import InvalidRecord
from services.records.orders import add_order, delete_order, next_order_no, update_order
from tests.support.factories import actor_for, make_customer, make_user

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=clock.LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def users(db: Session):
    made = {role: make_user(db, role.value, role=role) for role in Role}
    db.commit()
    return made


@pytest.fixture
def customer(db: Session) -> Customer:
    c = make_customer(db, created_at=NOW - timedelta(days=800))
    db.commit()
    return c


def order(**kw: object) -> dict[str, object]:
    return {"order_date": TODAY, "product": "年度维保", "quantity": 1, "amount": "1000",
            "payment_method": "银行转账", **kw}


def fields_of(exc: pytest.ExceptionInfo[InvalidRecord]) -> set[str | None]:
    return {e.field for e in exc.value.errors}


# ---- orders -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad,field", [
    ({"product": "  "}, "order.product"),
    ({"product": "产" * 101}, "order.product"),
    ({"order_date": None}, "order.order_date"),
    ({"order_date": TODAY + timedelta(days=1)}, "order.order_date"),
    ({"order_date": "2026-13-01"}, "order.order_date"),
    ({"quantity": 0}, "order.quantity"),
    ({"quantity": -2}, "order.quantity"),
    ({"quantity": "1.5"}, "order.quantity"),
    ({"amount": "-0.01"}, "order.amount"),
    ({"amount": "十元"}, "order.amount"),
    ({"amount": None}, "order.amount"),
    ({"payment_method": "比特币"}, "order.payment_method"),
])
def test_order_form_refuses_each_bad_field(db: Session, users, customer, bad, field) -> None:
    with pytest.raises(InvalidRecord) as exc:
        add_order(db, actor_for(users[Role.CLERK]), customer.id, order(**bad))
    assert fields_of(exc) == {field}
    message = exc.value.errors[0].message("zh")
    assert message.startswith(("下单日期", "产品", "数量", "金额", "支付方式"))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Order)) == 0


def test_every_problem_is_reported_at_once(db: Session, users, customer) -> None:
    with pytest.raises(InvalidRecord) as exc:
        add_order(db, actor_for(users[Role.CLERK]), customer.id,
                  {"order_date": TODAY + timedelta(days=3), "product": "", "quantity": 0,
                   "amount": "-1"})
    assert fields_of(exc) == {"order.order_date", "order.product", "order.quantity",
                              "order.amount"}


def test_order_numbers_are_issued_in_sequence_and_skip_taken_ones(db: Session, users,
                                                                 customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    first = db.get(Order, add_order(db, clerk, customer.id, order()))
    assert first.order_no == "SO2026000001"
    db.add(Order(customer_id=customer.id, order_no="SO2026000002", order_date=TODAY,
                 product="手工录入", quantity=1, amount=Decimal("1"), created_at=NOW))
    db.flush()
    assert next_order_no(db) == "SO2026000003"
    second = db.get(Order, add_order(db, clerk, customer.id, order()))
    assert second.order_no == "SO2026000004"


def test_orders_move_dates_tier_and_lifecycle(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    assert (customer.tier, customer.lifecycle) == ("白银", "潜在")
    ids = [add_order(db, clerk, customer.id, order(order_date=TODAY - timedelta(days=d),
                                                   amount="4000", quantity=2))
           for d in (60, 30, 5)]
    db.commit()
    db.refresh(customer)
    assert customer.first_order_at == TODAY - timedelta(days=60)
    assert customer.last_order_at == TODAY - timedelta(days=5)
    assert customer.tier == "黄金"  # 12,000 over 3 orders in the last 12 months
    assert customer.lifecycle == "新客户"
    stored = db.get(Order, ids[0])
    assert stored.amount == Decimal("4000.00") and stored.quantity == 2
    update_order(db, clerk, ids[2], order(order_date=TODAY - timedelta(days=5), amount="10"))
    db.commit()
    db.refresh(customer)
    assert customer.tier == "白银"  # 8,010 is below 黄金's 10,000
    delete_order(db, actor_for(users[Role.ADMIN]), ids[0])
    db.commit()
    db.refresh(customer)
    assert customer.first_order_at == TODAY - timedelta(days=30)


def test_order_changes_are_audited_on_the_customer(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    oid = add_order(db, clerk, customer.id, order())
    assert update_order(db, clerk, oid, order(product="年度维保", amount="1000")) is False
    assert update_order(db, clerk, oid, order(amount="1200.5")) is True
    delete_order(db, actor_for(users[Role.ADMIN]), oid)
    db.commit()
    rows = db.scalars(select(AuditEntry).where(AuditEntry.action.like("order.%"))
                      .order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["order.create", "order.update", "order.delete"]
    assert all(r.entity == "customer" and r.entity_id == str(customer.id) for r in rows)
    assert rows[0].changes["order.order_no"] == [None, "SO2026000001"]
    assert rows[1].changes == {"order.amount": ["1000.00", "1200.50"]}
    assert rows[2].username == "admin"


def test_order_roles(db: Session, users, customer) -> None:
    trainer = actor_for(users[Role.TRAINER], demo_mode=False)
    with pytest.raises(PermissionDenied):
        add_order(db, trainer, customer.id, order())
    clerk = actor_for(users[Role.CLERK])
    oid = add_order(db, clerk, customer.id, order())
    with pytest.raises(PermissionDenied):
        delete_order(db, clerk, oid)
    with pytest.raises(PermissionDenied):
        delete_order(db, actor_for(users[Role.MANAGER]), oid)
    # config.toml is a demo database: there, trainers may enter records too
    add_order(db, actor_for(users[Role.TRAINER]), customer.id, order())


def test_no_orders_for_a_deleted_customer(db: Session, users) -> None:
    gone = make_customer(db, created_at=NOW, deleted_at=NOW)
    with pytest.raises(CustomerNotFound):
        add_order(db, actor_for(users[Role.CLERK]), gone.id, order())


# ---- interactions ----------------------------------------------------------------------------


def contact(**kw: object) -> dict[str, object]:
    return {"occurred_at": NOW - timedelta(hours=2), "method": "电话",
            "content": "客户询问续费优惠", **kw}


@pytest.mark.parametrize("bad,field", [
    ({"content": ""}, "interaction.content"),
    ({"content": "长" * 5001}, "interaction.content"),
    ({"method": "飞鸽传书"}, "interaction.method"),
    ({"method": "上门"}, "interaction.method"),  # a visit method, not a contact method
    ({"occurred_at": NOW + timedelta(hours=1)}, "interaction.occurred_at"),
    ({"occurred_at": datetime(2026, 6, 15, 9, 0)}, "interaction.occurred_at"),  # naive
    ({"occurred_at": None}, "interaction.occurred_at"),
])
def test_contact_form_refuses_each_bad_field(db: Session, users, customer, bad, field) -> None:
    with pytest.raises(InvalidRecord) as exc:
        add_interaction(db, actor_for(users[Role.CLERK]), customer.id, contact(**bad))
    assert fields_of(exc) == {field}


def test_contacts_move_last_contact_and_lifecycle(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    add_order(db, clerk, customer.id, order(order_date=TODAY - timedelta(days=400)))
    db.commit()
    db.refresh(customer)
    assert customer.lifecycle == "流失"  # no order and no contact for 365 days
    # 23:30 China time on the 14th is the 14th, whatever the UTC date
    late = datetime(2026, 6, 14, 23, 30, tzinfo=clock.LOCAL_TZ)
    cid = add_interaction(db, clerk, customer.id, contact(occurred_at=late))
    db.commit()
    db.refresh(customer)
    assert customer.last_contact_at == date(2026, 6, 14)
    assert customer.lifecycle != "流失"
    row = db.get(Interaction, cid)
    assert row.user_id == users[Role.CLERK].id and row.method == "电话"
    update_interaction(db, clerk, cid, contact(occurred_at=late, content="改为邮件沟通",
                                               method="邮件"))
    delete_interaction(db, actor_for(users[Role.ADMIN]), cid)
    db.commit()
    db.refresh(customer)
    assert customer.last_contact_at is None and customer.lifecycle == "流失"
    actions = db.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("interaction.%")).order_by(AuditEntry.id)).all()
    assert actions == ["interaction.create", "interaction.update", "interaction.delete"]


def test_contact_delete_needs_the_delete_right(db: Session, users, customer) -> None:
    cid = add_interaction(db, actor_for(users[Role.CLERK]), customer.id, contact())
    with pytest.raises(PermissionDenied):
        delete_interaction(db, actor_for(users[Role.CLERK]), cid)
