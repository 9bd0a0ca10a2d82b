"""Reading an uploaded workbook: the safety checks, the header row, the columns and the rows.

python-calamine parses the sheet. It is fast, but it allocates the sheet's whole used range at
once (a copy of a shared string for every cell that shows it), and an allocation failure
aborts the process instead of raising. So a workbook that ``services.excel.safety`` measured
in full and found small (every part, each shared string counted per cell) is parsed here; any
other is parsed in a child process with a memory limit, where a crash costs nothing but the
child, and which counts the text of the cells before it hands over a single row. The child
also checks the rows (all of them, or all but every ``parent_every``-th chunk, which this
process checks) and makes the search grams of those it checked, so a 100,000-row import works
on two cores.

Rows come back checked (``services.excel.rows``), in order, with Excel's own row numbers (the
header is row 1); fully blank rows are only counted.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import subprocess
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, Final, Protocol

from services.customers.search_index import GramPositions
from services.customers.validation import cell_text
from services.excel.formulas import (
    MAX_NAMED,
    addresses,
    last_row,
    patched_rows,
    uncached_formulas,
)
from services.excel.issues import ExcelRefused, Issue, Label
from services.excel.kinds import ImportKind, is_reasons_header
from services.excel.rows import (
    CheckedCustomer,
    CheckedRecord,
    Checker,
    check_rows,
    from_wire,
    grams_for_writing,
)
from services.excel.safety import MAX_TEXT, WorkbookInfo, check_upload, column_letters

CHUNK_ROWS: Final = 2000
CHILD_EARLY_BYTES: Final = 512 * 1024
CHILD_MEMORY_LIMIT: Final = 3 * 2**30
"""Address space of the parsing child: a sheet that needs more is refused, not parsed."""

ProgressFn = Callable[[str, int, int], None]
Overrides = Mapping[int | str, str | None]
"""Caller's column mapping: column index (0-based) or header text -> field key (None: ignore)."""


@dataclass(frozen=True)
class ColumnInfo:
    """One column of the uploaded sheet and what it is read as."""

    index: int
    letter: str
    header: str | None
    key: str | None
    label: Label | None
    auto: bool
    """The mapping comes from the header (False: set by the caller)."""

    @property
    def name(self) -> str:
        """The header as the file has it, or ``第 X 列`` for a column without one."""
        return self.header or self.letter


@dataclass
class SheetData:
    """A read and checked sheet."""

    kind: str
    sheet: str
    columns: list[ColumnInfo]
    header: tuple[Any, ...]
    rows: list[Any]
    blank: int
    warnings: list[Issue] = field(default_factory=list)
    info: WorkbookInfo | None = None
    given_numbers: frozenset[str] = frozenset()
    """Every 客户编号 typed in the file (upper-cased): never issued to another row."""

    def header_for(self, key: str | None) -> str | None:
        """The file's header of the column read as ``key`` (None if no such column)."""
        if key is None:
            return None
        for col in self.columns:
            if col.key == key:
                return col.name
        return None


# ---- columns ------------------------------------------------------------------------------------

def resolve_columns(kind: ImportKind, header: Sequence[Any], overrides: Overrides | None = None
                    ) -> tuple[list[ColumnInfo], list[Issue]]:
    """Match each header to a column key, apply the caller's overrides, and note columns that
    stand for a key an earlier column already has (the first one wins)."""
    texts = [cell_text(h) for h in header]
    forced: dict[int, str | None] = {}
    for target_col, key in (overrides or {}).items():
        if isinstance(target_col, int):
            if not 0 <= target_col < len(texts):
                raise ExcelRefused("excel.refused.no_such_column", column=target_col + 1)
            index = target_col
        else:
            wanted = cell_text(target_col)
            found = [i for i, text in enumerate(texts) if text == wanted]
            if not found:
                raise ExcelRefused("excel.refused.no_such_column", column=target_col)
            index = found[0]
        if key is not None and key not in kind.column_keys():
            raise ExcelRefused("excel.refused.bad_mapping", column=texts[index] or
                               column_letters(index + 1), target=key)
        forced[index] = key
    columns: list[ColumnInfo] = []
    seen: dict[str, int] = {}
    warnings: list[Issue] = []
    for i, text in enumerate(texts):
        auto = i not in forced
        key = kind.match_header(text) if auto else forced[i]
        if key is not None and key in seen:
            first = columns[seen[key]]
            warnings.append(Issue("excel.warning.duplicate_column", {
                "column": text or column_letters(i + 1), "first": first.name,
                "field": kind.column(key).label}))
            key = None
        if key is not None:
            seen[key] = i
        columns.append(ColumnInfo(i, column_letters(i + 1), text, key,
                                  kind.column(key).label if key else None, auto))
    return columns, warnings


