"""Held import rows: rows that match an existing customer only through a key the uploader may
not see in full (``services.access.probes``), kept as one group per import for review.

Why: telling the uploader which customer such a row matched (or updating that customer) would
reveal the hidden key, and silently importing it would create a duplicate. A manager or an
administrator, who may see every key, sees the rows with the customers they match and imports
them (through the ordinary import, as themselves) or discards them.

The rows are stored as the file had them (header, column mapping, cells), encrypted like a
证件号码, since they hold contacts and 证件号码 in full.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Final

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from db.models import ImportHold
from services.access import audit, crypto
from services.access.keys import Rotation, register_rotation
from services.access.roles import Actor, Perm, PermissionDenied

__all__ = ["HoldError", "HoldGroup", "PermissionDenied", "create_hold", "discard_hold",
           "held_rows", "import_hold", "list_holds", "open_holds", "require_review"]

MATCH_HEADER: Final = "匹配到的客户"
_TYPES: Final = {"datetime": datetime, "date": date, "time": time}


def _rotate_payloads(conn: Connection, rot: Rotation) -> int:
    """``rotate-keys``: the held rows are encrypted under the data key too."""
    table = ImportHold.__table__
    rows = conn.execute(select(table.c.id, table.c.payload)).all()
    for hold_id, payload in rows:
        conn.execute(update(table).where(table.c.id == hold_id)
                     .values(payload=rot.reencrypt(payload)))
    return len(rows)


register_rotation("import_holds", _rotate_payloads)


class HoldError(CatalogError):
    """No such open group of held rows."""


@dataclass(frozen=True)
class HoldGroup:
    """One open group of held rows, as the review list shows it."""

    id: int
    created_at: datetime
    username: str
    file_name: str
    on_duplicate: str
    rows: int


def _cell(value: Any) -> Any:
    for name, kind in _TYPES.items():
        if type(value) is kind:
            return {"$": name, "v": value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _uncell(value: Any) -> Any:
    if isinstance(value, dict) and value.get("$") in _TYPES:
        return _TYPES[value["$"]].fromisoformat(value["v"])
    return value


def require_review(actor: Actor) -> None:
    """Reviewing held rows shows every key in full and imports: managers and admins."""
    actor.require(Perm.IMPORT)
    actor.require(Perm.REVEAL_CONTACT)
    actor.require(Perm.REVEAL_ID_NUMBER)


def create_hold(session: Session, actor: Actor, sheet: Any, rows: Sequence[Any],
                file_name: str, on_duplicate: str) -> int:
    """Keep ``rows`` (checked rows of ``sheet``, with their cells) for review; the group id."""
    payload = {
        "sheet": sheet.sheet, "header": [_cell(h) for h in sheet.header],
        "columns": [[c.index, c.key] for c in sheet.columns],
        "rows": [[r.row, [_cell(c) for c in r.cells]] for r in rows],
    }
    hold = ImportHold(created_at=clock.now(), user_id=actor.user_id,
                      username=actor.username, file_name=file_name[:255],
                      on_duplicate=on_duplicate, rows=len(rows), status="open",
                      payload=crypto.encrypt(json.dumps(payload, ensure_ascii=False)))
    session.add(hold)
    session.flush()
    audit.record(session, actor, "import.held", "import_hold", hold.id,
                 detail={"file_name": file_name, "rows": len(rows)})
    return hold.id


def list_holds(session: Session, actor: Actor) -> list[HoldGroup]:
    """Open groups, oldest first."""
    require_review(actor)
    return [HoldGroup(h.id, h.created_at, h.username, h.file_name, h.on_duplicate, h.rows)
            for h in session.scalars(select(ImportHold).where(ImportHold.status == "open")
                                     .order_by(ImportHold.id))]


def open_holds(session: Session, actor: Actor) -> int:
    """How many groups wait for review (the tab's label)."""
    require_review(actor)
    return session.scalar(select(func.count()).select_from(ImportHold).where(
        ImportHold.status == "open")) or 0


def _open(session: Session, hold_id: int) -> ImportHold:
    hold = session.get(ImportHold, hold_id)
    if hold is None or hold.status != "open":
        raise HoldError("oracle.hold.not_found", id=hold_id)
    return hold


def _payload(hold: ImportHold) -> dict[str, Any]:
    return json.loads(crypto.decrypt(hold.payload))


def held_rows(session: Session, actor: Actor, hold_id: int) -> list[dict[str, Any]]:
    """The rows of a group by the file's headers, each with the customers it matches
    (name and 客户编号) under ``MATCH_HEADER``; audited as a reveal of the group."""
    from services.excel.customers_import import load_matches, row_keys
    from services.excel.rows import CheckedCustomer

    require_review(actor)
    hold = _open(session, hold_id)
    payload = _payload(hold)
    header = [("" if h is None else str(_uncell(h))) for h in payload["header"]]
    mapping = {index: key for index, key in payload["columns"] if key}
    from services.customers import validation_context
    from services.excel.rows import CustomerChecker

    checker = CustomerChecker(tuple(sorted(mapping.items())), validation_context(session),
                              for_writing=False)
    checked: list[CheckedCustomer | None] = [
        checker.check(number, tuple(_uncell(c) for c in cells))
        for number, cells in payload["rows"]]
    keys = [row_keys(c) for c in checked if c is not None]
    matches = load_matches(session, keys)
    result: list[dict[str, Any]] = []
    for (number, cells), row in zip(payload["rows"], checked, strict=True):
        shown: dict[str, Any] = {"行": number}
        for i, cell in enumerate(cells):
            if i < len(header) and header[i]:
                value = _uncell(cell)
                shown[header[i]] = "" if value is None else str(value)
        found = matches.hits(row) if row is not None else {}
        shown[MATCH_HEADER] = "、".join(
            f"{matches.stored[cid].name}（{matches.stored[cid].customer_no}）"
            for cid in found if cid in matches.stored)
        result.append(shown)
    audit.record(session, actor, "import.hold_view", "import_hold", hold.id,
                 detail={"file_name": hold.file_name, "rows": hold.rows})
    return result


def _resolve(session: Session, actor: Actor, hold: ImportHold, status: str,
             import_id: int | None = None) -> None:
    hold.payload = crypto.encrypt("{}")  # handled: keep no copy of the rows
    hold.status = status
    hold.resolved_at = clock.now()
    hold.resolved_by_id = actor.user_id
    hold.import_id = import_id


def import_hold(session: Session, actor: Actor, hold_id: int) -> Any:
    """Import a group's rows as ``actor`` (the ordinary import, with the uploader's choice of
    skip or update), in the caller's transaction; the ``ImportResult``."""
    from services.excel import run_import
    from services.excel.writer import write_table

    require_review(actor)
    hold = _open(session, hold_id)
    payload = _payload(hold)
    header = ["" if h is None else str(_uncell(h)) for h in payload["header"]]
    width = max([len(header)] + [len(cells) for _, cells in payload["rows"]])
    header += [""] * (width - len(header))
    table = [[_uncell(c) for c in cells] + [None] * (width - len(cells))
             for _, cells in payload["rows"]]
    buffer = io.BytesIO()
    write_table(buffer, header, table, sheet=payload["sheet"] or "Sheet1")
    column_map: dict[int | str, str | None] = {i: None for i in range(width)}
    column_map.update({index: key for index, key in payload["columns"]})
    result = run_import(session, actor, buffer.getvalue(), hold.file_name,
                        on_duplicate=hold.on_duplicate,  # type: ignore[arg-type]
                        column_map=column_map)
    _resolve(session, actor, hold, "imported", result.import_id)
    audit.record(session, actor, "import.hold_import", "import_hold", hold.id,
                 detail={"file_name": hold.file_name, "rows": hold.rows,
                         "import_id": result.import_id, **result.summary.counts()})
    return result


def discard_hold(session: Session, actor: Actor, hold_id: int) -> None:
    """Drop a group's rows (the ciphertext is cleared; the group's record stays)."""
    require_review(actor)
    hold = _open(session, hold_id)
    _resolve(session, actor, hold, "discarded")
    audit.record(session, actor, "import.hold_discard", "import_hold", hold.id,
                 detail={"file_name": hold.file_name, "rows": hold.rows})
