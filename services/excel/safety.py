"""Checks on an uploaded workbook BEFORE any spreadsheet parser sees it.

Why by content and by hand: a file's name says nothing (a renamed CSV or ZIP is not a
workbook), macro-enabled workbooks must never be accepted, and a parser handed a zip bomb or a
"sparse bomb" (one cell at XFD1048576 makes calamine allocate the whole rectangle and abort the
process) takes the app down with it. So the zip directory is read with the standard library,
every entry is decompressed here in bounded chunks to the end of its stream (sizes in headers
can lie), macros and other active content are judged from the parsed content types and
relationships (names and bytes can be disguised), and the extent of the cells is measured;
only then does ``services.excel.reader`` parse the sheet.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from xml.parsers import expat

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
"""A workbook whose parts ALL together unpack to at most this is parsed in the app's process
(its worksheets are kept and their cell extent measured exactly); any larger one is parsed in
a child process with a memory limit (see ``reader``)."""
MAX_TEXT: Final = 128 * 2**20
"""Characters in all cells of the parsed sheet, a shared string counted once per cell that
shows it: 200,000 rows of 670 characters. Counted by the parsing child before it hands over a
single row (see ``reader``): a few KB of references to one long shared string would otherwise
become gigabytes of text in the app's process."""
_CHUNK: Final = 2**20
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_CONTENT_TYPES: Final = "[content_types].xml"
_MACRO_MARKERS: Final = ("macroenabled", "vbaproject", "macrosheet", "vbadata")
"""In a content type or relationship type (lower-cased): VBA projects and their signatures,
macro-enabled main parts (also of embedded packages), Excel 4 macro sheets."""
_ACTIVE_MARKERS: Final = ("activex", "oleobject")
"""ActiveX controls (their parts and binaries) and embedded OLE objects."""
_ACTIVEX_RELATIONSHIP: Final = "/relationships/control"
"""The relationship type from a sheet to an ActiveX control part."""
_ROW_TAG: Final = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,9})"')
_PLAIN_ROW_TAG: Final = re.compile(rb'<row\b[^>]*?\sr="(\d{1,9})"')
"""``_ROW_TAG`` without a namespace prefix: its literal start makes the scan of a large sheet
about five times faster; used where no ``:row`` occurs (what every common writer produces)."""
_CELL_REF: Final = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Za-z]{1,4})(\d{1,9})"')
_CELL_TAG: Final = re.compile(rb"<(?:\w+:)?c[\s>/]")
_STRING_TAG: Final = re.compile(rb"<(?:\w+:)?si[\s>/]")
_DECLARATION: Final = re.compile(rb"""\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")


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
    """Every part, each shared string counted as often as cells show it, is small, and the
    extent of the cells exact: safe to parse in this process."""
    formula_parts: frozenset[str] = frozenset()
    """Worksheet parts (lower-case names) holding a formula element: only those need reading
    again for formulas without a cached value (``services.excel.formulas``)."""


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


_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]|</(?:\w+:)?f>")


def holds_formula(xml: bytes) -> bool:
    """Whether this stretch of worksheet XML holds a formula element (``<f>…</f>``,
    ``<x:f …>``). One substring test first (every formula with a text ends in ``f>``), the
    exact pattern only where it hits: this runs over every byte of a large sheet."""
    return b"f>" in xml and _FORMULA_TAG.search(xml) is not None


def _refuse_bomb() -> ExcelRefused:
    return ExcelRefused("excel.refused.bomb")


def _exact_extent(xml: bytes) -> tuple[Extent, int]:
    """Last row and column of every cell, when every cell carries its reference; and the
    number of cells."""
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
    return Extent(max_row, max_col, exact=refs == cells), cells


def _merge(a: Extent, b: Extent) -> Extent:
    return Extent(max(a.rows, b.rows), max(a.columns, b.columns), a.exact and b.exact)


def _string_sizes(xml: bytes) -> list[int]:
    """Each shared string (``<si>``) of a part, in order, by an upper bound of its size: the
    bytes from its tag to the next one's (or to the end)."""
    starts = [m.start() for m in _STRING_TAG.finditer(xml)]
    starts.append(len(xml))
    return [b - a for a, b in itertools.pairwise(starts)]


def _no_dtd(parser: Any) -> None:
    """Make an expat parser refuse any DTD: no entity declarations, nothing external."""
    def refuse(*_args: object) -> None:
        raise ExcelRefused("excel.refused.not_xlsx")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)


