"""流失预警: a churn risk score per customer from the rules of ``config.toml`` [churn].

Each rule that fires adds its weight; a customer whose score reaches ``threshold`` is at risk.
The rules look back from today (they describe the customer now, whatever the dashboard's
period); each is one set-based statement giving ``(customer_id, bit)``:

- ``no_order`` — the last order (``customers.last_order_at``) is more than ``no_order.days``
  ago. A customer who never ordered (潜在) is not churning: the rule needs an earlier order.
- ``contact_drop`` — contacts (沟通记录 and 回访 done, as 最近联系 counts them) in the last
  ``window_days`` (today included) are fewer than ``ratio`` × the customer's own average per
  window over the ``lookback_windows`` windows before (one year of windows). A customer with
  no contact in that year has no average, and the rule does not fire.
- ``complaints`` — an open complaint (待处理/处理中), or at least ``repeat`` complaints received
  within the last ``window_days``.
- ``satisfaction`` — the latest survey's score is at most ``max_score``, or at least ``drop``
  below the survey before it.
- ``contract`` — a contract ends within the next ``days`` days (from today) with no renewal
  under way: no renewal record, or only 未续约. 跟进中 (renewal in progress) and 已续约 (done)
  do not fire.

Why a snapshot table: the contact and survey rules read every customer's last year of records
(seconds at a million customers), which no page can afford to recompute per view. So the
at-risk customers are kept in ``churn_scores`` (ids and figures only) with one
``churn_state`` row saying what they were computed from:

- **rebuilt** (one transaction, readers keep the old snapshot until it commits) when the day
  changed, the rules changed, or too much changed at once (seed, import undo, more than
  ``INCREMENTAL_LIMIT`` changed customers). ``manage.py refresh-churn`` does it from cron at
  night so the first morning view is fast;
- **refreshed** for just the customers whose records changed since: new rows of every record
  table (their ids above the marks seen; imports and seeds write no per-row audit) and every
  data-changing audit row since (``entity='customer'`` or a ``customer_id`` in its detail).

Pages call ``ensure_fresh`` (cheap when nothing changed) through the cached readers below.
Deleted customers stay in the snapshot (a restore needs no recompute) but are never shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from core import clock
from core.clock import LOCAL_TZ
from core.settings import ChurnRules, Settings, get_settings
from core.vocab import ComplaintStatus, RenewalOutcome
from db.models import (
    AuditEntry,
    ChurnScore,
    ChurnState,
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    Survey,
    User,
)
from services.access.masking import mask_field
from services.access.roles import Actor, Perm
from services.analysis.filters import READ_ONLY_ACTIONS, DashboardFilter, cached
from services.analysis.report_sheets import ReportChart, ReportSheet, register

RULES: Final = ("no_order", "contact_drop", "complaints", "satisfaction", "contract")
BITS: Final = {name: 1 << i for i, name in enumerate(RULES)}
LOOKBACK_DAYS: Final = 365
SPEND_DAYS: Final = 365
INCREMENTAL_LIMIT: Final = 20_000
"""More changed customers (or audit rows) than this since the snapshot: rebuild instead."""
_ID_CHUNK: Final = 2_000
_FULL_REBUILD_ACTIONS: Final = ("import.undo", "demo.", "tiers.recompute")
_STATE_ID: Final = 1
_MARKED: Final = {"customers": Customer, "orders": Order, "interactions": Interaction,
                  "follow_ups": FollowUp, "complaints": Complaint, "surveys": Survey,
                  "contracts": Contract, "renewals": Renewal}
Refresh = Literal["fresh", "incremental", "rebuilt", "busy"]


def weights(rules: ChurnRules) -> dict[str, int]:
    return {"no_order": rules.no_order_weight, "contact_drop": rules.contact_drop_weight,
            "complaints": rules.complaint_weight, "satisfaction": rules.satisfaction_weight,
            "contract": rules.contract_weight}


def rules_of(flags: int) -> tuple[str, ...]:
    """The names of the rules set in a bit mask, in ``RULES`` order."""
    return tuple(name for name in RULES if flags & BITS[name])


def lookback_windows(rules: ChurnRules) -> int:
    return max(1, LOOKBACK_DAYS // max(1, rules.contact_window_days))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ)


def _only(column: Any, ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    return [] if ids is None else [column.in_(ids)]


# ---- the rules, one statement each: (customer_id, bit) --------------------------------------

def _contact_drop(rules: ChurnRules, today: date, ids: Sequence[int] | None) -> Select:
    window = rules.contact_window_days
    k = lookback_windows(rules)
    recent_from = today - timedelta(days=window - 1)
    history_from = recent_from - timedelta(days=window * k)
    contacts = union_all(
        select(Interaction.customer_id.label("cid"),
               case((Interaction.occurred_at >= _midnight(recent_from), 1), else_=0)
               .label("recent"))
        .where(Interaction.occurred_at >= _midnight(history_from),
               Interaction.occurred_at < _midnight(today + timedelta(days=1)),
               *_only(Interaction.customer_id, ids)),
        select(FollowUp.customer_id.label("cid"),
               case((FollowUp.done_date >= recent_from, 1), else_=0).label("recent"))
        .where(FollowUp.done_date >= history_from, FollowUp.done_date <= today,
               *_only(FollowUp.customer_id, ids)),
    ).subquery()
    recent = func.sum(contacts.c.recent)
    before = func.count() - recent
    # recent < ratio × (before / k), multiplied out
    return (select(contacts.c.cid.label("customer_id"), literal(BITS["contact_drop"]).label("bit"))
            .group_by(contacts.c.cid)
            .having(before > 0, recent * k < before * rules.contact_drop_ratio))


_OPEN = (ComplaintStatus.OPEN.value, ComplaintStatus.IN_PROGRESS.value)


def _complaints(rules: ChurnRules, now: datetime, ids: Sequence[int] | None) -> Select:
    is_open = Complaint.status.in_(_OPEN)
    since = now - timedelta(days=rules.complaint_window_days)
    recent = case((Complaint.received_at >= since, 1), else_=0)
    return (select(Complaint.customer_id.label("customer_id"),
                   literal(BITS["complaints"]).label("bit"))
            .where(or_(Complaint.received_at >= since, is_open),
                   *_only(Complaint.customer_id, ids))
            .group_by(Complaint.customer_id)
            .having(or_(func.sum(case((is_open, 1), else_=0)) > 0,
                        func.sum(recent) >= rules.complaint_repeat)))


def _satisfaction(rules: ChurnRules, ids: Sequence[int] | None) -> Select:
    ranked = select(
        Survey.customer_id.label("cid"), Survey.score.label("score"),
        func.row_number().over(partition_by=Survey.customer_id,
                               order_by=(Survey.survey_date.desc(), Survey.id.desc()))
        .label("rn"),
    ).where(*_only(Survey.customer_id, ids)).subquery()
    latest = func.max(case((ranked.c.rn == 1, ranked.c.score)))
    before = func.max(case((ranked.c.rn == 2, ranked.c.score)))
    return (select(ranked.c.cid.label("customer_id"), literal(BITS["satisfaction"]).label("bit"))
            .where(ranked.c.rn <= 2).group_by(ranked.c.cid)
            .having(or_(latest <= rules.satisfaction_max_score,
                        before - latest >= rules.satisfaction_drop)))


def _contract(rules: ChurnRules, today: date, ids: Sequence[int] | None) -> Select:
    under_way = exists().where(
        Renewal.contract_id == Contract.id,
        Renewal.outcome.in_([RenewalOutcome.RENEWED.value, RenewalOutcome.IN_PROGRESS.value]))
    return (select(Contract.customer_id.label("customer_id"),
                   literal(BITS["contract"]).label("bit"))
            .where(Contract.end_date >= today,
                   Contract.end_date <= today + timedelta(days=rules.contract_days),
                   ~under_way, *_only(Contract.customer_id, ids))
            .group_by(Contract.customer_id))


def _no_order(rules: ChurnRules, today: date, ids: Sequence[int] | None) -> Select:
    # From the (last_order_at, id) index alone; NULL (never ordered) is not below any date.
    return (select(Customer.id.label("customer_id"), literal(BITS["no_order"]).label("bit"))
            .where(Customer.last_order_at < today - timedelta(days=rules.no_order_days),
                   *_only(Customer.id, ids)))


def scores_select(rules: ChurnRules, today: date, now: datetime,
                  ids: Sequence[int] | None = None, *, dialect: str = "sqlite"
                  ) -> Select | None:
    """``(customer_id, score, flags, spend)`` of every customer at risk (or of ``ids`` only),
    deleted ones included; None when no rule has a weight.

    Each rule gives at most one row per customer; their union is grouped by customer (the
    weights summed, the bits of the fired rules summed into a mask) and kept from the
    threshold on. No customer row is read: a join per candidate customer costs more than the
    rules themselves at a million customers."""
    w = weights(rules)
    builders = {
        "no_order": lambda: _no_order(rules, today, ids),
        "contact_drop": lambda: _contact_drop(rules, today, ids),
        "complaints": lambda: _complaints(rules, now, ids),
        "satisfaction": lambda: _satisfaction(rules, ids),
        "contract": lambda: _contract(rules, today, ids),
    }
    parts = [build() for name, build in builders.items() if w[name] > 0]
    if not parts:
        return None
    fired = union_all(*parts).subquery()
    weight_of = case(*((fired.c.bit == BITS[name], w[name]) for name in RULES), else_=0)
    score = func.sum(weight_of)
    risk = (select(fired.c.customer_id.label("cid"), score.label("score"),
                   func.sum(fired.c.bit).label("flags"))
            .group_by(fired.c.customer_id).having(score >= rules.threshold)).cte("risk")
    since = today - timedelta(days=SPEND_DAYS - 1)
    in_year = (Order.order_date >= since, Order.order_date <= today)
    if dialect == "postgresql":
        # One pass over the year's orders (the (order_date, customer_id, amount) index),
        # hashed against the at-risk set, instead of an index probe per customer.
        spent = (select(Order.customer_id.label("cid"), func.sum(Order.amount).label("amount"))
                 .where(*in_year, Order.customer_id.in_(select(risk.c.cid)))
                 .group_by(Order.customer_id)).subquery()
        return (select(risk.c.cid, risk.c.score, risk.c.flags,
                       func.coalesce(spent.c.amount, 0).label("spend"))
                .outerjoin(spent, spent.c.cid == risk.c.cid))
    spend = (select(func.coalesce(func.sum(Order.amount), 0))
             .where(Order.customer_id == risk.c.cid, *in_year).scalar_subquery())
    return select(risk.c.cid, risk.c.score, risk.c.flags, spend.label("spend"))


# ---- keeping the snapshot ---------------------------------------------------------------------

def rules_key(rules: ChurnRules) -> str:
    """The rules as text: a change of any number rebuilds the snapshot."""
    return ",".join(f"{k}={v}" for k, v in asdict(rules).items())[:300]


def data_marks(session: Session) -> dict[str, int]:
    """The newest data-changing audit row and the newest id of every record table."""
    from sqlalchemy import not_

    changed = not_(or_(*(AuditEntry.action.like(p) for p in READ_ONLY_ACTIONS)))
    cols = [select(AuditEntry.id).where(changed).order_by(AuditEntry.id.desc()).limit(1)
            .scalar_subquery().label("audit")]
    cols += [select(func.max(t.id)).scalar_subquery().label(name)
             for name, t in _MARKED.items()]
    row = session.execute(select(*cols)).one()
    return {k: int(v or 0) for k, v in row._mapping.items()}


def _changed_customers(session: Session, old: dict[str, int], new: dict[str, int]
                       ) -> set[int] | None:
    """Customers whose records changed between two marks; None when a rebuild is simpler."""
    ids: set[int] = set()
    for name, table in _MARKED.items():
        if new.get(name, 0) <= old.get(name, 0):
            continue
        if new[name] - old.get(name, 0) > INCREMENTAL_LIMIT:
            return None
        column = table.id if table is Customer else table.customer_id
        ids.update(session.scalars(select(column).where(table.id > old.get(name, 0))
                                   .distinct()))
    if new["audit"] > old.get("audit", 0):
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id,
                   AuditEntry.detail)
            .where(AuditEntry.id > old.get("audit", 0), AuditEntry.id <= new["audit"])
            .limit(INCREMENTAL_LIMIT + 1)).all()
        if len(rows) > INCREMENTAL_LIMIT:
            return None
        for action, entity, entity_id, detail in rows:
            if action.startswith(_FULL_REBUILD_ACTIONS):
                return None
            if entity == "customer" and entity_id and str(entity_id).isdigit():
                ids.add(int(entity_id))
            elif isinstance(detail, dict) and str(detail.get("customer_id", "")).isdigit():
                ids.add(int(detail["customer_id"]))
    return ids if len(ids) <= INCREMENTAL_LIMIT else None


def _write(session: Session, rules: ChurnRules, today: date, ids: Sequence[int] | None) -> None:
    dialect = session.get_bind().dialect.name
    stmt = scores_select(rules, today, clock.now(), ids, dialect=dialect)
    if ids is None:
        if dialect == "postgresql":
            # The rebuild groups about a million rows: let it hash in memory, not on disk.
            session.execute(text("SET LOCAL work_mem = '128MB'"))
        session.execute(delete(ChurnScore))
    else:
        session.execute(delete(ChurnScore).where(ChurnScore.customer_id.in_(ids)))
    if stmt is not None:
        session.execute(insert(ChurnScore).from_select(
            ["customer_id", "score", "flags", "spend"], stmt))


def _live_counts(session: Session, flt: DashboardFilter | None = None) -> dict[str, Any]:
    """``{"total": n, "by_rule": {rule: n}}`` of the snapshot's live customers (in ``flt``'s
    dimensions when given)."""
    cols = [func.count()] + [func.coalesce(func.sum(case((_has(r), 1), else_=0)), 0)
                             for r in RULES]
    row = session.execute(_scoped(select(*cols).select_from(ChurnScore), flt, session)).one()
    return {"total": int(row[0]),
            "by_rule": {r: int(v) for r, v in zip(RULES, row[1:], strict=True)}}


def rebuild(session: Session, settings: Settings | None = None, *,
            today: date | None = None) -> None:
    """Recompute the whole snapshot in the caller's transaction."""
    settings = settings or get_settings()
    today = today or clock.today()
    marks = data_marks(session)
    _write(session, settings.churn, today, None)
    stamp = clock.now()
    counts = _live_counts(session)
    state = session.get(ChurnState, _STATE_ID)
    if state is None:
        session.add(ChurnState(id=_STATE_ID, day=today, rules=rules_key(settings.churn),
                               marks=marks, summary=counts, rebuilt_at=stamp,
                               refreshed_at=stamp))
    else:
        state.day, state.rules, state.marks = today, rules_key(settings.churn), marks
        state.summary = counts
        state.rebuilt_at = state.refreshed_at = stamp
    session.flush()


