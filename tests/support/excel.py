"""Helpers shared by the Excel tests: small workbooks written with openpyxl (independent of the
code under test), valid ID numbers. No tests of its own."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from typing import Any

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.fields import HEADERS
from db.models import AuditEntry, Customer, ImportRun, NumberCounter
from services.customers.idcodes import make_credit_code, resident_check_char


def rid(seq: int, birth: str = "19900101", province: str = "11") -> str:
    """A valid resident ID (given birth date and sequence)."""
    first17 = f"{province}0105{birth}{seq:03d}"
    return first17 + resident_check_char(first17)


def credit_code(seed: int = 1) -> str:
    return make_credit_code(random.Random(seed))


def xlsx(rows: Sequence[Sequence[Any]], sheet: str = "客户", *, extra_sheets: int = 0) -> bytes:
    """A workbook whose first row is the header; strings are text cells (also ``=...``)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    for n in range(extra_sheets):
        wb.create_sheet(f"其他{n}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's values (None for empty cells), by sheet name."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


def customer_row(**values: Any) -> list[Any]:
    """A row in the spec's column order from field keys."""
    from core.fields import FIELD_KEYS

    return [values.get(k) for k in FIELD_KEYS]


HEADER = [*HEADERS, "服务授权", "营销授权"]
"""The template's and export's headers: the record's fields, then consent (data-protection.md)."""


def count(db: Session, model: Any) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def snapshot(db: Session) -> dict[str, Any]:
    """What an import may change, to compare before and after."""
    db.expire_all()
    rows = db.execute(select(Customer.id, Customer.customer_no, Customer.name, Customer.mobile,
                             Customer.email, Customer.version, Customer.tier)
                      .order_by(Customer.id)).all()
    seqs = db.execute(select(NumberCounter.name, NumberCounter.value)).all()
    return {"customers": [tuple(r) for r in rows], "sequences": sorted(map(tuple, seqs)),
            "imports": count(db, ImportRun), "audit": count(db, AuditEntry)}
