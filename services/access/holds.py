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
from services.access.roles import Actor, Perm, PermissionDenied
from services.access.rotation import Rotation, register_rotation

__all__ = ["HoldError", "HoldGroup", "PermissionDenied", "create_hold", "discard_hold",
           "held_payload", "list_holds", "open_hold", "open_holds", "require_review",
           "resolve_hold", "uncell"]

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


def uncell(value: Any) -> Any:
    """A stored cell back as the file had it (dates and times were kept as ISO text)."""
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


def open_hold(session: Session, hold_id: int) -> ImportHold:
    """The open group ``hold_id``; ``HoldError`` when it is gone or already handled."""
    hold = session.get(ImportHold, hold_id)
    if hold is None or hold.status != "open":
        raise HoldError("oracle.hold.not_found", id=hold_id)
    return hold


def held_payload(hold: ImportHold) -> dict[str, Any]:
    """The group's rows as stored (header, column mapping, cells), decrypted."""
    return json.loads(crypto.decrypt(hold.payload))


def resolve_hold(session: Session, actor: Actor, hold: ImportHold, status: str,
                 import_id: int | None = None) -> None:
    """Close a group as imported or discarded; its rows are not kept."""
    hold.payload = crypto.encrypt("{}")  # handled: keep no copy of the rows
    hold.status = status
    hold.resolved_at = clock.now()
    hold.resolved_by_id = actor.user_id
    hold.import_id = import_id


def discard_hold(session: Session, actor: Actor, hold_id: int) -> None:
    """Drop a group's rows (the ciphertext is cleared; the group's record stays)."""
    require_review(actor)
    hold = open_hold(session, hold_id)
    resolve_hold(session, actor, hold, "discarded")
    audit.record(session, actor, "import.hold_discard", "import_hold", hold.id,
                 detail={"file_name": hold.file_name, "rows": hold.rows})
