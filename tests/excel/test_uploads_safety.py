"""Issue 13, points 13 and 14: what an upload may make the app expand, and how macros and
other active content are recognised.

13: a workbook whose worksheets are tiny but whose ``sharedStrings.xml`` unpacks to hundreds
of MB must not be parsed in the app's process; every part counts, and a zip header that
understates a part's size cannot smuggle the rest past the count.
14: macros, ActiveX and OLE objects are found from the parsed content types and
relationships (entities resolved, any encoding), and from the parts themselves, not by
looking for bytes; the app's own templates and exports still pass.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import xlsxwriter
from sqlalchemy.orm import Session

from services.access.roles import cli_actor
from services.excel import (
    export_customers_xlsx,
    preview_import,
    run_import,
    safety,
    table_xlsx,
)
from services.excel.issues import ExcelRefused
from services.excel.kinds import CUSTOMERS, KINDS
from services.excel.reader import read_sheet
from services.excel.template import template_xlsx
from services.excel.xlsx import TableWriter
from tests.support.excel import HEADER, customer_row, rid, xlsx

LIMITS = {"max_mb": 20, "max_rows": 1000}
NAME_MOBILE = ["客户名称", "手机号"]
ADMIN = cli_actor(True)
CT = "[Content_Types].xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def refused(data: bytes, **limits: int) -> str:
    with pytest.raises(ExcelRefused) as info:
        safety.check_upload(data, **{**LIMITS, **limits})
    assert info.value.message("zh") and info.value.message("en")
    return info.value.key


def rebuild(data: bytes, *, add: dict[str, bytes] | None = None,
            replace: dict[str, bytes] | None = None) -> bytes:
    """The workbook with parts replaced or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename,
                                                             src.read(info.filename)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def shared_strings_book(rows: list[list[str]]) -> bytes:
    """A workbook whose text cells are shared strings (what Excel writes)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("客户")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return out.getvalue()


# ---- 13: the shared-strings bomb -------------------------------------------------------------

BOMB_MB = 256


def shared_strings_bomb(megabytes: int = BOMB_MB) -> bytes:
    """A ~6 MB upload: two tiny rows, and a ``sharedStrings.xml`` of ``megabytes`` MB of
    strings no cell uses, compressed about 45x (under the per-part ratio limit, as in the
    review's 4.6 MB / 484 MB file). Streamed, so building it costs well under a second."""
    base = shared_strings_book([NAME_MOBILE, ["张三", "13812345678"]])
    rng = random.Random(13)
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    pieces: list[str] = []
    size = 0
    while size < 2**20:
        piece = "<si><t>" + "客" * 40 + rng.choice(letters) + rng.choice(letters) + "</t></si>"
        pieces.append(piece)
        size += len(piece.encode())
    block = "".join(pieces).encode()
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, body)
                continue
            head, tail = body.rsplit(b"</sst>", 1)
            with dst.open(info.filename, "w") as fh:
                fh.write(head)
                for _ in range(megabytes):
                    fh.write(block)
                fh.write(b"</sst>" + tail)
    return out.getvalue()


