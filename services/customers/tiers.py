"""Stored tiers, lifecycle stages and value segments: recompute, manual override, history.

``services.customers.tier_rules`` holds the pure rules; this module feeds them from the database.
Why set-based: ``recompute-tiers`` must handle a million customers and millions of orders in
minutes, so orders are aggregated in SQL grouped by customer for a whole chunk of customers at a
time (never one query per customer), the rules run in Python on the aggregates, and only the rows
whose values change are written, in one ``executemany`` per chunk.

A rule recompute does not bump ``Customer.version``: tier, lifecycle and segment are derived, not
typed into the form, so an edit form opened before the recompute may still be saved without
losing anything. A manual tier (set by a person, with a reason) does bump it, because the form
carries the tier override.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Engine, and_, bindparam, case, cast, func, select, update
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.i18n import t
from core.settings import Settings, get_settings
from core.vocab import Lifecycle, Tier, TierSource, ValueSegment
from db.bulk import chunks
from db.engine import session_scope
from db.models import Customer, Order, TierChange, User
from services.access import audit
from services.access.roles import Actor, Perm
from services.customers import tier_rules as tiering
from services.customers.tier_rules import TierExplanation

RULE_REASON = "按近12个月消费自动评级"
"""Stored reason of a tier change made by the rules (the demo seeder writes the same text)."""
CLEARED_REASON = "取消手动等级，恢复按规则评级"
"""Stored reason when a person removes a manual tier and the rules take over again."""
_STORED_REASON_KEYS = {RULE_REASON: "tiers.reason.rule", CLEARED_REASON: "tiers.reason.cleared"}
REASON_MAX_LENGTH = 200
CHUNK_SIZE = 5000

ProgressFn = Callable[[int, int], None]


class TierError(CatalogError):
    """A refused tier action; ``key`` and ``params`` name the catalog message to show."""


# ---- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFigures:
    """What the orders say about one customer, as of ``today``."""

    spend_12m: Decimal = Decimal("0.00")
    orders_12m: int = 0
    first_order_at: date | None = None
    last_order_at: date | None = None


@dataclass(frozen=True)
class TierFigures:
    """The inputs of the tier rules for one customer and the rules' verdict ("why this tier")."""

    spend_12m: Decimal
    orders_12m: int
    tenure_years: float
    explanation: TierExplanation

    @property
    def rule_tier(self) -> Tier:
        return self.explanation.tier



def _order_aggregate(today: date):
    """Per customer: 12-month spend in cents (exact on SQLite too), 12-month count, first and
    last order date. The caller adds the WHERE on ``customer_id``."""
    start = tiering.twelve_months_start(today)
    in_window = and_(Order.order_date >= start, Order.order_date <= today)
    cents = cast(func.round(Order.amount * 100), BigInteger)
    return select(
        Order.customer_id,
        func.sum(case((in_window, cents), else_=0)),
        func.sum(case((in_window, 1), else_=0)),
        func.min(Order.order_date),
        func.max(Order.order_date),
    ).group_by(Order.customer_id)


def _figures_from_rows(rows: Iterable[Sequence[object]]) -> dict[int, OrderFigures]:
    result: dict[int, OrderFigures] = {}
    for customer_id, cents, count, first, last in rows:
        result[int(customer_id)] = OrderFigures(  # type: ignore[call-overload]
            spend_12m=Decimal(int(cents or 0)).scaleb(-2),  # type: ignore[call-overload]
            orders_12m=int(count or 0),  # type: ignore[call-overload]
            first_order_at=first,  # type: ignore[arg-type]
            last_order_at=last,  # type: ignore[arg-type]
        )
    return result


def order_figures(session: Session, customer_ids: Sequence[int],
                  today: date | None = None) -> dict[int, OrderFigures]:
    """Order figures of the given customers (absent: no orders at all), in chunked queries."""
    today = today or clock.today()
    result: dict[int, OrderFigures] = {}
    for part in chunks(sorted(set(customer_ids))):
        stmt = _order_aggregate(today).where(Order.customer_id.in_(part))
        result.update(_figures_from_rows(session.execute(stmt).all()))
    return result


def tier_figures(session: Session, customer: Customer, today: date | None = None,
                 settings: Settings | None = None) -> TierFigures:
    """The rules' inputs and verdict for one customer, for the profile's "why this tier"."""
    today = today or clock.today()
    settings = settings or get_settings()
    figures = order_figures(session, [customer.id], today).get(customer.id, OrderFigures())
    tenure = tiering.tenure_years(customer.created_at, today)
    return TierFigures(
        spend_12m=figures.spend_12m, orders_12m=figures.orders_12m, tenure_years=tenure,
        explanation=tiering.explain_tier(figures.spend_12m, figures.orders_12m, tenure,
                                         settings.tier_rules))


