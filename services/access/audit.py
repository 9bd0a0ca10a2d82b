"""The audit trail: one append-only row per change, reveal, export, import and login event.

Every audit write goes through this module (``record``, ``record_many``, ``append``): each entry
is linked into the tamper-evident hash chain of ``services.access.audit_chain`` when its transaction
commits. An entry inserted any other way is reported by ``manage.py verify-audit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, event, func, inspect, select, text
from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ, now
from db.copy import copy_in
from db.models import AuditEntry
from services.access import audit_chain
from services.access.roles import Actor, Perm

_PENDING = "audit_chain_pending"
"""``session.info`` key: entries of the open transaction still to be linked at commit."""


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value (dates and money as text)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Changed fields only, as ``{field: [before, after]}``."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str | None = None,
    entity_id: object = None,
    changes: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """Add an audit row to the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditEntry(**_row(actor, action, entity, entity_id, changes, detail, username, now()))
    session.add(entry)
    session.info.setdefault(_PENDING, []).append(entry)


def _row(actor: Actor | None, action: str, entity: str | None, entity_id: object,
         changes: Mapping[str, Any] | None, detail: Mapping[str, Any] | None,
         username: str | None, at: datetime) -> dict[str, Any]:
    return {
        "at": at,
        "user_id": actor.user_id if actor else None,
        "username": username or (actor.username if actor else "anonymous"),
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "changes": dict(changes) if changes else None,
        "detail": {k: _plain(v) for k, v in detail.items()} if detail else None,
        "salt": audit_chain.new_salt(),
    }


def record_many(
    session: Session,
    actor: Actor | None,
    action: str,
    items: Iterable[tuple[str | None, object, Mapping[str, Any] | None,
                          Mapping[str, Any] | None]],
    username: str | None = None,
) -> int:
    """Many entries of one action, ``(entity, entity_id, changes, detail)`` each, inserted in
    bulk into the session's transaction (an import's thousands of per-customer entries)."""
    stamp = now()
    rows = [_row(actor, action, entity, entity_id, changes, detail, username, stamp)
            for entity, entity_id, changes, detail in items]
    return insert_rows(session, rows)


def insert_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> int:
    """Prepared rows (``AuditEntry`` columns but ``id``) into the session's transaction, linked
    into the chain at its commit. For paths that build their rows themselves."""
    if not rows:
        return 0
    linked = _insert(session.connection(), rows)
    session.info.setdefault(_PENDING, []).extend(linked)
    return len(linked)


