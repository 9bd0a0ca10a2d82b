"""Bug 9 of issue 14: a formula cell imports its cached value; one without a cached value (a
file written by a program, e.g. openpyxl) imports the formula's text as plain text, with ONE
warning naming the cells, on every reading path: in-process (python-calamine), the parsing child
process, and the openpyxl fallback. Nothing in a cell is dropped silently."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.fields import HEADERS
from db.models import Customer, ImportRun, Order
from services import customers as cr
from services.access.roles import cli_actor
from services.excel import preview_import, reader, run_import
from services.excel.formulas import uncached_formulas
from services.excel.safety import column_letters
from tests.support.excel import customer_row

ADMIN = cli_actor(True)
HEADER = list(HEADERS)  # the record's fields only: 备注 last (the consent columns left out)
NOTES = HEADER.index("备注")
R = column_letters(NOTES + 1)
B = column_letters(HEADER.index("手机号") + 1)
A = column_letters(HEADER.index("客户名称") + 1)
assert HEADER[-1] == "备注"  # the last column: a parser's range may stop before it


def openpyxl_book(rows: list[list[Any]], sheet: str = "客户") -> bytes:
    """Written by openpyxl: a string starting with ``=`` is a formula, saved WITHOUT a value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsxwriter_book(rows: list[list[Any]]) -> bytes:
    """Written by XlsxWriter with each formula's result saved, as Excel saves it: a cell given
    as ``(formula, result)``."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("客户")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, tuple):
                ws.write_formula(r, c, value[0], None, value[1])
            elif value is not None:
                ws.write_string(r, c, str(value)) if isinstance(value, str) else \
                    ws.write(r, c, value)
    wb.close()
    return out.getvalue()


def edit_sheet(data: bytes, change: Callable[[str], str]) -> bytes:
    """The workbook with its first worksheet's XML changed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            dst.writestr(info, body)
    return out.getvalue()


def row(name: str, mobile: str, notes: Any = None) -> list[Any]:
    return customer_row(name=name, mobile=mobile, notes=notes)


def notes_of(db: Session) -> dict[str, str | None]:
    db.expire_all()
    return {name: notes for name, notes in db.execute(select(Customer.name, Customer.notes))}


def formula_warnings(summary: Any) -> list[Any]:
    return [w for w in summary.warnings if w.key == "importx.warning.formula_text"]


PROGRAM_WRITTEN = [
    HEADER,
    row("张三", "13900000001", f'={B}2&"（手机）"'),
    row("李四", "13900000002", "普通备注"),
    row("王五", "13900000003", '=CONCATENATE("老","客户")'),
]