# ---- derivation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    """Tier (by the rules, and the one in force), lifecycle and segment of one customer."""

    rule_tier: Tier
    tier: Tier
    lifecycle: Lifecycle
    value_segment: ValueSegment


def derive(*, created_at: datetime | date, tier: str, tier_source: str,
           figures: OrderFigures, last_contact_at: date | None, today: date,
           settings: Settings) -> Derived:
    """Apply the rules; a manual tier stays in force, and the segment follows the tier in force."""
    tenure = tiering.tenure_years(created_at, today)
    rule_tier = tiering.compute_tier(figures.spend_12m, figures.orders_12m, tenure,
                                     settings.tier_rules)
    effective = Tier(tier) if tier_source == TierSource.MANUAL else rule_tier
    lifecycle = tiering.compute_lifecycle(created_at, figures.first_order_at,
                                          figures.last_order_at, last_contact_at, today, settings)
    segment = tiering.compute_value_segment(effective, lifecycle, figures.spend_12m,
                                            settings.tier_rules)
    return Derived(rule_tier, effective, lifecycle, segment)


def initial_values(manual_tier: Tier | None, created_at: datetime,
                   settings: Settings | None = None,
                   today: date | None = None) -> Derived:
    """Tier, lifecycle and segment of a customer being created (no orders yet)."""
    settings = settings or get_settings()
    return derive(created_at=created_at, tier=(manual_tier or Tier.SILVER).value,
                  tier_source=TierSource.MANUAL if manual_tier else TierSource.RULE,
                  figures=OrderFigures(), last_contact_at=None, today=today or clock.today(),
                  settings=settings)


# ---- recompute --------------------------------------------------------------------------------


@dataclass
class RecomputeSummary:
    """How many customers were looked at and how many of their derived values changed."""

    customers: int = 0
    tier_changed: int = 0
    lifecycle_changed: int = 0
    segment_changed: int = 0
    order_dates_changed: int = 0
    manual_kept: int = 0  # manual tiers that differ from what the rules would give
    seconds: float = 0.0

    def add(self, other: RecomputeSummary) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_CUSTOMER_COLUMNS = (
    Customer.id, Customer.created_at, Customer.tier, Customer.tier_source, Customer.lifecycle,
    Customer.value_segment, Customer.first_order_at, Customer.last_order_at,
    Customer.last_contact_at,
)


def _apply(session: Session, rows: Sequence[Sequence[object]],
           figures: dict[int, OrderFigures], today: date, settings: Settings,
           stamp: datetime) -> RecomputeSummary:
    """Compare each customer's stored values with the rules' and write the differences."""
    summary = RecomputeSummary(customers=len(rows))
    updates: list[dict[str, object]] = []
    changes: list[dict[str, object]] = []
    empty = OrderFigures()
    for (cid, created_at, tier, source, lifecycle, segment, first, last,
         contact) in rows:
        fig = figures.get(cid, empty)  # type: ignore[call-overload]
        new = derive(created_at=created_at, tier=tier, tier_source=source,  # type: ignore[arg-type]
                     figures=fig, last_contact_at=contact,  # type: ignore[arg-type]
                     today=today, settings=settings)
        if source == TierSource.MANUAL and new.rule_tier != tier:
            summary.manual_kept += 1
        tier_moved = new.tier != tier
        life_moved = new.lifecycle != lifecycle
        seg_moved = new.value_segment != segment
        dates_moved = (fig.first_order_at, fig.last_order_at) != (first, last)
        if not (tier_moved or life_moved or seg_moved or dates_moved):
            continue
        summary.tier_changed += tier_moved
        summary.lifecycle_changed += life_moved
        summary.segment_changed += seg_moved
        summary.order_dates_changed += dates_moved
        updates.append({"b_id": cid, "b_tier": new.tier.value,
                        "b_lifecycle": new.lifecycle.value,
                        "b_segment": new.value_segment.value,
                        "b_first": fig.first_order_at, "b_last": fig.last_order_at})
        if tier_moved:
            changes.append({"customer_id": cid, "from_tier": tier, "to_tier": new.tier.value,
                            "source": TierSource.RULE.value, "user_id": None,
                            "reason": RULE_REASON, "changed_at": stamp})
    if updates:
        table = Customer.__table__
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values(
                tier=bindparam("b_tier"), lifecycle=bindparam("b_lifecycle"),
                value_segment=bindparam("b_segment"), first_order_at=bindparam("b_first"),
                last_order_at=bindparam("b_last")),
            updates)
        _expire(session, [int(u["b_id"]) for u in updates],  # type: ignore[call-overload]
                ["tier", "lifecycle", "value_segment", "first_order_at", "last_order_at"])
    if changes:
        session.execute(TierChange.__table__.insert(), changes)
    return summary


