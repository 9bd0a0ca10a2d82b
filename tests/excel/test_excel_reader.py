"""The reader: the child-process path gives exactly what the in-process path gives, the data
sheet is found by name, progress is reported, and every message key the package uses exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.orm import Session

from core.i18n import CATALOG
from services.access.roles import cli_actor
from services.excel import reader as reader_module
from services.excel import run_import
from services.excel import safety as safety_module
from tests.support.excel import HEADER, customer_row, rid, xlsx

ADMIN = cli_actor(True)


def rows() -> list[list[Any]]:
    out = [HEADER]
    for i in range(30):
        out.append(customer_row(name=f"客户{i}", mobile=f"1380000{i:04d}",
                                id_number=rid(i) if i % 3 else None,
                                email="bad" if i == 7 else None, tier="gold" if i == 9 else None))
        if i % 10 == 4:
            out.append([None] * 19)
    out.append(customer_row(name="重复", mobile="13800000001"))
    return out


def test_the_child_process_path_reads_and_checks_like_this_process(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx(rows())
    here = run_import(db, ADMIN, data, "a.xlsx", dry_run=True)
    monkeypatch.setattr(safety_module, "SCAN_MAX", 0)
    monkeypatch.setattr(reader_module, "CHILD_EARLY_BYTES", 0)
    monkeypatch.setattr(reader_module, "CHUNK_ROWS", 4)  # several chunks, checked by both sides
    seen: list[tuple[str, int, int]] = []
    child = run_import(db, ADMIN, data, "a.xlsx", dry_run=True,
                       progress=lambda *a: seen.append(a))
    assert child.summary.as_json() == here.summary.as_json()
    assert [(o.row, o.status) for o in child.outcomes] == [(o.row, o.status)
                                                          for o in here.outcomes]
    assert [r.values for r in child.sheet.rows] == [r.values for r in here.sheet.rows]
    assert here.summary.counts() == {"inserted": 29, "updated": 0, "duplicates": 1,
                                     "rejected": 1, "blank": 3}
    assert {stage for stage, _, _ in seen} == {"read", "check"}
    assert seen[-1][1] == seen[-1][2]


def test_rows_written_from_the_child_process_get_their_search_grams(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child sends each chunk's grams by position; a chunk may end with rows that are not
    written (rejected, duplicates) and, on PostgreSQL, some chunks are checked here instead."""
    from services.customers.search_index import check_search_index
    from services.excel import importer

    monkeypatch.setattr(safety_module, "SCAN_MAX", 0)
    monkeypatch.setattr(reader_module, "CHILD_EARLY_BYTES", 0)
    monkeypatch.setattr(reader_module, "CHUNK_ROWS", 4)
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)
    file_rows = [*rows(), customer_row(name="又重复", mobile="13800000002"),
                 customer_row(name="也重复", mobile="13800000003")]
    result = run_import(db, ADMIN, xlsx(file_rows), "a.xlsx")
    db.commit()
    assert result.summary.counts() == {"inserted": 29, "updated": 0, "duplicates": 3,
                                       "rejected": 1, "blank": 3}
    with db.get_bind().connect() as conn:
        assert check_search_index(conn) == (0, 0)


def test_the_data_sheet_is_found_by_name(db: Session, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["这里不是数据"])
    data_sheet = wb.create_sheet("客户")
    data_sheet.append(HEADER)
    data_sheet.append(customer_row(name="甲", mobile="13800000001"))
    path = tmp_path / "two.xlsx"
    wb.save(path)
    result = run_import(db, ADMIN, path.read_bytes(), "two.xlsx", dry_run=True)
    assert result.summary.inserted == 1 and result.sheet.sheet == "客户"


def test_every_message_key_used_by_the_package_exists() -> None:
    root = Path(__file__).resolve().parents[2] / "services" / "excel"
    keys = set()
    for path in root.glob("*.py"):
        keys |= set(re.findall(r'"((?:excel|validation|records)\.[a-z_.]+[a-z_])"',
                               path.read_text(encoding="utf-8")))
    assert keys and not {k for k in keys if k not in CATALOG}
    for key in (k for k in CATALOG if k.startswith("excel.")):
        zh, en = CATALOG[key]
        assert zh and en


def test_streamed_writing_decides_like_the_whole_file_at_once(
        db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks are written while later ones are checked; the outcome must not depend on it:
    a later row with a customer's old 手机号 still finds that customer, and a 客户编号 typed
    further down is never issued to an earlier row."""
    from datetime import date

    from sqlalchemy import select

    from db.models import Customer
    from services import customers as cr
    from tests.support.factories import actor_for, make_user

    clerk = actor_for(make_user(db, "c1", "clerk"))
    x = cr.create_customer(db, clerk, {"name": "甲", "mobile": "13800000001"})
    db.commit()
    year = date.today().year
    x_no = db.get(Customer, x).customer_no
    file_rows = [HEADER, customer_row(customer_no=x_no, name="甲", mobile="13800000002"),
                 customer_row(name="乙", mobile="13800000003"),
                 customer_row(name="丙", mobile="13800000004"),
                 customer_row(name="丁", mobile="13800000001"),  # 甲's old number
                 customer_row(name="戊", customer_no=f"C{year}000003", mobile="13800000005")]
    data = xlsx(file_rows)
    dry = run_import(db, ADMIN, data, "s.xlsx", on_duplicate="update", dry_run=True)
    monkeypatch.setattr(safety_module, "SCAN_MAX", 0)
    monkeypatch.setattr(reader_module, "CHILD_EARLY_BYTES", 0)
    monkeypatch.setattr(reader_module, "CHUNK_ROWS", 2)
    from services.excel import importer

    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    real = run_import(db, ADMIN, data, "s.xlsx", on_duplicate="update")
    db.commit()
    assert [(o.row, o.status.value) for o in real.outcomes] == \
        [(o.row, o.status.value) for o in dry.outcomes] == \
        [(2, "update"), (3, "new"), (4, "new"), (5, "duplicate"), (6, "new")]
    numbers = dict(db.execute(select(Customer.name, Customer.customer_no)).all())
    assert numbers == {"甲": f"C{year}000001", "乙": f"C{year}000002",
                       "丙": f"C{year}000004", "戊": f"C{year}000003"}


def test_openpyxl_reads_what_calamine_cannot(db: Session,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    data = xlsx(rows())
    expected = run_import(db, ADMIN, data, "a.xlsx", dry_run=True)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise python_calamine.CalamineError("cannot")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    fallback = run_import(db, ADMIN, data, "a.xlsx", dry_run=True)
    assert fallback.summary.as_json() == expected.summary.as_json()
