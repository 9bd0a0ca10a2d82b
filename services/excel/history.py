"""The import history and undo.

Every committed import leaves an ``ImportRun`` row: who, when, which file, the counts, the ids it
inserted and, per updated customer, the version it left and the values it overwrote. An
administrator or manager may undo an import: inserted records are removed and updates reverted,
in one transaction, UNLESS something changed since — a customer's version moved, an inserted
customer got records of its own or was deleted, a complaint was handled. Then nothing is
changed and the undo lists those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from core import clock
from core.i18n import t
from core.settings import get_settings
from core.vocab import Role
from db.models import (
    Complaint,
    Contract,
    Customer,
    FollowUp,
    ImportRun,
    Interaction,
    Order,
    Renewal,
    Survey,
    TierChange,
    User,
    customer_tags,
)
from services.access import audit, crypto
from services.access.roles import Actor, Perm
from services.customers import mask_value, review_days, search_index, tiers
from services.excel.bulk import bulk_insert, chunks, from_ranges
from services.excel.customers_import import TIER_COLUMNS, tag_ids_by_name
from services.excel.issues import ExcelActionError
from services.excel.records_import import TABLES, update_order_dates
from services.privacy import consent

UNDO_ROLES: Final = (Role.ADMIN, Role.MANAGER)
_CHILD_TABLES: Final = (Order, Interaction, FollowUp, Complaint, Survey, Contract, Renewal)
_MAX_BLOCKED: Final = 200


@dataclass(frozen=True)
class ImportRecord:
    """One line of the import history."""

    id: int
    kind: str
    file_name: str
    username: str
    created_at: datetime
    on_duplicate: str
    inserted: int
    updated: int
    duplicates: int
    rejected: int
    blank: int
    undone_at: datetime | None
    undone_by: str | None
    can_undo: bool

    def kind_label(self, lang: str = "zh") -> str:
        return t(f"excel.kind.{self.kind}", lang)


def can_undo(actor: Actor) -> bool:
    return actor.role in UNDO_ROLES and actor.can(Perm.IMPORT)


def list_imports(session: Session, actor: Actor, *, kind: str | None = None, limit: int = 50,
                 offset: int = 0) -> tuple[list[ImportRecord], int]:
    """Imports, newest first: all of them for administrators and managers, one's own for
    the others."""
    actor.require(Perm.IMPORT)
    stmt = select(ImportRun)
    if actor.role not in UNDO_ROLES:
        stmt = stmt.where(ImportRun.user_id == actor.user_id, ImportRun.username ==
                          actor.username)
    if kind:
        stmt = stmt.where(ImportRun.kind == kind)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    runs = session.scalars(stmt.order_by(ImportRun.id.desc()).offset(offset).limit(limit))
    undoers = dict(session.execute(select(User.id, User.display_name)).all())
    allowed = can_undo(actor)
    return [ImportRecord(
        id=r.id, kind=r.kind, file_name=r.file_name, username=r.username,
        created_at=r.created_at, on_duplicate=r.on_duplicate, inserted=r.inserted,
        updated=r.updated, duplicates=r.duplicates, rejected=r.rejected, blank=r.blank,
        undone_at=r.undone_at,
        undone_by=undoers.get(r.undone_by_id) if r.undone_by_id else None,  # type: ignore[arg-type]
        can_undo=allowed and r.undone_at is None and bool(r.inserted or r.updated))
        for r in runs], total


@dataclass(frozen=True)
class BlockedRow:
    """A record the undo cannot take back, and why (``why``: changed, records, deleted)."""

    record_id: int
    customer_no: str | None
    name: str | None
    row: int | None
    why: str

    def message(self, lang: str = "zh") -> str:
        return t("excel.undo.blocked_row", lang, name=self.name or "—",
                 customer_no=self.customer_no or "—", why=t(f"excel.undo.why.{self.why}", lang))


@dataclass
class UndoResult:
    """``done`` False means nothing was changed: see ``blocked``."""

    done: bool
    removed: int = 0
    reverted: int = 0
    blocked: list[BlockedRow] = field(default_factory=list)

    def message(self, lang: str = "zh") -> str:
        if self.done:
            return t("excel.undo.done", lang, removed=self.removed, reverted=self.reverted)
        return t("excel.undo.blocked", lang, count=len(self.blocked))


def undo_import(session: Session, actor: Actor, import_id: int, *,
                today: date | None = None) -> UndoResult:
    """Take an import back (administrators and managers), in the caller's transaction."""
    actor.require(Perm.IMPORT)
    if actor.role not in UNDO_ROLES:
        raise ExcelActionError("excel.error.undo_forbidden")
    run = session.get(ImportRun, import_id, with_for_update=True)
    if run is None:
        raise ExcelActionError("excel.error.not_found")
    if run.undone_at is not None:
        raise ExcelActionError("excel.error.already_undone")
    if run.kind == "customers":
        result = _undo_customers(session, actor, run)
    else:
        result = _undo_records(session, run, today)
    if not result.done:
        return result
    run.undone_at = clock.now()
    run.undone_by_id = actor.user_id
    audit.record(session, actor, "import.undo", "import", run.id,
                 detail={"kind": run.kind, "file_name": run.file_name,
                         "removed": result.removed, "reverted": result.reverted})
    session.flush()
    session.expire_all()
    return result


