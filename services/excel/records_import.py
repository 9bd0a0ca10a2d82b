"""Record rows (orders, complaints, surveys, follow-ups, renewals) for existing customers.

Each row names its customer by 客户编号 or 手机号 (live customers only); renewals also name a
contract of that customer. A record that repeats one already stored, or an earlier row of the
file, is a duplicate and skipped (``kind.key_columns`` say what "the same record" means), so
re-importing a file changes nothing. Records are only ever added: ``update`` mode treats a
repeated record like ``skip`` (a warning says so).

Orders move the customers' first/last order dates, tiers, lifecycle stages and value segments
(``services.customers.tiers.on_orders_changed``), and a customer's first order plans its welcome
回访 (``services.records.visit_planning.on_first_orders``), in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import Table, and_, func, select, update
from sqlalchemy.orm import Session

from core import clock
from core.fields import FIELD_BY_KEY
from core.vocab import resolution_minutes
from db.models import Complaint, Contract, Customer, FollowUp, Order, Renewal, Survey
from services.customers import tiers
from services.excel.bulk import allocate_ids, bulk_insert, chunks
from services.excel.issues import Issue, Label
from services.excel.kinds import ImportKind, get_kind
from services.excel.outcomes import RowOutcome, Status
from services.excel.progress import ProgressFn
from services.excel.reader import SheetData
from services.excel.rows import CheckedRecord, shown
from services.records import visit_planning

TABLES: Final[dict[str, Table]] = {
    "orders": Order.__table__, "complaints": Complaint.__table__,
    "surveys": Survey.__table__, "follow_ups": FollowUp.__table__,
    "renewals": Renewal.__table__,
}
"""The table each record kind is written to."""

INSERT_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "orders": ("id", "customer_id", "order_no", "order_date", "product", "quantity", "amount",
               "payment_method", "created_at"),
    "complaints": ("id", "customer_id", "channel", "complaint_type", "description",
                   "received_at", "handler_id", "status", "handling_steps", "solution",
                   "resolved_at", "resolution_minutes", "closed_at", "created_at", "version"),
    "surveys": ("id", "customer_id", "survey_date", "score", "channel", "comment",
                "created_at"),
    "follow_ups": ("id", "customer_id", "planned_date", "done_date", "method", "purpose",
                   "content", "feedback", "result", "next_date", "assignee_id", "created_at"),
    "renewals": ("id", "contract_id", "customer_id", "due_date", "decided_at", "outcome",
                 "amount", "reason", "new_contract_id", "created_at"),
}
_VALUE_ALIASES: Final = {"handler_id": "handler", "assignee_id": "assignee"}


@dataclass
class RecordPlan:
    outcomes: list[RowOutcome]
    new: list[CheckedRecord]


def _label(key: str) -> Label:
    spec = FIELD_BY_KEY[key]
    return Label(spec.header, spec.label_en)


def _live_customers(session: Session, rows: Sequence[CheckedRecord], *,
                    with_mobiles: bool = True) -> tuple[dict[str, int], dict[str, list[int]]]:
    numbers = sorted({r.values["customer_no"] for r in rows if r.values.get("customer_no")})
    mobiles = sorted({r.values["mobile"] for r in rows if r.values.get("mobile")}) \
        if with_mobiles else []
    by_no: dict[str, int] = {}
    by_mobile: dict[str, list[int]] = defaultdict(list)
    # Deleted customers are skipped in Python: see customers_import.load_matches.
    for part in chunks(numbers):
        for number, cid, deleted in session.execute(select(
                Customer.customer_no, Customer.id, Customer.deleted_at).where(
                Customer.customer_no.in_(part))):
            if deleted is None:
                by_no[number] = cid
    for part in chunks(mobiles):
        for mobile, cid, deleted in session.execute(select(
                Customer.mobile, Customer.id, Customer.deleted_at).where(
                Customer.mobile.in_(part)).order_by(Customer.id)):
            if deleted is None:
                by_mobile[mobile].append(cid)
    return by_no, by_mobile


def _resolve_customer(sheet: SheetData, row: CheckedRecord, by_no: dict[str, int],
                      by_mobile: dict[str, list[int]], mobile_hidden: bool = False
                      ) -> tuple[int | None, list[Issue]]:
    """The customer a record row names. ``mobile_hidden``: the user may not see a 手机号 in
    full, so it never finds (or contradicts) a customer: whether it exists would be an
    oracle; such a user names the customer by 客户编号."""
    number, mobile = row.values.get("customer_no"), row.values.get("mobile")
    col_no, col_mobile = sheet.header_for("customer_no"), sheet.header_for("mobile")
    by_number = by_no.get(number) if number else None
    if number and by_number is None:
        return None, [Issue("excel.customer.not_found", {"ref": f"{_label('customer_no').zh} "
                                                                f"{number}"},
                            row.row, col_no, "customer_no")]
    if mobile_hidden:
        if number:
            return by_number, []
        return None, [Issue("oracle.records.customer_no_required", {}, row.row, col_no,
                            "customer_no")]
    if not mobile:
        return by_number, []
    owners = by_mobile.get(mobile, [])
    if by_number is not None:
        if owners and by_number not in owners:
            return None, [Issue("excel.customer.mismatch",
                                {"customer_no": number, "mobile": mobile}, row.row, col_mobile,
                                "mobile")]
        return by_number, []
    if not owners:
        return None, [Issue("excel.customer.not_found", {"ref": f"{_label('mobile').zh} "
                                                                f"{mobile}"},
                            row.row, col_mobile, "mobile")]
    if len(owners) > 1:
        return None, [Issue("excel.customer.ambiguous_mobile", {"mobile": mobile}, row.row,
                            col_mobile, "mobile")]
    return owners[0], []


def _contracts(session: Session, rows: Sequence[CheckedRecord]
               ) -> dict[str, tuple[int, int, date]]:
    """contract_no -> (id, customer_id, end_date) of every contract a renewal row names."""
    wanted = sorted({r.values[k] for r in rows for k in ("contract_no", "new_contract_no")
                     if r.values.get(k)})
    found: dict[str, tuple[int, int, date]] = {}
    for part in chunks(wanted):
        for no, cid, customer_id, end in session.execute(select(
                Contract.contract_no, Contract.id, Contract.customer_id, Contract.end_date)
                .where(Contract.contract_no.in_(part))):
            found[no] = (cid, customer_id, end)
    return found


def record_key(kind: ImportKind, values: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two records the same record (values as they will be stored)."""
    return tuple(values.get(k) for k in kind.key_columns)


