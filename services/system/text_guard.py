"""The last line before the database: text holding a control character it may not hold is
never written, whatever path it took.

Validation refuses control characters field by field (``services.customers.validation``); this
guard is
for the paths that bypass a form: a service writing a record it built itself, a bulk statement,
a COPY. PostgreSQL cannot store a NUL at all (psycopg raises ``DataError`` deep in a flush),
so without this a stray NUL surfaces as a crash instead of a message.

- ORM writes (``before_flush`` of every session): every string column of every new or changed
  object; C0 controls other than tab and line breaks are refused, naming the field.
- Any statement (``before_cursor_execute`` of every engine): a NUL in any string parameter.
- COPY (``db.copy.copy_in``): a NUL in any value or text written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from sqlalchemy import JSON, Engine, String, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from core.errors import CatalogError
from core.i18n import has, t
from db import copy as db_copy
from services.customers.validation import HARD_CONTROL, control_char_name

# Where a table's column finds its label in the catalog (``field.<prefix><column>``).
_LABEL_PREFIX: Final = {
    "customers": "", "interactions": "interaction.", "follow_ups": "visit.",
    "orders": "order.", "complaints": "complaint.", "complaint_events": "complaint.",
    "surveys": "survey.", "contracts": "contract.", "renewals": "renewal.",
}
_LABEL_KEYS: Final = {("tags", "name"): "field.tags", ("users", "display_name"):
                      "users.display_name"}


class ControlCharacterRefused(CatalogError):
    """A value holds a control character the database may not get; nothing was written."""

    def __init__(self, table: str, column: str, char: str) -> None:
        super().__init__("input.guard.control_char", char=control_char_name(char))
        self.table = table
        self.column = column

    def field_label(self, lang: str = "zh") -> str:
        key = _LABEL_KEYS.get((self.table, self.column))
        if key is None and self.table in _LABEL_PREFIX:
            key = f"field.{_LABEL_PREFIX[self.table]}{self.column}"
        return t(key, lang) if key is not None and has(key) else f"{self.table}.{self.column}"

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, field=self.field_label(lang), **self.params)


def _nul_in_json(value: Any) -> bool:
    """A NUL anywhere in a JSON document (PostgreSQL's jsonb refuses ``\\u0000``)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_nul_in_json(k) or _nul_in_json(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_nul_in_json(v) for v in value)
    return False


def _refuse_in_objects(objects: Iterable[Any]) -> None:
    for obj in objects:
        mapper = inspect(obj).mapper
        for column in mapper.columns:
            if column.table is None:
                continue
            is_json = isinstance(column.type, JSON)
            if not is_json and not isinstance(column.type, String):
                continue  # (Text is a String too) numbers and dates hold no text
            value = getattr(obj, mapper.get_property_by_column(column).key, None)
            if is_json:
                if value is not None and _nul_in_json(value):
                    raise ControlCharacterRefused(column.table.name, column.name, "\x00")
            elif type(value) is str:
                found = HARD_CONTROL.search(value)
                if found is not None:
                    raise ControlCharacterRefused(column.table.name, column.name, found.group())


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    _refuse_in_objects(session.new)
    _refuse_in_objects(o for o in session.dirty if session.is_modified(o))


def _nul_in_parameters(parameters: Any) -> str | None:
    """The name (or position) of a string parameter holding a NUL, else None."""
    rows = parameters if isinstance(parameters, list) else (parameters,)
    for row in rows:
        items: Iterable[tuple[Any, Any]] = row.items() if isinstance(row, Mapping) \
            else enumerate(row or ())
        for name, value in items:
            if type(value) is str and "\x00" in value:
                return str(name)
    return None


_TARGET: Final = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


@event.listens_for(Engine, "before_cursor_execute")
def _before_cursor_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any,
                           _context: Any, _executemany: bool) -> None:
    name = _nul_in_parameters(parameters)
    if name is not None:
        found = _TARGET.match(statement)
        raise ControlCharacterRefused(found.group(1) if found else "?", name, "\x00")


def _refuse_copied(table: str, column: str) -> None:
    raise ControlCharacterRefused(table, column, "\x00")


db_copy.on_nul = _refuse_copied
