"""The import history and undo: inserted records removed, updates reverted, unless something
changed since (then nothing changes and the rows are listed); only administrators and
managers may undo."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import now
from db.models import AuditEntry, Customer, ImportRun, Order, TierChange
from services import customers as cr
from services.customers.search_index import check_search_index
from services.excel import (
    KINDS,
    ExcelActionError,
    list_imports,
    run_import,
    undo_import,
)
from tests.support.excel import (
    HEADER,
    customer_row,
    snapshot,
    xlsx,
)


def run(db: Session, actor: Any, rows: list[list[Any]], **kw: Any):
    result = run_import(db, actor, xlsx(rows, kw.pop("sheet", "客户")), "u.xlsx", **kw)
    db.commit()
    return result


@pytest.fixture
def before_import(db: Session, people) -> dict[str, Any]:
    """An existing customer, a snapshot, then an import that adds two and updates it."""
    cid = cr.create_customer(db, people["clerk"], {
        "name": "老客户", "mobile": "13800000001", "city": "北京", "tags": "甲",
        "company": "旧公司"})
    db.commit()
    state = snapshot(db)
    number = db.get(Customer, cid).customer_no
    result = run(db, people["clerk"], [
        HEADER, customer_row(name="新一", mobile="13900000001", tags="乙", tier="钻石"),
        customer_row(name="新二", email="two@x.cn"),
        customer_row(customer_no=number, name="老客户", city="上海", tags="丙", tier="黄金",
                     company="新公司", mobile="13800000009")], on_duplicate="update")
    assert result.summary.counts()["inserted"] == 2 and result.summary.updated == 1
    return {"snapshot": state, "import_id": result.import_id, "customer_id": cid}


def test_undo_removes_inserted_and_reverts_updated_customers(
        db: Session, people, before_import) -> None:
    manager = people["manager"]
    result = undo_import(db, manager, before_import["import_id"])
    db.commit()
    assert result.done and (result.removed, result.reverted) == (2, 1)
    assert "恢复 1" in result.message("zh")
    after = snapshot(db)
    old = {c[0]: c for c in before_import["snapshot"]["customers"]}
    assert [c[0] for c in after["customers"]] == list(old)
    restored = db.get(Customer, before_import["customer_id"])
    assert (restored.city, restored.company, restored.mobile, restored.tier,
            restored.tier_source) == ("北京", "旧公司", "13800000001", "白银", "rule")
    assert [t.name for t in restored.tags] == ["甲"]
    assert restored.mobile_last4 == "0001" and restored.updated_by_id == manager.user_id
    with db.get_bind().connect() as conn:
        assert check_search_index(conn) == (0, 0)
    run_row = db.get(ImportRun, before_import["import_id"])
    assert run_row.undone_at is not None and run_row.undone_by_id == manager.user_id
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "import.undo")).one()
    assert db.scalars(select(TierChange).where(
        TierChange.customer_id == restored.id, TierChange.to_tier == "白银")).first()
    with pytest.raises(ExcelActionError) as info:
        undo_import(db, manager, before_import["import_id"])
    assert info.value.key == "excel.error.already_undone"
    # the same file imports again after the undo
    records, _ = list_imports(db, manager)
    assert records[0].undone_at is not None and not records[0].can_undo


def test_undo_changes_nothing_when_an_inserted_customer_was_edited(
        db: Session, people, before_import) -> None:
    inserted = db.scalars(select(Customer).where(Customer.name == "新一")).one()
    cr.update_customer(db, people["clerk"], inserted.id, {"city": "深圳"}, inserted.version)
    db.commit()
    state = snapshot(db)
    result = undo_import(db, people["admin"], before_import["import_id"])
    db.commit()
    assert not result.done
    assert [(b.record_id, b.why) for b in result.blocked] == [(inserted.id, "changed")]
    assert "新一" in result.blocked[0].message("zh")
    assert snapshot(db) == state


def test_undo_changes_nothing_when_an_updated_customer_was_edited(
        db: Session, people, before_import) -> None:
    cid = before_import["customer_id"]
    cr.update_customer(db, people["clerk"], cid, {"title": "总监"},
                       db.get(Customer, cid).version)
    db.commit()
    state = snapshot(db)
    result = undo_import(db, people["admin"], before_import["import_id"])
    assert not result.done and [b.why for b in result.blocked] == ["changed"]
    assert snapshot(db) == state


def test_undo_refuses_when_an_inserted_customer_has_records_since(
        db: Session, people, before_import) -> None:
    inserted = db.scalars(select(Customer).where(Customer.name == "新二")).one()
    db.add(Order(customer_id=inserted.id, order_no="O-1", order_date=date(2026, 1, 1),
                 product="咨询", quantity=1, amount=1, created_at=now()))
    db.commit()
    result = undo_import(db, people["admin"], before_import["import_id"])
    assert not result.done and [b.why for b in result.blocked] == ["records"]


def test_only_admins_and_managers_undo_and_clerks_see_their_own_imports(
        db: Session, people, before_import) -> None:
    with pytest.raises(ExcelActionError) as info:
        undo_import(db, people["clerk"], before_import["import_id"])
    assert info.value.key == "excel.error.undo_forbidden"
    run(db, people["manager"], [HEADER, customer_row(name="经理导入", mobile="13700000001")])
    mine, total = list_imports(db, people["clerk"])
    assert total == 1 and mine[0].username == people["clerk"].username
    assert not mine[0].can_undo
    everything, total = list_imports(db, people["admin"])
    assert total == 2 and everything[1].can_undo
    assert everything[0].kind_label("en") == "Customers"


def test_undo_of_an_orders_import_puts_dates_and_tiers_back(db: Session, people) -> None:
    cid = cr.create_customer(db, people["clerk"], {"name": "甲", "mobile": "13800000001"})
    db.commit()
    number = db.get(Customer, cid).customer_no
    today = date.today()
    rows = [["客户编号", "订单编号", "下单日期", "产品", "数量", "金额"]] + [
        [number, f"O-{i}", today, "咨询", 1, 5000] for i in range(3)]
    result = run(db, people["clerk"], rows, kind="orders", sheet=KINDS["orders"].sheet)
    db.expire_all()
    assert db.get(Customer, cid).tier == "黄金"
    undone = undo_import(db, people["admin"], result.import_id)
    db.commit()
    db.expire_all()
    c = db.get(Customer, cid)
    assert undone.done and undone.removed == 3
    assert (c.tier, c.first_order_at, c.last_order_at) == ("白银", None, None)
    assert db.scalar(select(Order.id)) is None
