"""The printable sheet of a class's logins (issue 17): one A4 page per ~35 trainees, laid out
to be cut into slips or handed out whole. Made only from a ``LoginSheet`` fresh from creating
a class or resetting its passwords: the passwords are never stored in clear."""

from __future__ import annotations

import io

from core.i18n import t
from services.excel.writer import Formats, new_workbook, sheet_name, write_cell
from services.training.classes import LoginSheet, last_day

A4 = 9
"""XlsxWriter's paper code for A4."""


def login_sheet_xlsx(sheet: LoginSheet, lang: str = "zh") -> bytes:
    """The sheet as .xlsx: class name and expiry on top, then 姓名 / 用户名 / 初始密码 per
    trainee; A4 portrait, one page wide, the column headings repeated on every page."""
    buffer = io.BytesIO()
    wb = new_workbook(buffer, streaming=False)
    fmt = Formats.create(wb)
    title = wb.add_format({"bold": True, "font_size": 16})
    note = wb.add_format({"font_size": 10, "italic": True})
    cell = wb.add_format({"font_size": 13, "border": 1, "valign": "vcenter"})
    mono = wb.add_format({"font_size": 13, "border": 1, "valign": "vcenter",
                          "font_name": "Consolas"})
    head = wb.add_format({"bold": True, "font_size": 12, "border": 1, "bg_color": "#DDEBF7"})
    ws = wb.add_worksheet(sheet_name(t("classes.sheet.tab", lang)))
    ws.set_paper(A4)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.6, top=0.7, bottom=0.7)
    ws.center_horizontally()
    ws.repeat_rows(3)
    ws.set_footer("&C" + t("classes.sheet.footer", lang).replace("&", "&&") + "  &P / &N")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 22)
    write_cell(ws, 0, 0, t("classes.sheet.title", lang, name=sheet.class_name), fmt, title)
    when = last_day(sheet.expires_at).isoformat()
    write_cell(ws, 1, 0, t("classes.sheet.expires", lang, when=when), fmt)
    write_cell(ws, 2, 0, t("classes.sheet.note", lang), fmt, note)
    for col, key in enumerate(("classes.sheet.name", "classes.sheet.username",
                               "classes.sheet.password")):
        write_cell(ws, 3, col, t(key, lang), fmt, head)
    for row, login in enumerate(sheet.logins, start=4):
        ws.set_row(row, 24)
        write_cell(ws, row, 0, login.display_name, fmt, cell)
        write_cell(ws, row, 1, login.username, fmt, mono)
        write_cell(ws, row, 2, login.password, fmt, mono)
    wb.close()
    return buffer.getvalue()


__all__ = ["login_sheet_xlsx"]