# ---- customers ----------------------------------------------------------------------------------

def _customer_blocks(session: Session, run: ImportRun) -> list[BlockedRow]:
    blocked: list[BlockedRow] = []
    inserted = from_ranges(run.inserted_ids)
    for part in chunks(inserted):
        rows = session.execute(select(Customer.id, Customer.customer_no, Customer.name,
                                      Customer.version, Customer.deleted_at)
                               .where(Customer.id.in_(part))).all()
        with_records: set[int] = set()
        for model in _CHILD_TABLES:
            with_records.update(session.scalars(select(model.customer_id).where(
                model.customer_id.in_(part)).distinct()))
        for r in rows:
            why = "deleted" if r.deleted_at is not None else "changed" if r.version != 1 \
                else "records" if r.id in with_records else None
            if why:
                blocked.append(BlockedRow(r.id, r.customer_no, r.name, None, why))
    updates = run.updates or []
    expected = {int(u["id"]): u for u in updates}
    for part in chunks(sorted(expected)):
        found = {r.id: r for r in session.execute(
            select(Customer.id, Customer.customer_no, Customer.name, Customer.version,
                   Customer.deleted_at).where(Customer.id.in_(part)))}
        for cid in part:
            r = found.get(cid)
            u = expected[cid]
            if r is None or r.deleted_at is not None:
                blocked.append(BlockedRow(cid, r.customer_no if r else None,
                                          r.name if r else None, u.get("row"), "deleted"))
            elif r.version != int(u["version"]):
                blocked.append(BlockedRow(cid, r.customer_no, r.name, u.get("row"), "changed"))
    return blocked


def _undo_customers(session: Session, actor: Actor, run: ImportRun) -> UndoResult:
    blocked = _customer_blocks(session, run)
    if blocked:
        return UndoResult(False, blocked=blocked[:_MAX_BLOCKED])
    conn = session.connection()
    inserted = from_ranges(run.inserted_ids)
    table = Customer.__table__
    for part in chunks(inserted):
        conn.execute(search_index.GRAMS.delete().where(
            search_index.GRAMS.c.customer_id.in_(part)))
        conn.execute(delete(table).where(table.c.id.in_(part), table.c.version == 1))
    reverted = _revert_updates(session, actor, run)
    # The consent entries it wrote go too; the states of the customers it updated follow
    # their remaining ledger (a later withdrawal by hand stays in force).
    consent.undo_import(session, run.id, [int(u["id"]) for u in run.updates or []])
    review_days.compact(conn)  # the deleted customers' -1 deltas
    return UndoResult(True, removed=len(inserted), reverted=reverted)


_INTERNAL: Final = ("mobile_last4", "id_number_hash", "tier_set_by_id", "tier_reason")


def _shown(column: str, value: Any, usernames: dict[int, str]) -> tuple[str, Any]:
    """(spec field, value as the audit log may hold it) of a stored column value."""
    settings = get_settings()
    if column == "id_number_enc":
        plain = crypto.decrypt(value) if value else None
        return "id_number", mask_value("id_number", plain, settings)
    if column == "account_manager_id":
        return "account_manager", usernames.get(value) if value else None
    return column, mask_value(column, value, settings)


