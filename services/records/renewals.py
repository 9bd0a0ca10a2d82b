"""续约管理: recording the outcome of a contract, the list of contracts coming up for renewal
(with the customer's risk beside each), the renewal records, and the figures a dashboard needs.

One renewal row per contract (``renewals.contract_id``), created when something is first
recorded and then updated; its ``due_date`` is the contract's end date.

Outcomes (``record_outcome``):

- **已续约** with the new period and amount: creates the new contract (``previous_contract_id``
  = the old one; number typed or issued) and sets the row's amount, ``new_contract_id``,
  ``decided_at`` and ``user_id``.
- **未续约** requires a reason; sets ``decided_at``.
- **跟进中** requires a note (kept in ``reason``); not a decision, ``decided_at`` stays empty.

Guards (decided here):

- A renewed contract cannot be renewed twice, nor its outcome changed from here: the renewal
  made a contract. To undo a mistaken renewal an administrator deletes the new contract
  (``services.records.contracts.delete_contract``), which reopens the old one as 跟进中.
- A recorded 未续约 is changed only by an explicit correction (``correct=True``), audited as
  ``renewal.correct`` with before and after; without it the call is refused, so nobody
  overwrites a decision by accident. 跟进中 is open: recording again simply updates it.

Renewal rate (what ``renewal_tally`` counts, and what dashboards should use): a renewal belongs
to the period in which its contract ends (``due_date`` = the contract's ``end_date``); it is
*decided* when its outcome is 已续约 or 未续约 (``decided_at`` set); the rate is
``renewed / decided``. Contracts ending in the period with nothing recorded, or 跟进中, are
*open* and left out of the rate. Customers deleted (soft) are left out everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from core import clock
from core.clock import LOCAL_TZ
from core.i18n import label, t
from core.money import CENT, money_number, summed_money
from core.settings import get_settings
from core.vocab import ComplaintStatus, RenewalOutcome, Tier
from db.bulk import chunks
from db.models import Complaint, Contract, Customer, Renewal, Survey
from services.access import audit, masking
from services.access.roles import Actor, Perm
from services.access.users import display_names
from services.customers.visibility import refuse_erased
from services.records.contracts import (
    ContractError,
    check_number,
    check_period,
    get_contract,
    next_contract_no,
    renewal_of,
    successor_of,
)
from services.records.input import Checker

DECIDED: Final = (RenewalOutcome.RENEWED.value, RenewalOutcome.NOT_RENEWED.value)
OPEN_COMPLAINT: Final = (ComplaintStatus.OPEN.value, ComplaintStatus.IN_PROGRESS.value)
# Outcome filters of the due list besides the three stored outcomes.
OPEN: Final = "open"            # nothing decided yet: nothing recorded, or 跟进中
UNRECORDED: Final = "none"      # nothing recorded at all


# ---- recording an outcome ---------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeResult:
    renewal_id: int
    outcome: str
    new_contract_id: int | None = None
    new_contract_no: str | None = None
    corrected: bool = False


def _decided_at(day: date | None, today: date) -> datetime:
    """Now for today (or no date); a past day at 12:00 China time, the same date in UTC."""
    if day is None or day == today:
        return clock.now()
    return datetime.combine(day, time(12), tzinfo=LOCAL_TZ)


def record_outcome(session: Session, actor: Actor, contract_id: int, outcome: str,
                   raw: Mapping[str, Any] | None = None, *, correct: bool = False,
                   today: date | None = None) -> OutcomeResult:
    """Record what happened with a contract's renewal; audited (see the module's rules).

    ``raw`` by outcome: 已续约 ``new_start_date``, ``new_end_date``, ``new_amount`` (required),
    ``new_contract_no`` (blank: issued), ``decided_on`` (blank: now; not in the future),
    ``note``; 未续约 ``reason`` (required), ``decided_on``; 跟进中 ``note`` (required).
    Raises ``InvalidRecord`` (form problems, each naming its field) or ``ContractError``.
    """
    actor.require(Perm.EDIT_CUSTOMERS)
    raw = raw or {}
    today = today or clock.today()
    contract = get_contract(session, contract_id)
    customer = session.get(Customer, contract.customer_id)
    if customer is None or customer.deleted_at is not None:
        raise ContractError("contracts.error.customer_not_found")
    refuse_erased(customer)
    try:
        wanted = RenewalOutcome(outcome)
    except ValueError:
        raise ContractError("renewals.error.outcome", value=str(outcome)[:20]) from None
    row = renewal_of(session, contract.id)
    successor = successor_of(session, contract.id)
    if (row is not None and row.outcome == RenewalOutcome.RENEWED) or successor is not None:
        new_no = successor.contract_no if successor is not None else None
        if new_no is None and row is not None and row.new_contract_id:
            new = session.get(Contract, row.new_contract_id)
            new_no = new.contract_no if new else None
        raise ContractError("renewals.error.already_renewed", contract_no=contract.contract_no,
                            new_contract_no=new_no or "—")
    decided_before = row is not None and row.outcome in DECIDED
    if decided_before and not correct:
        assert row is not None
        raise ContractError("renewals.error.decided", contract_no=contract.contract_no,
                            outcome=row.outcome)

    check = Checker("renewal", raw, today)
    decided_on = check.day("decided_on")  # not in the future
    new_contract: Contract | None = None
    if wanted == RenewalOutcome.RENEWED:
        number = check_number(check, "new_contract_no", session)
        start, end = check_period(check, "new_start_date", "new_end_date",
                                  not_before=contract.start_date)
        amount = check.money("new_amount", required=True)
        note = check.text("note", multiline=True)
        check.done()
        assert start is not None and end is not None and amount is not None
        new_contract = Contract(customer_id=contract.customer_id,
                                contract_no=number or next_contract_no(session),
                                start_date=start, end_date=end, amount=amount,
                                previous_contract_id=contract.id, created_at=clock.now())
        session.add(new_contract)
        session.flush()
        values = {"outcome": wanted.value, "amount": amount, "reason": note,
                  "new_contract_id": new_contract.id,
                  "decided_at": _decided_at(decided_on, today)}
    elif wanted == RenewalOutcome.NOT_RENEWED:
        reason = check.text("reason", required=True, multiline=True)
        check.done()
        values = {"outcome": wanted.value, "amount": None, "reason": reason,
                  "new_contract_id": None, "decided_at": _decided_at(decided_on, today)}
    else:
        note = check.text("note", required=True, multiline=True)
        check.done()
        values = {"outcome": wanted.value, "amount": None, "reason": note,
                  "new_contract_id": None, "decided_at": None}

    stamp = clock.now()
    fields = ("outcome", "amount", "reason", "new_contract_id", "decided_at")
    before = {k: getattr(row, k) for k in fields} if row is not None else {}
    if row is None:
        row = Renewal(contract_id=contract.id, customer_id=contract.customer_id,
                      due_date=contract.end_date, created_at=stamp, **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.due_date = contract.end_date
    row.user_id = actor.user_id
    session.flush()
    corrected = decided_before and correct
    detail: dict[str, Any] = {"customer_id": contract.customer_id,
                              "contract_no": contract.contract_no, "renewal_id": row.id}
    if new_contract is not None:
        detail["new_contract_no"] = new_contract.contract_no
        audit.record(session, actor, "contract.create", "contract", new_contract.id,
                     changes=audit.diff({}, {"contract_no": new_contract.contract_no,
                                             "start_date": new_contract.start_date,
                                             "end_date": new_contract.end_date,
                                             "amount": new_contract.amount,
                                             "previous_contract_id": contract.id}),
                     detail={"customer_id": contract.customer_id,
                             "contract_no": new_contract.contract_no,
                             "renewal_of": contract.contract_no})
    audit.record(session, actor, "renewal.correct" if corrected else "renewal.record",
                 "contract", contract.id, changes=audit.diff(before, values), detail=detail)
    return OutcomeResult(row.id, wanted.value,
                         new_contract.id if new_contract else None,
                         new_contract.contract_no if new_contract else None, corrected)


# ---- risk beside each row ---------------------------------------------------------------------


@dataclass(frozen=True)
class Risk:
    """What the clerk should know about a customer before calling about a renewal."""

    score: int | None            # latest satisfaction survey (5 … 1), None: never surveyed
    survey_date: date | None
    open_complaints: int         # 待处理 or 处理中

    def at_risk(self, max_score: int | None = None) -> bool:
        """Low satisfaction (≤ ``churn.satisfaction.max_score``, default 2) or a complaint
        still open."""
        limit = get_settings().churn.satisfaction_max_score if max_score is None else max_score
        return self.open_complaints > 0 or (self.score is not None and self.score <= limit)


def customer_risk(session: Session, customer_ids: Sequence[int]) -> dict[int, Risk]:
    """Latest survey and open complaints of these customers: two set-based queries per 500
    customers (never one per row), each walking the per-customer indexes."""
    ids = sorted(set(customer_ids))
    latest: dict[int, tuple[int, date]] = {}
    complaints: dict[int, int] = {}
    for part in chunks(ids):
        ranked = select(Survey.customer_id, Survey.score, Survey.survey_date,
                        func.row_number().over(partition_by=Survey.customer_id,
                                               order_by=(Survey.survey_date.desc(),
                                                         Survey.id.desc())).label("rn")
                        ).where(Survey.customer_id.in_(part)).subquery()
        for cid, score, day in session.execute(
                select(ranked.c.customer_id, ranked.c.score, ranked.c.survey_date)
                .where(ranked.c.rn == 1)):
            latest[cid] = (score, day)
        complaints.update(session.execute(
            select(Complaint.customer_id, func.count()).where(
                Complaint.customer_id.in_(part), Complaint.status.in_(OPEN_COMPLAINT))
            .group_by(Complaint.customer_id)).all())
    return {cid: Risk(latest[cid][0] if cid in latest else None,
                      latest[cid][1] if cid in latest else None,
                      int(complaints.get(cid, 0))) for cid in ids}


# ---- the due list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueQuery:
    """Filters of the 续约管理 list. ``window_days``: contracts ending from today to today +
    that many days; ``include_overdue``: also those that ended in the last
    ``max(renewals.warning_days)`` days still undecided (or matching ``outcome``).
    ``outcome``: ``OPEN`` (default: nothing decided), ``UNRECORDED``, one of the stored
    outcomes, or None for all."""

    window_days: int = 90
    include_overdue: bool = True
    tier: str | None = None
    account_manager_id: int | None = None
    outcome: str | None = OPEN


@dataclass(frozen=True)
class DueRow:
    contract_id: int
    contract_no: str
    customer_id: int
    customer_no: str
    customer_name: str
    mobile: str | None           # masked
    tier: str
    account_manager: str | None
    start_date: date
    end_date: date
    amount: Decimal
    days_left: int               # negative: ended that many days ago
    outcome: str | None          # None: nothing recorded
    note: str | None
    risk: Risk

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class DuePage:
    rows: list[DueRow]
    total: int
    window_start: date
    window_end: date


def _has(*outcomes: str) -> Any:
    """EXISTS a renewal row of the contract (with one of ``outcomes``): one probe of the
    ``(contract_id, outcome)`` index per contract."""
    stmt = select(Renewal.id).where(Renewal.contract_id == Contract.id)
    if outcomes:
        stmt = stmt.where(Renewal.outcome.in_(outcomes))
    return stmt.exists()


def state_filter(outcome: str | None) -> Any:
    """Where a contract's renewal stands, as a condition on ``Contract``. ``OPEN``: nothing
    decided; ``UNRECORDED``: no row; 已续约 / 未续约 / 跟进中: the contract's row says so (a
    decision outranks a note should an import ever have left two rows)."""
    if outcome is None:
        return None
    if outcome == OPEN:
        return ~_has(*DECIDED)
    if outcome == UNRECORDED:
        return ~_has()
    wanted = RenewalOutcome(outcome)
    if wanted == RenewalOutcome.RENEWED:
        return _has(wanted.value)
    if wanted == RenewalOutcome.NOT_RENEWED:
        return and_(_has(wanted.value), ~_has(RenewalOutcome.RENEWED.value))
    return and_(_has(wanted.value), ~_has(*DECIDED))


def customer_scope(customer_id: Any, session: Session, tier: str | None = None,
                   account_manager_id: int | None = None) -> list[Any]:
    """Conditions on a ``customer_id`` column: a live customer, of this tier and account
    manager, checked without a lookup per row.

    Deleted customers are few, so their ids are read once (an index range) and each row is
    checked against that list. A tier or manager is likewise a set of ids read from the
    ``(tier, id)`` / ``(account_manager_id, id)`` index; only 白银, the default tier most
    customers hold, is written on SQLite as "not in the other tiers", the smaller set
    (SQLite builds the list in memory; PostgreSQL hashes either side)."""
    conditions = [customer_id.not_in(select(Customer.id).where(Customer.deleted_at.is_not(None)))]
    if tier:
        value = Tier(tier).value
        if value == Tier.SILVER and session.get_bind().dialect.name == "sqlite":
            conditions.append(customer_id.not_in(select(Customer.id)
                                                 .where(Customer.tier != value)))
        else:
            conditions.append(customer_id.in_(select(Customer.id).where(Customer.tier == value)))
    if account_manager_id is not None:
        conditions.append(customer_id.in_(select(Customer.id).where(
            Customer.account_manager_id == account_manager_id)))
    return conditions


def window_of(query: DueQuery, today: date) -> tuple[date, date]:
    back = max(get_settings().renewal_warning_days or (90,)) if query.include_overdue else 0
    return today - timedelta(days=back), today + timedelta(days=max(0, query.window_days))


def _due_statement(session: Session, query: DueQuery, today: date, *columns: Any) -> Select:
    """Contracts of the window: walks ``ix_contracts_end_date_id_customer_id``, checks the
    customer against id sets and probes the renewals index once per contract."""
    start, end = window_of(query, today)
    # ``customer_id + 0``: the window drives; SQLite would otherwise walk a manager's or a
    # tier's many customers and probe their contracts, twice the work.
    stmt = select(*columns).select_from(Contract).where(
        Contract.end_date >= start, Contract.end_date <= end,
        *customer_scope(Contract.customer_id + 0, session, query.tier,
                        query.account_manager_id))
    state = state_filter(query.outcome)
    return stmt if state is None else stmt.where(state)


def _due_rows(session: Session, contract_ids: Sequence[int], today: date,
              full: bool, actor: Actor | None = None) -> list[DueRow]:
    """The rows of these contracts (in this order): contract, customer, the renewal row's
    outcome and note (hidden where ``actor`` may not read it: ``masking.hidden_ids``), risk.
    A handful of set-based queries per 500 contracts."""
    settings = get_settings()
    found: dict[int, Any] = {}
    notes: dict[int, tuple[str, str | None]] = {}
    for part in chunks(list(contract_ids)):
        found.update({row[0]: row for row in session.execute(
            select(Contract.id, Contract.contract_no, Contract.start_date, Contract.end_date,
                   Contract.amount, Customer.id, Customer.customer_no, Customer.name,
                   Customer.mobile, Customer.tier, Customer.account_manager_id)
            .join(Customer, Customer.id == Contract.customer_id)
            .where(Contract.id.in_(part)))})
        for con, outcome, reason in session.execute(
                select(Renewal.contract_id, Renewal.outcome, Renewal.reason)
                .where(Renewal.contract_id.in_(part)).order_by(Renewal.id)):
            if con not in notes or outcome in DECIDED or notes[con][0] not in DECIDED:
                notes[con] = (outcome, reason)
    raw = [found[i] for i in contract_ids if i in found]
    hidden = masking.hidden_ids(session, actor, (r[5] for r in raw)) if actor else set()
    for row in raw:
        if row[5] in hidden and row[0] in notes:
            notes[row[0]] = (notes[row[0]][0], masking.hide_text(notes[row[0]][1]))
    risks = customer_risk(session, [r[5] for r in raw])
    managers = display_names(session, {r[10] for r in raw})
    return [DueRow(
        contract_id=cid, contract_no=no, customer_id=cust, customer_no=cno,
        customer_name=name,
        mobile=masking.mask_field("mobile", mobile, full=full, settings=settings),
        tier=tier, account_manager=managers.get(am) if am else None,
        start_date=start, end_date=end, amount=amount, days_left=(end - today).days,
        outcome=notes[cid][0] if cid in notes else None,
        note=notes[cid][1] if cid in notes else None, risk=risks[cust])
        for cid, no, start, end, amount, cust, cno, name, mobile, tier, am in raw]


def due_renewals(session: Session, actor: Actor, query: DueQuery, *, offset: int = 0,
                 limit: int = 50, today: date | None = None) -> DuePage:
    """A page of contracts coming up for renewal, soonest end first, with the customer's tier,
    latest satisfaction and open complaints, and the total. Mobiles are masked."""
    actor.require(Perm.VIEW_CUSTOMERS)
    today = today or clock.today()
    total = session.scalar(_due_statement(session, query, today, func.count())) or 0
    ids = session.scalars(_due_statement(session, query, today, Contract.id)
                          .order_by(Contract.end_date, Contract.id)
                          .offset(max(0, offset)).limit(max(1, limit))).all()
    start, end = window_of(query, today)
    return DuePage(_due_rows(session, ids, today, full=False, actor=actor), total, start, end)


# ---- renewal records (history) ----------------------------------------------------------------


@dataclass(frozen=True)
class RecordQuery:
    """Filters of the renewal records: outcome, due date (= contract end) range, tier,
    account manager."""

    outcome: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    tier: str | None = None
    account_manager_id: int | None = None


@dataclass(frozen=True)
class RecordRow:
    renewal_id: int
    contract_id: int
    contract_no: str
    customer_id: int
    customer_no: str
    customer_name: str
    tier: str
    account_manager: str | None
    due_date: date
    contract_amount: Decimal
    outcome: str
    amount: Decimal | None
    reason: str | None
    decided_at: datetime | None
    recorded_by: str | None
    new_contract_no: str | None


@dataclass(frozen=True)
class RecordPage:
    rows: list[RecordRow]
    total: int


def _records_statement(session: Session, query: RecordQuery, *columns: Any) -> Select:
    """Renewal rows; the (outcome, due date, id, customer) and (due date, outcome, amount,
    customer) indexes answer the filters, the count and the order."""
    stmt = select(*columns).select_from(Renewal).where(
        *customer_scope(Renewal.customer_id, session, query.tier, query.account_manager_id))
    if query.outcome:
        stmt = stmt.where(Renewal.outcome == RenewalOutcome(query.outcome).value)
    if query.due_from:
        stmt = stmt.where(Renewal.due_date >= query.due_from)
    if query.due_to:
        stmt = stmt.where(Renewal.due_date <= query.due_to)
    return stmt


def renewal_records(session: Session, actor: Actor, query: RecordQuery, *, offset: int = 0,
                    limit: int = 50) -> RecordPage:
    """A page of renewal records, latest due date first, and the total."""
    actor.require(Perm.VIEW_CUSTOMERS)
    total = session.scalar(_records_statement(session, query, func.count())) or 0
    ids = session.scalars(_records_statement(session, query, Renewal.id)
                          .order_by(Renewal.due_date.desc(), Renewal.id.desc())
                          .offset(max(0, offset)).limit(max(1, limit))).all()
    return RecordPage(_record_rows(session, ids, actor), total)


def _record_rows(session: Session, renewal_ids: Sequence[int],
                 actor: Actor | None = None) -> list[RecordRow]:
    """The rows of these renewals (in this order), by set-based queries per 500; a reason
    hidden where ``actor`` may not read it (``masking.hidden_ids``)."""
    found: dict[int, Any] = {}
    for part in chunks(list(renewal_ids)):
        found.update({row[0]: row for row in session.execute(
            select(Renewal.id, Renewal.contract_id, Renewal.due_date, Renewal.outcome,
                   Renewal.amount, Renewal.reason, Renewal.decided_at, Renewal.user_id,
                   Renewal.new_contract_id, Customer.id, Customer.customer_no, Customer.name,
                   Customer.tier, Customer.account_manager_id)
            .join(Customer, Customer.id == Renewal.customer_id)
            .where(Renewal.id.in_(part)))})
    raw = [found[i] for i in renewal_ids if i in found]
    contract_ids = {r[1] for r in raw} | {r[8] for r in raw if r[8]}
    contracts: dict[int, tuple[str, Decimal]] = {}
    for part in chunks(sorted(contract_ids)):
        contracts.update({cid: (no, amount) for cid, no, amount in session.execute(
            select(Contract.id, Contract.contract_no, Contract.amount)
            .where(Contract.id.in_(part)))})
    names = display_names(session, {r[7] for r in raw} | {r[13] for r in raw})
    hidden = masking.hidden_ids(session, actor, (r[9] for r in raw)) if actor else set()
    return [RecordRow(
        renewal_id=rid, contract_id=con, contract_no=contracts[con][0], customer_id=cust,
        customer_no=cno, customer_name=name, tier=tier,
        account_manager=names.get(am) if am else None, due_date=due,
        contract_amount=contracts[con][1], outcome=outcome, amount=amount,
        reason=masking.hide_text(reason) if cust in hidden else reason,
        decided_at=decided, recorded_by=names.get(uid) if uid else None,
        new_contract_no=contracts[new][0] if new and new in contracts else None)
        for rid, con, due, outcome, amount, reason, decided, uid, new, cust, cno, name, tier, am
        in raw]


# ---- exports ----------------------------------------------------------------------------------

EXPORT_LIMIT: Final = 200_000


def export_due_renewals(session: Session, actor: Actor, query: DueQuery, lang: str = "zh", *,
                        today: date | None = None) -> bytes:
    """Every row of the due list as a workbook; 手机号 in full only for ``EXPORT_FULL``
    (administrators, managers), masked for the others. Audited as ``export.renewals_due``."""
    from services.excel.export import export_table_xlsx

    actor.require(Perm.VIEW_CUSTOMERS)
    today = today or clock.today()
    full = actor.can(Perm.EXPORT_FULL)
    ids = session.scalars(_due_statement(session, query, today, Contract.id)
                          .order_by(Contract.end_date, Contract.id).limit(EXPORT_LIMIT)).all()
    rows = _due_rows(session, ids, today, full=full, actor=actor)
    headers = [t(f"renewals.col.{c}", lang) for c in (
        "contract_no", "customer_no", "customer", "mobile", "tier", "account_manager",
        "start_date", "end_date", "days_left", "amount", "outcome", "note", "score",
        "open_complaints", "risk")]
    data = [[r.contract_no, r.customer_no, r.customer_name, r.mobile, label(r.tier, lang),
             r.account_manager, r.start_date, r.end_date, r.days_left, money_number(r.amount),
             label(r.outcome, lang) if r.outcome else t("renewals.outcome.none", lang),
             r.note, r.risk.score, r.risk.open_complaints,
             t("renewals.risk.yes", lang) if r.risk.at_risk() else ""] for r in rows]
    start, end = window_of(query, today)
    return export_table_xlsx(session, actor, "renewals_due", headers, data,
                             sheet=t("renewals.sheet.due", lang),
                             filters={"window_days": query.window_days,
                                      "from": start.isoformat(), "to": end.isoformat(),
                                      "include_overdue": query.include_overdue,
                                      "tier": query.tier, "outcome": query.outcome,
                                      "account_manager_id": query.account_manager_id,
                                      "masked": not full})


def export_renewal_records(session: Session, actor: Actor, query: RecordQuery,
                           lang: str = "zh") -> bytes:
    """The renewal records matching ``query`` as a workbook (no personal contact values);
    audited as ``export.renewal_records``."""
    from services.excel.export import export_table_xlsx

    actor.require(Perm.VIEW_CUSTOMERS)
    ids = session.scalars(_records_statement(session, query, Renewal.id)
                          .order_by(Renewal.due_date.desc(), Renewal.id.desc())
                          .limit(EXPORT_LIMIT)).all()
    rows = _record_rows(session, ids, actor)
    headers = [t(f"renewals.col.{c}", lang) for c in (
        "contract_no", "customer_no", "customer", "tier", "account_manager", "end_date",
        "amount", "outcome", "renewal_amount", "reason", "decided_at", "recorded_by",
        "new_contract_no")]
    data = [[r.contract_no, r.customer_no, r.customer_name, label(r.tier, lang),
             r.account_manager, r.due_date, money_number(r.contract_amount), label(r.outcome, lang),
             money_number(r.amount), r.reason,
             clock.shown(r.decided_at) or None,
             r.recorded_by, r.new_contract_no] for r in rows]
    return export_table_xlsx(session, actor, "renewal_records", headers, data,
                             sheet=t("renewals.sheet.records", lang),
                             filters={"outcome": query.outcome,
                                      "due_from": query.due_from.isoformat()
                                      if query.due_from else None,
                                      "due_to": query.due_to.isoformat()
                                      if query.due_to else None,
                                      "tier": query.tier,
                                      "account_manager_id": query.account_manager_id})


# ---- figures for dashboards -------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalTally:
    """Contracts ending in ``[start, end]`` and where their renewals stand (see the module's
    definition of the renewal rate)."""

    start: date
    end: date
    due: int                     # contracts ending in the period
    renewed: int                 # 已续约
    not_renewed: int             # 未续约
    in_progress: int             # 跟进中
    unrecorded: int              # nothing recorded
    due_amount: Decimal          # amounts of the contracts ending in the period
    renewed_amount: Decimal      # renewal amounts (the new contracts') of the 已续约 ones

    @property
    def decided(self) -> int:
        return self.renewed + self.not_renewed

    @property
    def open(self) -> int:
        return self.in_progress + self.unrecorded

    @property
    def rate(self) -> Decimal | None:
        """Renewal rate in percent (renewed / decided), None when nothing is decided."""
        if not self.decided:
            return None
        return (Decimal(self.renewed) * 100 / Decimal(self.decided)).quantize(Decimal("0.01"))


def contract_state() -> Any:
    """Where a contract's renewal stands, as one value per contract row: 已续约, 未续约,
    跟进中, or ``UNRECORDED`` (the same order of precedence as ``state_filter``)."""
    return case((_has(RenewalOutcome.RENEWED.value), RenewalOutcome.RENEWED.value),
                (_has(RenewalOutcome.NOT_RENEWED.value), RenewalOutcome.NOT_RENEWED.value),
                (_has(RenewalOutcome.IN_PROGRESS.value), RenewalOutcome.IN_PROGRESS.value),
                else_=UNRECORDED)


def renewal_tally(session: Session, start: date, end: date, *, tier: str | None = None,
                  account_manager_id: int | None = None) -> RenewalTally:
    """The renewal figures of contracts ending from ``start`` to ``end`` (inclusive), of live
    customers (optionally of one tier or account manager): two grouped queries."""
    def scoped(stmt: Select) -> Select:
        return stmt.where(Contract.end_date >= start, Contract.end_date <= end,
                          *customer_scope(Contract.customer_id, session, tier,
                                          account_manager_id))

    state = contract_state()
    counts: dict[str, int] = {}
    due_amount = Decimal(0)
    for key, n, total in session.execute(scoped(
            select(state, func.count(), func.coalesce(func.sum(Contract.amount), 0))
            .select_from(Contract)).group_by(state)):
        counts[key] = int(n)
        due_amount += summed_money(total)
    renewed_amount = session.scalar(scoped(
        select(func.coalesce(func.sum(Renewal.amount), 0)).select_from(Contract)
        .join(Renewal, Renewal.contract_id == Contract.id)
        .where(Renewal.outcome == RenewalOutcome.RENEWED.value))) or 0
    return RenewalTally(
        start=start, end=end, due=sum(counts.values()),
        renewed=counts.get(RenewalOutcome.RENEWED.value, 0),
        not_renewed=counts.get(RenewalOutcome.NOT_RENEWED.value, 0),
        in_progress=counts.get(RenewalOutcome.IN_PROGRESS.value, 0),
        unrecorded=counts.get(UNRECORDED, 0),
        due_amount=due_amount.quantize(CENT),
        renewed_amount=summed_money(renewed_amount).quantize(CENT))


def contract_of_renewal(session: Session, renewal_id: int) -> int | None:
    """The contract a renewal row belongs to (the 时间线 opens the contract), None when the
    renewal is gone."""
    return session.scalar(select(Renewal.contract_id).where(Renewal.id == renewal_id))
