"""Uploads are checked by content before any parser sees them: size, real xlsx, macros, zip
bombs, sparse "bombs" that would make the parser allocate the whole sheet, row limits."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from services.excel import safety
from services.excel.issues import ExcelRefused
from services.excel.kinds import CUSTOMERS
from services.excel.reader import read_sheet
from tests.support.excel import xlsx

LIMITS = {"max_mb": 20, "max_rows": 1000}


def refused(data: bytes, **limits: int) -> str:
    with pytest.raises(ExcelRefused) as info:
        safety.check_upload(data, **{**LIMITS, **limits})
    assert info.value.message("zh") and info.value.message("en")
    return info.value.key


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
          replace: dict[str, bytes] | None = None) -> bytes:
    """The workbook with parts added, dropped or replaced."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename,
                                                             src.read(info.filename)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def good() -> bytes:
    return xlsx([["客户名称", "手机号"], ["张三", "13812345678"]])


def test_a_plain_workbook_passes() -> None:
    info = safety.check_upload(good(), **LIMITS)
    assert info.small and info.extent.rows == 2 and info.extent.columns == 2


def test_oversized_files_are_refused_before_anything_else() -> None:
    assert refused(good(), max_mb=0.001) == "excel.refused.too_big"
    assert refused(b"") == "excel.refused.empty"


@pytest.mark.parametrize("data", [
    "客户名称,手机号\n张三,13812345678\n".encode(),  # a CSV renamed to .xlsx
    b"\x89PNG\r\n\x1a\n" + b"0" * 100,
    b"PK\x03\x04 truncated zip",
])
def test_files_that_are_not_workbooks_by_content_are_refused(data: bytes) -> None:
    assert refused(data) == "excel.refused.not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert refused(out.getvalue()) == "excel.refused.not_xlsx"
    assert refused(rezip(good(), drop=("xl/workbook.xml",))) == "excel.refused.not_xlsx"
    assert refused(rezip(good(), drop=("[Content_Types].xml",))) == "excel.refused.not_xlsx"


def test_old_xls_and_encrypted_workbooks_are_named_as_such() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert refused(ole) == "excel.refused.old_format"


def test_macro_workbooks_are_refused() -> None:
    assert refused(rezip(good(), add={"xl/vbaProject.bin": b"\0" * 64})) == \
        "excel.refused.macro"
    data = good()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    macro_types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert macro_types != types
    assert refused(rezip(data, replace={"[Content_Types].xml": macro_types})) == \
        "excel.refused.macro"
    assert refused(rezip(data, add={"xl/macrosheets/sheet1.xml": b"<xm/>"})) == \
        "excel.refused.macro"


def test_zip_bombs_are_refused() -> None:
    # compression ratio: 30 MB of zeros in a few KB
    assert refused(rezip(good(), add={"xl/media/zeros.bin": b"\0" * (30 * 2**20)})) == \
        "excel.refused.bomb"
    # too many entries
    many = {f"xl/media/f{i}.txt": b"x" for i in range(safety.MAX_ENTRIES + 1)}
    assert refused(rezip(good(), add=many)) == "excel.refused.bomb"


def test_total_uncompressed_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED", 4000)
    assert refused(rezip(good(), add={"xl/media/a.bin": bytes(range(256)) * 20})) == \
        "excel.refused.bomb"


def test_a_lying_size_in_the_zip_header_does_not_get_past() -> None:
    data = bytearray(rezip(good(), add={"xl/media/a.bin": b"\1" * 5000}))
    directory = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = directory.getinfo("xl/media/a.bin")
    # Shrink the declared size in the central directory: reading must fail, not overrun.
    central = bytes(data).rfind(b"PK\x01\x02", 0, len(data))
    while central != -1:
        name_len = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_len] == info.filename.encode():
            data[central + 24:central + 28] = (10).to_bytes(4, "little")
            break
        central = bytes(data).rfind(b"PK\x01\x02", 0, central)
    assert refused(bytes(data)) in ("excel.refused.not_xlsx", "excel.refused.bomb")


def sparse_bomb() -> bytes:
    """One cell at XFD1048576: a few KB that would make the parser allocate terabytes."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("客户")
    ws.write_string(0, 0, "客户名称")
    ws.write_string(1048575, 16383, "x")
    wb.close()
    return out.getvalue()


def test_sparse_bombs_are_refused_before_parsing() -> None:
    assert refused(sparse_bomb(), max_rows=2_000_000) == "excel.refused.too_large"
    assert refused(sparse_bomb()) == "excel.refused.too_many_rows"


def test_a_sparse_bomb_parsed_in_the_child_only_costs_the_child(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the cell scan bypassed, the memory-limited child would die, not the app."""
    from services.excel import reader

    monkeypatch.setattr(safety, "SCAN_MAX", 0)
    monkeypatch.setattr(reader, "CHILD_EARLY_BYTES", 0)
    with pytest.raises(ExcelRefused) as info:
        read_sheet(sparse_bomb(), CUSTOMERS, lambda columns: None,  # type: ignore[arg-type,return-value]
                   max_mb=20, max_rows=2_000_000)
    assert info.value.key in ("excel.refused.unreadable", "excel.refused.too_many_rows")


def test_more_rows_than_allowed_are_refused() -> None:
    rows = [["客户名称"]] + [[f"客户{i}"] for i in range(12)]
    assert refused(xlsx(rows), max_rows=10) == "excel.refused.too_many_rows"
    safety.check_upload(xlsx(rows), max_mb=20, max_rows=12)


def _prefixed(data: bytes) -> bytes:
    """The same workbook with the sheet's main namespace bound to the prefix ``x:``, as some
    writers save it (``<x:row r="2">``)."""
    name = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(name).decode()
    sheet = sheet.replace('xmlns="', 'xmlns:x="', 1)
    sheet = re.sub(r"<(/?)(?!\?)([A-Za-z]\w*)(?=[\s>/])", r"<\1x:\2", sheet)
    return rezip(data, replace={name: sheet.encode()})


@pytest.mark.parametrize("prefixed", [False, True])
def test_rows_of_a_large_sheet_are_counted_with_or_without_a_namespace_prefix(
        monkeypatch: pytest.MonkeyPatch, prefixed: bool) -> None:
    """A sheet over ``SCAN_MAX`` is measured by its row tags alone, chunk by chunk."""
    monkeypatch.setattr(safety, "SCAN_MAX", 0)
    monkeypatch.setattr(safety, "_CHUNK", 256)  # row tags across chunk boundaries
    rows = [["客户名称"]] + [[f"客户{i}"] for i in range(12)]
    data = _prefixed(xlsx(rows)) if prefixed else xlsx(rows)
    assert (b"<x:row " in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml")) is prefixed
    info = safety.check_upload(data, max_mb=20, max_rows=12)
    assert not info.small and info.extent.rows == 13
    assert refused(data, max_rows=11) == "excel.refused.too_many_rows"


def test_refusals_read_well_in_both_languages() -> None:
    with pytest.raises(ExcelRefused) as info:
        safety.check_upload(good(), max_mb=0.001, max_rows=10)
    assert "MB" in info.value.message("zh") and "MB" in info.value.message("en")
