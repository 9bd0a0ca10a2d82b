"""PostgreSQL ``COPY ... FROM STDIN`` inside the caller's open transaction.

Bulk writers (the import, the search index, the demo seeder) load rows several times faster
this way than with row inserts; they all open it here, so the statement is built one way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection


@contextmanager
def copy_in(connection: Connection, table: str, columns: Sequence[str]) -> Iterator[Any]:
    """Yield psycopg's ``Copy`` for ``table`` (``write_row`` for values, ``write`` for text
    already in COPY's text format), on the transaction's own psycopg connection."""
    from psycopg import sql

    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    raw = connection.connection.driver_connection
    with raw.cursor() as cur, cur.copy(stmt) as copy:  # type: ignore[union-attr]
        yield copy
