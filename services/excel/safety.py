"""Checks on an uploaded workbook BEFORE any spreadsheet parser sees it.

Why by content and by hand: a file's name says nothing (a renamed CSV or ZIP is not a
workbook), macro-enabled workbooks must never be accepted, and a parser handed a zip bomb or a
"sparse bomb" (one cell at XFD1048576 makes calamine allocate the whole rectangle and abort the
process) takes the app down with it. So the zip directory is read with the standard library,
every entry is decompressed in bounded chunks (sizes in headers can lie), and the extent of the
cells is measured; only then does ``services.excel.reader`` parse the sheet.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Final

from services.excel.issues import ExcelRefused

MAX_ENTRIES: Final = 1000
"""Zip entries in a workbook; Excel writes about a dozen."""
MAX_UNCOMPRESSED: Final = 512 * 2**20
"""Total uncompressed size: a 200,000-row sheet is well under this."""
MAX_RATIO: Final = 200
"""Compression ratio of one entry; real sheets compress 5-20x, bombs 1000x and more."""
RATIO_MIN_SIZE: Final = 2**20
"""Entries smaller than this are never a bomb, whatever their ratio."""
MAX_CELLS: Final = 16_000_000
"""Rows x columns of the used range (what the parser allocates); 200,000 x 80."""
MAX_COLUMNS: Final = 512
SCAN_MAX: Final = 8 * 2**20
"""Worksheets up to this size are kept and their cell extent measured exactly; larger ones are
parsed in a child process with a memory limit (see ``reader``)."""
_CHUNK: Final = 2**20
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_MACRO_MARKERS: Final = (b"macroenabled", b"vbaproject", b"ms-excel.macrosheet",
                         b"ms-excel.intlmacrosheet", b"ms-office.vbaproject")
_ROW_TAG: Final = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,9})"')
_PLAIN_ROW_TAG: Final = re.compile(rb'<row\b[^>]*?\sr="(\d{1,9})"')
"""``_ROW_TAG`` without a namespace prefix: its literal start makes the scan of a large sheet
about five times faster; used where no ``:row`` occurs (what every common writer produces)."""
_CELL_REF: Final = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Za-z]{1,4})(\d{1,9})"')
_CELL_TAG: Final = re.compile(rb"<(?:\w+:)?c[\s>/]")


@dataclass(frozen=True)
class Extent:
    """The used range of the worksheets: last row and last column (1-based), and whether it
    was measured cell by cell (``exact``) or from the row tags only."""

    rows: int
    columns: int
    exact: bool


@dataclass(frozen=True)
class WorkbookInfo:
    """What the checks learnt: sizes, worksheet parts and the extent of their cells."""

    size: int
    uncompressed: int
    entries: int
    worksheets: tuple[str, ...]
    extent: Extent
    small: bool = field(default=False)
    """All worksheets are small and their extent exact: safe to parse in this process."""


def column_number(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    """1 -> ``A``, 27 -> ``AA`` (for messages about a column without header)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _refuse_bomb() -> ExcelRefused:
    return ExcelRefused("excel.refused.bomb")


def _exact_extent(xml: bytes) -> Extent:
    """Last row and column of every cell, when every cell carries its reference."""
    refs = 0
    max_row = 0
    max_col = 0
    for m in _CELL_REF.finditer(xml):
        refs += 1
        row = int(m.group(2))
        if row > max_row:
            max_row = row
        col = column_number(m.group(1).decode())
        if col > max_col:
            max_col = col
    cells = len(_CELL_TAG.findall(xml))
    for m in _ROW_TAG.finditer(xml):
        max_row = max(max_row, int(m.group(1)))
    return Extent(max_row, max_col, exact=refs == cells)


