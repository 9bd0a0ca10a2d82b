"""Erasure of a customer's personal information (删除个人信息, PIPL Art. 47; data-protection.md).

Why not a delete: the customer's orders, complaints, renewals and scores are the company's
facts and feed every KPI. So the record stays and only what identifies the person goes,
irreversibly: name becomes ``已删除客户`` + 客户编号; mobile, landline, email, 证件号码 and its
hash, address, notes, gender, company and title (the contact person of an organisation), tags
that name the person, and the free text of their records (contact contents, visit contents and
feedback, complaint descriptions, steps and solutions, survey comments) are cleared. Type,
industry, province, city, tier, dates, amounts, scores, channels and statuses stay.

In the same transaction everything else holding those values is scrubbed: the search index
(the customer's mapper events re-gram the new name), the audit entries about the customer and
any other entry quoting one of the values (``services.access.audit_chain`` keeps each entry's link
checkable through its value digest), the values an import overwrote (``imports.updates``),
held import rows carrying them, and the evidence notes of the consent ledger. One audit entry
records the erasure: who, when, the reason, the 客户编号 and how many entries it scrubbed,
nothing personal.

On SQLite every connection runs with ``secure_delete`` (``db.engine``), so freed bytes are
zeroed; ``finish`` checkpoints the WAL with TRUNCATE after the commit so no older page image
of the customer survives there either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Engine, Text, cast, func, or_, select, update
from sqlalchemy.orm import Session

from core.errors import CatalogError
from db.models import (
    AuditEntry,
    Complaint,
    ComplaintEvent,
    ConsentEntry,
    Contract,
    Customer,
    FollowUp,
    ImportHold,
    ImportRun,
    Interaction,
    Survey,
    Tag,
    customer_tags,
)
from services.access import audit, audit_chain, crypto
from services.access.roles import Actor, Perm
from services.customers.visibility import ERASED_PREFIX, erased_name, is_erased

ACTION: Final = audit_chain.ERASE_ACTION
REASON_MAX: Final = 200

CLEARED_FIELDS: Final = ("gender", "mobile", "phone", "email", "id_number_enc",
                         "id_number_hash", "address", "notes", "company", "title")
"""Customer columns set to NULL (``mobile_last4`` follows ``mobile`` through the index)."""

PERSONAL_KEYS: Final = frozenset({
    "name", "gender", "mobile", "phone", "email", "id_number", "id_number_enc",
    "id_number_hash", "address", "notes", "company", "title", "tags", "content", "feedback",
    "description", "handling_steps", "solution", "note", "comment", "reason", "purpose",
    "result", "客户名称", "性别", "手机号", "固定电话", "邮箱", "证件号码", "公司名称", "职位",
    "详细地址", "备注", "标签", "联系内容", "拜访内容", "反馈", "投诉描述", "处理过程",
    "解决方案", "评价", "query", "filters", "values"})
"""Keys whose values an erasure removes from the audit entries about the customer (whatever
their value); other keys keep their value unless it quotes a personal value."""

REDACTED: Final = None


class ErasureError(CatalogError):
    """The erasure was refused (no reason, already erased); nothing changed."""


@dataclass(frozen=True)
class Erasure:
    """What one erasure did, for the command's output and the page's message."""

    customer_id: int
    customer_no: str
    records: int
    audit_entries: int
    imports: int
    held_rows: int


def _stored_forms(value: str) -> set[str]:
    """The forms a value takes in stored JSON text: as is (ensure_ascii=False writers) and
    with non-ASCII escaped (``json.dumps``' default, which the ORM's JSON columns use)."""
    return {value, json.dumps(value)[1:-1]}


def _quotes(text: str, values: Sequence[str]) -> bool:
    return any(v in text for v in values)


def _cleared(value: Any) -> Any:
    """A personal value removed, its shape kept: a ``[before, after]`` pair stays a pair."""
    return [REDACTED] * len(value) if isinstance(value, list) else REDACTED


def _redact(value: Any, values: Sequence[str], *, personal: bool) -> Any:
    """A JSON value with every personal part removed: everything under a personal key (when
    ``personal``: an entry about the person) and every string quoting a personal value."""
    if isinstance(value, dict):
        return {k: (_cleared(v) if personal and k in PERSONAL_KEYS
                    else _redact(v, values, personal=personal)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, values, personal=personal) for v in value]
    if isinstance(value, str) and _quotes(value, values):
        return REDACTED
    return value


def _personal_values(session: Session, customer: Customer, tag_names: Iterable[str],
                     texts: Iterable[str | None]) -> list[str]:
    """Every value of the person that other rows may quote, longest first; short values
    (one character) are left out: they would match everywhere and identify no one."""
    raw: set[str] = set()
    id_number = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None
    for value in (customer.name, customer.mobile, customer.phone, customer.email, id_number,
                  customer.id_number_enc, customer.id_number_hash, customer.address,
                  customer.notes, customer.title,
                  customer.company if customer.company == customer.name else None,
                  *tag_names, *texts):
        if value and len(value.strip()) >= 2:
            raw.add(value.strip())
    if customer.phone and customer.phone.startswith("+86"):
        raw.add(customer.phone[3:])  # a landline shown or imported without its country code
    return sorted(raw, key=len, reverse=True)


def _naming_tags(session: Session, customer: Customer) -> list[Tag]:
    """The customer's tags that name the person: a tag holding the name (two characters or
    more), the mobile or the email."""
    keys = [v for v in (customer.name, customer.mobile, customer.email) if v and len(v) >= 2]
    if customer.name == customer.company:  # an organisation's name is its own, not a person's
        keys = [v for v in keys if v != customer.name]
    return [tag for tag in customer.tags if any(k in tag.name for k in keys)]


def _record_ids(session: Session, customer_id: int) -> dict[str, list[int]]:
    """Ids of the customer's records, per audit entity name."""
    def ids(model: Any) -> list[int]:
        return list(session.scalars(select(model.id).where(model.customer_id == customer_id)))
    return {"complaint": ids(Complaint), "survey": ids(Survey), "contract": ids(Contract),
            "follow_up": ids(FollowUp)}


