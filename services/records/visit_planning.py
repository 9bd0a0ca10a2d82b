"""The rules of ``config.toml [follow_ups]`` that plan 回访 by themselves.

- **After a first order** (``on_first_orders``): a customer whose first order was just recorded
  (from the profile or an Excel import) gets a visit ``after_first_order_days`` after that order.
  An order entered late plans the visit for today at the earliest; a "first" order older than
  the 新客户 window (``lifecycle.new_customer_days``) plans nothing — a welcome call two years
  late helps nobody. One such visit per customer, ever.
- **After a complaint is resolved** (``on_complaint_resolved``): ``after_complaint_days`` after
  the resolution, linked to the complaint; resolving the same complaint again (after a reopen)
  plans nothing while its earlier visit is still open.
- **Periodically by tier** (``plan_periodic``, run by ``manage.py plan-visits``): a customer of a
  tier with ``periodic_days.<tier> = N`` is due N days after the last visit done (never visited:
  after the first order, else after the record was created). Customers due within ``ahead_days``
  get one visit, on the due date (today at the earliest). A customer with any open visit gets
  none, so running it twice plans nothing new. One INSERT … SELECT per run: set-based, fast at
  a million customers.

Planned visits use ``follow_ups.method``, the customer's account manager as assignee (for a
complaint visit without one, the complaint's handler) and ``source`` saying which rule planned
them. Each rule writes an audit row (acting user, or ``rules`` when a rule runs on its own).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import Date, String, case, cast, exists, func, insert, literal, not_, select
from sqlalchemy.orm import Session

from core import clock
from core.settings import Settings, get_settings
from core.vocab import Tier
from db.bulk import chunks
from db.models import Complaint, Customer, FollowUp, Order
from db.types import UTCDateTime
from services.access import audit
from services.access.roles import Actor

RULES_USER: Final = "rules"
PURPOSES: Final[dict[str, str]] = {
    "first_order": "首单回访",
    "complaint": "投诉解决回访",
    "periodic": "定期回访",
}
"""The stored purpose of a rule-planned visit (stored text is Chinese, like all records)."""
DEFAULT_AHEAD_DAYS: Final = 14


@dataclass(frozen=True)
class PeriodicSummary:
    planned: int
    by_tier: dict[str, int]
    today: date
    ahead_days: int


def _audit(session: Session, actor: Actor | None, action: str, customer_id: int | None,
           detail: dict[str, Any]) -> None:
    audit.record(session, actor, action, "customer" if customer_id else "follow_up",
                 customer_id, detail=detail, username=None if actor else RULES_USER)


# ---- after a first order -----------------------------------------------------------------------


def on_first_orders(session: Session, customer_ids: Iterable[int], *, today: date | None = None,
                    actor: Actor | None = None, settings: Settings | None = None) -> list[int]:
    """Plan the after-first-order visit of these customers (call after their orders are written
    and ``first_order_at`` is up to date). Customers that already had one, are deleted, have
    no order, or whose first order is older than the 新客户 window are skipped. Returns the new
    visits' ids."""
    settings = settings or get_settings()
    today = today or clock.today()
    delay = timedelta(days=settings.follow_up_after_first_order_days)
    oldest = today - timedelta(days=settings.new_customer_days)
    ids = sorted(set(customer_ids))
    planned: list[int] = []
    for part in chunks(ids):
        had = exists().where(FollowUp.customer_id == Customer.id,
                             FollowUp.source == "first_order")
        rows = session.execute(select(Customer.id, Customer.first_order_at,
                                      Customer.account_manager_id).where(
            Customer.id.in_(part), Customer.deleted_at.is_(None),
            Customer.first_order_at.is_not(None), Customer.first_order_at >= oldest,
            not_(had))).all()
        for cid, first, manager in rows:
            visit = FollowUp(customer_id=cid, planned_date=max(first + delay, today),
                             method=settings.follow_up_method,
                             purpose=PURPOSES["first_order"], assignee_id=manager,
                             source="first_order", created_at=clock.now())
            session.add(visit)
            session.flush()
            planned.append(visit.id)
            _audit(session, actor, "follow_up.auto_plan", cid,
                   {"follow_up_id": visit.id, "source": "first_order",
                    "planned_date": visit.planned_date})
    return planned


# ---- after a complaint is resolved ----------------------------------------------------------


def on_complaint_resolved(session: Session, complaint: Complaint, *,
                          actor: Actor | None = None,
                          settings: Settings | None = None) -> int | None:
    """Plan the after-complaint visit of a complaint just resolved (in the caller's
    transaction; ``complaint.resolved_at`` set, or today is used). Returns the new visit's id,
    or None when the complaint already has an open visit or its customer is deleted."""
    settings = settings or get_settings()
    customer = session.get(Customer, complaint.customer_id)
    if customer is None or customer.deleted_at is not None:
        return None
    session.flush()
    already = session.scalar(select(FollowUp.id).where(
        FollowUp.complaint_id == complaint.id, FollowUp.done_date.is_(None)).limit(1))
    if already is not None:
        return None
    resolved = clock.local(complaint.resolved_at)
    day = resolved.date() if resolved is not None else clock.today()
    visit = FollowUp(
        customer_id=customer.id,
        planned_date=max(day + timedelta(days=settings.follow_up_after_complaint_days),
                         clock.today()),
        method=settings.follow_up_method, purpose=PURPOSES["complaint"],
        assignee_id=customer.account_manager_id or complaint.handler_id,
        source="complaint", complaint_id=complaint.id, created_at=clock.now())
    session.add(visit)
    session.flush()
    _audit(session, actor, "follow_up.auto_plan", customer.id,
           {"follow_up_id": visit.id, "source": "complaint", "complaint_id": complaint.id,
            "planned_date": visit.planned_date})
    return visit.id