def _refresh_in(session: Session, settings: Settings, today: date, force: bool) -> Refresh:
    query = select(ChurnState).where(ChurnState.id == _STATE_ID)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # one process refreshes, the others then find it done
    state = session.scalars(query).one_or_none()
    if (force or state is None or state.day != today
            or state.rules != rules_key(settings.churn)):
        rebuild(session, settings, today=today)
        return "rebuilt"
    marks = data_marks(session)
    if marks == state.marks:
        return "fresh"
    changed = _changed_customers(session, state.marks, marks)
    if changed is None:
        rebuild(session, settings, today=today)
        return "rebuilt"
    ordered = sorted(changed)
    for start in range(0, len(ordered), _ID_CHUNK):
        _write(session, settings.churn, today, ordered[start:start + _ID_CHUNK])
    state.marks = marks
    state.summary = _live_counts(session)
    state.refreshed_at = clock.now()
    return "incremental"


def ensure_fresh(session: Session, settings: Settings | None = None, *,
                 today: date | None = None, force: bool = False) -> Refresh:
    """Bring the snapshot up to date, in its own transaction on the caller's database (so a
    page's reads see it at once). Returns what it did. Another process holding the write lock
    (SQLite) leaves the current snapshot in place: ``"busy"``."""
    settings = settings or get_settings()
    today = today or clock.today()
    own = Session(bind=session.get_bind())
    try:
        done = _refresh_in(own, settings, today, force)
        own.commit()
        return done
    except (IntegrityError, OperationalError):
        own.rollback()
        return "busy"
    finally:
        own.close()