def _shared_text(xml: bytes, sizes: Sequence[int]) -> int | None:
    """What the shared strings shown by this part's cells add up to, each cell counted (None:
    not well-formed XML). Parsed, so ``t="&#115;"`` is a shared-string cell here as it is
    to the parser."""
    parser = expat.ParserCreate()
    _no_dtd(parser)
    total = 0
    shared = in_value = False
    text: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal shared, in_value
        tag = name.rpartition(":")[2]
        if tag == "c":
            shared = attrs.get("t") == "s"
            text.clear()
        elif tag == "v" and shared:
            in_value = True

    def end(name: str) -> None:
        nonlocal total, shared, in_value
        tag = name.rpartition(":")[2]
        if tag == "v":
            in_value = False
        elif tag == "c" and shared:
            index = "".join(text).strip()
            if index.isdigit() and int(index) < len(sizes):
                total += sizes[int(index)]
            shared = False

    def chars(data: str) -> None:
        if in_value:
            text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(xml, True)
    except expat.ExpatError:
        return None
    return total


def _raw_stream(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The part's stored (compressed) bytes, located through its local header (which must
    name the same part as the directory, as ``zipfile`` itself insists)."""
    start = info.header_offset
    head = data[start:start + 30]
    if len(head) < 30 or not head.startswith(_ZIP_MAGIC):
        raise ExcelRefused("excel.refused.not_xlsx")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    try:
        name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
    except UnicodeEncodeError:
        raise ExcelRefused("excel.refused.not_xlsx") from None
    if data[start + 30:start + 30 + name_len] != name:
        raise ExcelRefused("excel.refused.not_xlsx")
    begin = start + 30 + name_len + extra_len
    end = begin + info.compress_size
    if end > len(data):
        raise ExcelRefused("excel.refused.not_xlsx")
    return memoryview(data)[begin:end]


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """A raw deflate stream decompressed to its very end, at most ``_CHUNK`` bytes at a time."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for offset in range(0, len(raw), _CHUNK):
        pending = bytes(raw[offset:offset + _CHUNK])
        while True:
            out = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof or (not pending and len(out) < _CHUNK):
                break
        if inflater.eof:
            return
    raise ExcelRefused("excel.refused.not_xlsx")  # the stream is cut short


def _expand(data: bytes, info: zipfile.ZipInfo, budget: int) -> Iterator[bytes]:
    """Every byte a parser would get from this part, in chunks.

    Decompressed here from the raw stream rather than through ``zipfile``: ``zipfile`` stops
    at the size the header declares, so a header that understates the size (with the CRC of
    that prefix) would hide the rest of the stream, which other zip readers (calamine's)
    decompress in full. More bytes than declared, or more than ``budget``, is a bomb.
    """
    raw = _raw_stream(data, info)
    chunks = (_inflate(raw) if info.compress_type == zipfile.ZIP_DEFLATED
              else (bytes(raw[i:i + _CHUNK]) for i in range(0, len(raw), _CHUNK)))
    size = 0
    crc = 0
    for chunk in chunks:
        size += len(chunk)
        if size > info.file_size or size > budget:
            raise _refuse_bomb()
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != info.file_size or crc != info.CRC:
        raise ExcelRefused("excel.refused.not_xlsx")


def _judge(value: str, *, relationship: bool) -> None:
    """Refuse a content type or relationship type that stands for active content."""
    lowered = value.strip().lower()
    if any(marker in lowered for marker in _MACRO_MARKERS):
        raise ExcelRefused("excel.refused.macro")
    if any(marker in lowered for marker in _ACTIVE_MARKERS) or (
            relationship and lowered.endswith(_ACTIVEX_RELATIONSHIP)):
        raise ExcelRefused("uploads.refused.active_content")


