"""The audit trail: one append-only row per change, reveal, export, import and login event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuditEntry
from services.clock import LOCAL_TZ, now
from services.roles import Actor, Perm


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
    session.add(AuditEntry(
        at=now(),
        user_id=actor.user_id if actor else None,
        username=username or (actor.username if actor else "anonymous"),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        changes=dict(changes) if changes else None,
        detail={k: _plain(v) for k, v in detail.items()} if detail else None,
    ))


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    entity: str | None = None
    entity_id: str | None = None


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