# ---- reading --------------------------------------------------------------------------------

def _dims_only(flt: DashboardFilter) -> DashboardFilter:
    """The churn set does not depend on the period: one cache entry per set of dimensions."""
    return replace(flt, kind="custom", start=date(2000, 1, 1), end=date(2000, 1, 1))


def _scoped(stmt: Select, flt: DashboardFilter | None, session: Session) -> Select:
    from services.analysis.filters import scoped

    if flt is None:
        deleted = select(Customer.id).where(Customer.deleted_at.is_not(None))
        return stmt.where(ChurnScore.customer_id.not_in(deleted))
    return scoped(stmt, flt, ChurnScore.customer_id, session)


def _has(rule: str) -> ColumnElement[bool]:
    return ChurnScore.flags.op("&")(BITS[rule]) != 0


@dataclass(frozen=True)
class RiskSummary:
    """How many customers are at risk, and for how many each rule fired."""

    total: int
    by_rule: dict[str, int]
    as_of: date | None


def compute_summary(session: Session, flt: DashboardFilter,
                    settings: Settings | None = None) -> RiskSummary:
    """How many customers are at risk (in the filter's dimensions). Without dimensions the
    counts kept with the snapshot are read; with them, the snapshot is counted."""
    ensure_fresh(session, settings)
    day, stored = session.execute(select(ChurnState.day, ChurnState.summary)
                                  .where(ChurnState.id == _STATE_ID)).one_or_none() \
        or (None, None)
    counts = stored if stored and not flt.has_dimensions else _live_counts(session, flt)
    return RiskSummary(int(counts["total"]),
                       {r: int(counts["by_rule"].get(r, 0)) for r in RULES}, day)


