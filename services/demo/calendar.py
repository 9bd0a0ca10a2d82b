"""The demo's calendar: when each customer was created, and the time constants every
generator shares (records cover the last two years, business hours, China Standard Time)."""

from __future__ import annotations

import math
import random
from datetime import date

SQRT2_FRACTION = math.sqrt(2) - 1
SPAN_DAYS = 5 * 365 + 1          # customers were created over the last five years
RECORD_DAYS = 730                # records cover the last two years
GROWTH = math.log(3.0)           # the newest year signs up about three times the oldest
BUSINESS_START = 8 * 3600 + 30 * 60
BUSINESS_SPAN = 12 * 3600        # 08:30 - 20:30 local
UTC_OFFSET = 8 * 3600            # China Standard Time has no daylight saving


class Calendar:
    """When customer ``i`` of ``total`` was created, as a pure function of ``i``.

    Creation times increase with ``i`` (ids follow time) and are denser in recent years; the
    jitter inside each customer's slot comes from ``i`` and the seed, not from a running RNG,
    so any process can number any chunk's customers (C + year + sequence within the year)
    without having seen the chunks before it.
    """

    def __init__(self, seed: int, today: date, total: int) -> None:
        self.total = max(total, 1)
        self.today_ord = today.toordinal()
        self.start_ord = self.today_ord - SPAN_DAYS
        self.base_ord = self.start_ord - 400  # day strings reach well before and after
        self.days = [date.fromordinal(o).isoformat()
                     for o in range(self.base_ord, self.today_ord + 1200)]
        self.years = [date.fromordinal(o).year for o in range(self.base_ord, self.today_ord + 1200)]
        self.jitter_offset = random.Random(f"calendar:{seed}").random()
        self.growth_m1 = math.exp(GROWTH) - 1
        self.year_first = {year: self.first_index(year)
                           for year in range(self.year_of(0), self.year_of(self.total - 1) + 1)}

    def created(self, i: int) -> tuple[int, int]:
        """Local day (ordinal) and second of the day customer ``i`` was created."""
        u = (i + (self.jitter_offset + (i + 1) * SQRT2_FRACTION) % 1.0) / self.total
        pos = math.log1p(u * self.growth_m1) / GROWTH * SPAN_DAYS
        day_off = int(pos)
        return (min(self.start_ord + day_off, self.today_ord - 1),
                BUSINESS_START + int((pos - day_off) * BUSINESS_SPAN))

    def year_of(self, i: int) -> int:
        return self.years[self.created(i)[0] - self.base_ord]

    def first_index(self, year: int) -> int:
        """The first customer created in ``year`` or later (binary search: created() grows)."""
        lo, hi = 0, self.total
        while lo < hi:
            mid = (lo + hi) // 2
            if self.year_of(mid) < year:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def customer_no(self, i: int, year: int) -> str:
        return f"C{year}{i - self.year_first[year] + 1:06d}"

    def last_numbers(self, customers: int) -> dict[int, int]:
        """The last sequence number issued per year to customers ``0..customers-1``."""
        result = {}
        for year, first in self.year_first.items():
            following = self.year_first.get(year + 1, self.total)
            count = min(following, customers) - first
            if count > 0:
                result[year] = count
        return result