def _package_xml(attribute: str, *, relationship: bool) -> Any:
    """A streaming XML parser (expat) for a package part: ``[Content_Types].xml`` (judging
    every ``ContentType``) or a ``.rels`` part (every relationship ``Type``).

    Parsed rather than searched, so character references (``macro&#69;nabled``), another
    encoding (UTF-16) or odd spacing hide nothing. A DTD is refused outright: the packaging
    standard forbids it, and it is the only door to entity tricks (billion laughs, external
    entities).
    """
    parser = expat.ParserCreate()
    _no_dtd(parser)

    def start(_name: str, attrs: dict[str, str]) -> None:
        value = attrs.get(attribute)
        if value is not None:
            _judge(value, relationship=relationship)

    parser.StartElementHandler = start
    return parser


def _read_part(data: bytes, info: zipfile.ZipInfo, lower: str, budget: int,
               keep: bool, sheet: bool = False) -> tuple[int, bytes | None, int, bool]:
    """Decompress one part in chunks: (actual size, bytes if ``keep``, last row tag seen,
    whether a ``sheet`` part holds a formula element).

    On the way: a compound (OLE) file is active content whatever its name; the content types
    and every relationships part are parsed and judged.
    """
    size = 0
    parts: list[bytes] = []
    last_row = 0
    tail = b""
    formulas = False
    edge = b""
    parser = (_package_xml("ContentType", relationship=False) if lower == _CONTENT_TYPES
              else _package_xml("Type", relationship=True) if lower.endswith(".rels")
              else None)
    try:
        for chunk in _expand(data, info, budget):
            if not size and chunk.startswith(_OLE_MAGIC):
                raise ExcelRefused("uploads.refused.active_content")
            size += len(chunk)
            if sheet and not formulas:
                formulas = holds_formula(edge + chunk[:8]) or holds_formula(chunk)
                edge = chunk[-8:]
            if parser is not None:
                parser.Parse(chunk, False)
            if keep:
                parts.append(chunk)
            else:
                window = tail + chunk
                rows = _ROW_TAG if b":row" in window else _PLAIN_ROW_TAG
                last_row = max(last_row, max(map(int, rows.findall(window)), default=0))
                tail = chunk[-1024:]
        if parser is not None:
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise ExcelRefused("excel.refused.not_xlsx") from None
    return size, (b"".join(parts) if keep else None), last_row, formulas


def _part_name(info: zipfile.ZipInfo) -> str:
    """The part name as Excel compares them: case-insensitive, ``/`` or ``\\``, no leading
    slash."""
    return info.filename.replace("\\", "/").lstrip("/").lower()


