"""Import templates: the spec's headers in order, drop-down lists for the closed columns, one
example row, and a sheet of instructions in Chinese.

The drop-downs read their values from a hidden sheet (a list typed into the validation itself
may not exceed 255 characters, and the 35 provinces do), and only warn on other input, because
the import also accepts aliases (``personal``, ``gold`` ...) that a strict list would block.
Columns that hold numbers-as-text (客户编号, 手机号, 证件号码 ...) are formatted as text, so Excel
does not turn an 18-digit ID into ``1.10105E+17``.
"""

from __future__ import annotations

import io
from typing import IO, Any

from core.i18n import t
from core.settings import Settings, get_settings
from services.excel.kinds import Column, ImportKind, customer_choices, get_kind
from services.excel.writer import Formats, display_width, new_workbook, write_cell
from services.privacy.consent_terms import CONSENT_KEYS

_LIST_ROWS_EXTRA = 1


def _choices(kind: ImportKind, col: Column, settings: Settings) -> tuple[str, ...]:
    if col.type == "score":
        return ("5", "4", "3", "2", "1")
    if col.type != "choice":
        return ()
    if kind.is_customers and col.key not in CONSENT_KEYS:
        return customer_choices(col.key, settings.industries)
    return col.choices


def _example(kind: ImportKind, col: Column, settings: Settings) -> Any:
    if kind.is_customers and col.key == "industry" and col.example not in settings.industries:
        return settings.industries[0] if settings.industries else None
    return col.example if col.example != "" else None


def write_template(out: IO[bytes], kind_name: str = "customers", *,
                   settings: Settings | None = None) -> None:
    """Write the template of ``kind_name`` (``customers``, ``orders`` ...) to ``out``."""
    settings = settings or get_settings()
    kind = get_kind(kind_name)
    wb = new_workbook(out, streaming=False)
    fmt = Formats.create(wb)
    data = wb.add_worksheet(kind.sheet)
    guide = wb.add_worksheet(t("excel.template.instructions_sheet"))
    lists = wb.add_worksheet(t("excel.template.lists_sheet"))
    required_fmt = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})

    list_col = 0
    for c, col in enumerate(kind.columns):
        width = max(col.width, display_width(col.header) + 4)
        data.set_column(c, c, width, fmt.text if col.text_format else None)
        data.write_string(0, c, col.header, required_fmt if col.required else fmt.header)
        values = _choices(kind, col, settings)
        if values:
            lists.write_string(0, list_col, col.header, fmt.header)
            for r, value in enumerate(values, start=1):
                lists.write_string(r, list_col, value)
            letter = _letters(list_col + 1)
            source = f"='{lists.name}'!${letter}$2:${letter}${len(values) + 1}"
            data.data_validation(1, c, settings.import_max_rows + _LIST_ROWS_EXTRA, c, {
                "validate": "list", "source": source, "ignore_blank": True,
                "error_type": "warning", "error_title": col.header,
                "error_message": col.note[:255] or col.header,
                "input_title": col.header[:32], "input_message": col.note[:255],
            })
            list_col += 1
        elif col.note:
            data.data_validation(1, c, settings.import_max_rows + _LIST_ROWS_EXTRA, c, {
                "validate": "any", "input_title": col.header[:32],
                "input_message": col.note[:255]})
        write_cell(data, 1, c, _example(kind, col, settings), fmt,
                   fmt.text if col.text_format else None)
    data.freeze_panes(1, 0)
    data.activate()
    lists.hide()

    _write_guide(guide, kind, settings, fmt, wb)
    wb.close()


def _letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _write_guide(ws: Any, kind: ImportKind, settings: Settings, fmt: Formats, wb: Any) -> None:
    title = wb.add_format({"bold": True, "font_size": 14})
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 6)
    ws.set_column(2, 2, 70, fmt.wrap)
    ws.set_column(3, 3, 24)
    ws.write_string(0, 0, t("excel.template.title", "zh", kind=kind.label.zh), title)
    row = 2
    if kind.intro:
        ws.write_string(row, 0, kind.intro)
        row += 1
    general = t("excel.template.general", "zh", max_rows=settings.import_max_rows,
                max_mb=settings.import_max_file_mb)
    for line in general.split("|"):
        ws.write_string(row, 0, f"• {line}")
        row += 1
    row += 1
    for c, key in enumerate(("header", "required", "rule", "example")):
        ws.write_string(row, c, t(f"excel.template.col.{key}", "zh"), fmt.header)
    for col in kind.columns:
        row += 1
        ws.write_string(row, 0, col.header)
        if col.required:
            ws.write_string(row, 1, t("excel.template.yes", "zh"))
        ws.write_string(row, 2, col.note, fmt.wrap)
        example = _example(kind, col, settings)
        if example is not None:
            ws.write_string(row, 3, str(example))


def template_xlsx(kind_name: str = "customers", *, settings: Settings | None = None) -> bytes:
    """The template as bytes, for the page's download button."""
    buffer = io.BytesIO()
    write_template(buffer, kind_name, settings=settings)
    return buffer.getvalue()