def _expire(session: Session, customer_ids: Iterable[int], attrs: list[str]) -> None:
    """Forget values written behind the ORM's back on customers this session holds."""
    wanted = set(customer_ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Customer) and obj.id in wanted:
            session.expire(obj, attrs)


def recompute_ids(session: Session, customer_ids: Iterable[int], today: date | None = None,
                  settings: Settings | None = None) -> RecomputeSummary:
    """Recompute tier, lifecycle, segment and first/last order dates of these customers
    (deleted ones are skipped), in the caller's transaction."""
    started = time.perf_counter()
    today = today or clock.today()
    settings = settings or get_settings()
    stamp = clock.now()
    summary = RecomputeSummary()
    ids = sorted(set(customer_ids))
    for part in chunks(ids):
        rows = session.execute(select(*_CUSTOMER_COLUMNS).where(
            Customer.id.in_(part), Customer.deleted_at.is_(None))).all()
        if rows:
            figures = order_figures(session, [r[0] for r in rows], today)
            summary.add(_apply(session, rows, figures, today, settings, stamp))
    summary.seconds = time.perf_counter() - started
    return summary


def on_orders_changed(session: Session, customer_ids: Iterable[int],
                      today: date | None = None) -> RecomputeSummary:
    """For the order and import services: call after adding, changing or deleting orders of
    these customers, in the same transaction, so tier and stage never lag behind the orders."""
    return recompute_ids(session, customer_ids, today)


def recompute_all(engine: Engine, today: date | None = None, *, chunk_size: int = CHUNK_SIZE,
                  settings: Settings | None = None,
                  progress: ProgressFn | None = None) -> RecomputeSummary:
    """Recompute every live customer, ``chunk_size`` customers per transaction.

    Why one transaction per chunk: a single transaction over a million rows would hold the
    SQLite write lock for minutes and block the app; the recompute is idempotent, so a run that
    stops part-way leaves consistent rows and the next run finishes the job.
    """
    started = time.perf_counter()
    today = today or clock.today()
    settings = settings or get_settings()
    summary = RecomputeSummary()
    with session_scope(engine) as session:
        total = session.scalar(select(func.count()).select_from(Customer)
                               .where(Customer.deleted_at.is_(None))) or 0
    last_id = 0
    done = 0
    while True:
        with session_scope(engine) as session:
            rows = session.execute(
                select(*_CUSTOMER_COLUMNS)
                .where(Customer.id > last_id, Customer.deleted_at.is_(None))
                .order_by(Customer.id).limit(chunk_size)).all()
            if not rows:
                break
            low, high = rows[0][0], rows[-1][0]
            agg = _order_aggregate(today).where(Order.customer_id >= low,
                                                Order.customer_id <= high)
            figures = _figures_from_rows(session.execute(agg).all())
            summary.add(_apply(session, rows, figures, today, settings, clock.now()))
        last_id = high
        done += len(rows)
        if progress:
            progress(done, total)
    summary.seconds = time.perf_counter() - started
    return summary


# ---- manual tier ------------------------------------------------------------------------------


def _live_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id, populate_existing=True)
    if customer is None or customer.deleted_at is not None:
        raise TierError("tiers.error.not_found")
    return customer


def _stamp(customer: Customer, actor: Actor) -> None:
    """Touch the row: the ORM then bumps ``version``, so an open edit form becomes stale."""
    customer.updated_at = clock.now()
    customer.updated_by_id = actor.user_id


