"""Customer export: sheet and headers per spec, styling, text that looks like a formula stays
text, masking by role, audit, filters, and the round trip (importing an export changes
nothing). Plus the generic table writer."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Customer
from services import customers as cr
from services.access.roles import PermissionDenied, cli_actor
from services.customers.lookup import CustomerQuery
from services.excel import export_customers_xlsx, run_import, table_xlsx
from tests.support.excel import (
    HEADER,
    credit_code,
    rid,
    snapshot,
)
from tests.support.factories import actor_for, make_user

ADMIN = cli_actor(True)


TRICKY = ["=1+1", "+8613800000000", "-5", "@SUM(A1)", "\tTab", "\rCR", "=HYPERLINK(\"x\")"]


@pytest.fixture
def crowd(db: Session, people) -> dict[str, int]:
    """Customers with every kind of value the export must carry and give back unchanged."""
    clerk, admin = people["clerk"], people["admin"]
    gone = make_user(db, "gone", "clerk", display_name="离职员工")
    make_user(db, "twin_a", "clerk", display_name="同名")
    twin_b = make_user(db, "twin_b", "clerk", display_name="同名")
    ids = {
        "person": cr.create_customer(db, clerk, {
            "name": "张三", "mobile": "13812345678", "email": "zhang.san@example.cn",
            "id_number": rid(11), "phone": "010-62123456", "gender": "男", "province": "广东",
            "city": "广州", "address": "天河路 1 号", "industry": "科技", "tags": "VIP，老客户",
            "source": "电话", "notes": "  第一行\n第二行  ", "title": "经理"}),
        "company": cr.create_customer(db, clerk, {
            "name": "星辰科技有限公司", "customer_type": "企业", "id_number": credit_code(5),
            "phone": "13900000002", "email": "info@xc.cn", "tier": "铂金",
            "tier_reason": "大客户", "account_manager": "gone"}),
        "abroad": cr.create_customer(db, clerk, {
            "name": "Li Lei", "mobile": "+852 9123 4567", "province": "国外",
            "account_manager": "twin_b"}),
    }
    for n, text in enumerate(TRICKY):
        ids[f"tricky{n}"] = cr.create_customer(db, clerk, {
            "name": text if text.strip() else f"t{n}", "mobile": f"1370000000{n}",
            "notes": text, "company": text, "title": text[:50]})
    gone.active = False
    db.commit()
    ids["gone"] = gone.id
    ids["twin_b"] = twin_b.id
    _ = admin
    return ids


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def all_text(data: bytes) -> str:
    wb = load(data)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)


def test_export_sheet_headers_and_styling(db: Session, crowd) -> None:
    data = export_customers_xlsx(db, ADMIN)
    wb = load(data)
    assert wb.sheetnames == ["客户"]
    ws = wb["客户"]
    assert [c.value for c in ws[1]] == HEADER
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:U{ws.max_row}"
    assert ws.column_dimensions["B"].width >= 10
    assert ws.max_row == 1 + len([k for k in crowd if k not in ("gone", "twin_b")])


def test_values_that_look_like_formulas_stay_exact_text(db: Session, crowd) -> None:
    """Read back as Excel does (python-calamine decodes the standard ``_x000D_`` escape of a
    CR; openpyxl does not decode such escapes at all, so it is not the judge here)."""
    import python_calamine

    data = export_customers_xlsx(db, ADMIN)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    assert b"_x000D_CR" in sheet  # ECMA-376 escape of the leading CR
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) \
        .get_sheet_by_name("客户").to_python()
    notes = {row[18] for row in rows[1:]}
    companies = {row[8] for row in rows[1:]}
    for text in TRICKY:
        assert text in notes
        assert text.strip() in companies  # 公司名称 is trimmed by validation, 备注 is not
    ws = load(data)["客户"]
    for row in ws.iter_rows(min_row=2):
        if row[18].value is not None:
            assert row[18].data_type == "s"
    assert "  第一行\n第二行  " in notes


def test_full_export_for_admins_and_managers(db: Session, crowd, people) -> None:
    for actor in (ADMIN, people["admin"], people["manager"]):
        text = all_text(export_customers_xlsx(db, actor))
        assert "13812345678" in text and rid(11) in text and "zhang.san@example.cn" in text


def test_clerk_and_trainer_exports_are_masked(db: Session, crowd, people) -> None:
    trainer = actor_for(people["users"]["trainer"], demo_mode=True)
    for actor in (people["clerk"], people["trainer"], trainer):
        data = export_customers_xlsx(db, actor)
        text = all_text(data)
        assert "13812345678" not in text and "138****5678" in text
        assert rid(11) not in text and rid(11)[:4] + "*" * 10 + rid(11)[-4:] in text
        assert credit_code(5) not in text
        assert "zhang.san@example.cn" not in text and "z***@example.cn" in text
        assert "13900000002" not in text and "139****0002" in text  # a mobile in 固定电话
        assert "91234567" not in text.replace("+852****4567", "")
        assert "62123456" not in text and "010****3456" in text  # a 个人 customer's landline


def test_every_export_is_audited_with_rows_and_filters(db: Session, crowd, people) -> None:
    export_customers_xlsx(db, people["clerk"], CustomerQuery(tier="铂金", text="星辰"))
    db.commit()
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.customers")).one()
    assert entry.user_id == people["clerk"].user_id
    assert entry.detail == {"rows": 1, "masked": True,
                            "filters": {"text": "星辰", "tier": "铂金"}}


def test_export_takes_the_lookup_query_and_streams_in_id_order(
        db: Session, crowd, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.excel import export

    monkeypatch.setattr(export, "CHUNK", 2)
    ws = load(export.export_customers_xlsx(db, ADMIN))["客户"]
    numbers = [r[0].value for r in ws.iter_rows(min_row=2)]
    expected = db.scalars(select(Customer.customer_no).order_by(Customer.id)).all()
    assert numbers == expected
    only = load(export.export_customers_xlsx(db, ADMIN, CustomerQuery(text="张三")))["客户"]
    assert [r[1].value for r in only.iter_rows(min_row=2)] == ["张三"]


def test_deleted_customers_export_only_for_those_who_may_restore(db: Session, crowd,
                                                                 people) -> None:
    with pytest.raises(PermissionDenied):
        export_customers_xlsx(db, people["clerk"], CustomerQuery(deleted="only"))
    cr.delete_customer(db, people["admin"], crowd["person"])
    ws = load(export_customers_xlsx(db, people["admin"], CustomerQuery(deleted="only")))["客户"]
    assert [r[1].value for r in ws.iter_rows(min_row=2)] == ["张三"]


@pytest.mark.parametrize("mode", ["skip", "update"])
def test_importing_a_full_export_changes_nothing(db: Session, crowd, mode: str) -> None:
    data = export_customers_xlsx(db, ADMIN)
    db.commit()
    before = snapshot(db)
    result = run_import(db, ADMIN, data, "export.xlsx", on_duplicate=mode)
    db.commit()
    s = result.summary
    assert (s.inserted, s.updated, s.rejected, s.errors, s.warnings) == (0, 0, 0, [], [])
    assert s.duplicates == len(before["customers"])
    after = snapshot(db)
    assert (after["customers"], after["sequences"]) == (before["customers"],
                                                        before["sequences"])


def test_importing_a_masked_export_changes_nothing_either(db: Session, crowd, people) -> None:
    data = export_customers_xlsx(db, people["clerk"])
    db.commit()
    before = snapshot(db)
    for mode in ("skip", "update"):
        result = run_import(db, people["clerk"], data, "masked.xlsx", on_duplicate=mode)
        db.commit()
        assert (result.summary.rejected, result.summary.updated) == (0, 0), \
            [e.message() for e in result.summary.errors]
    assert snapshot(db)["customers"] == before["customers"]


def test_the_account_manager_column_reads_back_as_the_same_user(db: Session, crowd) -> None:
    ws = load(export_customers_xlsx(db, ADMIN))["客户"]
    managers = {r[1].value: r[16].value for r in ws.iter_rows(min_row=2)}
    assert managers["Li Lei"] == "twin_b"  # 同名 would read back as twin_a
    assert managers["星辰科技有限公司"] in ("gone", "离职员工")


# ---- the generic writer -------------------------------------------------------------------------

def test_any_table_is_written_with_real_types_and_safe_text() -> None:
    rows = [[date(2026, 1, 31), datetime(2026, 1, 31, 2, 30, tzinfo=UTC), Decimal("1234.50"),
             7, True, None, "=cmd|' /C calc'!A0", "普通文本"]]
    data = table_xlsx(["日期", "时间", "金额", "数量", "是否", "空", "公式样", "文本"], rows,
                      sheet="交易/记录")
    wb = load(data)
    ws = wb.worksheets[0]
    assert ws.title == "交易_记录" and ws.freeze_panes == "A2" and ws.auto_filter.ref
    values = [c.value for c in ws[2]]
    assert values[0] == datetime(2026, 1, 31)
    assert values[1] == datetime(2026, 1, 31, 10, 30)  # China time
    assert values[2] == 1234.5 and ws["C2"].number_format == "#,##0.00"
    assert values[3:6] == [7, True, None]
    assert values[6] == "=cmd|' /C calc'!A0" and ws["G2"].data_type == "s"
    assert ws.column_dimensions["H"].width >= 8