# ---- periodically by tier ------------------------------------------------------------------


def _add_days(session: Session, day: Any, days: Any) -> Any:
    """``day`` + ``days`` (an SQL integer) as a date, on both engines."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(func.julianday(day) + days)
    return day + days


def _greatest(session: Session, a: Any, b: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.max(a, b)
    return func.greatest(a, b)


def _created_day(session: Session) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(Customer.created_at)
    return cast(func.timezone(clock.LOCAL_TZ.key, Customer.created_at), Date)


_PLAN_LOCK: Final = 0x43524D5650  # "CRMVP": one periodic planning run at a time (PostgreSQL)


def plan_periodic(session: Session, today: date | None = None, *,
                  ahead_days: int = DEFAULT_AHEAD_DAYS, actor: Actor | None = None,
                  settings: Settings | None = None) -> PeriodicSummary:
    """Plan the periodic visits falling due by ``today + ahead_days`` in one INSERT … SELECT:
    the visits are aggregated once per customer (last done, open ones), joined to the live
    customers of the configured tiers. A customer with an open visit (any source) is skipped,
    so the rule is idempotent and never plans more than one open visit per customer."""
    settings = settings or get_settings()
    today = today or clock.today()
    intervals = {Tier(t).value: d for t, d in settings.follow_up_periodic_days if d > 0}
    summary = PeriodicSummary(planned=0, by_tier=dict.fromkeys(intervals, 0), today=today,
                              ahead_days=ahead_days)
    if intervals:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(_PLAN_LOCK)))
        summary = _plan_periodic(session, today, ahead_days, intervals, settings)
    audit.record(session, actor, "follow_up.plan_periodic", "follow_up", None,
                 detail={"planned": summary.planned, "by_tier": summary.by_tier,
                         "today": today, "ahead_days": ahead_days},
                 username=None if actor else RULES_USER)
    return summary


def _plan_periodic(session: Session, today: date, ahead_days: int, intervals: dict[str, int],
                   settings: Settings) -> PeriodicSummary:
    horizon = today + timedelta(days=ahead_days)
    visits = (select(FollowUp.customer_id.label("customer_id"),
                     func.max(FollowUp.done_date).label("last_done"),
                     (func.count() - func.count(FollowUp.done_date)).label("open"))
              .group_by(FollowUp.customer_id).subquery())
    interval = case(*((Customer.tier == tier, days) for tier, days in intervals.items()))
    base = func.coalesce(visits.c.last_done, Customer.first_order_at, _created_day(session))
    due = _add_days(session, base, interval)
    stamp = clock.now()
    chosen = (
        select(Customer.id, _greatest(session, due, literal(today, Date)),
               literal(settings.follow_up_method, String), literal(PURPOSES["periodic"], String),
               Customer.account_manager_id, literal("periodic", String),
               literal(stamp, UTCDateTime()))
        .select_from(Customer)
        .outerjoin(visits, visits.c.customer_id == Customer.id)
        .where(Customer.deleted_at.is_(None), Customer.tier.in_(list(intervals)),
               func.coalesce(visits.c.open, 0) == 0, due <= literal(horizon, Date))
    )
    before = session.scalar(select(func.max(FollowUp.id))) or 0
    session.execute(insert(FollowUp.__table__).from_select(
        ["customer_id", "planned_date", "method", "purpose", "assignee_id", "source",
         "created_at"], chosen))
    by_tier = dict.fromkeys(intervals, 0)
    by_tier.update({tier: n for tier, n in session.execute(
        select(Customer.tier, func.count()).join(FollowUp, FollowUp.customer_id == Customer.id)
        .where(FollowUp.id > before, FollowUp.source == "periodic",
               FollowUp.created_at == stamp)
        .group_by(Customer.tier))})
    return PeriodicSummary(planned=sum(by_tier.values()), by_tier=by_tier, today=today,
                           ahead_days=ahead_days)


def first_time_buyers(session: Session, customer_ids: Sequence[int]) -> list[int]:
    """Of these customers, those with no order yet — ask before writing new orders, then hand
    them to ``on_first_orders`` after."""
    ids = sorted(set(customer_ids))
    buyers: set[int] = set()
    for part in chunks(ids):
        buyers.update(session.scalars(select(Order.customer_id).where(
            Order.customer_id.in_(part)).distinct()))
    return [i for i in ids if i not in buyers]


__all__ = ["DEFAULT_AHEAD_DAYS", "PURPOSES", "PeriodicSummary", "first_time_buyers",
           "on_complaint_resolved", "on_first_orders", "plan_periodic"]
