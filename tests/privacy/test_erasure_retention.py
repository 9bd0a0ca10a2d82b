"""Retention (data-protection.md): who is past ``retention.inactive_years``, with the reason;
nothing erased by itself; the bulk erasure erases each one still past retention, audited."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core import clock
from core.vocab import Role
from db.models import AuditEntry, Contract, Customer, FollowUp, Order
from services.access.roles import PermissionDenied
from services.privacy import retention
from services.privacy.erasure import erase_customer
from tests.support.factories import actor_for, make_customer, make_user

TODAY = date(2026, 6, 15)
LONG_AGO = datetime(2020, 1, 10, 9, 0, tzinfo=clock.LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 6, 15, 10, tzinfo=clock.LOCAL_TZ))


def _old(db: Session, name: str) -> Customer:
    return make_customer(db, name=name, created_at=LONG_AGO)


def test_who_is_past_retention_and_why(db: Session) -> None:
    admin = actor_for(make_user(db, "admin", role=Role.ADMIN))
    silent = _old(db, "从无记录")
    lapsed = _old(db, "订单久远")
    db.add(Order(customer_id=lapsed.id, order_no="O1", order_date=date(2022, 3, 5),
                 product="p", quantity=1, amount=Decimal(1), created_at=LONG_AGO))
    recent = _old(db, "近期下单")
    db.add(Order(customer_id=recent.id, order_no="O2", order_date=date(2024, 1, 1),
                 product="p", quantity=1, amount=Decimal(1), created_at=LONG_AGO))
    contracted = _old(db, "合同有效")
    db.add(Contract(customer_id=contracted.id, contract_no="K1", start_date=date(2021, 1, 1),
                    end_date=date(2027, 1, 1), amount=Decimal(1), created_at=LONG_AGO))
    planned = _old(db, "仅有计划回访")  # a visit planned, never done: no activity
    db.add(FollowUp(customer_id=planned.id, planned_date=date(2026, 7, 1), method="电话",
                    created_at=LONG_AGO))
    visited = _old(db, "回访已做")
    db.add(FollowUp(customer_id=visited.id, planned_date=date(2025, 1, 1),
                    done_date=date(2025, 1, 2), method="电话", created_at=LONG_AGO))
    deleted = make_customer(db, name="已软删除", created_at=LONG_AGO, deleted_at=LONG_AGO)
    make_customer(db, name="新客户")  # created within the period
    db.commit()
    rows, total = retention.past_retention(db, admin)
    by_name = {r.name: r for r in rows}
    assert set(by_name) == {"从无记录", "订单久远", "仅有计划回访", "已软删除"}
    assert total == 4
    assert by_name["从无记录"].last_kind is None
    assert (by_name["订单久远"].last_kind, by_name["订单久远"].last_day) == (
        "order", date(2022, 3, 5))
    assert by_name["已软删除"].deleted
    assert retention.cutoff() == date(2023, 6, 15)
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == 0  # listing erases nothing
    erase_customer(db, admin, silent.id, "超过保存期限")
    db.commit()
    assert retention.past_retention(db, admin)[1] == 3  # erased ones leave the list
    assert deleted.id in retention.past_retention_ids(db, admin)


def test_years_come_from_the_setting(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from core.settings import get_settings

    admin = actor_for(make_user(db, "admin", role=Role.ADMIN))
    _old(db, "六年前")
    db.commit()
    assert get_settings().retention_inactive_years == 3
    assert retention.past_retention(db, admin)[1] == 1
    seven = replace(get_settings(), retention_inactive_years=7)
    monkeypatch.setattr(retention, "get_settings", lambda: seven)
    assert retention.cutoff() == date(2019, 6, 15)
    assert retention.past_retention(db, admin)[1] == 0
    assert retention.cutoff(date(2024, 2, 29), years=1) == date(2023, 2, 28)


def test_bulk_erasure_each_audited_and_rechecked(engine: Engine, db: Session) -> None:
    admin = actor_for(make_user(db, "admin", role=Role.ADMIN))
    a, b, c = (_old(db, n) for n in ("甲某某", "乙某某", "丙某某"))
    db.add(Order(customer_id=c.id, order_no="O3", order_date=date(2026, 1, 1), product="p",
                 quantity=1, amount=Decimal(1), created_at=LONG_AGO))  # active again
    db.commit()
    db.close()
    done, skipped = retention.erase_past_retention(engine, admin, [a.id, b.id, c.id], "到期")
    assert [d.customer_id for d in done] == [a.id, b.id] and skipped == 1
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "customer.erase")) == 2
        assert session.get(Customer, c.id).name == "丙某某"  # type: ignore[union-attr]


def test_admins_only(db: Session) -> None:
    manager = actor_for(make_user(db, "mgr", role=Role.MANAGER))
    with pytest.raises(PermissionDenied):
        retention.past_retention(db, manager)
