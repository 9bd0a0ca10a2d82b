"""What every generator of a run shares: the profile and pools, the calendar as text, the
weighted choices, the staff, and the chunk's id counters.

Why one object: the generator modules (``customers``, ``orders`` ...) are plain functions of
this context, the seeded RNG and the chunk's output; the context is built once per process and
holds every table that would be too slow to rebuild per row.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from core.regions import MAJOR_CITIES, PROVINCES
from core.settings import Settings
from core.vocab import COMPLAINT_TYPES
from services.customers import tier_rules as tiering
from services.demo.accounts import ACCOUNT_MANAGERS
from services.demo.bands import Bands
from services.demo.calendar import BUSINESS_SPAN, BUSINESS_START, UTC_OFFSET, Calendar
from services.demo.pools import (
    FREE_MAIL,
    POPULATION,
    Pools,
    Products,
    Weighted,
    coprime_multiplier,
)
from services.demo.profiles import DemoProfile

Rows = dict[str, list[tuple]]
"""A chunk's rows per seeded table."""
Rnd = Callable[[], float]


def sqlite_money(cents: int) -> float:
    """SQLite keeps Numeric as REAL (what SQLAlchemy binds); two decimals read back exactly."""
    return cents / 100


def pg_money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def ordinal_date(ordinal: int | None) -> date | None:
    return date.fromordinal(ordinal) if ordinal is not None else None


class Choices:
    """The weighted choices of a profile (built once: a table lookup per draw)."""

    def __init__(self, profile: DemoProfile, settings: Settings) -> None:
        self.provinces = Weighted([(p, max(POPULATION.get(p, 3.0), 3.0)) for p in PROVINCES])
        self.cities = {p: Weighted([(c, 3.0 if k == 0 else 2.0 if k == 1 else 1.0)
                                    for k, c in enumerate(MAJOR_CITIES[p])])
                       for p in PROVINCES}
        self.types = Weighted(profile.type_weights)
        self.industries = {
            t: Weighted([(ind, profile.industry_weights[t].get(ind, 5.0))
                         for ind in settings.industries])
            for t in ("个人", "企业", "机构")
        }
        self.suffixes = Weighted(profile.company_suffixes)
        self.free_mail = Weighted(FREE_MAIL)
        self.sources_person = Weighted(profile.sources_person)
        self.sources_org = Weighted(profile.sources_org)
        self.pay_person = Weighted(profile.payments_person)
        self.pay_org = Weighted(profile.payments_org)
        self.methods_person = Weighted(profile.methods_person)
        self.methods_org = Weighted(profile.methods_org)
        self.visit_methods = Weighted(profile.visit_methods)
        self.complaint_channels = Weighted(profile.complaint_channels)
        self.complaint_types = Weighted([(t, profile.complaint_type_weights.get(t, 5.0))
                                         for t in COMPLAINT_TYPES])
        self.survey_channels = Weighted(profile.survey_channels)
        self.scores = Weighted(profile.scores)
        self.scores_complaint = Weighted(profile.scores_after_complaint)


class Context:
    """The shared state of one generating process (see the module's docstring)."""

    def __init__(self, *, seed: int, today: date, total: int, settings: Settings,
                 profile: DemoProfile, pools: Pools, users: dict[str, int],
                 tag_ids: dict[str, int], postgres: bool) -> None:
        self.seed = seed
        self.today = today
        self.settings = settings
        self.rules = settings.tier_rules
        self.profile = profile
        self.pools = pools
        self.tag_ids = tag_ids
        self.ids: dict[str, Callable[[], int]] = {}  # per chunk, from 0: see Generator.chunk
        self.c_ord = self.c_sec = 0  # the customer being generated: its creation day, second
        self.calendar = Calendar(seed, today, total)
        self.today_ord = today.toordinal()
        self.t12_ord = tiering.twelve_months_start(today).toordinal()
        self.base_ord = self.calendar.base_ord
        self.days = self.calendar.days
        self.years = self.calendar.years
        # " HH:MM:SS" in UTC for each local second of the day, with the backend's suffix.
        suffix = "+00" if postgres else ".000000"
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        self.ts_suffix = suffix
        self.utc_tail = [f" {self.hms[(s - UTC_OFFSET) % 86400]}{suffix}" for s in range(86400)]
        self.money = pg_money if postgres else sqlite_money
        master = random.Random(f"demo:{seed}")
        self.mobile_a = coprime_multiplier(master, 8)
        self.mobile_b = master.randrange(10 ** 8)
        self.mail_a = coprime_multiplier(master, 7)
        self.mail_b = master.randrange(10 ** 7)
        self.qq_a = coprime_multiplier(master, 9)
        self.qq_b = master.randrange(10 ** 9)
        self.phi_offset = master.random()
        self.choose = Choices(profile, settings)
        self.bands = Bands(profile, settings, self.calendar, today)
        self.products_person = Products(profile.consumer_products)
        self.products_org = Products(profile.business_products)
        self._staff(users)

    def _staff(self, users: dict[str, int]) -> None:
        """Who owns customers and who handles their records."""
        managers = [users[u] for u, _ in ACCOUNT_MANAGERS]
        self.owner_person = Weighted([(u, 14.0) for u in managers]
                                     + [(users["clerk"], 12.0), (users["manager"], 4.0)])
        self.owner_org = Weighted([(u, 13.0) for u in managers] + [(users["manager"], 22.0)])
        self.staff = managers + [users["clerk"], users["manager"]]
        self.clerk_id = users["clerk"]
        self.usernames = {uid: name for name, uid in users.items()}

    # -- formatting ----------------------------------------------------------------------------

    def ts(self, day_ord: int, local_seconds: int) -> str:
        """Timestamp text for a local day and second of day, stored as UTC."""
        return (self.days[day_ord - self.base_ord - (local_seconds < UTC_OFFSET)]
                + self.utc_tail[local_seconds])

    def day(self, day_ord: int) -> str:
        return self.days[day_ord - self.base_ord]

    def when(self, rnd: Rnd, day_ord: int) -> str:
        """A business-hours timestamp on ``day_ord``, never before the current customer's
        creation on that same day."""
        sec = BUSINESS_START + int(rnd() * BUSINESS_SPAN)
        if day_ord == self.c_ord and sec <= self.c_sec:
            sec = min(self.c_sec + 60 + int(rnd() * 3600), 86399)
        return self.ts(day_ord, sec)

    def abs_ts(self, utc_seconds: int) -> str:
        """Timestamp text of a UTC second counted from the calendar's first day."""
        day, sec = divmod(utc_seconds, 86400)
        return f"{self.days[day]} {self.hms[sec]}{self.ts_suffix}"

    def next_id(self, table: str) -> int:
        return self.ids[table]()
