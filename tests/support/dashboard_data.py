"""A small hand-made data set for the dashboard tests, with answers worked out by hand.

Today is 2026-06-15 (10:00 China time); the default filter is June 1–15 and its previous
period May 1–15. Customers (c5 is deleted and must never count):

====  ========  ====  ====  =======  ==========
name  province  tier  type  manager  created
====  ========  ====  ====  =======  ==========
c1    广东省    钻石  企业  m1       2025-01-10
c2    广东省    白银  个人  m2       2026-06-03
c3    北京市    黄金  个人  m1       2026-05-05
c4    北京市    白银  个人  -        2026-05-02
c5    广东省    白银  个人  m2       2026-06-02 (deleted)
====  ========  ====  ====  =======  ==========
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ
from core.vocab import Role
from db.models import (
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    RenewalTarget,
    Survey,
    User,
)
from tests.support.factories import make_customer, make_user

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=LOCAL_TZ).astimezone(UTC)
_seq = itertools.count(1)


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def order(db: Session, c: Customer, day: date, amount: str = "100") -> Order:
    row = Order(customer_id=c.id, order_no=f"O{next(_seq):06d}", order_date=day,
                product="服务", quantity=1, amount=Decimal(amount), created_at=NOW)
    db.add(row)
    return row


def contact(db: Session, c: Customer, at: datetime) -> Interaction:
    row = Interaction(customer_id=c.id, occurred_at=at, method="电话", content="联系",
                      created_at=NOW)
    db.add(row)
    return row


def visit(db: Session, c: Customer, done: date) -> FollowUp:
    row = FollowUp(customer_id=c.id, planned_date=done, done_date=done, method="电话",
                   created_at=NOW)
    db.add(row)
    return row


def survey(db: Session, c: Customer, day: date, score: int) -> Survey:
    row = Survey(customer_id=c.id, survey_date=day, score=score, created_at=NOW)
    db.add(row)
    return row


def contract(db: Session, c: Customer, end: date, amount: str = "1000") -> Contract:
    row = Contract(customer_id=c.id, contract_no=f"HT{next(_seq):06d}",
                   start_date=end - timedelta(days=365), end_date=end,
                   amount=Decimal(amount), created_at=NOW)
    db.add(row)
    db.flush()
    return row


def renewal(db: Session, c: Customer, due: date, outcome: str, amount: str | None = None,
            of: Contract | None = None) -> Renewal:
    of = of or contract(db, c, due)
    row = Renewal(contract_id=of.id, customer_id=c.id, due_date=due, outcome=outcome,
                  amount=Decimal(amount) if amount else None,
                  decided_at=None if outcome == "跟进中" else NOW, created_at=NOW)
    db.add(row)
    return row


def complaint(db: Session, c: Customer, received: datetime, status: str = "待处理",
              resolved: datetime | None = None, minutes: int | None = None,
              closed: datetime | None = None) -> Complaint:
    row = Complaint(customer_id=c.id, channel="电话", complaint_type="服务态度",
                    description="投诉", received_at=received, status=status,
                    resolved_at=resolved, resolution_minutes=minutes, closed_at=closed,
                    created_at=NOW)
    db.add(row)
    return row


@dataclass
class World:
    m1: User
    m2: User
    c1: Customer
    c2: Customer
    c3: Customer
    c4: Customer
    c5: Customer


def managers(db: Session) -> tuple[User, User]:
    m1 = make_user(db, "am_one", role=Role.MANAGER, display_name="经理一")
    m2 = make_user(db, "am_two", role=Role.CLERK, display_name="经理二")
    return m1, m2


def customers(db: Session) -> World:
    m1, m2 = managers(db)
    c1 = make_customer(db, name="客户一", province="广东省", tier="钻石", customer_type="企业",
                       industry="金融", account_manager_id=m1.id, created_at=local(2025, 1, 10))
    c2 = make_customer(db, name="客户二", province="广东省", tier="白银",
                       account_manager_id=m2.id, created_at=local(2026, 6, 3))
    c3 = make_customer(db, name="客户三", province="北京市", tier="黄金",
                       account_manager_id=m1.id, created_at=local(2026, 5, 5))
    c4 = make_customer(db, name="客户四", province="北京市", tier="白银",
                       created_at=local(2026, 5, 2))
    c5 = make_customer(db, name="客户五", province="广东省", tier="白银",
                       account_manager_id=m2.id, created_at=local(2026, 6, 2),
                       deleted_at=local(2026, 6, 10))
    return World(m1, m2, c1, c2, c3, c4, c5)


def build(db: Session) -> World:
    """Every record of the module docstring's world (see
    tests/analysis/test_dashboard_kpis.py for the
    answers)."""
    w = customers(db)
    c1, c2, c3, c4, c5 = w.c1, w.c2, w.c3, w.c4, w.c5
    # activity
    order(db, c1, date(2026, 6, 2))
    contact(db, c2, local(2026, 6, 10, 10))
    visit(db, c3, date(2026, 6, 14))
    contact(db, c4, local(2026, 5, 31, 23, 30))     # May 31 in China: not June
    order(db, c5, date(2026, 6, 5))                  # deleted customer
    order(db, c1, date(2026, 5, 15))
    order(db, c4, date(2026, 5, 10))
    order(db, c3, date(2026, 5, 16))                 # after the previous window
    # surveys
    survey(db, c1, date(2026, 6, 1), 5)
    survey(db, c2, date(2026, 6, 15), 4)
    survey(db, c3, date(2026, 6, 5), 2)
    survey(db, c5, date(2026, 6, 6), 1)              # deleted customer
    survey(db, c1, date(2026, 5, 3), 3)
    survey(db, c3, date(2026, 5, 15), 4)
    survey(db, c4, date(2026, 5, 20), 5)             # after the previous window
    # renewals
    renewal(db, c1, date(2026, 6, 5), "已续约", "1000")
    renewal(db, c3, date(2026, 6, 10), "未续约")
    renewal(db, c4, date(2026, 6, 12), "已续约", "500")
    renewal(db, c2, date(2026, 6, 14), "跟进中")
    renewal(db, c1, date(2026, 6, 20), "已续约", "9999")   # due after today
    renewal(db, c5, date(2026, 6, 8), "已续约", "777")      # deleted customer
    renewal(db, c1, date(2026, 5, 2), "未续约")
    renewal(db, c3, date(2026, 5, 9), "已续约", "200")
    db.add(RenewalTarget(period_kind="month", period_start=date(2026, 6, 1),
                         target_rate=Decimal("70"), target_amount=Decimal("2000"), set_at=NOW))
    db.add(RenewalTarget(period_kind="quarter", period_start=date(2026, 4, 1),
                         target_rate=Decimal("60"), target_amount=None, set_at=NOW))
    # complaints
    complaint(db, c1, local(2026, 6, 10, 9))                                  # open, overdue
    complaint(db, c2, local(2026, 6, 14, 12), "处理中")                        # open
    complaint(db, c3, local(2026, 6, 1), "已解决", local(2026, 6, 2), 1440)
    complaint(db, c4, local(2026, 5, 20), "已关闭", local(2026, 6, 3), 600,
              closed=local(2026, 6, 4))
    complaint(db, c1, local(2026, 5, 1), "已解决", local(2026, 5, 10), 300)
    complaint(db, c2, local(2026, 5, 14, 8), "已解决", local(2026, 5, 20), 8000)
    complaint(db, c3, local(2026, 5, 12), "已关闭", closed=local(2026, 5, 25))
    complaint(db, c5, local(2026, 6, 1))                                      # deleted
    db.commit()
    return w