def require_columns(kind: ImportKind, columns: Sequence[ColumnInfo]) -> None:
    """Refuse a sheet that lacks a column no row can do without."""
    keys = {c.key for c in columns if c.key}
    if not any(c.header for c in columns):
        raise ExcelRefused("excel.refused.no_header")
    if kind.is_customers:
        if "name" not in keys:
            raise ExcelRefused("excel.refused.no_name_column")
        return
    if not keys & {"customer_no", "mobile"}:
        raise ExcelRefused("excel.refused.no_customer_ref")
    missing = [c.label for c in kind.columns if c.required and c.key not in keys]
    if missing:
        raise ExcelRefused("excel.refused.missing_columns", columns=missing)


def unknown_columns_warning(columns: Sequence[ColumnInfo], unnamed_with_data: set[int]
                            ) -> Issue | None:
    """ONE warning naming every column that is ignored: unknown headers, and columns without a
    header that hold data. The reasons column of a rejected-rows workbook is not "unknown"."""
    names: list[Any] = []
    for col in columns:
        if col.key is not None or not col.auto:
            continue
        if col.header is None:
            if col.index in unnamed_with_data:
                names.append(Issue("excel.column.unnamed", {"letter": col.letter}))
        elif not is_reasons_header(col.header):
            names.append(col.header)
    if not names:
        return None
    return Issue("excel.warning.unknown_columns", {"columns": names})


# ---- parsing ------------------------------------------------------------------------------------

class _OpenpyxlSheet:
    """openpyxl's read-only reader behind calamine's sheet interface: the fallback for the
    rare workbook calamine refuses (slower, but it streams)."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self.start = (0, 0)
        rows, cols = ws.max_row or 0, ws.max_column or 0
        self.end = (rows - 1, cols - 1) if rows and cols else None

    def iter_rows(self) -> Iterator[list[Any]]:
        for row in self._ws.iter_rows(values_only=True):
            yield ["" if v is None else v for v in row]


def _open_with_openpyxl(data: bytes, preferred: str) -> tuple[Any, str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ExcelRefused("excel.refused.unreadable") from None
    sheets = list(book.worksheets)
    if not sheets:
        raise ExcelRefused("excel.refused.no_sheet")
    chosen = next((ws for ws in sheets if ws.title == preferred), None) or \
        next((ws for ws in sheets if ws.sheet_state == "visible"), sheets[0])
    return _OpenpyxlSheet(chosen), chosen.title


def _open_sheet(data: bytes, preferred: str) -> tuple[Any, str]:
    """The sheet to read: the one named like the template's data sheet, else the first
    visible worksheet. python-calamine parses it; openpyxl if calamine cannot."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m for m in book.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
        if not sheets:
            raise ExcelRefused("excel.refused.no_sheet")
        chosen = next((m for m in sheets if m.name == preferred), None) or \
            next((m for m in sheets if m.visible == pc.SheetVisibleEnum.Visible), sheets[0])
        return book.get_sheet_by_name(chosen.name), chosen.name
    except ExcelRefused:
        raise
    except Exception:
        return _open_with_openpyxl(data, preferred)


def _sheet_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """Rows as tuples with absolute column positions (calamine starts rows at the first row but
    columns at the first used column)."""
    start = sheet.start
    offset = start[1] if start else 0
    pad = ("",) * offset
    for row in sheet.iter_rows():
        yield pad + tuple(row) if offset else tuple(row)


def _last_row(sheet: Any) -> int:
    end = sheet.end
    return end[0] + 1 if end else 0


def _chunks(rows: Iterator[tuple[Any, ...]], first_row: int
            ) -> Iterator[list[tuple[int, tuple[Any, ...]]]]:
    chunk: list[tuple[int, tuple[Any, ...]]] = []
    number = first_row
    for cells in rows:
        chunk.append((number, cells))
        number += 1
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _data_in(chunk: Sequence[tuple[int, tuple[Any, ...]]], candidates: Sequence[int]) -> set[int]:
    """Which of the header-less columns ``candidates`` hold a value in this chunk."""
    found: set[int] = set()
    for _row, cells in chunk:
        for i in candidates:
            if i < len(cells) and i not in found and cell_text(cells[i]) is not None:
                found.add(i)
    return found


