"""Writing workbooks that clerks can trust: every export, template and rejected-rows file.

Rules kept here, once:

- a string is always written as a string cell, so a value starting with ``=``, ``+``, ``-``,
  ``@``, tab or CR stays that exact text and never becomes a formula (no quote is added: the
  value must survive a round trip unchanged);
- numbers, dates and date-times are real Excel numbers and dates (aware times in
  app.time_zone);
- a bold, frozen header row with an auto filter, and column widths from the content;
- rows stream out, so 100,000 rows cost little memory.

Tables (exports, rejected rows, any list) go through ``services.excel.xlsx.TableWriter``;
the templates, which need data validation, through XlsxWriter (``new_workbook``,
``write_cell``), configured so that it never turns text into formulas either.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from itertools import chain, islice
from typing import IO, Any, Final

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from core.clock import LOCAL_TZ
from services.excel.xlsx import TableWriter

MIN_WIDTH: Final = 6
MAX_WIDTH: Final = 60
WIDTH_SAMPLE: Final = 200
"""Rows looked at to size the columns of a generic table."""
_EXACT_INT: Final = 2**53
_SHEET_NAME_BAD: Final = re.compile(r"[\[\]:*?/\\]")


def display_width(text: str) -> int:
    """Columns a text needs: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(name: str) -> str:
    """A valid sheet name: no ``[]:*?/\\``, at most 31 characters, not blank."""
    cleaned = _SHEET_NAME_BAD.sub("_", name).strip("'")[:31]
    return cleaned or "Sheet1"


@dataclass
class Formats:
    """The few cell formats a workbook needs, created once per workbook."""

    header: Any
    date: Any
    datetime: Any
    time: Any
    money: Any
    text: Any
    wrap: Any

    @classmethod
    def create(cls, wb: Workbook) -> Formats:
        return cls(
            header=wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                  "valign": "vcenter"}),
            date=wb.add_format({"num_format": "yyyy-mm-dd"}),
            datetime=wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            time=wb.add_format({"num_format": "hh:mm:ss"}),
            money=wb.add_format({"num_format": "#,##0.00"}),
            text=wb.add_format({"num_format": "@"}),
            wrap=wb.add_format({"text_wrap": True, "valign": "top"}),
        )


def new_workbook(out: IO[bytes] | str, *, streaming: bool = True) -> Workbook:
    """A workbook that never turns strings into formulas, numbers or URLs by itself."""
    return xlsxwriter.Workbook(out, {
        "constant_memory": streaming,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "default_date_format": "yyyy-mm-dd",
    })


def write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Formats,
               cell_format: Any = None) -> None:
    """Write one value with its real type; text is always a text cell."""
    if value is None:
        return
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        if value:
            ws.write_string(row, col, value, cell_format)
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int):
        if abs(value) < _EXACT_INT:
            ws.write_number(row, col, value, cell_format)
        else:
            ws.write_string(row, col, str(value), cell_format)
    elif isinstance(value, float):
        if math.isfinite(value):
            ws.write_number(row, col, value, cell_format)
        elif not math.isnan(value):
            ws.write_string(row, col, str(value), cell_format)
    elif isinstance(value, Decimal):
        if value.is_finite():
            ws.write_number(row, col, float(value), cell_format or fmt.money)
    elif isinstance(value, datetime):
        local = value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value.tzinfo else value
        ws.write_datetime(row, col, local, cell_format or fmt.datetime)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime.combine(value, time()), cell_format or fmt.date)
    elif isinstance(value, time):
        ws.write_datetime(row, col, value.replace(tzinfo=None), cell_format or fmt.time)
    elif isinstance(value, (list, tuple, set, frozenset)):
        ws.write_string(row, col, "，".join(str(v) for v in value), cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)


def _cell_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, (Decimal, float)):
        return len(f"{value:,.2f}") if isinstance(value, Decimal) else len(repr(value))
    text = str(value.value if isinstance(value, Enum) else value)
    return max((display_width(line) for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[int]:
    """Widths from the header and the given rows, bounded to a readable range."""
    widths = [display_width(str(h)) + 2 for h in headers]
    for row in rows:
        for i, value in enumerate(row[:len(widths)]):
            widths[i] = max(widths[i], _cell_width(value) + 2)
    return [max(MIN_WIDTH, min(MAX_WIDTH, w)) for w in widths]


def write_table(out: IO[bytes] | str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                *, sheet: str = "Sheet1", widths: Sequence[int] | None = None,
                text_columns: Iterable[int] = (), wrap_columns: Iterable[int] = ()) -> int:
    """Write ``headers`` and ``rows`` as one styled sheet; returns the number of rows.

    For any record list a page wants to offer as a download: same safety (text stays text)
    and styling as the customer export. Widths default to the header and the first rows.
    """
    iterator: Iterator[Sequence[Any]] = iter(rows)
    head: list[Sequence[Any]] = []
    if widths is None:
        head = list(islice(iterator, WIDTH_SAMPLE))
        widths = column_widths(headers, head)
    with TableWriter(out, sheet_name(sheet), headers, widths, text_columns=text_columns,
                     wrap_columns=wrap_columns) as table:
        for row in chain(head, iterator):
            table.write_row(row)
    return table.rows


def table_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               sheet: str = "Sheet1", widths: Sequence[int] | None = None,
               text_columns: Iterable[int] = (), wrap_columns: Iterable[int] = ()) -> bytes:
    """``write_table`` into bytes, for a download button."""
    buffer = io.BytesIO()
    write_table(buffer, headers, rows, sheet=sheet, widths=widths, text_columns=text_columns,
                wrap_columns=wrap_columns)
    return buffer.getvalue()