def _merge(a: Extent, b: Extent) -> Extent:
    return Extent(max(a.rows, b.rows), max(a.columns, b.columns), a.exact and b.exact)


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int,
                keep: bool) -> tuple[int, bytes | None, int]:
    """Decompress one entry in chunks: (actual size, bytes if ``keep``, last row tag seen).

    Stops as soon as the total would pass ``budget``; the zip module itself refuses data
    beyond the declared size (CRC error), so a lying header cannot smuggle more in.
    """
    size = 0
    parts: list[bytes] = []
    last_row = 0
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > budget:
                raise _refuse_bomb()
            if keep:
                parts.append(chunk)
            else:
                window = tail + chunk
                rows = _ROW_TAG if b":row" in window else _PLAIN_ROW_TAG
                last_row = max(last_row, max(map(int, rows.findall(window)), default=0))
                tail = chunk[-1024:]
    return size, (b"".join(parts) if keep else None), last_row


def check_upload(data: bytes, *, max_mb: float, max_rows: int) -> WorkbookInfo:
    """Refuse (``ExcelRefused``) anything that is not a plain, sane ``.xlsx`` workbook.

    In this order: empty or over ``max_mb``; an old ``.xls`` or encrypted workbook (OLE);
    not a zip; not a workbook by content (``[Content_Types].xml`` and ``xl/workbook.xml``);
    macros (``vbaProject.bin``, a macro-enabled content type, Excel 4 macro sheets); too many
    entries; too large uncompressed or compressed too well (bombs); more data rows than
    ``max_rows``; a used range too large to parse.
    """
    size = len(data)
    if size == 0:
        raise ExcelRefused("excel.refused.empty")
    if size > max_mb * 2**20:
        raise ExcelRefused("excel.refused.too_big", size=f"{size / 2**20:.1f}", limit=max_mb)
    if data.startswith(_OLE_MAGIC):
        raise ExcelRefused("excel.refused.old_format")
    if not data.startswith(_ZIP_MAGIC):
        raise ExcelRefused("excel.refused.not_xlsx")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ExcelRefused("excel.refused.not_xlsx") from None
    if len(infos) > MAX_ENTRIES:
        raise _refuse_bomb()
    names = {info.filename.lower().lstrip("/"): info for info in infos}
    if any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names):
        raise ExcelRefused("excel.refused.macro")
    content_types = names.get("[content_types].xml")
    if content_types is None or "xl/workbook.xml" not in names:
        raise ExcelRefused("excel.refused.not_xlsx")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ExcelRefused("excel.refused.not_xlsx")
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
           for info in infos):
        raise ExcelRefused("excel.refused.not_xlsx")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNCOMPRESSED:
        raise _refuse_bomb()
    worksheets = tuple(sorted(n for n in names if n.startswith("xl/worksheets/")
                              and n.endswith(".xml") and n.count("/") == 2))
    if not worksheets:
        raise ExcelRefused("excel.refused.no_sheet")
    small = sum(names[n].file_size for n in worksheets) <= SCAN_MAX
    total = 0
    extent = Extent(0, 0, exact=small)
    try:
        for lower, info in names.items():
            is_sheet = lower in worksheets
            actual, body, last_row = _read_entry(zf, info, MAX_UNCOMPRESSED - total,
                                                 keep=(is_sheet and small)
                                                 or info is content_types)
            total += actual
            if actual >= RATIO_MIN_SIZE and actual > MAX_RATIO * max(info.compress_size, 1):
                raise _refuse_bomb()
            if info is content_types and body is not None:
                lowered = body.lower()
                if any(marker in lowered for marker in _MACRO_MARKERS):
                    raise ExcelRefused("excel.refused.macro")
            if is_sheet:
                if body is not None:
                    extent = _merge(extent, _exact_extent(body))
                else:
                    extent = _merge(extent, Extent(last_row, 0, exact=False))
    except ExcelRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        raise ExcelRefused("excel.refused.not_xlsx") from None
    if extent.rows - 1 > max_rows:
        raise ExcelRefused("excel.refused.too_many_rows", rows=extent.rows - 1, limit=max_rows)
    if extent.exact and (extent.columns > MAX_COLUMNS
                         or extent.rows * extent.columns > MAX_CELLS):
        raise ExcelRefused("excel.refused.too_large", rows=extent.rows,
                           columns=extent.columns)
    return WorkbookInfo(size=size, uncompressed=total, entries=len(infos),
                        worksheets=worksheets, extent=extent, small=small and extent.exact)
