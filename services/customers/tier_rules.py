"""Tier, lifecycle stage and value segment of a customer, as pure functions of its figures.

Why pure: the demo seeder, the nightly recompute and the "why this tier" panel must agree to
the day on the same inputs, so the rules live here and take every input (including ``today``)
as an argument instead of reading the clock or the database.

Boundaries (hand-checked in ``tests/customers/test_tiering.py``):

- a tier threshold is met when the figure is **at least** the minimum (``>=``);
- 新客户: the first order is at most ``new_customer_days`` days before ``today`` (inclusive);
- 老客户: the record is **more than** ``loyal_years`` old (the day after the anniversary);
- 流失: the latest order or contact is ``churn_days`` days old or older.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from core.clock import LOCAL_TZ
from core.settings import TierRule
from core.vocab import TIER_ORDER, Lifecycle, Tier, ValueSegment

_RANK: dict[Tier, int] = {tier: rank for rank, tier in enumerate(TIER_ORDER)}

POTENTIAL_SPEND_SHARE = Decimal("0.5")
"""Share of 铂金's minimum spend from which a customer below it counts as 潜在 (value)."""


class LifecycleRules(Protocol):
    """The three lifecycle thresholds (``core.settings.Settings`` has them)."""

    new_customer_days: int
    loyal_years: float
    churn_days: int


# ---- tenure ---------------------------------------------------------------------------------

def local_date(value: date | datetime) -> date:
    """The calendar day of ``value`` where the staff work (an aware datetime is converted)."""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).date() if value.tzinfo else value.date()
    return value


def _add_years(day: date, years: int) -> date:
    """The anniversary ``years`` later; 29 February falls on 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def twelve_months_start(today: date) -> date:
    """First day counted in the "last 12 months" figures: the day after the same date last year.

    With ``today`` 2025-06-30 the window is 2024-07-01 .. 2025-06-30, both ends included.
    """
    return _add_years(today, -1) + timedelta(days=1)


def tenure_years(since: date | datetime, today: date) -> float:
    """Whole anniversaries since ``since`` plus the elapsed share of the current year.

    Anniversary-based so that "2 years" means the calendar anniversary, not 730 days.
    """
    start = local_date(since)
    if today <= start:
        return 0.0
    years = today.year - start.year
    if (today.month, today.day) < (start.month, start.day):
        years -= 1
    anniversary = _add_years(start, years)
    following = _add_years(start, years + 1)
    return years + (today - anniversary).days / (following - anniversary).days


# ---- tier -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThresholdCheck:
    """One threshold of one tier: what it asks, what the customer has, and whether it holds."""

    name: str  # "spend" | "orders" | "tenure"
    required: Decimal | int | float
    actual: Decimal | int | float
    met: bool


@dataclass(frozen=True)
class TierCheck:
    """All thresholds of one tier for one customer."""

    tier: Tier
    checks: tuple[ThresholdCheck, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def missed(self) -> tuple[ThresholdCheck, ...]:
        return tuple(c for c in self.checks if not c.met)


@dataclass(frozen=True)
class TierExplanation:
    """The resulting tier and every rule's check, highest tier first (for "why this tier")."""

    tier: Tier
    rules: tuple[TierCheck, ...]


@dataclass(frozen=True)
class _Prepared:
    ranked: tuple[TierRule, ...]      # highest tier first
    potential_min: Decimal | None     # 12-month spend from which a customer is 潜在 (value)


_PREPARED: dict[int, tuple[Sequence[TierRule], _Prepared]] = {}


def _prepare(rules: Sequence[TierRule]) -> _Prepared:
    """The rules ordered and their derived thresholds, memoised per rules object (the seeder
    and the recompute ask once per customer). Rules are read as immutable, as the settings'
    tuple is; the memo holds a reference, so an object's id cannot be reused meanwhile."""
    memo = _PREPARED.get(id(rules))
    if memo is None or memo[0] is not rules:
        ranked = tuple(sorted(rules, key=lambda r: _RANK[Tier(r.tier)], reverse=True))
        high = [r for r in ranked if _RANK[Tier(r.tier)] >= _RANK[Tier.PLATINUM]]
        potential = high[-1].min_spend * POTENTIAL_SPEND_SHARE if high else None
        if len(_PREPARED) > 64:
            _PREPARED.clear()
        memo = _PREPARED[id(rules)] = (rules, _Prepared(ranked, potential))
    return memo[1]


