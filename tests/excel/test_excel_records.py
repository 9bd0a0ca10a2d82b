"""Record imports for existing customers: orders (dates and tiers follow), complaints,
surveys, follow-ups and renewals, each through the same reader, checks and summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ, now
from db.models import Complaint, Contract, Customer, FollowUp, Order, Renewal, Survey
from services import customers as cr
from services.access.roles import cli_actor
from services.excel import KINDS, ExcelRefused, preview_import, run_import, template_xlsx
from tests.support.excel import count, read_xlsx, xlsx

ADMIN = cli_actor(True)


TODAY = date.today()


def run(db: Session, kind: str, rows: list[list[Any]], **kw: Any):
    result = run_import(db, ADMIN, xlsx(rows, KINDS[kind].sheet), f"{kind}.xlsx", kind=kind,
                        **kw)
    db.commit()
    return result


@pytest.fixture
def two(db: Session, people) -> tuple[Customer, Customer]:
    clerk = people["clerk"]
    a = cr.create_customer(db, clerk, {"name": "甲", "mobile": "13800000001"})
    b = cr.create_customer(db, clerk, {"name": "乙", "mobile": "13800000002"})
    db.commit()
    return db.get(Customer, a), db.get(Customer, b)


def test_every_kind_has_a_template_with_its_headers(db: Session) -> None:
    for name, kind in KINDS.items():
        sheets = read_xlsx(template_xlsx(name))
        assert list(sheets)[0] == kind.sheet
        assert sheets[kind.sheet][0] == list(kind.headers)
        assert len(sheets[kind.sheet]) == 2  # the example row


def test_orders_update_order_dates_and_tiers(db: Session, two) -> None:
    a, b = two
    recent = [TODAY - timedelta(days=d) for d in (100, 50, 10)]
    rows = [["客户编号", "手机号", "订单编号", "下单日期", "产品", "数量", "金额", "支付方式"],
            [a.customer_no, None, "SO-1", recent[0], "咨询", 1, 4000, "支付宝"],
            [None, "13800000001", "SO-2", recent[1].isoformat(), "咨询", "2", "¥4,000.00", None],
            [a.customer_no, "138 0000 0001", "SO-3", recent[2], "培训", 1, 2000.5, "wechat pay"],
            [b.customer_no, None, "SO-4", "2020年1月2日", "咨询", 1, 10, None]]
    result = run(db, "orders", rows)
    assert result.summary.counts() == {"inserted": 4, "updated": 0, "duplicates": 0,
                                       "rejected": 0, "blank": 0}
    db.expire_all()
    a, b = db.get(Customer, a.id), db.get(Customer, b.id)
    assert (a.first_order_at, a.last_order_at) == (recent[0], recent[2])
    assert (b.first_order_at, b.last_order_at) == (date(2020, 1, 2), date(2020, 1, 2))
    assert a.tier == "黄金"  # 3 orders, 10,000.50 in 12 months: the configured 黄金 rule
    assert b.tier == "白银"
    order = db.scalars(select(Order).where(Order.order_no == "SO-3")).one()
    assert order.amount == Decimal("2000.50") and order.payment_method == "微信支付"
    again = run(db, "orders", rows)
    assert (again.summary.inserted, again.summary.duplicates) == (0, 4)


def test_order_rows_are_checked_cell_by_cell(db: Session, two) -> None:
    a, _ = two
    rows = [["客户编号", "手机号", "订单编号", "下单日期", "产品", "数量", "金额"],
            ["NOPE-1", None, "X1", "2026-01-01", "咨询", 1, 1],
            [a.customer_no, "13800000002", "X2", "2026-01-01", "咨询", 1, 1],
            [None, None, "X3", "2026-13-01", "咨询", 0, -1],
            [a.customer_no, None, "X4", "2026-01-01", None, 1.5, "1.234"],
            [a.customer_no, None, "X5", "2026-01-01", "咨询", 1, 1],
            [a.customer_no, None, "X5", "2026-01-01", "咨询", 1, 1]]
    result = run(db, "orders", rows)
    by_row: dict[int, list[str]] = {}
    for e in result.summary.errors:
        by_row.setdefault(e.row, []).append(e.message("zh"))
    assert "找不到客户" in by_row[2][0]
    assert "不是同一位客户" in by_row[3][0]
    assert len(by_row[4]) == 4  # date, quantity, amount, no customer
    assert any("下单日期" in m for m in by_row[4])
    assert any("产品" in m and "必填" in m for m in by_row[5])
    assert (result.summary.inserted, result.summary.duplicates, result.summary.rejected) == \
        (1, 1, 4)


def test_missing_columns_refuse_the_file(db: Session) -> None:
    with pytest.raises(ExcelRefused) as info:
        preview_import(db, ADMIN, xlsx([["订单编号", "金额"], ["A", 1]]), "o.xlsx",
                       kind="orders")
    assert info.value.key == "excel.refused.no_customer_ref"
    with pytest.raises(ExcelRefused) as info:
        preview_import(db, ADMIN, xlsx([["客户编号", "订单编号"], ["C1", "A"]]), "o.xlsx",
                       kind="orders")
    assert info.value.key == "excel.refused.missing_columns"
    assert "下单日期" in info.value.message("zh")


def test_complaints_surveys_and_follow_ups(db: Session, two, people) -> None:
    a, b = two
    complaints = run(db, "complaints", [
        ["客户编号", "投诉时间", "渠道", "类型", "投诉内容", "处理人", "状态"],
        [a.customer_no, "2026-01-31 14:30", "电话", "服务态度", "回复太慢", "u_manager", None],
        [b.customer_no, datetime(2026, 2, 1, 9, 0), "online chat", "其他", "=不是公式",
         None, "已解决"]])
    assert complaints.summary.inserted == 2
    c = db.scalars(select(Complaint).where(Complaint.customer_id == a.id)).one()
    assert c.received_at == datetime(2026, 1, 31, 14, 30, tzinfo=LOCAL_TZ)
    assert (c.status, c.handler_id, c.version) == ("待处理", people["manager"].user_id, 1)
    assert db.scalars(select(Complaint).where(Complaint.customer_id == b.id)).one() \
        .channel == "在线客服"
    surveys = run(db, "surveys", [["手机号", "调查日期", "满意度", "意见"],
                                  ["13800000001", "2026-02-01", "满意", "好"],
                                  ["13800000002", "2026-02-01", 6, None]])
    assert (surveys.summary.inserted, surveys.summary.rejected) == (1, 1)
    assert db.scalars(select(Survey)).one().score == 4
    follow_ups = run(db, "follow_ups", [["客户编号", "计划日期", "回访方式", "回访目的", "负责人"],
                                        [a.customer_no, "2026-03-01", "上门", "回访", "u_clerk"]])
    assert follow_ups.summary.inserted == 1
    f = db.scalars(select(FollowUp)).one()
    assert (f.planned_date, f.method, f.assignee_id) == (date(2026, 3, 1), "上门",
                                                         people["clerk"].user_id)
    for kind, rows in (("complaints", 2), ("follow_ups", 1)):
        assert count(db, {"complaints": Complaint, "follow_ups": FollowUp}[kind]) == rows


def test_renewals_need_a_contract_of_that_customer(db: Session, two) -> None:
    a, b = two
    db.add_all([
        Contract(customer_id=a.id, contract_no="HT-A", start_date=date(2025, 1, 1),
                 end_date=date(2025, 12, 31), amount=Decimal("100"), created_at=now()),
        Contract(customer_id=b.id, contract_no="HT-B", start_date=date(2025, 1, 1),
                 end_date=date(2025, 12, 31), amount=Decimal("100"), created_at=now())])
    db.commit()
    rows = [["客户编号", "合同编号", "到期日期", "续约结果", "续约金额"],
            [a.customer_no, "HT-A", None, "已续约", 120],
            [a.customer_no, "HT-B", None, "跟进中", None]]
    result = run(db, "renewals", rows)
    assert (result.summary.inserted, result.summary.rejected) == (1, 1)
    assert "HT-B" in result.summary.errors[0].message("zh")
    renewal = db.scalars(select(Renewal)).one()
    assert (renewal.due_date, renewal.outcome, renewal.amount) == (
        date(2025, 12, 31), "已续约", Decimal("120.00"))
    assert run(db, "renewals", rows[:2]).summary.duplicates == 1
    # One renewal record per contract: another date for the same contract is a duplicate too.
    again = [rows[0], [a.customer_no, "HT-A", date(2026, 1, 31), "未续约", None]]
    assert run(db, "renewals", again).summary.duplicates == 1
    assert db.scalar(select(func.count()).select_from(Renewal)) == 1


def test_records_are_never_updated_and_say_so(db: Session, two) -> None:
    a, _ = two
    rows = [["客户编号", "订单编号", "下单日期", "产品", "数量", "金额"],
            [a.customer_no, "U-1", "2026-01-01", "咨询", 1, 1]]
    run(db, "orders", rows)
    rows[1][5] = 999
    result = run(db, "orders", rows, on_duplicate="update")
    assert result.summary.duplicates == 1
    assert "不会修改" in result.summary.warnings[0].message("zh")
    assert db.scalars(select(Order)).one().amount == Decimal("1.00")