def _existing_keys(session: Session, kind: ImportKind, rows: Sequence[CheckedRecord]
                   ) -> set[tuple[Any, ...]]:
    """Keys of stored records that rows of this file could repeat, by IN-list queries."""
    table = TABLES[kind.name]
    found: set[tuple[Any, ...]] = set()
    if kind.name == "orders":
        numbers = sorted({r.values["order_no"] for r in rows if r.values.get("order_no")})
        for part in chunks(numbers):
            found.update((n,) for n in session.scalars(
                select(table.c.order_no).where(table.c.order_no.in_(part))))
        return found
    scope = "contract_id" if kind.name == "renewals" else "customer_id"
    ids = sorted({r.values[scope] for r in rows if r.values.get(scope) is not None})
    columns = [table.c[k] for k in kind.key_columns]
    for part in chunks(ids):
        found.update(tuple(r) for r in session.execute(
            select(*columns).where(table.c[scope].in_(part))))
    return found


def plan_records(session: Session, sheet: SheetData, progress: ProgressFn | None = None, *,
                 hidden: frozenset[str] = frozenset()) -> RecordPlan:
    """Decide each record row: new, duplicate or rejected (no writes); ``hidden``: the keys
    the importing user may not see in full (``services.access.probes.hidden_keys``)."""
    notify = progress or (lambda stage, done, total: None)
    kind = get_kind(sheet.kind)
    rows: list[CheckedRecord] = sheet.rows
    notify("check", 0, len(rows))
    valid = [r for r in rows if not r.issues]
    mobile_hidden = "mobile" in hidden
    by_no, by_mobile = _live_customers(session, valid, with_mobiles=not mobile_hidden)
    contracts = _contracts(session, valid) if kind.name == "renewals" else {}
    problems: dict[int, list[Issue]] = {}
    for row in rows:
        if row.issues:
            problems[row.row] = list(row.issues)
            continue
        customer_id, issues = _resolve_customer(sheet, row, by_no, by_mobile, mobile_hidden)
        row.values["customer_id"] = customer_id
        if customer_id is not None and kind.name == "renewals":
            issues += _resolve_contracts(sheet, kind, row, customer_id, contracts)
        if issues:
            problems[row.row] = issues
    accepted = [r for r in rows if r.row not in problems]
    existing = _existing_keys(session, kind, accepted)
    outcomes: list[RowOutcome] = []
    new: list[CheckedRecord] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row.row in problems:
            outcomes.append(RowOutcome(row.row, Status.REJECTED, tuple(problems[row.row])))
            continue
        key = record_key(kind, row.values)
        what = _key_text(kind, row.values)
        if key in seen:
            outcomes.append(RowOutcome(row.row, Status.DUPLICATE, (Issue(
                "excel.duplicate.record_row", {"row": seen[key], "what": what}, row.row),),
                row.values.get("customer_id")))
        elif key in existing:
            outcomes.append(RowOutcome(row.row, Status.DUPLICATE, (Issue(
                "excel.duplicate.record_existing", {"what": what}, row.row),),
                row.values.get("customer_id")))
        else:
            seen[key] = row.row
            outcomes.append(RowOutcome(row.row, Status.NEW, (), row.values.get("customer_id")))
            new.append(row)
    notify("check", len(rows), len(rows))
    return RecordPlan(outcomes, new)


