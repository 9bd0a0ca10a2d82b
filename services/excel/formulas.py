"""Formula cells that carry no cached value, so that an import never loses them silently.

Why: Excel saves each formula's last result beside it, and the parsers (python-calamine,
openpyxl with ``data_only``) read that result. A workbook written by a program (openpyxl,
some exporters) has the formula only: the parsers then see an empty cell, and a 备注 computed
by ``=A2&"…"`` would arrive empty. The spec: take the cached value; where there is none,
import the formula's text as plain text and warn once, naming those cells.

So this module reads the chosen worksheet's XML (after ``safety.check_upload`` found the
package sane) and lists the formula cells without a cached value with their formula text.
"No cached value" is no ``<v>`` at all, or an empty one on a cell that is not a text result
(``t="str"`` with an empty ``<v>`` is Excel's cached empty string). Shared formulas are
translated from their anchor cell, as Excel shows them in each cell.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Final
from xml.parsers import expat

from services.excel.safety import column_letters, column_number, holds_formula

_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_MAIN: Final = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_ATTR: Final = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships id")
_REF: Final = re.compile(r"([A-Za-z]{1,4})(\d{1,9})")
_CHUNK: Final = 2**20
MAX_NAMED: Final = 20
"""Cell addresses a warning names; more are counted, not listed."""

Formulas = Mapping[tuple[int, int], str]
"""(row index, column index), both 0-based -> the formula's text with its leading ``=``."""


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _parse(data: bytes, start: Any, end: Any = None, chars: Any = None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    parser.Parse(data, True)


def _sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> tuple[str, str] | None:
    """The zip entry of the worksheet named ``sheet_name`` (workbook.xml and its rels) and its
    lower-case part name."""
    names = {info.filename.replace("\\", "/").lstrip("/").lower(): info.filename
             for info in zf.infolist()}
    workbook = names.get("xl/workbook.xml")
    rels = names.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return None
    wanted: list[str] = []

    def sheet(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet" and attrs.get("name") == sheet_name and not wanted:
            rid = next((attrs[k] for k in _REL_ATTR if k in attrs), None)
            if rid is not None:
                wanted.append(rid)

    _parse(zf.read(workbook), sheet)
    if not wanted:
        return None
    targets: dict[str, str] = {}

    def rel(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and "Id" in attrs and "Target" in attrs:
            targets[attrs["Id"]] = attrs["Target"]

    _parse(zf.read(rels), rel)
    target = targets.get(wanted[0])
    if target is None:
        return None
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    lower = posixpath.normpath(path).lower()
    entry = names.get(lower)
    return None if entry is None else (entry, lower)


def _has_formulas(zf: zipfile.ZipFile, part: str) -> bool:
    """A cheap scan of the part for a formula element, before parsing it."""
    edge = b""
    with zf.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if holds_formula(edge + chunk[:8]) or holds_formula(chunk):
                return True
            edge = chunk[-8:]
    return False


class _SheetScan:
    """Expat handlers collecting formula cells without a cached value."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, int], str] = {}
        self.shared: dict[str, tuple[str, str]] = {}  # si -> (anchor ref, formula)
        self.row = -1
        self.col = -1
        self.in_cell = False
        self.cell_type = ""
        self.ref = ""
        self.formula: list[str] | None = None
        self.formula_attrs: dict[str, str] = {}
        self.value: list[str] | None = None
        self.text: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "row":
            r = attrs.get("r")
            self.row = int(r) - 1 if r and r.isdigit() else self.row + 1
            self.col = -1
        elif tag == "c":
            self.in_cell = True
            self.cell_type = attrs.get("t", "n")
            found = _REF.fullmatch(attrs.get("r", ""))
            if found:
                self.col = column_number(found.group(1)) - 1
                self.row = int(found.group(2)) - 1
            else:
                self.col += 1
            self.ref = f"{column_letters(self.col + 1)}{self.row + 1}"
            self.formula, self.value, self.formula_attrs = None, None, {}
        elif self.in_cell and tag == "f":
            self.formula, self.formula_attrs = [], dict(attrs)
            self.text = self.formula
        elif self.in_cell and tag == "v":
            self.value = []
            self.text = self.value

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag in ("f", "v"):
            self.text = None
        elif tag == "c" and self.in_cell:
            self.in_cell = False
            if self.formula is not None:
                self._formula_cell("".join(self.formula))

    def _formula_cell(self, text: str) -> None:
        attrs = self.formula_attrs
        si = attrs.get("si")
        if attrs.get("t") == "shared" and si is not None:
            if text.strip():
                self.shared[si] = (self.ref, text)
            elif si in self.shared:
                text = _translate(*self.shared[si], self.ref)
        value = None if self.value is None else "".join(self.value)
        cached = value is not None and (value != "" or self.cell_type == "str")
        if not cached and text.strip():
            self.found[(self.row, self.col)] = "=" + text


def _translate(anchor: str, formula: str, ref: str) -> str:
    """A shared formula as it reads in ``ref`` (relative references moved)."""
    from openpyxl.formula.translate import Translator

    try:
        return Translator("=" + formula, origin=anchor).translate_formula(ref)[1:]
    except Exception:
        return formula


def uncached_formulas(data: bytes, sheet_name: str,
                      formula_parts: Collection[str] | None = None
                      ) -> dict[tuple[int, int], str]:
    """The formula cells of the worksheet ``sheet_name`` that carry no cached value.

    ``formula_parts``: the worksheet parts ``safety.check_upload`` saw a formula in (it reads
    every byte anyway); a part not among them is not read again. None: scan the part here.
    Empty when there are none, and when the package cannot be read this way (the parsers
    read it; nothing more can be said about formulas then).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            found = _sheet_part(zf, sheet_name)
            if found is None:
                return {}
            part, lower = found
            if not (lower in formula_parts if formula_parts is not None
                    else _has_formulas(zf, part)):
                return {}
            scan = _SheetScan()
            parser = expat.ParserCreate(namespace_separator=" ")
            parser.StartElementHandler = scan.start
            parser.EndElementHandler = scan.end
            parser.CharacterDataHandler = scan.chars
            with zf.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
            return scan.found
    except (zipfile.BadZipFile, expat.ExpatError, KeyError, ValueError, OSError):
        return {}


def patched_rows(rows: Iterator[tuple[Any, ...]], formulas: Formulas
                 ) -> Iterator[tuple[Any, ...]]:
    """``rows`` (absolute positions, from row 1) with each formula cell that had no cached
    value holding its formula text; rows and columns beyond the parser's range (it leaves out
    cells without a value) are added, as wide as the other rows at least."""
    if not formulas:
        yield from rows
        return
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in formulas.items():
        by_row.setdefault(r, []).append((c, text))
    last = max(by_row)
    seen = 0
    width = 0
    for number, cells in enumerate(rows):
        seen = number + 1
        width = max(width, len(cells))
        patch = by_row.get(number)
        yield _patch(cells, patch, width) if patch else cells
    for number in range(seen, last + 1):
        yield _patch((), by_row.get(number, []), width)


def _patch(cells: Sequence[Any], patch: Sequence[tuple[int, str]], width: int
           ) -> tuple[Any, ...]:
    out = list(cells)
    width = max([width, *(c + 1 for c, _ in patch)])
    if len(out) < width:
        out.extend([""] * (width - len(out)))
    for c, text in patch:
        out[c] = text
    return tuple(out)


def last_row(formulas: Formulas) -> int:
    """The 1-based number of the last row holding such a formula (0 when none)."""
    return max((r + 1 for r, _ in formulas), default=0)


def addresses(formulas: Formulas) -> list[str]:
    """The cells' addresses (``C2``) in reading order."""
    return [f"{column_letters(c + 1)}{r + 1}" for r, c in sorted(formulas)]