def set_manual_tier(session: Session, actor: Actor, customer_id: int, tier: Tier | str,
                    reason: str, today: date | None = None) -> None:
    """Fix the tier by hand; it overrides the rules until ``clear_manual_tier``."""
    actor.require(Perm.EDIT_CUSTOMERS)
    try:
        new_tier = Tier(tier)
    except ValueError:
        raise TierError("tiers.error.invalid_tier", value=str(tier)) from None
    reason = " ".join((reason or "").split())
    if not reason:
        raise TierError("tiers.error.reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise TierError("tiers.error.reason_too_long", max=REASON_MAX_LENGTH)
    customer = _live_customer(session, customer_id)
    before = {"tier": customer.tier, "tier_source": customer.tier_source,
              "tier_reason": customer.tier_reason}
    if not record_manual_tier(session, actor, customer, new_tier, reason, today):
        return
    session.flush()
    after = {"tier": customer.tier, "tier_source": customer.tier_source,
             "tier_reason": customer.tier_reason}
    audit.record(session, actor, "customer.tier", "customer", customer.id,
                 changes=audit.diff(before, after), detail={"version": customer.version})


def record_manual_tier(session: Session, actor: Actor, customer: Customer, tier: Tier,
                       reason: str | None, today: date | None = None) -> bool:
    """Put a manual tier on a loaded customer (the value segment follows it at once) and keep
    the change in ``tier_changes``; for callers (edit) that audit the change themselves.
    True if anything changed."""
    before, before_source = customer.tier, customer.tier_source
    if before == tier and before_source == TierSource.MANUAL \
            and customer.tier_reason == reason:
        return False
    stamp = clock.now()
    today = today or clock.today()
    settings = get_settings()
    figures = order_figures(session, [customer.id], today).get(customer.id, OrderFigures())
    customer.value_segment = tiering.compute_value_segment(
        tier, customer.lifecycle, figures.spend_12m, settings.tier_rules).value
    customer.tier = tier.value
    customer.tier_source = TierSource.MANUAL.value
    customer.tier_set_by_id = actor.user_id
    customer.tier_reason = reason
    _stamp(customer, actor)
    if before != tier or before_source != TierSource.MANUAL:
        session.add(TierChange(customer_id=customer.id, from_tier=before, to_tier=tier.value,
                               source=TierSource.MANUAL.value, user_id=actor.user_id,
                               reason=reason, changed_at=stamp))
    return True


def clear_manual_tier(session: Session, actor: Actor, customer_id: int,
                      today: date | None = None) -> Tier:
    """Remove the manual tier: the rules decide again, at once. Returns the tier now in force."""
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = _live_customer(session, customer_id)
    before = {"tier": customer.tier, "tier_source": customer.tier_source,
              "tier_reason": customer.tier_reason}
    if not release_manual_tier(session, actor, customer, today):
        return Tier(customer.tier)
    session.flush()
    after = {"tier": customer.tier, "tier_source": customer.tier_source,
             "tier_reason": customer.tier_reason}
    audit.record(session, actor, "customer.tier_cleared", "customer", customer.id,
                 changes=audit.diff(before, after), detail={"version": customer.version})
    return Tier(customer.tier)


def release_manual_tier(session: Session, actor: Actor, customer: Customer,
                        today: date | None = None) -> bool:
    """Hand a loaded customer's tier back to the rules (recomputed now) and keep the change in
    ``tier_changes``; for callers that audit themselves. False if the tier was not manual."""
    if customer.tier_source != TierSource.MANUAL:
        return False
    today = today or clock.today()
    settings = get_settings()
    figures = order_figures(session, [customer.id], today).get(customer.id, OrderFigures())
    new = derive(created_at=customer.created_at, tier=customer.tier,
                 tier_source=TierSource.RULE, figures=figures,
                 last_contact_at=customer.last_contact_at, today=today, settings=settings)
    before = customer.tier
    customer.tier = new.tier.value
    customer.tier_source = TierSource.RULE.value
    customer.tier_set_by_id = None
    customer.tier_reason = None
    customer.lifecycle = new.lifecycle.value
    customer.value_segment = new.value_segment.value
    _stamp(customer, actor)
    session.add(TierChange(customer_id=customer.id, from_tier=before, to_tier=new.tier.value,
                           source=TierSource.RULE.value, user_id=actor.user_id,
                           reason=CLEARED_REASON, changed_at=clock.now()))
    return True


def stored_reason_key(reason: str | None) -> str | None:
    """The catalog key of a reason the system itself stores (None for a person's words)."""
    return _STORED_REASON_KEYS.get(reason or "")


# ---- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierHistoryItem:
    """One row of the profile's tier history: from, to, by the rules or by whom, why, when."""

    id: int
    changed_at: datetime
    from_tier: str | None
    to_tier: str
    source: str  # "rule" | "manual"
    user_id: int | None
    user: str | None  # display name of the person, None for the rules
    reason: str | None  # as stored; see ``reason_text`` for display

    def reason_text(self, lang: str = "zh") -> str:
        """The reason in ``lang`` (the system's own reasons are translated, a person's not)."""
        key = stored_reason_key(self.reason)
        if key is not None:
            return t(key, lang)
        return self.reason or ""


def tier_history(session: Session, actor: Actor, customer_id: int, *,
                 limit: int = 50, offset: int = 0) -> list[TierHistoryItem]:
    """Tier changes of one customer, newest first."""
    actor.require(Perm.VIEW_CUSTOMERS)
    rows = session.execute(
        select(TierChange, User.display_name)
        .outerjoin(User, User.id == TierChange.user_id)
        .where(TierChange.customer_id == customer_id)
        .order_by(TierChange.changed_at.desc(), TierChange.id.desc())
        .offset(offset).limit(limit)).all()
    return [TierHistoryItem(id=c.id, changed_at=c.changed_at, from_tier=c.from_tier,
                            to_tier=c.to_tier, source=c.source, user_id=c.user_id, user=name,
                            reason=c.reason)
            for c, name in rows]