def summary(session: Session, flt: DashboardFilter,
            settings: Settings | None = None) -> RiskSummary:
    """``compute_summary``, cached per set of dimensions and day."""
    name = f"churn.summary:{clock.today().isoformat()}"
    return cached(session, name, _dims_only(flt),
                  lambda: compute_summary(session, flt, settings))


def risk_count(session: Session, flt: DashboardFilter, settings: Settings | None = None) -> int:
    return summary(session, flt, settings).total


@dataclass(frozen=True)
class RiskRow:
    """One row of the 流失预警 list."""

    customer_id: int
    customer_no: str
    name: str
    mobile: str | None
    tier: str
    province: str | None
    account_manager: str | None
    last_order_at: date | None
    last_contact_at: date | None
    spend: Decimal
    score: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class RiskPage:
    rows: list[RiskRow]
    total: int
    """At-risk customers matching the filter (and the rule, if one was asked for)."""
    summary: RiskSummary


def _ids_select(session: Session, flt: DashboardFilter, rule: str | None) -> Select:
    """The list's order over the snapshot alone (its index walked backwards); customers are
    looked up for the rows of one page only."""
    stmt = _scoped(select(ChurnScore.customer_id, ChurnScore.score, ChurnScore.flags,
                          ChurnScore.spend), flt, session)
    if rule in BITS:
        stmt = stmt.where(_has(rule))  # type: ignore[arg-type]
    return stmt.order_by(ChurnScore.score.desc(), ChurnScore.spend.desc(),
                         ChurnScore.customer_id.desc())


