"""The customer export: the spec's headers in order on a sheet named ``客户``, masked by role.

Who sees what (spec: Roles, Masking): ``EXPORT_FULL`` (administrator, manager, command line)
gets full values including the decrypted 证件号码; ``EXPORT_MASKED`` (clerk, trainer) gets
手机号, 邮箱 and 证件号码 masked by ``services.access.masking`` — and a 固定电话 that is really a
mobile number masked like one, so a masked file never holds a full mobile. Every export is audited
with its row count and filters.

The file is also an import file: importing it changes nothing (every row is the same customer,
with the same values). So values are written in the form the import reads back to the stored
value: 客户经理 by display name when that name is unambiguous, else by username.

Customers stream in id order, a chunk at a time, straight into the zipped sheet
(``services.excel.xlsx``): memory stays flat whatever the number of customers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from typing import IO, Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.settings import Settings, get_settings
from db.models import Customer, Tag, User, customer_tags
from services.access import audit, crypto, masking
from services.access.masking import mask_field
from services.access.roles import Actor, Perm
from services.customers import mask_value, validation_context
from services.customers.lookup import CustomerQuery, build_query, id_in
from services.excel.bulk import chunks
from services.excel.kinds import CUSTOMERS
from services.excel.progress import ProgressFn
from services.excel.xlsx import TableWriter
from services.privacy.consent import flag_text, marketing_condition

SHEET: Final = "客户"
CHUNK: Final = 5000
_COLUMNS: Final = (
    Customer.id, Customer.customer_no, Customer.name, Customer.customer_type, Customer.gender,
    Customer.mobile, Customer.phone, Customer.email, Customer.id_number_enc, Customer.company,
    Customer.title, Customer.industry, Customer.province, Customer.city, Customer.address,
    Customer.tier, Customer.account_manager_id, Customer.source, Customer.notes,
    Customer.consent_service, Customer.consent_marketing,
)
_TEXT_COLUMNS: Final = tuple(i for i, c in enumerate(CUSTOMERS.columns) if c.text_format)



def can_export(actor: Actor) -> bool:
    return actor.can(Perm.EXPORT_FULL) or actor.can(Perm.EXPORT_MASKED)


def _require(actor: Actor, query: CustomerQuery) -> bool:
    """Check the rights; True when the actor gets full values."""
    actor.require(Perm.VIEW_CUSTOMERS)
    if query.deleted == "only":
        actor.require(Perm.DELETE_CUSTOMERS)
    if actor.can(Perm.EXPORT_FULL):
        return True
    actor.require(Perm.EXPORT_MASKED)
    return False


def _manager_labels(session: Session) -> dict[int, str]:
    """How each user is named in the 客户经理 column: the display name when the import would
    read it back as this very user, else the username (never ambiguous)."""
    ctx_users = validation_context(session).users
    labels: dict[int, str] = {}
    for uid, username, display in session.execute(select(User.id, User.username,
                                                         User.display_name)):
        labels[uid] = display if ctx_users.get(display.lower()) == uid else username
    return labels


def _tags(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for part in chunks(list(ids)):
        for cid, name in session.execute(
                select(customer_tags.c.customer_id, Tag.name)
                .join(Tag, Tag.id == customer_tags.c.tag_id)
                .where(id_in(session, part, customer_tags.c.customer_id))
                .order_by(Tag.name)):
            found.setdefault(cid, []).append(name)
    return found


def _phone(value: str | None, customer_type: str, full: bool, settings: Settings) -> str | None:
    return mask_field("phone", value, customer_type=customer_type, full=full, settings=settings)


def filters_of(query: CustomerQuery) -> dict[str, Any]:
    """The filters that differ from an empty lookup, JSON-safe, for the audit entry."""
    default = CustomerQuery()
    out: dict[str, Any] = {}
    for f in fields(query):
        value = getattr(query, f.name)
        if f.name in ("sort", "descending") or value == getattr(default, f.name):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def write_customers(session: Session, actor: Actor, out: IO[bytes] | str,
                    query: CustomerQuery | None = None, *,
                    progress: ProgressFn | None = None, chunk: int | None = None,
                    limit: int | None = None, marketing: bool = False) -> int:
    """Write the customers matching ``query`` (default: every live customer) to ``out``;
    with ``limit``, only the first that many by id (the benchmark's fixed-size export).
    ``marketing``: an export for marketing holds only those whose 营销 consent is current
    (data-protection.md "Consent"); the audit entry says how many were left out
    (``marketing_split`` tells the page before).

    Returns the number of rows; adds an ``export.customers`` audit entry to the session (the
    caller commits it).
    """
    query = query or CustomerQuery()
    chunk = chunk or CHUNK
    full = _require(actor, query)
    settings = get_settings()
    notify = progress or (lambda stage, done, total: None)
    base = build_query(session, query)
    left_out = 0
    if marketing:
        left_out = marketing_split(session, actor, query)[1]
        base = base.where(marketing_condition())
    total = session.scalar(select(func.count()).select_from(
        base.with_only_columns(Customer.id).order_by(None).subquery())) or 0
    if limit is not None:
        total = min(total, limit)
    managers = _manager_labels(session)
    notify("export", 0, total)
    written = 0
    last_id = 0
    with TableWriter(out, SHEET, CUSTOMERS.headers, [c.width for c in CUSTOMERS.columns],
                     text_columns=_TEXT_COLUMNS) as table:
        while limit is None or written < limit:
            rows = session.execute(base.with_only_columns(*_COLUMNS)
                                   .where(Customer.id > last_id).order_by(Customer.id)
                                   .limit(chunk if limit is None
                                          else min(chunk, limit - written))).all()
            if not rows:
                break
            last_id = rows[-1].id
            tag_map = _tags(session, [r.id for r in rows])
            hidden = masking.hidden_ids(session, actor, (r.id for r in rows))
            for r in rows:
                id_number = crypto.decrypt(r.id_number_enc) if r.id_number_enc else None
                table.write_row((
                    r.customer_no, r.name, r.customer_type, r.gender,
                    r.mobile if full else mask_value("mobile", r.mobile, settings),
                    _phone(r.phone, r.customer_type, full, settings),
                    r.email if full else mask_value("email", r.email, settings),
                    id_number if full else mask_value("id_number", id_number, settings),
                    r.company, r.title, r.industry, r.province, r.city, r.address, r.tier,
                    "，".join(tag_map.get(r.id, [])) or None,
                    managers.get(r.account_manager_id) if r.account_manager_id else None,
                    r.source, masking.hide_text(r.notes) if r.id in hidden else r.notes,
                    flag_text(r.consent_service),
                    flag_text(r.consent_marketing),
                ))
            written = table.rows
            notify("export", written, total)
    detail: dict[str, Any] = {"rows": written, "masked": not full,
                              "filters": filters_of(query)}
    if marketing:
        detail.update(marketing=True, left_out=left_out)
    audit.record(session, actor, "export.customers", "customer", None, detail=detail)
    return written


def marketing_split(session: Session, actor: Actor, query: CustomerQuery | None = None
                    ) -> tuple[int, int]:
    """``(kept, left out)``: of the customers ``query`` matches, how many a marketing export
    holds (营销 consent current) and how many it leaves out."""
    query = query or CustomerQuery()
    _require(actor, query)
    base = build_query(session, query).order_by(None)
    total = session.scalar(select(func.count()).select_from(
        base.with_only_columns(Customer.id).subquery())) or 0
    kept = session.scalar(select(func.count()).select_from(
        base.where(marketing_condition()).with_only_columns(Customer.id).subquery())) or 0
    return kept, total - kept


def export_customers_xlsx(session: Session, actor: Actor, query: CustomerQuery | None = None,
                          *, progress: ProgressFn | None = None,
                          marketing: bool = False) -> bytes:
    """``write_customers`` into bytes, for the page's download button."""
    buffer = io.BytesIO()
    write_customers(session, actor, buffer, query, progress=progress, marketing=marketing)
    return buffer.getvalue()


def export_table_xlsx(session: Session, actor: Actor, what: str, headers: Sequence[str],
                      rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1",
                      filters: dict[str, Any] | None = None) -> bytes:
    """Any record list a page shows, as a styled, formula-safe workbook; audited as
    ``export.<what>`` with the row count. The caller masks personal values before (the rows
    are written as given)."""
    from services.excel.writer import table_xlsx

    if not can_export(actor):
        actor.require(Perm.EXPORT_MASKED)
    data = table_xlsx(headers, rows, sheet=sheet)
    audit.record(session, actor, f"export.{what}"[:30], None, None,
                 detail={"rows": len(rows), "filters": filters or {}})
    return data

