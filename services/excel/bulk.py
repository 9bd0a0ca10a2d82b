"""Set-based database helpers of the import: chunked IN lists, id allocation, bulk inserts.

Why not the ORM: an import writes up to 200,000 customers plus their tags, search grams and
tier history in one transaction; ``session.add`` per row costs minutes, an ``executemany`` of
plain tuples seconds. Ids are allocated up front (PostgreSQL: the serial sequence; SQLite: past
``max(id)`` under the write lock the import already holds) so that child rows can be linked
without reading anything back.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Table, func, select, text

from db.copy import copy_in

IN_CHUNK: Final = 2000
"""Values per IN (...) list: one query per chunk, well under every backend's limit."""
WRITE_CHUNK: Final = 5000

T = TypeVar("T")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk job.

    An import holds hundreds of thousands of small objects (rows, dicts, strings) without
    reference cycles; every full collection would walk them all again, repeatedly, for
    nothing. Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` new primary keys for ``table``, in ascending order.

    On SQLite the caller must already hold the write lock (it has written in this transaction),
    so nobody else can insert between ``max(id)`` and our insert.
    """
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        ids = conn.execute(text(
            "SELECT nextval(CAST(pg_get_serial_sequence(:t, 'id') AS regclass)) "
            "FROM generate_series(1, :n)"), {"t": table.name, "n": count}).scalars().all()
        return sorted(ids)
    top = conn.execute(select(func.max(table.c.id))).scalar() or 0
    return list(range(top + 1, top + count + 1))


def _processors(conn: Connection, table: Table, columns: Sequence[str]
                ) -> list[tuple[int, Callable[[Any], Any]]]:
    dialect = conn.dialect
    found = []
    for i, name in enumerate(columns):
        proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            found.append((i, proc))
    return found


def _convert(rows: Sequence[tuple[Any, ...]], procs: list[tuple[int, Callable[[Any], Any]]],
             memo: dict[int, dict[Any, Any]]) -> list[tuple[Any, ...]]:
    """Apply the column types' bind processors; equal dates are converted once."""
    if not procs:
        return list(rows)
    converted = []
    for row in rows:
        values = list(row)
        for i, proc in procs:
            value = values[i]
            if value is None:
                continue
            if isinstance(value, date):
                cache = memo[i]
                hit = cache.get(value)
                if hit is None:
                    hit = cache[value] = proc(value)
                values[i] = hit
            else:
                values[i] = proc(value)
        converted.append(tuple(values))
    return converted


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[tuple[Any, ...]], *, chunk: int = WRITE_CHUNK) -> None:
    """INSERT plain tuples (values in ``columns`` order), a chunk at a time.

    SQLite: one ``executemany`` per chunk. PostgreSQL: ``COPY ... FROM STDIN`` through the
    open transaction's psycopg connection, several times faster than row-by-row inserts for
    the same rows. Column types still apply (aware datetimes, dates and money are converted as
    the ORM would store them).
    """
    if not rows:
        return
    procs = _processors(conn, table, columns)
    memo: dict[int, dict[Any, Any]] = {i: {} for i, _ in procs}
    if conn.dialect.name == "postgresql":
        _copy(conn, table, columns, rows, procs, memo, chunk)
        return
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    # Identifiers come from the model, never from input; values are bound.
    stmt = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join([mark] * len(columns))})")
    for part in chunks(rows, chunk):
        conn.exec_driver_sql(stmt, _convert(part, procs, memo))


def _copy(conn: Connection, table: Table, columns: Sequence[str],
          rows: Sequence[tuple[Any, ...]], procs: list[tuple[int, Callable[[Any], Any]]],
          memo: dict[int, dict[Any, Any]], chunk: int) -> None:
    with copy_in(conn, table.name, columns) as copy:
        write_row = copy.write_row
        for part in chunks(rows, chunk):
            for row in _convert(part, procs, memo):
                write_row(row)


def to_ranges(ids: Iterable[int]) -> list[list[int]]:
    """``[1, 2, 3, 7]`` -> ``[[1, 3], [7, 7]]``: how an import remembers what it inserted."""
    ranges: list[list[int]] = []
    for value in sorted(ids):
        if ranges and value == ranges[-1][1] + 1:
            ranges[-1][1] = value
        else:
            ranges.append([value, value])
    return ranges


def from_ranges(ranges: Iterable[Sequence[int]] | None) -> list[int]:
    return [v for first, last in (ranges or []) for v in range(int(first), int(last) + 1)]
