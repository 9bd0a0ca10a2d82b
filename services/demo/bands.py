"""Buying bands: which customers buy like a 钻石, 铂金 or 黄金 customer, so that the tiers the
app computes come out in the profile's mix (``DemoProfile.tier_mix``).

Why bands and not drawn tiers: a tier is the app's verdict on twelve months of orders and on
tenure (``services.customers.tier_rules``). A band gives a customer the behaviour its tier
needs (the tier's minimum orders and spend, from the settings) and the rules then compute the
tier. A band needs its tenure, so its probability is the wanted share divided by the share of
customers old enough, measured once on the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.settings import Settings, TierRule
from core.vocab import TIER_ORDER, Tier
from services.customers import tier_rules as tiering
from services.demo.calendar import Calendar
from services.demo.profiles import DemoProfile

MIN_BAND_AGE_DAYS = 120
"""A customer younger than this buys too briefly to show a band's twelve months of orders."""

_SAMPLE = 2000


@dataclass(frozen=True)
class Band:
    """A tier's buying behaviour: the draw range that picks it and what it asks."""

    tier: Tier
    low: float
    high: float
    rule: TierRule


class Bands:
    """The bands of a run, highest tier first, with disjoint draw ranges."""

    def __init__(self, profile: DemoProfile, settings: Settings, calendar: Calendar,
                 today: date) -> None:
        rules = {Tier(r.tier): r for r in settings.tier_rules}
        sample = min(_SAMPLE, calendar.total)
        ages = [self._age(calendar, today, k * calendar.total // sample) for k in range(sample)]
        self.bands: list[Band] = []
        low = 0.0
        for tier in reversed(TIER_ORDER):
            share = profile.tier_mix.get(tier.value, 0.0)
            if tier not in rules or share <= 0:
                continue
            rule = rules[tier]
            eligible = sum(1 for days, years in ages
                           if days >= MIN_BAND_AGE_DAYS and years >= rule.min_tenure_years)
            if not eligible:
                continue
            width = min(share * len(ages) / eligible, 1.0 - low)
            self.bands.append(Band(tier, low, low + width, rule))
            low += width
        self.upper = low
        """Draws from here up fall outside every band."""

    @staticmethod
    def _age(calendar: Calendar, today: date, i: int) -> tuple[int, float]:
        day = calendar.created(i)[0]
        return today.toordinal() - day, tiering.tenure_years(date.fromordinal(day), today)

    def band(self, u: float, age_days: int, tenure: float) -> Band | None:
        """The band of a customer drawing ``u``, if it is old enough for it."""
        if u >= self.upper or age_days < MIN_BAND_AGE_DAYS:
            return None
        for band in self.bands:
            if band.low <= u < band.high:
                return band if tenure >= band.rule.min_tenure_years else None
        return None