MakeChecker = Callable[[list[ColumnInfo]], Checker]


class RowSink(Protocol):
    """Receives checked rows chunk by chunk, in file order, while the file is still being
    read (so an import can write what is checked while the rest is checked)."""

    def begin(self, columns: list[ColumnInfo], given_numbers: frozenset[str],
              total: int) -> None: ...

    def feed(self, rows: list[Any], grams: GramPositions | None = None) -> None:
        """``grams``: the search grams of the rows, when the parsing child made them."""


def _numbers_column(kind: ImportKind, columns: Sequence[ColumnInfo]) -> int | None:
    if not kind.is_customers:
        return None
    return next((c.index for c in columns if c.key == "customer_no"), None)


def given_numbers(rows: Iterable[Sequence[Any]], index: int | None) -> frozenset[str]:
    """Every non-blank 客户编号 cell, trimmed and upper-cased (as validation stores them)."""
    if index is None:
        return frozenset()
    found = set()
    for cells in rows:
        if index < len(cells):
            text = cell_text(cells[index])
            if text is not None:
                found.add(text.upper())
    return frozenset(found)


def read_sheet(data: bytes, kind: ImportKind, make_checker: MakeChecker, *,
               max_mb: float, max_rows: int, overrides: Overrides | None = None,
               progress: ProgressFn | None = None, sink: RowSink | None = None,
               parent_every: int = 2) -> SheetData:
    """Check ``data`` for safety, then read and check every row of the data sheet.

    ``make_checker`` gets the resolved columns and returns the row checker (it needs the
    database: users, industries). Without ``sink`` the checked rows end up in
    ``SheetData.rows``; with one they are handed to it chunk by chunk instead. When a child
    process parses the sheet, this process checks every ``parent_every``-th chunk and the child
    the others (0: the child checks them all, while this process writes). Raises
    ``ExcelRefused`` for a file that cannot be imported.
    """
    notify = progress or (lambda stage, done, total: None)
    # A big upload will need the child: start it now so its imports overlap the checks.
    child = _spawn_child() if len(data) > CHILD_EARLY_BYTES else None
    try:
        info = check_upload(data, max_mb=max_mb, max_rows=max_rows)
        if info.small:
            return _read_here(data, info, kind, make_checker, max_rows, overrides, notify,
                              sink)
        if child is None:
            child = _spawn_child()
        return _read_in_child(child, data, info, kind, make_checker, max_rows, overrides,
                              notify, sink, max(parent_every, 0))
    finally:
        if child is not None:
            _reap(child)


class _Collect:
    """The default sink: keep every checked row."""

    def __init__(self) -> None:
        self.rows: list[Any] = []
        self.numbers: frozenset[str] = frozenset()

    def begin(self, columns: list[ColumnInfo], given_numbers: frozenset[str],
              total: int) -> None:
        self.numbers = given_numbers

    def feed(self, rows: list[Any], grams: GramPositions | None = None) -> None:
        self.rows.extend(rows)


def _header_and_columns(kind: ImportKind, header: tuple[Any, ...], overrides: Overrides | None
                        ) -> tuple[list[ColumnInfo], list[Issue], list[int]]:
    columns, warnings = resolve_columns(kind, header, overrides)
    require_columns(kind, columns)
    unnamed = [c.index for c in columns if c.header is None and c.auto]
    return columns, warnings, unnamed


