"""PostgreSQL ``COPY ... FROM STDIN`` inside the caller's open transaction.

Bulk writers (the import, the search index, the demo seeder) load rows several times faster
this way than with row inserts; they all open it here, so the statement is built one way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from sqlalchemy import Connection


def _refuse_nul(table: str, column: str) -> NoReturn:
    raise ValueError(f"COPY into {table}: a NUL character in {column} cannot be stored")


on_nul: Callable[[str, str], NoReturn] = _refuse_nul
"""Raises for a NUL about to be copied (``services.system.text_guard`` installs its own refusal):
PostgreSQL cannot store one, and psycopg's own error would abort the COPY with no field."""


class _CheckedCopy:
    """psycopg's ``Copy``, refusing a NUL in what is written before it reaches the server."""

    def __init__(self, copy: Any, table: str, columns: Sequence[str]) -> None:
        self._copy = copy
        self._table = table
        self._columns = columns

    def write_row(self, row: Sequence[Any]) -> None:
        for column, value in zip(self._columns, row, strict=False):
            if type(value) is str and "\x00" in value:
                on_nul(self._table, column)
        self._copy.write_row(row)

    def write(self, data: str | bytes) -> None:
        if ("\x00" if isinstance(data, str) else b"\x00") in data:
            on_nul(self._table, ", ".join(self._columns))
        self._copy.write(data)


@contextmanager
def copy_in(connection: Connection, table: str, columns: Sequence[str]) -> Iterator[Any]:
    """Yield psycopg's ``Copy`` for ``table`` (``write_row`` for values, ``write`` for text
    already in COPY's text format), on the transaction's own psycopg connection."""
    from psycopg import sql

    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    raw = connection.connection.driver_connection
    with raw.cursor() as cur, cur.copy(stmt) as copy:  # type: ignore[union-attr]
        yield _CheckedCopy(copy, table, columns)
