"""Statements over many rows: ids in chunks for ``IN (...)`` lists, reading ``{key: value}``
for many ids, and INSERT-or-ignore.

One batch size for every ``IN`` list of ids, so no module picks its own: well under both
backends' limit of bound parameters per statement (SQLite 32766, PostgreSQL 65535), even when
one statement holds two such lists, and large enough that a million ids take a thousand trips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

IN_BATCH: Final = 1000
"""Ids per ``IN (...)`` list."""


def chunks(ids: Iterable[Any], size: int = IN_BATCH) -> Iterable[list[Any]]:
    """``ids`` in lists of at most ``size``, in the order given."""
    items = ids if isinstance(ids, Sequence) else list(ids)
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def insert_or_ignore(session: Session, table: Table, rows: Sequence[Mapping[str, Any]],
                     conflict_columns: Sequence[str]) -> None:
    """INSERT rows, silently skipping those that collide with a unique key: safe when another
    process inserts the same row at the same moment (no check-then-insert race)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = pg_insert(table).on_conflict_do_nothing(index_elements=list(conflict_columns))
    elif dialect == "sqlite":
        stmt = sqlite_insert(table).on_conflict_do_nothing(
            index_elements=list(conflict_columns))
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
    session.execute(stmt, list(rows))


def read_pairs(session: Session, key: Any, value: Any, ids: Iterable[Any],
               *more: Any) -> dict[Any, Any]:
    """``{key: value}`` for the rows whose ``key`` is in ``ids``, read in chunks."""
    found: dict[Any, Any] = {}
    for chunk in chunks(sorted(set(ids))):
        for row in session.execute(select(key, value, *more).where(key.in_(chunk))):
            found[row[0]] = tuple(row[1:]) if more else row[1]
    return found