def _read_here(data: bytes, info: WorkbookInfo, kind: ImportKind, make_checker: MakeChecker,
               max_rows: int, overrides: Overrides | None, notify: ProgressFn,
               sink: RowSink | None) -> SheetData:
    sheet, name = _open_sheet(data, kind.sheet)
    formulas = uncached_formulas(data, name, info.formula_parts)
    last = max(_last_row(sheet), last_row(formulas))
    if last - 1 > max_rows:
        raise ExcelRefused("excel.refused.too_many_rows", rows=last - 1, limit=max_rows)
    rows = list(patched_rows(_sheet_rows(sheet), formulas))  # small (see safety.SCAN_MAX)
    header = rows[0] if rows else ()
    columns, warnings, unnamed = _header_and_columns(kind, header, overrides)
    checker = make_checker(columns)
    collect = _Collect() if sink is None else None
    target: RowSink = sink or collect  # type: ignore[assignment]
    numbers = given_numbers(rows[1:], _numbers_column(kind, columns))
    total = max(last - 1, 0)
    target.begin(columns, numbers, total)
    blank = 0
    with_data: set[int] = set()
    notify("read", 0, total)
    for chunk in _chunks(iter(rows[1:]), 2):
        if unnamed:
            with_data |= _data_in(chunk, unnamed)
        checked, blanks = check_rows(checker, chunk)
        blank += blanks
        notify("read", min(chunk[-1][0] - 1, total), total)
        target.feed(checked)
    return _finish(kind, name, columns, header, collect.rows if collect else [], blank,
                   warnings, with_data, info, numbers, _formula_cells(formulas))


def _formula_cells(formulas: Mapping[tuple[int, int], str]) -> tuple[list[str], int]:
    """The addresses a warning names (at most ``MAX_NAMED``) and how many cells there are."""
    return addresses(formulas)[:MAX_NAMED], len(formulas)


def formula_text_warning(named: Sequence[str], count: int) -> Issue | None:
    """ONE warning naming the formula cells imported as their text (no cached value)."""
    if not count:
        return None
    cells: list[str] = [*named, "…"] if count > len(named) else list(named)
    return Issue("importx.warning.formula_text", {"count": count, "cells": cells})


def _finish(kind: ImportKind, name: str, columns: list[ColumnInfo], header: tuple[Any, ...],
            rows: list[Any], blank: int, warnings: list[Issue], with_data: set[int],
            info: WorkbookInfo, numbers: frozenset[str],
            formula_cells: tuple[Sequence[str], int] = ((), 0)) -> SheetData:
    unknown = unknown_columns_warning(columns, with_data)
    formula = formula_text_warning(*formula_cells)
    warnings = [w for w in (unknown, formula) if w is not None] + warnings
    return SheetData(kind.name, name, columns, header, rows, blank, warnings, info, numbers)


# ---- the child process --------------------------------------------------------------------------

def _spawn_child() -> subprocess.Popen[bytes]:
    """Start the parsing child early, so its imports overlap the safety checks."""
    from core.settings import PROJECT_ROOT
    from services.access.secrets import get_secrets

    keys = get_secrets()
    env = {**os.environ, "CRM_COOKIE_KEY": keys.cookie_key,
           "CRM_ENCRYPTION_KEY": keys.encryption_key, "CRM_HASH_KEY": keys.hash_key}
    return subprocess.Popen(
        [sys.executable, "-c", "from services.excel.reader import child_main; child_main()"],
        cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)


def _reap(child: subprocess.Popen[bytes]) -> None:
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    if child.poll() is None:
        child.kill()
    child.wait()


def _receive(child: subprocess.Popen[bytes]) -> tuple[Any, ...]:
    assert child.stdout is not None
    try:
        message = pickle.load(child.stdout)
    except (EOFError, pickle.UnpicklingError, OSError):
        raise ExcelRefused("excel.refused.unreadable") from None
    if message[0] == "refused":
        raise ExcelRefused(message[1], **message[2])
    if message[0] == "error":
        raise RuntimeError(f"workbook reader failed:\n{message[1]}")
    return message


def _send(child: subprocess.Popen[bytes], message: object, *, close: bool = False) -> None:
    assert child.stdin is not None
    try:
        pickle.dump(message, child.stdin, pickle.HIGHEST_PROTOCOL)
        child.stdin.flush()
        if close:
            child.stdin.close()
    except (BrokenPipeError, OSError):
        raise ExcelRefused("excel.refused.unreadable") from None