def _named(session: Session, entries: Sequence[Any], mask: bool,
           settings: Settings) -> list[RiskRow]:
    if not entries:
        return []
    found = {r.id: r for r in session.execute(
        select(Customer.id, Customer.customer_no, Customer.name, Customer.mobile,
               Customer.tier, Customer.province, User.display_name.label("manager"),
               Customer.last_order_at, Customer.last_contact_at)
        .outerjoin(User, User.id == Customer.account_manager_id)
        .where(Customer.id.in_([e.customer_id for e in entries])))}
    rows = []
    for e in entries:
        r = found.get(e.customer_id)
        if r is None:
            continue
        mobile = mask_field("mobile", r.mobile, settings=settings) if mask else r.mobile
        rows.append(RiskRow(int(e.customer_id), r.customer_no, r.name, mobile, r.tier,
                            r.province, r.manager, r.last_order_at, r.last_contact_at,
                            Decimal(e.spend), int(e.score), rules_of(int(e.flags))))
    return rows


def risk_page(session: Session, actor: Actor, flt: DashboardFilter, *, offset: int = 0,
              limit: int = 50, rule: str | None = None) -> RiskPage:
    """One page of the at-risk list, highest score first, then the largest 12-month spend
    (optionally only the customers for whom ``rule`` fired). Mobiles come masked: the list
    is for deciding whom to call, the profile reveals the number (audited)."""
    actor.require(Perm.DASHBOARDS)
    settings = get_settings()
    info = summary(session, flt, settings)
    total = info.by_rule.get(rule, 0) if rule in BITS else info.total
    entries = session.execute(_ids_select(session, flt, rule).offset(offset).limit(limit)).all()
    return RiskPage(_named(session, entries, True, settings), total, info)