def peak_rss_mb() -> float:
    """This process's peak resident memory since the last ``reset_peak_rss`` (Linux)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")  # pragma: no cover


def reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def test_every_part_counts_for_the_small_file_decision() -> None:
    bomb = shared_strings_bomb()
    infos = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    sheets = sum(i.file_size for i in infos if i.filename.startswith("xl/worksheets/"))
    expanded = sum(i.file_size for i in infos)
    assert len(bomb) < 8 * 2**20 and sheets < 2000 and expanded > BOMB_MB * 2**20
    assert max(i.file_size / i.compress_size for i in infos) < safety.MAX_RATIO
    info = safety.check_upload(bomb, **LIMITS)
    assert not info.small and info.uncompressed == expanded


def test_styles_and_other_parts_count_too(monkeypatch: pytest.MonkeyPatch) -> None:
    data = shared_strings_book([NAME_MOBILE, ["张三", "13812345678"]])
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    sheets = sum(i.file_size for i in infos if i.filename.startswith("xl/worksheets/"))
    monkeypatch.setattr(safety, "SCAN_MAX", sheets + 10)
    assert not safety.check_upload(data, **LIMITS).small
    monkeypatch.setattr(safety, "SCAN_MAX", sum(i.file_size for i in infos) + 2000)
    assert safety.check_upload(data, **LIMITS).small  # + the four strings the cells show


def test_a_shared_strings_bomb_is_parsed_outside_the_app_process(
        db: Session, people: dict[str, Any]) -> None:
    """The review's attack: before, calamine expanded the strings in the app (this process
    peaked 300+ MB higher); now the memory-limited child does, and the import still works."""
    bomb = shared_strings_bomb()
    reset_peak_rss()
    before = peak_rss_mb()
    preview = preview_import(db, people["clerk"], bomb, "bomb.xlsx")
    grown = peak_rss_mb() - before
    assert grown < 64, f"the app process grew by {grown:.0f} MB"
    assert preview.summary.inserted == 1
    assert preview.sample[0].values["客户名称"] == "张三"


def repeated_string_book(cells: int, text: str, *, padding: int = 0) -> bytes:
    """``cells`` rows that all show ONE shared string ``text`` (stored once), and optionally
    ``padding`` bytes of incompressible media so the workbook is not "small"."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("客户")
    ws.write_string(0, 0, "客户名称")
    for row in range(1, cells + 1):
        ws.write_string(row, 0, text)
    wb.close()
    data = out.getvalue()
    if padding:
        data = rebuild(data, add={"xl/media/image1.png": random.Random(1).randbytes(padding)})
    return data


def test_each_cell_showing_a_shared_string_counts_its_size() -> None:
    """20,000 cells showing one 32,000-character string: a ~100 KB upload that calamine
    turned into 3 GB in the app's process (measured before the fix: peak 85 MB -> 3,140 MB)."""
    bomb = repeated_string_book(20_000, "客" * 32_000)
    assert len(bomb) < 200_000
    assert refused(bomb, max_rows=200_000) == "excel.refused.bomb"


def test_a_long_string_in_a_sheet_of_many_cells_still_parses_here() -> None:
    """The cheap bound (cells x longest string) is only a first look: the exact sum decides."""
    rows = [[f"客户{i}", f"1380000{i:04d}", "x"] for i in range(5000)]
    rows[7][2] = "很长的备注" * 400
    info = safety.check_upload(shared_strings_book([[*NAME_MOBILE, "备注"], *rows]),
                               max_mb=20, max_rows=200_000)
    assert info.small


def test_shared_string_references_cannot_flood_the_app_from_the_child() -> None:
    """The same trick in a workbook too large to parse here: the child counts the text
    before it hands over a single row, and refuses."""
    bomb = repeated_string_book(5000, "x" * 32_000, padding=9 * 2**20)
    assert safety.MAX_TEXT < 5000 * 32_000
    assert not safety.check_upload(bomb, max_mb=20, max_rows=200_000).small
    reset_peak_rss()
    before = peak_rss_mb()
    with pytest.raises(ExcelRefused) as info:
        read_sheet(bomb, CUSTOMERS, lambda columns: None,  # type: ignore[arg-type,return-value]
                   max_mb=20, max_rows=200_000)
    grown = peak_rss_mb() - before
    assert info.value.key == "uploads.refused.too_much_text"
    assert f"{safety.MAX_TEXT:,}" in info.value.message("en")
    assert grown < 64, f"the app process grew by {grown:.0f} MB"


def relocated(data: bytes, target: str) -> bytes:
    """The workbook with its worksheet moved to ``target`` (relationship and content type
    follow), and an empty decoy left in ``xl/worksheets/``."""
    moved = {"xl/worksheets/sheet1.xml": target}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in (WB_RELS, CT):
                body = body.replace(b"worksheets/sheet1.xml", target[3:].encode())
            dst.writestr(moved.get(info.filename, info.filename), body)
        dst.writestr("xl/worksheets/decoy.xml", b"<worksheet/>")
    return out.getvalue()


