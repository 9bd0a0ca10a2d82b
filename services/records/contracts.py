"""Contracts (合同) of a customer: add, edit, delete, and what a contract looks like on screen.

A contract has a unique number (typed, or issued as ``HT`` + year + 6 digits), a period
(end ≥ start) and an amount (≥ 0). A renewed contract continues as a new contract whose
``previous_contract_id`` is the old one (see ``services.records.renewals.record_outcome``); each
contract has at most one renewal row, holding its outcome.

Rules decided here:

- Every change is audited (``contract.create`` / ``contract.update`` / ``contract.delete``)
  in the caller's transaction; the audit entity is ``contract``, its detail names the customer.
- Adding and editing need ``EDIT_CUSTOMERS`` and a live customer; deleting needs
  ``DELETE_CUSTOMERS`` (administrators), like every service record.
- A contract in the middle of a chain (it was renewed into a later contract) cannot be
  deleted: the later contract goes first. Deleting a contract that a renewal created puts the
  old contract's renewal back to 跟进中 (the renewal is open again), audited as well.
- Editing the end date moves the renewal's due date with it (the due date is the end date).

Form problems are collected by ``services.records.input.Checker`` (the standard of every service
record form), each naming its field (``contract.<name>``, label ``field.contract.<name>``), and
raised together as ``InvalidRecord``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.vocab import RenewalOutcome
from db.models import Contract, Customer, Renewal, User
from services.access import audit
from services.access.roles import Actor, Perm
from services.customers import numbering
from services.customers.visibility import refuse_erased
from services.records.input import Checker
from services.records.stored import customer_shown

NUMBER_MAX: Final = 32
_NUMBER_RE: Final = re.compile(r"^[A-Z0-9][A-Z0-9_/-]*$")


# ---- errors -----------------------------------------------------------------------------------


class ContractError(CatalogError):
    """A refused contract or renewal action; ``key`` and ``params`` name the message."""


class ContractNotFound(ContractError):
    def __init__(self, contract_id: int) -> None:
        super().__init__("contracts.error.not_found", contract_id=contract_id)
        self.contract_id = contract_id


def normalize_contract_no(value: Any) -> str:
    """Full-width folded, spaces dropped, ASCII letters upper-cased: ``ht 2026-01`` and
    ``ＨＴ2026-01`` are the same number ``HT2026-01``."""
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split()).upper()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_number(check: Checker, name: str, session: Session,
                 exclude_id: int | None = None) -> str | None:
    """A typed contract number: well-formed and not used by another contract (None: blank)."""
    raw = check.values.get(name)
    if _blank(raw):
        return None
    number = normalize_contract_no(raw)
    if len(number) > NUMBER_MAX:
        check.fail(name, "validation.too_long", length=len(number), max=NUMBER_MAX)
        return None
    if not _NUMBER_RE.match(number):
        check.fail(name, "contracts.error.number_chars", value=number)
        return None
    stmt = select(Contract.id).where(Contract.contract_no == number)
    if exclude_id is not None:
        stmt = stmt.where(Contract.id != exclude_id)
    if session.scalar(stmt) is not None:
        check.fail(name, "contracts.error.number_taken", value=number)
        return None
    return number


def check_period(check: Checker, start_name: str, end_name: str,
                 not_before: date | None = None) -> tuple[date | None, date | None]:
    """Both dates required (future dates are fine: a contract runs ahead), end ≥ start;
    ``not_before``: the start must be later than it."""
    start = check.day(start_name, required=True, not_future=False)
    end = check.day(end_name, required=True, not_future=False)
    if start is not None and end is not None and end < start:
        check.fail(end_name, "contracts.error.period", start=start.isoformat())
    if start is not None and not_before is not None and start <= not_before:
        check.fail(start_name, "contracts.error.after_previous", start=not_before.isoformat())
    return start, end


# ---- numbers ----------------------------------------------------------------------------------


def next_contract_no(session: Session, *, year: int | None = None) -> str:
    """Issue ``HT`` + year + 6 digits in the caller's transaction. The demo's numbers (``HT`` +
    year + 9 digits: customer id and rank) never collide with these."""
    return numbering.next_number(session, "contract_no", "HT", Contract.contract_no, year=year)


# ---- reading ----------------------------------------------------------------------------------


def _live_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise ContractError("contracts.error.customer_not_found")
    return refuse_erased(customer)


def get_contract(session: Session, contract_id: int) -> Contract:
    contract = session.get(Contract, contract_id, populate_existing=True)
    if contract is None:
        raise ContractNotFound(contract_id)
    return contract


def renewal_of(session: Session, contract_id: int) -> Renewal | None:
    """The renewal row of a contract (one per contract; should an import have added a second,
    the newest counts)."""
    return session.scalar(select(Renewal).where(Renewal.contract_id == contract_id)
                          .order_by(Renewal.id.desc()).limit(1))


def successor_of(session: Session, contract_id: int) -> Contract | None:
    return session.scalar(select(Contract).where(Contract.previous_contract_id == contract_id)
                          .order_by(Contract.id).limit(1))


def _values(contract: Contract) -> dict[str, Any]:
    return {"contract_no": contract.contract_no, "start_date": contract.start_date,
            "end_date": contract.end_date, "amount": contract.amount}


@dataclass(frozen=True)
class ContractView:
    """A contract as the profile and the renewals page show it, with its renewal."""

    id: int
    customer_id: int
    customer_no: str
    customer_name: str
    contract_no: str
    start_date: date
    end_date: date
    amount: Decimal
    previous_contract_id: int | None
    previous_contract_no: str | None
    created_at: datetime
    outcome: str | None          # None: nothing recorded yet
    renewal_amount: Decimal | None
    reason: str | None           # 未续约: the reason; 跟进中: the latest note
    decided_at: datetime | None
    recorded_by: str | None
    new_contract_id: int | None
    new_contract_no: str | None
    successor_id: int | None     # the contract that continues this one, if any

    @property
    def decided(self) -> bool:
        return self.outcome in (RenewalOutcome.RENEWED, RenewalOutcome.NOT_RENEWED)

    @property
    def renewed(self) -> bool:
        return self.outcome == RenewalOutcome.RENEWED


def contract_view(session: Session, actor: Actor, contract_id: int) -> ContractView:
    actor.require(Perm.VIEW_CUSTOMERS)
    contract = get_contract(session, contract_id)
    customer = customer_shown(session, actor, contract.customer_id,
                              lambda: ContractNotFound(contract_id))
    renewal = renewal_of(session, contract.id)
    successor = successor_of(session, contract.id)
    ids = [i for i in (contract.previous_contract_id,
                       renewal.new_contract_id if renewal else None) if i is not None]
    numbers = dict(session.execute(select(Contract.id, Contract.contract_no)
                                   .where(Contract.id.in_(ids))).all()) if ids else {}
    recorder = session.get(User, renewal.user_id) if renewal and renewal.user_id else None
    return ContractView(
        id=contract.id, customer_id=customer.id, customer_no=customer.customer_no,
        customer_name=customer.name, contract_no=contract.contract_no,
        start_date=contract.start_date, end_date=contract.end_date, amount=contract.amount,
        previous_contract_id=contract.previous_contract_id,
        previous_contract_no=numbers.get(contract.previous_contract_id)
        if contract.previous_contract_id else None,
        created_at=contract.created_at,
        outcome=renewal.outcome if renewal else None,
        renewal_amount=renewal.amount if renewal else None,
        reason=renewal.reason if renewal else None,
        decided_at=renewal.decided_at if renewal else None,
        recorded_by=recorder.display_name if recorder else None,
        new_contract_id=renewal.new_contract_id if renewal else None,
        new_contract_no=numbers.get(renewal.new_contract_id)
        if renewal and renewal.new_contract_id else None,
        successor_id=successor.id if successor else None,
    )


def customer_contracts(session: Session, actor: Actor, customer_id: int) -> list[ContractView]:
    """All contracts of one customer, newest start first."""
    actor.require(Perm.VIEW_CUSTOMERS)
    ids = session.scalars(select(Contract.id).where(Contract.customer_id == customer_id)
                          .order_by(Contract.start_date.desc(), Contract.id.desc())).all()
    return [contract_view(session, actor, i) for i in ids]


# ---- add, edit, delete ------------------------------------------------------------------------


def add_contract(session: Session, actor: Actor, customer_id: int,
                 raw: Mapping[str, Any]) -> int:
    """Add a contract to a live customer; returns its id.

    ``raw``: ``contract_no`` (blank: issued), ``start_date``, ``end_date`` (dates or ISO
    text), ``amount`` (≥ 0). Raises ``InvalidRecord`` naming each field.
    """
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = _live_customer(session, customer_id)
    check = Checker("contract", raw, clock.today())
    number = check_number(check, "contract_no", session)
    start, end = check_period(check, "start_date", "end_date")
    amount = check.money("amount", required=True)
    check.done()
    assert start is not None and end is not None and amount is not None
    contract = Contract(customer_id=customer.id,
                        contract_no=number or next_contract_no(session),
                        start_date=start, end_date=end, amount=amount,
                        previous_contract_id=None, created_at=clock.now())
    session.add(contract)
    session.flush()
    audit.record(session, actor, "contract.create", "contract", contract.id,
                 changes=audit.diff({}, _values(contract)),
                 detail={"customer_id": customer.id, "contract_no": contract.contract_no})
    return contract.id


def update_contract(session: Session, actor: Actor, contract_id: int,
                    raw: Mapping[str, Any]) -> bool:
    """Edit number, period or amount (keys left out keep their value; a blank number keeps
    the number). The renewal's due date follows the end date. Returns whether anything
    changed; raises ``InvalidRecord``."""
    actor.require(Perm.EDIT_CUSTOMERS)
    contract = get_contract(session, contract_id)
    _live_customer(session, contract.customer_id)
    before = _values(contract)
    merged = {**before, **{k: v for k, v in raw.items() if k in before}}
    if _blank(merged.get("contract_no")):
        merged["contract_no"] = contract.contract_no
    previous = session.get(Contract, contract.previous_contract_id) \
        if contract.previous_contract_id else None
    check = Checker("contract", merged, clock.today())
    number = check_number(check, "contract_no", session, exclude_id=contract.id)
    start, end = check_period(check, "start_date", "end_date",
                              not_before=previous.start_date if previous else None)
    amount = check.money("amount", required=True)
    check.done()
    after = {"contract_no": number, "start_date": start, "end_date": end, "amount": amount}
    changes = audit.diff(before, after)
    if not changes:
        return False
    contract.contract_no = number  # type: ignore[assignment]
    contract.start_date = start  # type: ignore[assignment]
    contract.end_date = end  # type: ignore[assignment]
    contract.amount = amount  # type: ignore[assignment]
    renewal = renewal_of(session, contract.id)
    if renewal is not None and end is not None and renewal.due_date != end:
        renewal.due_date = end
    session.flush()
    audit.record(session, actor, "contract.update", "contract", contract.id, changes=changes,
                 detail={"customer_id": contract.customer_id,
                         "contract_no": contract.contract_no})
    return True


def delete_contract(session: Session, actor: Actor, contract_id: int) -> None:
    """Delete a contract and its renewal row (administrators); audited.

    Refused for a contract that was renewed into a later one (delete the later one first).
    Deleting a contract created by renewing an earlier one reopens the earlier one's renewal
    (跟进中, no decision, no amount), so a mistaken renewal can be undone.
    """
    actor.require(Perm.DELETE_CUSTOMERS)
    contract = get_contract(session, contract_id)
    successor = successor_of(session, contract.id)
    if successor is not None:
        raise ContractError("contracts.error.has_successor", contract_no=contract.contract_no,
                            new_contract_no=successor.contract_no)
    own = renewal_of(session, contract.id)
    reopened: list[int] = []
    for renewal in session.scalars(select(Renewal).where(
            Renewal.new_contract_id == contract.id)):
        before = {"outcome": renewal.outcome, "amount": renewal.amount,
                  "new_contract_id": renewal.new_contract_id,
                  "decided_at": renewal.decided_at}
        renewal.outcome = RenewalOutcome.IN_PROGRESS.value
        renewal.amount = None
        renewal.new_contract_id = None
        renewal.decided_at = None
        renewal.user_id = actor.user_id
        after = {"outcome": renewal.outcome, "amount": None, "new_contract_id": None,
                 "decided_at": None}
        reopened.append(renewal.contract_id)
        audit.record(session, actor, "renewal.reopen", "contract", renewal.contract_id,
                     changes=audit.diff(before, after),
                     detail={"customer_id": renewal.customer_id,
                             "deleted_contract": contract.contract_no})
    detail = {"customer_id": contract.customer_id, "contract_no": contract.contract_no,
              "outcome": own.outcome if own else None, "reopened": reopened}
    changes = audit.diff(_values(contract), {})
    for row in session.scalars(select(Renewal).where(Renewal.contract_id == contract.id)):
        session.delete(row)
    session.flush()
    session.delete(contract)
    session.flush()
    audit.record(session, actor, "contract.delete", "contract", contract_id, changes=changes,
                 detail=detail)


def count_contracts(session: Session, customer_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Contract)
                          .where(Contract.customer_id == customer_id)) or 0