def _byte_readable(body: bytes) -> bool:
    """Whether the tags of this part, if it is XML, are plain ASCII bytes, as the byte
    patterns here assume: not UTF-16 or UTF-32 (with or without a byte order mark), not
    EBCDIC, and no declared encoding other than UTF-8 or ASCII. Excel writes UTF-8; the
    fallback parser (openpyxl) reads the others, so a sheet in UTF-16 was measured as empty."""
    head = body[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<",
                        b"\x00\x00\x00<", b"\x4c\x6f\xa7\x94")):
        return False
    declaration = _DECLARATION.match(body.removeprefix(b"\xef\xbb\xbf"))
    return declaration is None or declaration.group(1).lower() in (
        b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _measure_small(parts: dict[str, bytes], total: int) -> tuple[Extent, bool]:
    """The extent of the cells in EVERY part (a worksheet need not live in
    ``xl/worksheets/``: the parser follows the workbook's relationships), and whether the
    workbook stays small once each cell showing a shared string counts that string's size.

    First a cheap bound (cells x the longest string); only when that is too high, the exact
    sum (parsing the parts). Past ``MAX_UNCOMPRESSED`` it is a bomb: a few KB of cells that
    all show one 32,767-character string.
    """
    extent = Extent(0, 0, exact=True)
    cells = 0
    with_cells: list[bytes] = []
    tables: list[list[int]] = []
    for body in parts.values():
        if not _byte_readable(body):  # the measures below would see nothing: the child
            return Extent(0, 0, exact=False), False
        found, count = _exact_extent(body)
        extent = _merge(extent, found)
        if count:
            cells += count
            with_cells.append(body)
        sizes = _string_sizes(body)
        if sizes:
            tables.append(sizes)
    # Whichever part the parser takes for the shared strings, no string is longer than this.
    sizes = [max(column) for column in itertools.zip_longest(*tables, fillvalue=0)]
    if total + cells * max(sizes, default=0) <= SCAN_MAX:
        return extent, True
    expanded = total
    for body in with_cells:
        shown = _shared_text(body, sizes)
        if shown is None:  # the parser will not make sense of it either: the child decides
            return extent, False
        expanded += shown
        if expanded > MAX_UNCOMPRESSED:
            raise _refuse_bomb()
    return extent, expanded <= SCAN_MAX


def check_upload(data: bytes, *, max_mb: float, max_rows: int) -> WorkbookInfo:
    """Refuse (``ExcelRefused``) anything that is not a plain, sane ``.xlsx`` workbook.

    In this order: empty or over ``max_mb``; an old ``.xls`` or encrypted workbook (OLE);
    not a zip; two parts of the same name; not a workbook by content
    (``[Content_Types].xml`` and ``xl/workbook.xml``); macros by part name (``vbaProject.bin``,
    Excel 4 macro sheets); too many entries; too large uncompressed or compressed too well
    (bombs, counting every part, whatever its header says); then, part by part: macros,
    ActiveX or OLE objects by content type, relationship type or content; more data rows than
    ``max_rows``; a used range too large to parse.

    ``small`` (parse in this process) only when ALL parts together are at most ``SCAN_MAX``
    bytes unpacked: the parser expands shared strings, styles and the rest too, not just the
    worksheets.
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
    names = {_part_name(info): info for info in infos}
    if len(names) != len(infos):  # which copy would a parser read?
        raise ExcelRefused("excel.refused.not_xlsx")
    if any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names):
        raise ExcelRefused("excel.refused.macro")
    if _CONTENT_TYPES not in names or "xl/workbook.xml" not in names:
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
    # No part may unpack to more than its header declares (see _expand), so this holds.
    small = declared <= SCAN_MAX
    total = 0
    extent = Extent(0, 0, exact=small)
    kept: dict[str, bytes] = {}
    with_formulas: set[str] = set()
    try:
        for lower, info in names.items():
            is_sheet = lower in worksheets
            package = lower == _CONTENT_TYPES or lower.endswith(".rels")
            actual, body, last_row, formulas = _read_part(
                data, info, lower, MAX_UNCOMPRESSED - total, keep=small and not package,
                sheet=is_sheet)
            if formulas:
                with_formulas.add(lower)
            total += actual
            if actual >= RATIO_MIN_SIZE and actual > MAX_RATIO * max(info.compress_size, 1):
                raise _refuse_bomb()
            if body is not None:
                kept[lower] = body
            elif is_sheet:
                extent = _merge(extent, Extent(last_row, 0, exact=False))
    except ExcelRefused:
        raise
    except (zlib.error, ValueError):
        raise ExcelRefused("excel.refused.not_xlsx") from None
    if small:
        extent, small = _measure_small(kept, total)
    if extent.rows - 1 > max_rows:
        raise ExcelRefused("excel.refused.too_many_rows", rows=extent.rows - 1, limit=max_rows)
    if extent.exact and (extent.columns > MAX_COLUMNS
                         or extent.rows * extent.columns > MAX_CELLS):
        raise ExcelRefused("excel.refused.too_large", rows=extent.rows,
                           columns=extent.columns)
    return WorkbookInfo(size=size, uncompressed=total, entries=len(infos),
                        worksheets=worksheets, extent=extent, small=small and extent.exact,
                        formula_parts=frozenset(with_formulas))