def _clear_records(session: Session, customer_id: int,
                   complaint_ids: Sequence[int]) -> tuple[int, list[str | None]]:
    """Clear the free text of the customer's records; (records touched, the texts cleared)."""
    texts: list[str | None] = []
    touched = 0
    specs: list[tuple[Any, Any, dict[str, Any]]] = [
        (Interaction, Interaction.customer_id == customer_id, {"content": ""}),
        (FollowUp, FollowUp.customer_id == customer_id, {"content": None, "feedback": None}),
        (Complaint, Complaint.customer_id == customer_id,
         {"description": "", "handling_steps": None, "solution": None}),
        (Survey, Survey.customer_id == customer_id, {"comment": None}),
    ]
    if complaint_ids:
        specs.append((ComplaintEvent, ComplaintEvent.complaint_id.in_(complaint_ids),
                      {"note": None}))
    for model, where, values in specs:
        columns = [getattr(model, c) for c in values]
        for row in session.execute(select(*columns).where(where)):
            texts.extend(row)
        result = session.execute(update(model).where(where).values(**values)
                                 .execution_options(synchronize_session=False))
        touched += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return touched, texts


def _entries_about(session: Session, customer_id: int, records: dict[str, list[int]],
                   values: Sequence[str]) -> list[AuditEntry]:
    """Audit entries to scrub: those about the customer or one of their records, and the
    entries about no single record (exports, searches, bulk actions, imports, tags) whose
    values quote one of the person's values. Entries about *other* customers are not
    searched: they are about those people (and searching them all would read the whole log)."""
    about = [(AuditEntry.entity == "customer") & (AuditEntry.entity_id == str(customer_id))]
    for entity, ids in records.items():
        if ids:
            about.append((AuditEntry.entity == entity)
                         & AuditEntry.entity_id.in_([str(i) for i in ids]))
    quoting = [cast(column, Text).like(f"%{_like_escape(form)}%", escape="\\")
               for value in values for form in _stored_forms(value)
               for column in (AuditEntry.changes, AuditEntry.detail)]
    shared = or_(AuditEntry.entity_id.is_(None),
                 AuditEntry.entity.in_(("import", "import_hold", "tag", "file")))
    found = {e.id: e for e in session.scalars(select(AuditEntry).where(
        AuditEntry.action != ACTION, or_(*about)))}
    if quoting:
        found.update({e.id: e for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action != ACTION, shared, or_(*quoting)))})
    return [found[i] for i in sorted(found)]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scrub_imports(session: Session, customer_id: int) -> int:
    """Remove the values an import overwrote on this customer (kept for undo): the undo of
    that import is then refused for this customer, whose version the erasure moved."""
    runs = session.scalars(select(ImportRun).where(
        cast(ImportRun.updates, Text).like(f'%"id": {customer_id},%'))).all()
    changed = 0
    for run in runs:
        updates = [dict(u) for u in (run.updates or [])]
        hit = False
        for item in updates:
            if int(item.get("id", -1)) == customer_id:
                item["before"] = {}
                item.pop("tags", None)
                hit = True
        if hit:
            run.updates = updates
            changed += 1
    return changed


_DIGITS = re.compile(r"\D")


def _cell_matches(cell: Any, keys: Sequence[str], digits: Sequence[str]) -> bool:
    if not isinstance(cell, (str, int, float)) or isinstance(cell, bool):
        return False
    text = str(cell).strip()
    if any(k and k.casefold() == text.casefold() for k in keys):
        return True
    plain = _DIGITS.sub("", text)
    return bool(plain) and any(d and plain.endswith(d) for d in digits)