@pytest.fixture(params=["in_process", "child", "openpyxl"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way the reader may parse a sheet."""
    if request.param == "child":
        real = reader.check_upload
        monkeypatch.setattr(reader, "check_upload", lambda data, **kw: dataclasses.replace(
            real(data, **kw), small=False))
    elif request.param == "openpyxl":
        monkeypatch.setattr(reader, "_open_sheet", reader._open_with_openpyxl)
    return str(request.param)


def test_formulas_without_a_cached_value_import_their_text_with_one_warning(
        db: Session, path: str) -> None:
    result = run_import(db, ADMIN, openpyxl_book(PROGRAM_WRITTEN), "program.xlsx")
    db.commit()
    assert result.summary.inserted == 3 and not result.summary.errors
    assert notes_of(db) == {"张三": f'={B}2&"（手机）"', "李四": "普通备注",
                            "王五": '=CONCATENATE("老","客户")'}
    (warning,) = formula_warnings(result.summary)
    assert len(result.summary.warnings) == 1
    zh, en = warning.message("zh"), warning.message("en")
    assert f"{R}2、{R}4" in zh and f"{R}2, {R}4" in en and "公式" in zh and "formula" in en
    assert f"{R}3" not in zh


def test_a_row_of_formulas_only_is_not_lost(db: Session, path: str) -> None:
    """A row whose every cell is a formula without a value lies outside the parser's range."""
    rows = [HEADER, row("张三", "13900000001"), row('="李"&"四"', '="139"&"00000002"')]
    result = run_import(db, ADMIN, openpyxl_book(rows), "program.xlsx")
    db.commit()
    assert result.summary.inserted == 1 and result.summary.rejected == 1
    (error,) = result.summary.errors
    assert error.row == 3 and error.column == "手机号"
    assert '="139"&"00000002"' in error.message("zh")
    assert f"{A}3、{B}3" in formula_warnings(result.summary)[0].message("zh")


def test_cached_values_are_taken(db: Session, path: str) -> None:
    rows = [HEADER, row("张三", "13900000001", (f'={B}2&"（手机）"', "13900000001（手机）")),
            row("李四", ("=\"139\"&\"00000002\"", "13900000002"), ("=1+1", 2))]
    result = run_import(db, ADMIN, xlsxwriter_book(rows), "excel.xlsx")
    db.commit()
    assert result.summary.inserted == 2 and not result.summary.errors
    assert not formula_warnings(result.summary)
    assert notes_of(db) == {"张三": "13900000001（手机）", "李四": "2"}


def test_excels_cached_empty_text_stays_empty(db: Session) -> None:
    data = edit_sheet(openpyxl_book([HEADER, row("张三", "13900000001", '=IF(1,"","x")')]),
                      lambda xml: xml.replace("<v />", "<v></v>").replace(
                          f'<c r="{R}2">', f'<c r="{R}2" t="str">'))
    assert 't="str"' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml").decode()
    result = run_import(db, ADMIN, data, "excel.xlsx")
    db.commit()
    assert notes_of(db) == {"张三": None} and not result.summary.warnings


def test_shared_formulas_read_as_in_each_cell() -> None:
    data = openpyxl_book([HEADER, row("张三", "13900000001", "=B2"),
                          row("李四", "13900000002", "=B3"), row("王五", "13900000003", "=B4")])

    def share(xml: str) -> str:
        xml = xml.replace(f'<c r="{R}2"><f>B2</f>',
                          f'<c r="{R}2"><f t="shared" ref="{R}2:{R}4" si="0">B2</f>')
        for n in (3, 4):
            xml = xml.replace(f"<f>B{n}</f>", '<f t="shared" si="0"/>')
        return xml

    found = uncached_formulas(edit_sheet(data, share), "客户")
    assert found == {(1, NOTES): "=B2", (2, NOTES): "=B3", (3, NOTES): "=B4"}


def test_the_preview_and_the_history_carry_the_warning(db: Session) -> None:
    preview = preview_import(db, ADMIN, openpyxl_book(PROGRAM_WRITTEN), "program.xlsx")
    assert [w.key for w in preview.warnings] == ["importx.warning.formula_text"]
    sample = {s.values["客户名称"]: s.values["备注"] for s in preview.sample}
    assert sample["张三"] == f'={B}2&"（手机）"'
    run_import(db, ADMIN, openpyxl_book(PROGRAM_WRITTEN), "program.xlsx")
    db.commit()
    history = db.scalars(select(ImportRun)).one()
    assert any(f"{R}2、{R}4" in w for w in history.detail["warnings"])


def test_many_cells_are_counted_and_the_first_named(db: Session) -> None:
    rows = [HEADER] + [row(f"客户{i}", f"139{i:08d}", f'="备注{i}"') for i in range(25)]
    result = run_import(db, ADMIN, openpyxl_book(rows), "program.xlsx")
    db.commit()
    message = formula_warnings(result.summary)[0].message("zh")
    assert message.startswith("25 ") and f"{R}2、" in message and f"{R}21、…" in message
    assert f"{R}22" not in message and re.search(f"{R}26", message) is None


def test_record_imports_keep_formula_text_too(db: Session) -> None:
    cr.create_customer(db, ADMIN, {"customer_no": "C2026000001", "name": "张三",
                                   "mobile": "13800000001"})
    db.commit()
    rows = [["客户编号", "订单编号", "下单日期", "产品", "数量", "金额"],
            ["C2026000001", "SO-1", "2026-01-05", '="咨询"&"服务"', 1, 100]]
    result = run_import(db, ADMIN, openpyxl_book(rows, "交易记录"), "orders.xlsx",
                        kind="orders")
    db.commit()
    assert result.summary.inserted == 1
    assert db.scalars(select(Order.product)).one() == '="咨询"&"服务"'
    assert "D2" in formula_warnings(result.summary)[0].message("zh")
