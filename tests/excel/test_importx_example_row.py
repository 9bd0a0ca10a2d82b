"""Bug 8 of issue 14: the template's example row (张三, 备注 "示例行：导入前请删除本行") must never
be imported as a real customer (or a real record): it is refused as a row error that says so,
in the preview, the import and the rejected-rows workbook, while the rows typed below it import."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Customer, Order
from services import customers as cr
from services.access.roles import cli_actor
from services.excel import preview_import, run_import, template_xlsx
from services.excel.kinds import EXAMPLE_MARKER, KINDS
from tests.support.excel import read_xlsx
from tests.support.factories import actor_for, make_user

ADMIN = cli_actor(True)


def filled_template(kind: str, rows: list[dict[str, Any]]) -> bytes:
    """The downloaded template with ``rows`` typed below its example row (by header)."""
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    ws = wb[KINDS[kind].sheet]
    headers = [c.value for c in ws[1]]
    for values in rows:
        ws.append([values.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def customers(db: Session) -> list[str]:
    db.expire_all()
    return sorted(db.scalars(select(Customer.name)))


def test_the_template_still_shows_its_example_row_with_the_marker() -> None:
    sheet = read_xlsx(template_xlsx())["客户"]
    assert len(sheet) == 2 and "张三" in sheet[1]
    assert any(isinstance(v, str) and EXAMPLE_MARKER in v for v in sheet[1])
    for name, kind in KINDS.items():
        example = read_xlsx(template_xlsx(name))[kind.sheet][1]
        assert any(isinstance(v, str) and EXAMPLE_MARKER in v for v in example), name


def test_an_untouched_template_imports_nobody(db: Session) -> None:
    result = run_import(db, ADMIN, template_xlsx(), "模板.xlsx")
    db.commit()
    assert customers(db) == []
    summary = result.summary
    assert (summary.inserted, summary.rejected) == (0, 1)
    (error,) = summary.errors
    assert error.row == 2 and error.column == "备注"
    assert "示例行" in error.message("zh") and "example row" in error.message("en")
    rejected = read_xlsx(result.rejected_xlsx())["客户"]
    assert rejected[1][0:2] == [None, "张三"] and "示例行" in rejected[1][-1]


def test_rows_typed_below_the_example_import_and_the_example_does_not(db: Session) -> None:
    data = filled_template("customers", [
        {"客户名称": "王五", "手机号": "13900000011"},
        {"客户名称": "赵六", "手机号": "13900000012", "备注": "老客户介绍"},
    ])
    preview = preview_import(db, ADMIN, data, "填好的模板.xlsx")
    assert [(o.row, o.status.value) for o in preview.outcomes] == [
        (2, "rejected"), (3, "new"), (4, "new")]
    assert "示例行" in preview.rejected()[0].messages("zh")[0]
    result = run_import(db, ADMIN, data, "填好的模板.xlsx")
    db.commit()
    assert (result.summary.inserted, result.summary.rejected) == (2, 1)
    assert customers(db) == ["王五", "赵六"]


def test_an_example_row_matching_an_existing_customer_is_not_an_update(db: Session) -> None:
    cr.create_customer(db, ADMIN, {"name": "张三", "mobile": "13812345678"})
    db.commit()
    result = run_import(db, ADMIN, template_xlsx(), "模板.xlsx", on_duplicate="update")
    db.commit()
    assert (result.summary.updated, result.summary.duplicates, result.summary.rejected) == (
        0, 0, 1)
    stored = db.scalars(select(Customer)).one()
    assert (stored.email, stored.notes) == (None, None)


@pytest.mark.parametrize("marked", [EXAMPLE_MARKER, f"  {EXAMPLE_MARKER} ",
                                    "示例行:导入前请删除本行"])
def test_an_edited_row_that_keeps_the_marker_is_refused_not_imported(
        db: Session, marked: str) -> None:
    data = filled_template("customers", [{"客户名称": "孙七", "手机号": "13900000013",
                                          "备注": marked}])
    result = run_import(db, ADMIN, data, "t.xlsx")
    db.commit()
    assert [e.row for e in result.summary.errors] == [2, 3]
    assert customers(db) == []


def test_the_orders_template_example_is_not_recorded_for_a_real_customer(db: Session) -> None:
    clerk = actor_for(make_user(db, "clerk_x", "clerk"))
    cid = cr.create_customer(db, clerk, {"customer_no": "C2026000001", "name": "张三",
                                         "mobile": "13800000001"})
    db.commit()
    data = filled_template("orders", [{"客户编号": "C2026000001", "订单编号": "SO-REAL-1",
                                       "下单日期": date(2026, 1, 5), "产品": "咨询",
                                       "数量": 1, "金额": 100}])
    result = run_import(db, ADMIN, data, "orders.xlsx", kind="orders")
    db.commit()
    assert (result.summary.inserted, result.summary.rejected) == (1, 1)
    assert result.summary.errors[0].row == 2 and "示例行" in result.summary.errors[0].message()
    assert db.scalars(select(Order.order_no).where(Order.customer_id == cid)).all() == [
        "SO-REAL-1"]
    assert db.scalar(select(func.count()).select_from(Order)) == 1