def _by_rank(rules: Sequence[TierRule]) -> tuple[TierRule, ...]:
    """Highest tier first, whatever order the configuration listed them in."""
    return _prepare(rules).ranked


def compute_tier(spend_12m: Decimal, orders_12m: int, tenure_years: float,
                 rules: Sequence[TierRule]) -> Tier:
    """The highest tier whose every threshold is met; 白银 when none is."""
    for rule in _by_rank(rules):
        if (spend_12m >= rule.min_spend and orders_12m >= rule.min_orders
                and tenure_years >= rule.min_tenure_years):
            return Tier(rule.tier)
    return Tier.SILVER


def explain_tier(spend_12m: Decimal, orders_12m: int, tenure_years: float,
                 rules: Sequence[TierRule]) -> TierExplanation:
    """Which thresholds of each tier are met or missed, as data for the profile to render."""
    checks = tuple(
        TierCheck(Tier(rule.tier), (
            ThresholdCheck("spend", rule.min_spend, spend_12m, spend_12m >= rule.min_spend),
            ThresholdCheck("orders", rule.min_orders, orders_12m, orders_12m >= rule.min_orders),
            ThresholdCheck("tenure", rule.min_tenure_years, tenure_years,
                           tenure_years >= rule.min_tenure_years),
        ))
        for rule in _by_rank(rules)
    )
    tier = next((c.tier for c in checks if c.met), Tier.SILVER)
    return TierExplanation(tier, checks)


# ---- lifecycle ------------------------------------------------------------------------------

def compute_lifecycle(created_at: date | datetime, first_order: date | None,
                      last_order: date | None, last_contact: date | None, today: date,
                      settings: LifecycleRules) -> Lifecycle:
    """The lifecycle stage, checked in this order:

    潜在 (no order yet, whatever the contacts), 流失 (neither an order nor a contact for
    ``churn_days``), 新客户 (first order within ``new_customer_days``), 老客户 (record older than
    ``loyal_years``), else 稳定. Churn comes before "new" and "loyal" because a silent customer
    needs winning back whatever its history.
    """
    if first_order is None and last_order is None:
        return Lifecycle.PROSPECT
    first: date = first_order if first_order is not None else last_order  # type: ignore[assignment]
    latest = max(d for d in (last_order, last_contact, first) if d is not None)
    if (today - latest).days >= settings.churn_days:
        return Lifecycle.CHURNED
    if (today - first).days <= settings.new_customer_days:
        return Lifecycle.NEW
    if tenure_years(created_at, today) > settings.loyal_years:
        return Lifecycle.LOYAL
    return Lifecycle.STABLE


# ---- value segment --------------------------------------------------------------------------

def compute_value_segment(tier: Tier | str, lifecycle: Lifecycle | str, spend_12m: Decimal,
                          rules: Sequence[TierRule]) -> ValueSegment:
    """Where the customer's money is, for targeting (the lifecycle says where the relationship is):

    - 高价值: tier 铂金 or 钻石 and not 流失 — the relationships that carry revenue today;
    - 潜在: not 流失, below 铂金, but with a 12-month spend of at least half
      (``POTENTIAL_SPEND_SHARE``) of 铂金's minimum — spending like a top customer without yet
      meeting its order count or tenure: the upsell candidates;
    - 普通: everyone else, including every churned customer and every prospect without orders.
    """
    tier = tier if isinstance(tier, Tier) else Tier(tier)
    if lifecycle == Lifecycle.CHURNED:  # a StrEnum equals its plain value too
        return ValueSegment.ORDINARY
    if _RANK[tier] >= _RANK[Tier.PLATINUM]:
        return ValueSegment.HIGH
    threshold = _prepare(rules).potential_min  # half of the lowest 高价值 tier's minimum
    if threshold is not None and spend_12m >= threshold:
        return ValueSegment.POTENTIAL
    return ValueSegment.ORDINARY