def _read_in_child(child: subprocess.Popen[bytes], data: bytes, info: WorkbookInfo,
                   kind: ImportKind, make_checker: MakeChecker, max_rows: int,
                   overrides: Overrides | None, notify: ProgressFn, sink: RowSink | None,
                   parent_every: int) -> SheetData:
    """Parse in the child; check the chunks it sends raw while it checks the others."""
    _send(child, (data, kind.sheet, max_rows, info.formula_parts))
    _tag, name, header, last, formula_cells = _receive(child)
    try:
        columns, warnings, unnamed = _header_and_columns(kind, header, overrides)
        checker = make_checker(columns)
    except BaseException:
        _send(child, None, close=True)
        raise
    _send(child, (checker, unnamed, _numbers_column(kind, columns), parent_every), close=True)
    _tag, numbers = _receive(child)
    collect = _Collect() if sink is None else None
    target: RowSink = sink or collect  # type: ignore[assignment]
    total = max(last - 1, 0)
    target.begin(columns, numbers, total)
    blank = 0
    notify("read", 0, total)
    while True:
        message = _receive(child)
        grams = None
        if message[0] == "raw":
            checked, blanks = check_rows(checker, message[1])
            done = message[1][-1][0] - 1
        elif message[0] == "checked":
            checked = from_wire(message[1], kind.is_customers)
            blanks, done, grams = message[2], message[3], message[4]
        else:  # "done"
            with_data = message[1]
            break
        blank += blanks
        notify("read", min(done, total), total)
        target.feed(checked, grams)
    return _finish(kind, name, columns, header, collect.rows if collect else [], blank,
                   warnings, with_data, info, numbers, formula_cells)


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_LIMIT, CHILD_MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not Linux
        pass


def _too_much_text() -> ExcelRefused:
    return ExcelRefused("uploads.refused.too_much_text", limit=f"{MAX_TEXT:,}")


def _text_size(cells: Sequence[Any]) -> int:
    return sum([len(v) for v in cells if v.__class__ is str])  # a list: faster than a generator


def _counted(rows: Iterable[Sequence[Any]], start: int) -> Iterator[Sequence[Any]]:
    """``rows`` as they are, refused once their text (after ``start`` characters) passes
    ``safety.MAX_TEXT``.

    Why here: cells that show a shared string each get their own copy of it, so a few KB of
    references to one long string unpack to gigabytes of text. This pass runs before the
    child hands over any row, so the app's process never receives more than the limit.
    """
    total = start
    for cells in rows:
        total += _text_size(cells)
        if total > MAX_TEXT:
            raise _too_much_text()
        yield cells


def child_main() -> None:
    """Entry point of the parsing child: requests on stdin, pickled messages on stdout."""
    out: IO[bytes] = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # a stray print must not corrupt the stream
    _limit_memory()
    gc.disable()  # a short-lived process full of acyclic rows (see bulk.gc_paused)

    def send(message: object) -> None:
        pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        job = pickle.load(sys.stdin.buffer)
        data, preferred, max_rows, formula_parts = job
        sheet, name = _open_sheet(data, preferred)
        formulas = uncached_formulas(data, name, formula_parts)
        del data, job
        last = max(_last_row(sheet), last_row(formulas))
        if last - 1 > max_rows:
            raise ExcelRefused("excel.refused.too_many_rows", rows=last - 1, limit=max_rows)
        rows = patched_rows(_sheet_rows(sheet), formulas)
        header = next(rows, ())
        if _text_size(header) > MAX_TEXT:
            raise _too_much_text()
        send(("header", name, header, last, _formula_cells(formulas)))
        reply = pickle.load(sys.stdin.buffer)
        if reply is None:
            return
        checker, unnamed, numbers_at, parent_every = reply
        counted = _counted(islice(patched_rows(_sheet_rows(sheet), formulas), 1, None),
                           _text_size(header))
        numbers = given_numbers(counted, numbers_at)
        deque(counted, maxlen=0)  # the rows given_numbers did not need to read
        send(("numbers", numbers))
        with_data: set[int] = set()
        for n, chunk in enumerate(_chunks(rows, 2)):
            if unnamed:
                with_data |= _data_in(chunk, unnamed)
            if not parent_every or n % parent_every:
                checked, blanks = check_rows(checker, chunk)
                send(("checked", [c.to_wire() for c in checked], blanks, chunk[-1][0] - 1,
                      grams_for_writing(checker, checked)))
            else:
                send(("raw", chunk))
        send(("done", with_data))
    except ExcelRefused as exc:
        send(("refused", exc.key, exc.params))
    except (BrokenPipeError, EOFError):
        pass
    except BaseException:
        send(("error", traceback.format_exc()))
    finally:
        out.close()


__all__ = ["CheckedCustomer", "CheckedRecord", "ColumnInfo", "RowSink", "SheetData",
           "read_sheet", "resolve_columns"]