def test_a_sparse_bomb_in_a_relocated_sheet_is_measured() -> None:
    """The parser finds sheets through the workbook's relationships, not by folder: a sheet
    moved out of ``xl/worksheets/`` was not measured and went to the in-process parser."""
    import python_calamine

    plain = relocated(xlsx([NAME_MOBILE, ["张三", "13812345678"]]), "xl/data/s.bin")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(plain))
    assert book.get_sheet_by_index(0).to_python()[1] == ["张三", "13812345678"]
    assert safety.check_upload(plain, **LIMITS).extent.rows == 2
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("客户")
    ws.write_string(0, 0, "客户名称")
    ws.write_string(1048575, 16383, "x")
    wb.close()
    bomb = relocated(out.getvalue(), "xl/data/s.bin")
    with pytest.raises(ExcelRefused) as info:
        safety.check_upload(bomb, max_mb=20, max_rows=2_000_000)
    assert info.value.key == "excel.refused.too_large"


def reencoded_sheet(data: bytes, encoding: str, *, bom: bool = True) -> bytes:
    """The workbook with its worksheet re-encoded (declaration included)."""
    name = "xl/worksheets/sheet1.xml"
    text = re.sub(r"^<\?xml[^>]*\?>", "", part(data, name).decode())
    text = f'<?xml version="1.0" encoding="{encoding}"?>' + text
    body = text.encode(encoding) if bom else text.encode(f"{encoding}-le")
    return rebuild(data, replace={name: body})


@pytest.mark.parametrize("encoding,bom", [("utf-16", True), ("utf-16", False),
                                          ("utf-32", True)])
def test_a_sheet_not_in_utf8_is_never_parsed_in_the_app(encoding: str, bom: bool) -> None:
    """calamine refuses UTF-16 and the fallback parser (openpyxl) reads it, so a sparse bomb
    in UTF-16 was measured as an empty sheet and expanded in the app's process."""
    import openpyxl

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("客户")
    ws.write_string(0, 0, "客户名称")
    ws.write_string(150_000, 16383, "x")
    wb.close()
    bomb = reencoded_sheet(out.getvalue(), encoding, bom=bom)
    if encoding == "utf-16" and bom:
        book = openpyxl.load_workbook(io.BytesIO(bomb), read_only=True)
        assert book.active.max_column == 16384
    info = safety.check_upload(bomb, max_mb=20, max_rows=200_000)
    assert not info.small and not info.extent.exact
    plain = reencoded_sheet(xlsx([NAME_MOBILE, ["张三", "13812345678"]]), encoding, bom=bom)
    assert not safety.check_upload(plain, **LIMITS).small
    declared = rebuild(xlsx([NAME_MOBILE]), replace={"xl/worksheets/sheet1.xml": (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>'
        + part(xlsx([NAME_MOBILE]), "xl/worksheets/sheet1.xml"))})
    assert not safety.check_upload(declared, **LIMITS).small


