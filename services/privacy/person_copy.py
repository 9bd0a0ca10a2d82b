"""A copy for the person (PIPL Art. 45; data-protection.md "A copy for the person").

Everything the app holds about one customer, in full (证件号码 decrypted, contacts unmasked):
the record's every field, then one sheet per kind of record — orders, contacts, visits,
complaints and their steps, surveys, contracts, renewals, the consent ledger, tier history —
each with every column, and a cover sheet saying when and by whom it was made. Staff are
named by display name rather than by id. Administrators only (it holds every key in full);
audited with the number of rows per sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Final

from sqlalchemy import Column, select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.i18n import has, t
from db.models import (
    Complaint,
    ComplaintEvent,
    ConsentEntry,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    Survey,
    TierChange,
    User,
)
from services.access import audit, crypto
from services.access.audit_view import field_label
from services.access.roles import Actor, Perm
from services.excel.writer import Formats, column_widths, new_workbook, sheet_name, write_cell

ACTION: Final = "customer.export_person"
KINDS: Final[tuple[tuple[str, Any], ...]] = (
    ("orders", Order), ("contacts", Interaction), ("visits", FollowUp),
    ("complaints", Complaint), ("complaint_steps", ComplaintEvent), ("surveys", Survey),
    ("contracts", Contract), ("renewals", Renewal), ("consent", ConsentEntry),
    ("tier_history", TierChange))
"""Sheet key and model, in sheet order (after the cover and the record)."""

_HIDDEN: Final = frozenset({"id_number_enc", "id_number_hash"})


class PersonCopyError(CatalogError):
    """No such customer."""


@dataclass(frozen=True)
class PersonCopy:
    customer_no: str
    sheets: dict[str, int]
    """Rows per sheet key (``customer`` and each of ``KINDS``)."""


def _is_user(column: Column[Any]) -> bool:
    return any(fk.column.table.name == "users" for fk in column.foreign_keys)


def _label(name: str, entity: str, lang: str) -> str:
    """The copy's own label of a column, else the audit log's, else the column name."""
    if has(f"person.col.{name}"):
        return t(f"person.col.{name}", lang)
    return field_label(name, entity, lang)


def _rows(session: Session, model: Any, customer_id: int) -> list[Any]:
    if model is ComplaintEvent:
        complaints = select(Complaint.id).where(Complaint.customer_id == customer_id)
        stmt = select(model).where(model.complaint_id.in_(complaints))
    else:
        stmt = select(model).where(model.customer_id == customer_id)
    return list(session.scalars(stmt.order_by(model.id)))


def _customer_fields(session: Session, customer: Customer, names: dict[int, str],
                     lang: str) -> list[tuple[str, Any]]:
    fields: list[tuple[str, Any]] = []
    for column in Customer.__table__.columns:
        if column.name in _HIDDEN:
            continue
        value = getattr(customer, column.name)
        if _is_user(column) and value is not None:
            value = names.get(int(value), value)
        fields.append((_label(column.name, "customer", lang), value))
        if column.name == "email":
            id_number = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc \
                else None
            fields.append((_label("id_number", "customer", lang), id_number))
    fields.append((_label("tags", "customer", lang), [tag.name for tag in customer.tags]))
    return fields


def write_person_copy(session: Session, actor: Actor, customer_id: int, out: IO[bytes] | str,
                      lang: str = "zh") -> PersonCopy:
    """Write the copy to ``out`` (a path or a binary stream) and audit it."""
    actor.require(Perm.DELETE_CUSTOMERS)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise PersonCopyError("person.error.not_found")
    names = dict(session.execute(select(User.id, User.display_name)).all())
    made_at = clock.now()
    sheets: dict[str, int] = {}
    wb = new_workbook(out, streaming=False)
    fmt = Formats.create(wb)
    cover = wb.add_worksheet(sheet_name(t("person.sheet.cover", lang)))
    record = _customer_fields(session, customer, names, lang)
    tables: list[tuple[str, list[str], list[list[Any]]]] = []
    for key, model in KINDS:
        columns = list(model.__table__.columns)
        rows = []
        for item in _rows(session, model, customer_id):
            row = []
            for column in columns:
                value = getattr(item, column.key)
                if _is_user(column) and value is not None:
                    value = names.get(int(value), value)
                row.append(value)
            rows.append(row)
        headers = [_label(c.name, model.__tablename__.rstrip("s"), lang) for c in columns]
        tables.append((key, headers, rows))
        sheets[key] = len(rows)
    sheets = {"customer": len(record), **sheets}

    ws = wb.add_worksheet(sheet_name(t("person.sheet.customer", lang)))
    _table(ws, fmt, [t("person.header.field", lang), t("person.header.value", lang)],
           [list(pair) for pair in record])
    for key, headers, rows in tables:
        _table(wb.add_worksheet(sheet_name(t(f"person.sheet.{key}", lang))), fmt, headers, rows)

    by = actor.username if actor.user_id is None else names.get(actor.user_id, actor.username)
    lines: list[tuple[str, Any]] = [
        (t("person.cover.title", lang), t("person.cover.law", lang)),
        (t("person.cover.customer_no", lang), customer.customer_no),
        (t("person.cover.made_at", lang), made_at),
        (t("person.cover.made_by", lang), by),
        *[(t(f"person.sheet.{key}", lang), count) for key, count in sheets.items()],
    ]
    cover.set_column(0, 0, 24)
    cover.set_column(1, 1, 60)
    for r, (label, value) in enumerate(lines):
        write_cell(cover, r, 0, label, fmt, fmt.header)
        write_cell(cover, r, 1, value, fmt)
    wb.close()
    audit.record(session, actor, ACTION, "customer", customer_id,
                 detail={"customer_no": customer.customer_no, "sheets": sheets})
    return PersonCopy(customer.customer_no, sheets)


def _table(ws: Any, fmt: Formats, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for c, header in enumerate(headers):
        write_cell(ws, 0, c, header, fmt, fmt.header)
    for c, width in enumerate(column_widths(headers, rows)):
        ws.set_column(c, c, width, fmt.wrap if width >= 40 else None)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            write_cell(ws, r, c, value, fmt)
    ws.freeze_panes(1, 0)


def person_copy_xlsx(session: Session, actor: Actor, customer_id: int,
                     lang: str = "zh") -> tuple[bytes, PersonCopy]:
    """The copy as bytes, for the profile's download button."""
    import io

    buffer = io.BytesIO()
    made = write_person_copy(session, actor, customer_id, buffer, lang)
    return buffer.getvalue(), made


__all__ = ["ACTION", "KINDS", "PersonCopy", "PersonCopyError", "person_copy_xlsx",
           "write_person_copy"]
