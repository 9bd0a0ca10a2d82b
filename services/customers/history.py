"""The change history of one customer: its own audited changes and the bulk actions that
included it, one entry per field changed (masked)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from core.settings import Settings, get_settings
from db.models import (
    AuditEntry,
)
from services.access import masking
from services.access.roles import Actor
from services.customers.errors import ChangeEntry
from services.customers.visibility import mask_value, visible

BULK_ACTIONS: Final = ("customer.bulk_tag", "customer.bulk_untag", "customer.bulk_assign")


_NOT_CHANGES: Final = ("customer.reveal",)


def _entries(row: AuditEntry, customer_id: int, settings: Settings,
             hidden: bool = False) -> list[ChangeEntry]:
    """One audit row as per-field entries, 手机号 / 邮箱 / 证件号码 masked whatever was stored;
    with ``hidden`` (a trainee, a sensitive record) the free texts' values hidden too."""
    changes = dict(row.changes or {})
    if row.action == "customer.bulk_assign" and "account_manager" in changes:
        previous = (row.detail or {}).get("previous", {}).get(str(customer_id))
        changes["account_manager"] = [previous, changes["account_manager"][1]]
    if not changes:
        return [ChangeEntry(row.id, row.at, row.user_id, row.username, row.action, None,
                            None, None)]
    def shown(key: str, value: object) -> object:
        if hidden and masking.is_text_key(key):
            return masking.hide_text(value)
        return mask_value(key, value, settings)

    return [ChangeEntry(row.id, row.at, row.user_id, row.username, row.action, key,
                        shown(key, pair[0]) if pair else None,
                        shown(key, pair[1]) if pair else None)
            for key, pair in sorted(changes.items())]


def _own_rows(session: Session, customer_id: int):
    return select(AuditEntry).where(
        AuditEntry.entity == "customer", AuditEntry.entity_id == str(customer_id),
        AuditEntry.action.not_in(_NOT_CHANGES))


def _bulk_rows(session: Session, customer_id: int, after_id: int = 0) -> list[AuditEntry]:
    """Bulk audit rows (one per bulk action) that include this customer. The text match is
    only a pre-filter; the ids list decides."""
    rows = session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(BULK_ACTIONS), AuditEntry.id > after_id,
        cast(AuditEntry.detail, String).like(f"%{customer_id}%")).order_by(AuditEntry.id))
    return [r for r in rows if customer_id in (r.detail or {}).get("ids", [])]


@dataclass(frozen=True)
class HistoryPage:
    """A page of the 变更记录: entries newest first; ``total`` counts audited actions."""

    entries: list[ChangeEntry]
    total: int


def change_history(session: Session, actor: Actor, customer_id: int, *, limit: int = 50,
                   offset: int = 0) -> HistoryPage:
    """Who changed which field from what to what, and when, from the audit log (reveals are
    not changes and are left out). Paged by audited action, newest first."""
    customer = visible(session, actor, customer_id)
    settings = get_settings()
    own = _own_rows(session, customer.id)
    own_total = session.scalar(select(func.count()).select_from(own.subquery())) or 0
    newest = list(session.scalars(own.order_by(AuditEntry.id.desc()).limit(offset + limit)))
    bulk = _bulk_rows(session, customer.id)
    rows = sorted(newest + bulk, key=lambda r: r.id, reverse=True)[offset:offset + limit]
    hidden = masking.hides(session, actor, customer.id)
    entries = [e for row in rows for e in _entries(row, customer.id, settings, hidden)]
    return HistoryPage(entries=entries, total=own_total + len(bulk))


def changes_since(session: Session, customer_id: int, version: int,
                  hidden: bool = False) -> list[ChangeEntry]:
    """What was changed after ``version`` (oldest first): audited actions on this customer
    that produced a later version, and bulk actions after the one that produced ``version``."""
    settings = get_settings()
    rows = list(session.scalars(_own_rows(session, customer_id).order_by(AuditEntry.id)))
    later = [r for r in rows if int((r.detail or {}).get("version") or 0) > version]
    anchor = max((r.id for r in rows if 0 < int((r.detail or {}).get("version") or 0)
                  <= version), default=0)
    picked = sorted(later + _bulk_rows(session, customer_id, anchor), key=lambda r: r.id)
    return [e for row in picked for e in _entries(row, customer_id, settings, hidden)]
