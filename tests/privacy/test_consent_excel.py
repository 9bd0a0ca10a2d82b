"""Consent in Excel (data-protection.md "Consent"): the template's and export's 服务授权 /
营销授权 columns, the import (是 / 否 / blank; blank leaves the state; ledger channel 导入),
its undo, and the marketing export (only current 营销 consent, the rest counted)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, ConsentEntry, Customer, ImportRun
from services.access.roles import cli_actor
from services.customers.lookup import CustomerQuery
from services.excel import (
    export_customers_xlsx,
    marketing_split,
    run_import,
    template_xlsx,
    undo_import,
)
from services.privacy import consent
from tests.support.excel import HEADER, customer_row, read_xlsx, xlsx

ADMIN = cli_actor(True)


def row(name: str, mobile: str, service: Any = None, marketing: Any = None,
        **values: Any) -> list[Any]:
    return [*customer_row(name=name, mobile=mobile, **values), service, marketing]


def run(db: Session, rows: list[list[Any]], **kw: Any):
    result = run_import(db, kw.pop("actor", ADMIN), xlsx([HEADER, *rows]),
                        kw.pop("name", "授权.xlsx"), **kw)
    db.commit()
    return result


def states(db: Session) -> dict[str, tuple[bool | None, bool | None]]:
    db.expire_all()
    return {c.name: (c.consent_service, c.consent_marketing)
            for c in db.scalars(select(Customer).where(Customer.deleted_at.is_(None)))}


def ledger(db: Session, name: str) -> list[tuple[str, bool, str]]:
    return [(e.purpose, e.granted, e.channel) for e in db.scalars(
        select(ConsentEntry).join(Customer, Customer.id == ConsentEntry.customer_id)
        .where(Customer.name == name).order_by(ConsentEntry.id))]


def test_template_has_the_consent_columns_with_lists_and_instructions(db: Session) -> None:
    data = template_xlsx()
    sheets = read_xlsx(data)
    assert sheets["客户"][0][-2:] == ["服务授权", "营销授权"]
    ws = openpyxl.load_workbook(io.BytesIO(data))["客户"]
    listed = {next(iter(dv.sqref.ranges)).min_col for dv in ws.data_validations.dataValidation
              if dv.type == "list"}
    assert {len(HEADER) - 1, len(HEADER)} <= listed
    guide = "\n".join(str(c) for r in sheets["填写说明"] for c in r if c)
    assert "营销授权" in guide and "留空则不改变" in guide


def test_import_new_customers_records_their_consent(db: Session) -> None:
    result = run(db, [row("甲", "13900000001", "是", "否"), row("乙", "13900000002", "是", "是"),
                      row("丙", "13900000003", None, None),
                      row("丁", "13900000004", "yes", "NO")])
    assert result.summary.counts()["inserted"] == 4
    assert states(db) == {"甲": (True, False), "乙": (True, True), "丙": (None, None),
                          "丁": (True, False)}
    assert ledger(db, "甲") == [("服务", True, "导入"), ("营销", False, "导入")]
    assert ledger(db, "丙") == []
    run_id = db.scalar(select(ImportRun.id))
    entry = db.scalars(select(ConsentEntry)).first()
    assert entry.import_id == run_id and entry.note == "Excel 导入：授权.xlsx"
    assert entry.username == "cli"


def test_invalid_cell_rejects_the_row_naming_the_column(db: Session) -> None:
    result = run(db, [row("甲", "13900000001", "也许", None)])
    assert result.summary.counts()["rejected"] == 1
    messages = [e.message("zh") for e in result.summary.errors]
    assert any("服务授权" in m and "也许" in m for m in messages), messages
    assert any("(yes)" in e.message("en") for e in result.summary.errors)


def test_update_blank_keeps_state_and_reimport_changes_nothing(db: Session, people) -> None:
    run(db, [row("甲", "13900000001", "是", "是")])
    # blank cells: the state stays; same values: nothing to update, no entry
    again = run(db, [row("甲", "13900000001", None, None)], on_duplicate="update")
    same = run(db, [row("甲", "13900000001", "是", "是")], on_duplicate="update")
    assert again.summary.counts()["updated"] == 0 and same.summary.counts()["updated"] == 0
    assert states(db)["甲"] == (True, True)
    assert len(ledger(db, "甲")) == 2
    # 否 for marketing: a withdrawal entry, audited on the customer
    result = run(db, [row("甲", "13900000001", None, "否")], on_duplicate="update")
    assert result.summary.counts()["updated"] == 1
    assert states(db)["甲"] == (True, False)
    assert ledger(db, "甲")[-1] == ("营销", False, "导入")
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "customer.import_update")
                       ).all()[-1]
    assert audit.changes["consent_marketing"] == [True, False]


def test_undo_removes_the_entries_and_restores_the_state(db: Session, people) -> None:
    manager = people["manager"]
    run(db, [row("甲", "13900000001", "是", "是")])
    result = run(db, [row("甲", "13900000001", None, "否"), row("乙", "13900000002", "是", "是")],
                 on_duplicate="update")
    assert states(db) == {"甲": (True, False), "乙": (True, True)}
    undone = undo_import(db, manager, result.import_id)
    db.commit()
    assert undone.done
    assert states(db) == {"甲": (True, True)}
    assert ledger(db, "甲") == [("服务", True, "导入"), ("营销", True, "导入")]
    assert db.scalar(select(ConsentEntry.id).where(
        ConsentEntry.import_id == result.import_id)) is None


def test_export_holds_the_states_and_reimports_as_no_change(db: Session) -> None:
    run(db, [row("甲", "13900000001", "是", "否"), row("乙", "13900000002", None, None)])
    data = export_customers_xlsx(db, ADMIN)
    sheet = read_xlsx(data)["客户"]
    assert sheet[0] == HEADER
    cells = {r[1]: r[-2:] for r in sheet[1:]}
    assert cells == {"甲": ["是", "否"], "乙": [None, None]}
    before = len(db.scalars(select(ConsentEntry)).all())
    again = run_import(db, ADMIN, data, "export.xlsx", on_duplicate="update")
    db.commit()
    assert again.summary.counts()["updated"] == 0
    assert len(db.scalars(select(ConsentEntry)).all()) == before


def test_marketing_export_holds_only_current_marketing_consent(db: Session, people) -> None:
    run(db, [row("甲", "13900000001", "是", "是"), row("乙", "13900000002", "是", "否"),
             row("丙", "13900000003", None, None), row("丁", "13900000004", "是", "是")])
    ding = db.scalar(select(Customer.id).where(Customer.name == "丁"))
    consent.withdraw(db, people["manager"], ding, "营销", channel="电话")
    db.commit()
    assert marketing_split(db, people["manager"]) == (1, 3)
    data = export_customers_xlsx(db, people["manager"], marketing=True)
    names = [r[1] for r in read_xlsx(data)["客户"][1:]]
    assert names == ["甲"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.customers")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry.detail["marketing"] is True and entry.detail["left_out"] == 3
    assert entry.detail["rows"] == 1
    # with list filters: counted within the filtered set
    query = CustomerQuery(text="丁")
    assert marketing_split(db, people["manager"], query) == (0, 1)
    # a masked exporter (clerk) gets the same selection
    clerk_names = [r[1] for r in read_xlsx(export_customers_xlsx(
        db, people["clerk"], marketing=True))["客户"][1:]]
    assert clerk_names == ["甲"]


def test_command_line_marketing_export(database_url: str, db: Session, tmp_path) -> None:
    from tests.excel.test_excel_cli import manage

    run(db, [row("甲", "13900000001", "是", "是"), row("乙", "13900000002", "是", "否")])
    out = tmp_path / "营销.xlsx"
    proc = manage(database_url, "export-customers", str(out), "--marketing")
    assert proc.returncode == 0, proc.stderr
    assert [r[1] for r in read_xlsx(out.read_bytes())["客户"][1:]] == ["甲"]
    assert "1 位因无有效营销授权未导出" in proc.stdout
    assert "--marketing" in manage(database_url, "export-customers", "--help").stdout


def test_preview_shows_the_cells_as_written(db: Session) -> None:
    from services.excel import preview_import

    preview = preview_import(db, ADMIN, xlsx([HEADER, row("甲", "13900000001", "是", None)]),
                             "授权.xlsx")
    sample = preview.sample[0].values
    assert sample["服务授权"] == "是" and sample["营销授权"] is None
