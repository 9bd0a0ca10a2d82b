"""Tier, lifecycle and value-segment rules on their boundaries, with hand-computed expectations.

The rules are spelled out here (the values of config.toml) so a change to the configuration does
not silently change what these tests prove.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.settings import TierRule
from core.vocab import Lifecycle, Tier, ValueSegment
from services.customers.tier_rules import (
    compute_lifecycle,
    compute_tier,
    compute_value_segment,
    explain_tier,
    tenure_years,
    twelve_months_start,
)

RULES = (
    TierRule(Tier.DIAMOND, Decimal("200000"), 12, 2.0),
    TierRule(Tier.PLATINUM, Decimal("50000"), 6, 1.0),
    TierRule(Tier.GOLD, Decimal("10000"), 3, 0.0),
)


@dataclass(frozen=True)
class LifeRules:
    new_customer_days: int = 90
    loyal_years: float = 2
    churn_days: int = 365


LIFE = LifeRules()
TODAY = date(2025, 6, 30)
D = Decimal


# ---- tier -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("spend", "orders", "tenure", "expected"), [
    (D("200000"), 12, 2.0, Tier.DIAMOND),          # every diamond minimum exactly
    (D("199999.99"), 12, 2.0, Tier.PLATINUM),      # one cent short
    (D("200000"), 11, 5.0, Tier.PLATINUM),         # one order short
    (D("900000"), 40, 1.99, Tier.PLATINUM),        # too young for diamond
    (D("50000"), 6, 1.0, Tier.PLATINUM),
    (D("50000"), 6, 0.99, Tier.GOLD),
    (D("49999.99"), 6, 3.0, Tier.GOLD),
    (D("80000"), 5, 3.0, Tier.GOLD),
    (D("10000"), 3, 0.0, Tier.GOLD),
    (D("9999.99"), 3, 0.0, Tier.SILVER),
    (D("10000"), 2, 9.0, Tier.SILVER),
    (D("0"), 0, 0.0, Tier.SILVER),
])
def test_compute_tier_boundaries(spend: Decimal, orders: int, tenure: float,
                                 expected: Tier) -> None:
    assert compute_tier(spend, orders, tenure, RULES) == expected


def test_rule_order_does_not_matter_and_no_rules_means_silver() -> None:
    assert compute_tier(D("250000"), 13, 3.0, tuple(reversed(RULES))) == Tier.DIAMOND
    assert compute_tier(D("250000"), 13, 3.0, ()) == Tier.SILVER


def test_explain_tier_reports_met_and_missed_thresholds() -> None:
    why = explain_tier(D("60000"), 7, 0.5, RULES)
    assert why.tier == Tier.GOLD
    assert [c.tier for c in why.rules] == [Tier.DIAMOND, Tier.PLATINUM, Tier.GOLD]
    diamond, platinum, gold = why.rules
    assert not diamond.met and [c.name for c in diamond.missed] == ["spend", "orders", "tenure"]
    assert not platinum.met and [c.name for c in platinum.missed] == ["tenure"]
    tenure = platinum.checks[2]
    assert (tenure.required, tenure.actual, tenure.met) == (1.0, 0.5, False)
    assert gold.met and gold.missed == ()
    spend = gold.checks[0]
    assert (spend.name, spend.required, spend.actual) == ("spend", D("10000"), D("60000"))


def test_explain_agrees_with_compute() -> None:
    spends = (D("0"), D("9999.99"), D("10000"), D("50000"), D("200000"))
    for spend, orders, tenure in itertools.product(spends, (0, 3, 6, 12), (0.0, 1.0, 2.0)):
        assert explain_tier(spend, orders, tenure, RULES).tier == compute_tier(
            spend, orders, tenure, RULES)


# ---- tenure ---------------------------------------------------------------------------------

def test_tenure_years_uses_calendar_anniversaries() -> None:
    assert tenure_years(date(2022, 3, 15), date(2024, 3, 15)) == 2.0
    # 2023-03-15 .. 2024-03-15 is 366 days (29 Feb 2024); one day short of the anniversary:
    assert tenure_years(date(2022, 3, 15), date(2024, 3, 14)) == 1 + 365 / 366
    # A 29 February start has its anniversary on 28 February in common years.
    assert tenure_years(date(2020, 2, 29), date(2021, 2, 28)) == 1.0
    assert tenure_years(date(2020, 2, 29), date(2021, 2, 27)) == 364 / 365
    assert tenure_years(date(2025, 1, 2), date(2025, 1, 1)) == 0.0


def test_twelve_months_window() -> None:
    assert twelve_months_start(date(2025, 6, 30)) == date(2024, 7, 1)
    assert twelve_months_start(date(2024, 2, 29)) == date(2023, 3, 1)


def test_tenure_counts_from_the_local_day_of_an_aware_timestamp() -> None:
    # 16:30 UTC on 14 March is 00:30 on 15 March in Beijing.
    since = datetime(2022, 3, 14, 16, 30, tzinfo=UTC)
    assert tenure_years(since, date(2024, 3, 15)) == 2.0


# ---- lifecycle ------------------------------------------------------------------------------

def life(created: date | datetime, first: date | None = None, last: date | None = None,
         contact: date | None = None) -> Lifecycle:
    return compute_lifecycle(created, first, last or first, contact, TODAY, LIFE)


def test_no_order_is_prospect_whatever_the_contacts() -> None:
    assert life(date(2025, 6, 1)) == Lifecycle.PROSPECT
    assert life(date(2019, 1, 1), contact=date(2020, 1, 1)) == Lifecycle.PROSPECT
    assert life(date(2019, 1, 1), contact=date(2025, 6, 29)) == Lifecycle.PROSPECT


def test_new_customer_boundary() -> None:
    # 2025-04-01 .. 2025-06-30 = 29 + 31 + 30 = 90 days: still new; a day earlier is not.
    assert life(date(2025, 1, 1), date(2025, 4, 1)) == Lifecycle.NEW
    assert life(date(2025, 1, 1), date(2025, 3, 31)) == Lifecycle.STABLE
    # New wins over loyal: an old record whose first purchase is recent.
    assert life(date(2019, 1, 1), date(2025, 5, 1)) == Lifecycle.NEW


def test_churn_boundary_and_precedence() -> None:
    # 2024-06-30 .. 2025-06-30 = 365 days (no 29 February in between).
    assert life(date(2024, 1, 1), date(2024, 3, 1), date(2024, 6, 30)) == Lifecycle.CHURNED
    assert life(date(2024, 1, 1), date(2024, 3, 1), date(2024, 7, 1)) == Lifecycle.STABLE
    # A recent contact keeps a customer without recent orders from churning.
    assert life(date(2020, 1, 1), date(2023, 1, 1), date(2023, 5, 1),
                date(2025, 6, 1)) == Lifecycle.LOYAL
    # Churn wins over loyal.
    assert life(date(2020, 1, 1), date(2023, 1, 1), date(2024, 1, 1)) == Lifecycle.CHURNED
    # Contact alone, 365 days old, churns too.
    assert life(date(2020, 1, 1), date(2023, 1, 1), date(2023, 5, 1),
                date(2024, 6, 30)) == Lifecycle.CHURNED


def test_loyal_boundary() -> None:
    first = date(2024, 9, 10)
    # Exactly two years is not "more than" two years; the day before the anniversary is.
    assert life(date(2023, 6, 30), first) == Lifecycle.STABLE
    assert life(date(2023, 6, 29), first) == Lifecycle.LOYAL
    # 16:30 UTC on 29 June is 30 June in Beijing: exactly two years, so still stable.
    assert life(datetime(2023, 6, 29, 16, 30, tzinfo=UTC), first) == Lifecycle.STABLE
    assert life(datetime(2023, 6, 29, 15, 30, tzinfo=UTC), first) == Lifecycle.LOYAL


# ---- value segment --------------------------------------------------------------------------

@pytest.mark.parametrize(("tier", "stage", "spend", "expected"), [
    (Tier.DIAMOND, Lifecycle.STABLE, D("300000"), ValueSegment.HIGH),
    (Tier.PLATINUM, Lifecycle.LOYAL, D("50000"), ValueSegment.HIGH),
    (Tier.PLATINUM, Lifecycle.NEW, D("0"), ValueSegment.HIGH),
    (Tier.DIAMOND, Lifecycle.CHURNED, D("0"), ValueSegment.ORDINARY),
    (Tier.SILVER, Lifecycle.PROSPECT, D("0"), ValueSegment.ORDINARY),
    (Tier.SILVER, Lifecycle.NEW, D("25000"), ValueSegment.POTENTIAL),       # half of 50 000
    (Tier.SILVER, Lifecycle.NEW, D("24999.99"), ValueSegment.ORDINARY),
    (Tier.GOLD, Lifecycle.LOYAL, D("25000"), ValueSegment.POTENTIAL),
    (Tier.GOLD, Lifecycle.LOYAL, D("24999.99"), ValueSegment.ORDINARY),
    (Tier.GOLD, Lifecycle.STABLE, D("190000"), ValueSegment.POTENTIAL),     # few orders
    (Tier.GOLD, Lifecycle.CHURNED, D("40000"), ValueSegment.ORDINARY),
])
def test_value_segment(tier: Tier, stage: Lifecycle, spend: Decimal,
                       expected: ValueSegment) -> None:
    assert compute_value_segment(tier, stage, spend, RULES) == expected


def test_value_segment_without_a_high_tier_rule() -> None:
    gold_only = (RULES[2],)
    assert compute_value_segment(Tier.GOLD, Lifecycle.STABLE, D("999999"),
                                 gold_only) == ValueSegment.ORDINARY