def append(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
    """Prepared rows inserted on a plain connection (bulk loads outside any ORM session, such as
    demo seeding) and linked at once: the chain's lock is then held until that commit."""
    if not rows:
        return 0
    return audit_chain.link(conn, _insert(conn, rows))


def _insert(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Insert the rows in bulk; return them in ``audit_chain.ENTRY_COLUMNS`` order, ids
    included, JSON as the stored text (serialised once, for the insert and the hash alike:
    an update import writes 100,000 entries)."""
    stored = audit_chain.stored_json
    values = [(row["at"], row.get("user_id"), row["username"], row["action"], row.get("entity"),
               row.get("entity_id"), stored(row.get("changes")), stored(row.get("detail")),
               row.get("salt") or audit_chain.new_salt())
              for row in rows]
    columns = audit_chain.ENTRY_COLUMNS[1:]
    if conn.dialect.name == "postgresql":
        ids = sorted(conn.execute(text(
            "SELECT nextval(CAST(pg_get_serial_sequence('audit_log', 'id') AS regclass)) "
            "FROM generate_series(1, :n)"), {"n": len(values)}).scalars())
        with copy_in(conn, AuditEntry.__tablename__, ("id", *columns)) as copy:
            for entry_id, row in zip(ids, values, strict=True):
                copy.write_row((entry_id, *row))
    else:
        at = AuditEntry.__table__.c.at.type.dialect_impl(conn.dialect)
        to_db = at.bind_processor(conn.dialect)
        assert to_db is not None
        memo: dict[datetime, Any] = {}
        # Values are bound; the column names are the model's.
        conn.exec_driver_sql(
            f"INSERT INTO audit_log ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(columns))})",
            [(memo[r[0]] if r[0] in memo else memo.setdefault(r[0], to_db(r[0])), *r[1:])
             for r in values])
        # SQLite: this transaction holds the write lock since the insert, and rowids are
        # max + 1 (no AUTOINCREMENT, no deletes): the rows got the last len(values) ids.
        top = int(conn.execute(select(func.max(AuditEntry.id))).scalar_one())
        ids = list(range(top - len(values) + 1, top + 1))
    return [(entry_id, *row) for entry_id, row in zip(ids, values, strict=True)]


def scrub(session: Session, erased_by: int,
          entries: Iterable[tuple[int, Mapping[str, Any] | None, Mapping[str, Any] | None,
                                  int | None]]) -> int:
    """An erasure's scrubbing (``services.privacy.erasure``), the one change the log allows:
    each ``(id, changes, detail, earlier erased_by)`` gets its scrubbed values, loses its salt
    and names the erasure (an entry an earlier erasure scrubbed keeps naming that one, whose
    count it is in). Its link still checks against the digest kept in it."""
    table = AuditEntry.__table__
    count = 0
    for entry_id, changes, detail, earlier in entries:
        session.execute(table.update().where(table.c.id == entry_id).values(
            changes=changes or None, detail=detail or None, salt=None,
            erased_by=earlier or erased_by))
        count += 1
    return count


@event.listens_for(Session, "before_commit")
def _link_at_commit(session: Session) -> None:
    """Link the transaction's entries into the chain just before it commits."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()
    stored = audit_chain.stored_json
    rows: list[Sequence[Any]] = []
    for item in pending:
        if isinstance(item, AuditEntry):
            if inspect(item).persistent:  # not rolled back meanwhile
                rows.append((item.id, item.at, item.user_id, item.username, item.action,
                             item.entity, item.entity_id, stored(item.changes),
                             stored(item.detail), item.salt))
        else:
            rows.append(item)
    audit_chain.link(session.connection(), rows)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    """Bulk-inserted rows of a rolled-back transaction are gone: nothing to link."""
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [e for e in pending if isinstance(e, AuditEntry)]


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    entity: str | None = None
    entity_id: str | None = None
    flagged: bool = False
    """Only entries flagged for an administrator's attention (actions ``flagged.*``, e.g. a
    user refused past the hourly limit on look-ups through hidden keys)."""


FLAGGED_PREFIX = "flagged."


def _local_day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def query(session: Session, actor: Actor, flt: AuditFilter, *, offset: int = 0,
          limit: int = 50) -> tuple[Sequence[AuditEntry], int]:
    """A page of the audit log, newest first, and the total count."""
    actor.require(Perm.READ_AUDIT)
    stmt = select(AuditEntry)
    if flt.username:
        stmt = stmt.where(AuditEntry.username == flt.username)
    if flt.action:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.flagged:
        stmt = stmt.where(AuditEntry.action.startswith(FLAGGED_PREFIX, autoescape=True))
    if flt.entity:
        stmt = stmt.where(AuditEntry.entity == flt.entity)
    if flt.entity_id:
        stmt = stmt.where(AuditEntry.entity_id == flt.entity_id)
    if flt.date_from:
        stmt = stmt.where(AuditEntry.at >= _local_day_start(flt.date_from))
    if flt.date_to:
        stmt = stmt.where(AuditEntry.at < _local_day_start(flt.date_to + timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)).all()
    return rows, total


def actions(session: Session, actor: Actor) -> list[str]:
    actor.require(Perm.READ_AUDIT)
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def usernames(session: Session, actor: Actor) -> list[str]:
    actor.require(Perm.READ_AUDIT)
    return list(session.scalars(select(AuditEntry.username).distinct()
                                .order_by(AuditEntry.username)))