def _key_text(kind: ImportKind, values: dict[str, Any]) -> list[Any]:
    parts: list[Any] = []
    for key in kind.key_columns:
        if key in ("customer_id", "contract_id"):
            continue
        value = values.get(key)
        col = kind.column(key)
        parts.append(f"{col.header} {shown(value) if value is not None else '—'}")
    if "contract_id" in kind.key_columns:
        parts.insert(0, f"{kind.column('contract_no').header} {values.get('contract_no')}")
    return parts


def _resolve_contracts(sheet: SheetData, kind: ImportKind, row: CheckedRecord, customer_id: int,
                       contracts: dict[str, tuple[int, int, date]]) -> list[Issue]:
    issues = []
    for key, target in (("contract_no", "contract_id"), ("new_contract_no", "new_contract_id")):
        number = row.values.get(key)
        if not number:
            row.values[target] = None
            continue
        found = contracts.get(number)
        if found is None or found[1] != customer_id:
            col = kind.column(key)
            issues.append(Issue("excel.contract.not_found", {"field": col.label,
                                                             "value": shown(number)},
                                row.row, sheet.header_for(key), key))
            continue
        row.values[target] = found[0]
        if key == "contract_no" and row.values.get("due_date") is None:
            row.values["due_date"] = found[2]
    return issues


# ---- writing ------------------------------------------------------------------------------------

def write_records(session: Session, kind_name: str, plan: RecordPlan,
                  today: date | None = None, progress: ProgressFn | None = None) -> list[int]:
    """Insert the new records; for orders, bring the customers' dates and tiers up to date."""
    notify = progress or (lambda stage, done, total: None)
    if not plan.new:
        return []
    conn = session.connection()
    table = TABLES[kind_name]
    columns = INSERT_COLUMNS[kind_name]
    ids = allocate_ids(conn, table, len(plan.new))
    stamp = clock.now()
    rows = []
    for rid, row in zip(ids, plan.new, strict=True):
        values = {**row.values, "id": rid, "created_at": stamp, "version": 1}
        if kind_name == "complaints":
            values["status"] = values.get("status") or "待处理"
            values["resolution_minutes"] = resolution_minutes(values.get("received_at"),
                                                              values.get("resolved_at"))
        rows.append(tuple(values.get(_VALUE_ALIASES.get(c, c)) for c in columns))
    first_buyers: list[int] = []
    if kind_name == "orders":  # asked before the insert: who had no order until now
        first_buyers = visit_planning.first_time_buyers(
            session, [r.values["customer_id"] for r in plan.new])
    notify("write", 0, len(rows))
    bulk_insert(conn, table, columns, rows)
    notify("write", len(rows), len(rows))
    if kind_name == "orders":
        affected = sorted({r.values["customer_id"] for r in plan.new})
        update_order_dates(session, affected)
        tiers.on_orders_changed(session, affected, today)
        visit_planning.on_first_orders(session, first_buyers, today=today)
    session.expire_all()
    return ids


def update_order_dates(session: Session, customer_ids: Sequence[int]) -> None:
    """Set first/last order dates of these customers from their orders (set-based)."""
    table = Customer.__table__
    first = select(func.min(Order.order_date)).where(
        Order.customer_id == table.c.id).scalar_subquery()
    last = select(func.max(Order.order_date)).where(
        Order.customer_id == table.c.id).scalar_subquery()
    for part in chunks(list(customer_ids)):
        session.execute(update(table).where(and_(table.c.id.in_(part))).values(
            first_order_at=first, last_order_at=last))