def _scrub_holds(session: Session, customer: Customer, id_number: str | None) -> int:
    """Drop the held import rows that carry one of the person's keys (mobile, landline,
    email, 证件号码): they are that person's data. Returns the rows dropped."""
    keys = [v for v in (customer.email, id_number) if v]
    digits = [_DIGITS.sub("", v)[-11:] for v in (customer.mobile, customer.phone) if v]
    dropped = 0
    for hold in session.scalars(select(ImportHold)):
        payload = json.loads(crypto.decrypt(hold.payload))
        kept = [r for r in payload["rows"] if not any(
            _cell_matches(c, keys, digits) for c in r[1])]
        if len(kept) != len(payload["rows"]):
            dropped += len(payload["rows"]) - len(kept)
            payload["rows"] = kept
            hold.payload = crypto.encrypt(json.dumps(payload, ensure_ascii=False))
            hold.rows = len(kept)
    return dropped


def _scrub_consent(session: Session, customer_id: int) -> list[str | None]:
    """Clear the evidence notes of the customer's consent ledger; the notes cleared. The
    entries themselves (purpose, granted, when, channel, who) stay: proof of consent."""
    where = ConsentEntry.customer_id == customer_id
    notes = list(session.scalars(select(ConsentEntry.note).where(where)))
    session.execute(update(ConsentEntry).where(where).values(note=None)
                    .execution_options(synchronize_session=False))
    return notes


def erase_customer(session: Session, actor: Actor, customer_id: int, reason: str) -> Erasure:
    """Erase the customer's personal information in the caller's transaction (see the module
    docstring). Administrators only. Refused without a reason or if already erased."""
    actor.require(Perm.DELETE_CUSTOMERS)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ErasureError("erasure.error.reason_required")
    if len(reason) > REASON_MAX:
        raise ErasureError("erasure.error.reason_too_long", max=REASON_MAX)
    customer = session.get(Customer, customer_id, populate_existing=True,
                           with_for_update={"of": Customer})
    if customer is None:
        raise ErasureError("erasure.error.not_found")
    if is_erased(customer):
        raise ErasureError("erasure.error.already", customer_no=customer.customer_no)
    customer_no = customer.customer_no
    id_number = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None
    records = _record_ids(session, customer_id)
    naming = _naming_tags(session, customer)
    touched, texts = _clear_records(session, customer_id, records["complaint"])
    texts += _scrub_consent(session, customer_id)
    values = _personal_values(session, customer, [t.name for t in naming], texts)
    held = _scrub_holds(session, customer, id_number)
    imports = _scrub_imports(session, customer_id)

    for tag in naming:
        customer.tags.remove(tag)
    customer.name = erased_name(customer_no)
    for field in CLEARED_FIELDS:
        setattr(customer, field, None)
    session.flush()
    records["tag"] = []
    for tag in naming:  # a tag naming the person that no one else carries goes with them
        used = session.scalar(select(func.count()).select_from(customer_tags)
                              .where(customer_tags.c.tag_id == tag.id))
        if not used:
            records["tag"].append(tag.id)
            session.delete(tag)
    session.flush()

    entries = _entries_about(session, customer_id, records, values)
    fresh = [e for e in entries if e.erased_by is None]
    audit.record(session, actor, ACTION, "customer", customer_id,
                 detail={"customer_no": customer_no, "reason": reason, "entries": len(fresh)})
    session.flush()
    erasure_id = session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.action == ACTION, AuditEntry.entity_id == str(customer_id)))
    ids_of = {k: {str(i) for i in ids} for k, ids in records.items()}
    scrubbed = []
    for entry in entries:
        personal = (entry.entity == "customer" and entry.entity_id == str(customer_id)) or \
            entry.entity_id in ids_of.get(entry.entity or "", set())
        scrubbed.append((entry.id, _redact(entry.changes, values, personal=personal),
                         _redact(entry.detail, values, personal=personal), entry.erased_by))
    assert erasure_id is not None
    audit.scrub(session, int(erasure_id), scrubbed)
    for entry in entries:
        session.expire(entry)
    return Erasure(customer_id, customer_no, touched, len(fresh), imports, held)


def find_customer(session: Session, customer_no: str) -> int | None:
    """The id of the customer with this 客户编号 (deleted ones included)."""
    return session.scalar(select(Customer.id).where(Customer.customer_no == customer_no.strip()))


def finish(engine: Engine) -> bool:
    """After the erasure committed: on SQLite, write the WAL back and truncate it, so no
    older page image of the erased rows stays in it (the main file's freed bytes are zeroed by
    ``secure_delete``). True when the WAL is empty now (always on PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    return busy is None or int(busy[0]) == 0


__all__ = ["ACTION", "CLEARED_FIELDS", "ERASED_PREFIX", "Erasure", "ErasureError",
           "erase_customer", "erased_name", "find_customer", "finish",
           "is_erased"]