def _zip_records(data: bytes, name: str) -> tuple[int, int]:
    """Offsets of ``name``'s central directory record and local header."""
    pos = data.rfind(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
        if data[pos + 46:pos + 46 + name_len] == name.encode():
            return pos, int.from_bytes(data[pos + 42:pos + 46], "little")
        pos = data.rfind(b"PK\x01\x02", 0, pos)
    raise AssertionError(name)  # pragma: no cover


def understate(data: bytes, name: str, size: int) -> bytes:
    """Declare only the first ``size`` bytes of part ``name`` (size and CRC in both headers
    agree with that prefix), while its deflate stream still holds the whole part."""
    body = part(data, name)
    crc = zlib.crc32(body[:size])
    out = bytearray(data)
    central, local = _zip_records(data, name)
    out[central + 16:central + 20] = struct.pack("<I", crc)
    out[central + 24:central + 28] = struct.pack("<I", size)
    out[local + 14:local + 18] = struct.pack("<I", crc)
    out[local + 22:local + 26] = struct.pack("<I", size)
    return bytes(out)


def test_a_header_that_understates_a_part_cannot_smuggle_the_rest_in() -> None:
    strings = [f"客户{i:06d}" + "备注" * 20 for i in range(900)]
    data = shared_strings_book([["客户名称"], *([s] for s in strings)])
    body = part(data, "xl/sharedStrings.xml")
    forged = understate(data, "xl/sharedStrings.xml", 200)
    # the standard zip reader is fooled: it reads 200 bytes and the CRC matches
    assert len(zipfile.ZipFile(io.BytesIO(forged)).read("xl/sharedStrings.xml")) == 200
    assert len(body) > 40_000
    assert refused(forged) == "excel.refused.bomb"


def test_duplicate_part_names_are_refused() -> None:
    data = xlsx([NAME_MOBILE, ["张三", "13812345678"]])
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as z, pytest.warns(UserWarning):
        z.writestr("xl/worksheets/sheet1.xml", part(data, "xl/worksheets/sheet1.xml"))
    assert refused(out.getvalue()) == "excel.refused.not_xlsx"
    upper = rebuild(data, add={"XL/Worksheets/Sheet1.xml": b"<worksheet/>"})
    assert refused(upper) == "excel.refused.not_xlsx"


# ---- 14: macros and other active content -----------------------------------------------------

def good() -> bytes:
    return xlsx([NAME_MOBILE, ["张三", "13812345678"]])


def with_types(data: bytes, edit: Callable[[str], str], *, encoding: str = "utf-8") -> bytes:
    text = part(data, CT).decode()
    edited = edit(text)
    assert edited != text
    if encoding != "utf-8":
        edited = edited.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    return rebuild(data, replace={CT: edited.encode(encoding)})


def override(name: str, content_type: str) -> Callable[[str], str]:
    return lambda text: text.replace(
        "</Types>", f'<Override PartName="{name}" ContentType="{content_type}"/></Types>')


def relationship(rel_type: str, target: str) -> Callable[[str], str]:
    return lambda text: text.replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="{rel_type}" Target="{target}"/></Relationships>')


def with_rels(data: bytes, name: str, edit: Callable[[str], str]) -> bytes:
    text = part(data, name).decode()
    edited = edit(text)
    assert edited != text
    return rebuild(data, replace={name: edited.encode()})


MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def test_a_macro_content_type_written_with_a_character_reference_is_found() -> None:
    data = with_types(good(), lambda t: t.replace(
        MAIN, "application/vnd.ms-excel.sheet.macro&#69;nabled.main+xml"))
    assert b"macroenabled" not in part(data, CT).lower()
    assert refused(data) == "excel.refused.macro"


def test_a_macro_content_type_in_utf16_is_found() -> None:
    data = with_types(good(), lambda t: t.replace(
        MAIN, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"), encoding="utf-16")
    assert b"macroenabled" not in part(data, CT).lower()
    assert refused(data) == "excel.refused.macro"


def test_a_renamed_vba_project_is_found_by_its_relationship() -> None:
    """``vbaProject.bin`` saved as ``xl/logic.dat``: the workbook's relationship of type
    vbaProject gives it away, whatever the name and bytes."""
    data = good()
    data = rebuild(with_rels(data, WB_RELS, relationship(VBA_REL, "logic.dat")),
                   add={"xl/logic.dat": bytes(range(256)) * 4})
    assert refused(data) == "excel.refused.macro"


def test_a_renamed_vba_project_is_found_by_its_content_type() -> None:
    data = with_types(good(), override("/xl/logic.dat", "application/vnd.ms-office.vba&#80;roject"))
    data = rebuild(data, add={"xl/logic.dat": bytes(range(256)) * 4})
    assert refused(data) == "excel.refused.macro"
    by_extension = with_types(good(), lambda t: t.replace(
        "<Default ", f'<Default Extension="dat" ContentType="{VBA_TYPE}"/><Default ', 1))
    assert refused(rebuild(by_extension, add={"xl/logic.dat": b"x" * 64})) == \
        "excel.refused.macro"


def test_a_renamed_vba_project_is_found_by_its_compound_file_bytes() -> None:
    """No relationship, no content type: a compound (OLE) file in an xlsx is VBA, ActiveX or
    an embedded object, none of which an import needs."""
    data = rebuild(good(), add={"xl/media/image1.png": CFB + b"\0" * 1024})
    assert refused(data) == "uploads.refused.active_content"


@pytest.mark.parametrize("rel_type,target", [
    ("http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
     "macros/sheet2.xml"),
    ("http://schemas.microsoft.com/office/2006/relationships/xlIntlMacrosheet", "m/s.xml"),
])
def test_renamed_excel4_macro_sheets_are_found_by_their_relationship(
        rel_type: str, target: str) -> None:
    data = with_rels(good(), WB_RELS, relationship(rel_type, target))
    assert refused(rebuild(data, add={f"xl/{target}": b"<xm:macrosheet/>"})) == \
        "excel.refused.macro"


@pytest.mark.parametrize("edit", [
    override("/xl/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
    override("/xl/activeX/x.bin", "application/vnd.ms-office.active&#88;"),
    override("/xl/embeddings/e.bin", "application/vnd.openxmlformats-officedocument.oleObject"),
])
def test_activex_and_ole_content_types_are_refused(edit: Callable[[str], str]) -> None:
    assert refused(with_types(good(), edit)) == "uploads.refused.active_content"


@pytest.mark.parametrize("rel_type", [
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/control",
    "http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject",
])
def test_activex_and_ole_relationships_are_refused(rel_type: str) -> None:
    data = good()
    sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels"
    body = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{rel_type}" Target="../x/y.bin"/></Relationships>')
    assert refused(rebuild(data, add={sheet_rels: body.encode()})) == \
        "uploads.refused.active_content"


def test_a_hyperlink_that_merely_mentions_macros_is_not_active_content() -> None:
    data = good()
    sheet_rels = "xl/worksheets/_rels/sheet1.xml.rels"
    body = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'hyperlink" Target="https://example.com/vbaProject/activeX/oleObject.bin" '
            'TargetMode="External"/></Relationships>')
    safety.check_upload(rebuild(data, add={sheet_rels: body.encode()}), **LIMITS)


def test_content_types_and_relationships_must_be_plain_xml() -> None:
    """A DTD has no place in a package (entity tricks, billion laughs); broken XML neither."""
    laughs = ('<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "macroEnabled">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    data = with_types(good(), lambda t: laughs + re.sub(r"^<\?xml[^>]*\?>", "", t))
    assert refused(data) == "excel.refused.not_xlsx"
    assert refused(with_types(good(), lambda t: t.replace("</Types>", ""))) == \
        "excel.refused.not_xlsx"
    assert refused(with_rels(good(), WB_RELS, lambda t: t.replace(
        "</Relationships>", "<Relationship"))) == "excel.refused.not_xlsx"


def test_the_plain_macro_checks_still_hold() -> None:
    assert refused(rebuild(good(), add={"xl/vbaProject.bin": b"\0" * 64})) == \
        "excel.refused.macro"
    assert refused(rebuild(good(), add={"xl/macrosheets/sheet1.xml": b"<xm/>"})) == \
        "excel.refused.macro"
    assert refused(with_types(good(), lambda t: t.replace(
        MAIN, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"))) == "excel.refused.macro"


def _own_files(db: Session) -> Iterator[tuple[str, bytes]]:
    for name in KINDS:
        yield f"template {name}", template_xlsx(name)
    rows = [HEADER, customer_row(name="张三", mobile="13812345678", id_number=rid(1)),
            customer_row(name="李四", mobile="not a mobile")]
    result = run_import(db, ADMIN, xlsx(rows), "t.xlsx")
    db.commit()
    yield "rejected rows", result.rejected_xlsx()
    yield "export", export_customers_xlsx(db, ADMIN)
    table = io.BytesIO()
    with TableWriter(table, "表", ["a", "b"], [10, 10]) as writer:
        writer.write_row(["x", 1])
    yield "table writer", table.getvalue()
    yield "table download", table_xlsx(["名称", "金额"], [["张三", 12.5]], wrap_columns=[0])


def test_the_apps_own_templates_and_exports_pass(db: Session) -> None:
    files = dict(_own_files(db))
    assert len(files) == len(KINDS) + 4
    for what, data in files.items():
        info = safety.check_upload(data, **LIMITS)
        assert info.small, what