def export_rows(session: Session, actor: Actor, flt: DashboardFilter, *,
                rule: str | None = None) -> Iterable[RiskRow]:
    """Every at-risk row for the export; the mobile in full only with ``EXPORT_FULL``."""
    actor.require(Perm.DASHBOARDS)
    settings = get_settings()
    ensure_fresh(session, settings)
    full = actor.can(Perm.EXPORT_FULL)
    entries = session.execute(_ids_select(session, flt, rule)).all()
    for start in range(0, len(entries), _ID_CHUNK):
        yield from _named(session, entries[start:start + _ID_CHUNK], not full, settings)


def _report_rows(session: Session, flt: DashboardFilter, lang: str) -> list[tuple]:
    from core.i18n import t

    settings = get_settings()
    info = summary(session, flt, settings)
    w = weights(settings.churn)
    rows: list[tuple] = [(t(f"dash.churn.rule.{r}", lang), w[r], info.by_rule.get(r, 0))
                         for r in RULES]
    rows.append((t("dash.kpi.churn_risk", lang), settings.churn.threshold, info.total))
    return rows


def _register_report() -> None:
    register(ReportSheet(
        key="churn.rules", title_key="dash.report.sheet.churn_rules",
        headers=("dash.report.col.rule", "dash.report.col.weight",
                 "dash.report.col.customers"),
        rows=_report_rows, order=900,
        chart=ReportChart("bar", values=(2,), skip_last_row=True)))


_register_report()