def _revert_updates(session: Session, actor: Actor, run: ImportRun) -> int:
    updates: Sequence[dict[str, Any]] = run.updates or []
    if not updates:
        return 0
    conn = session.connection()
    table = Customer.__table__
    stamp = clock.now()
    columns = sorted({c for u in updates for c in u["before"]} | {"id", "tier", "tier_source"})
    current = {}
    for part in chunks([int(u["id"]) for u in updates]):
        current.update({r.id: r for r in session.execute(
            select(*[table.c[c] for c in columns]).where(table.c.id.in_(part)))})
    usernames = dict(session.execute(select(User.id, User.username)).all())
    tier_rows = []
    audits = []
    restored_tags = {int(u["id"]): u["tags"] for u in updates if "tags" in u}
    for u in updates:
        cid, before = int(u["id"]), dict(u["before"])
        if "mobile" in before:
            before["mobile_last4"] = search_index.mobile_last4(before["mobile"])
        result = conn.execute(update(table).where(table.c.id == cid,
                                                  table.c.version == int(u["version"]))
                              .values(**before, version=table.c.version + 1,
                                      updated_at=stamp, updated_by_id=actor.user_id))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ExcelActionError("excel.error.concurrent_change")
        now_row = current[cid]
        if "tier" in before and before["tier"] != now_row.tier:
            tier_rows.append((cid, now_row.tier, before["tier"],
                              before.get("tier_source") or now_row.tier_source,
                              actor.user_id, f"撤销导入 #{run.id}", stamp))
        changes: dict[str, list[Any]] = {}
        for column, old in before.items():
            if column in _INTERNAL:
                continue
            name, shown_now = _shown(column, getattr(now_row, column), usernames)
            changes[name] = [shown_now, _shown(column, old, usernames)[1]]
        if cid in restored_tags:
            changes["tags"] = [None, sorted(restored_tags[cid])]
        audits.append({"at": stamp, "user_id": actor.user_id, "username": actor.username,
                       "action": "customer.import_undo", "entity": "customer",
                       "entity_id": str(cid), "changes": changes,
                       "detail": {"version": int(u["version"]) + 1, "import_id": run.id}})
    if restored_tags:
        for part in chunks(sorted(restored_tags)):
            conn.execute(delete(customer_tags).where(customer_tags.c.customer_id.in_(part)))
        tag_ids = tag_ids_by_name(session, [n for names in restored_tags.values() for n in names])
        links = [(cid, tag_ids[n.casefold()]) for cid, names in restored_tags.items()
                 for n in dict.fromkeys(names) if n.casefold() in tag_ids]
        bulk_insert(conn, customer_tags, ("customer_id", "tag_id"), links)
    reindex = [int(u["id"]) for u in updates if {"name", "company"} & set(u["before"])]
    if reindex:
        rows = session.execute(select(Customer.id, Customer.name, Customer.company,
                                      Customer.mobile, Customer.mobile_last4)
                               .where(Customer.id.in_(reindex))).mappings().all()
        search_index.index_customers(conn, [dict(r) for r in rows], new=False)
    bulk_insert(conn, TierChange.__table__, TIER_COLUMNS, tier_rows)
    audit.insert_rows(session, audits)
    return len(updates)


# ---- records ------------------------------------------------------------------------------------

def _undo_records(session: Session, run: ImportRun, today: date | None) -> UndoResult:
    table = TABLES[run.kind]
    ids = from_ranges(run.inserted_ids)
    conn = session.connection()
    if run.kind == "complaints":
        blocked = []
        for part in chunks(ids):
            for rid, number, name in session.execute(
                    select(Complaint.id, Customer.customer_no, Customer.name)
                    .join(Customer, Customer.id == Complaint.customer_id)
                    .where(Complaint.id.in_(part), Complaint.version != 1)):
                blocked.append(BlockedRow(rid, number, name, None, "changed"))
        if blocked:
            return UndoResult(False, blocked=blocked[:_MAX_BLOCKED])
    affected: set[int] = set()
    for part in chunks(ids):
        if run.kind == "orders":
            affected.update(session.scalars(select(table.c.customer_id)
                                            .where(table.c.id.in_(part)).distinct()))
        conn.execute(delete(table).where(table.c.id.in_(part)))
    if affected:
        update_order_dates(session, sorted(affected))
        tiers.on_orders_changed(session, sorted(affected), today)
    return UndoResult(True, removed=len(ids))
