"""The rows of a range of customers: each customer's identity, then its records, then the
fields that follow from them (tier, lifecycle, value segment) by the app's own rules.

Tiers and lifecycle stages are not drawn at random: they are computed by
``services.customers.tier_rules`` from the orders and contacts generated for each customer, so a
钻石 customer really has the orders to show for it.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from core.settings import Settings
from core.vocab import Lifecycle, Tier, ValueSegment
from services.customers import tier_rules as tiering
from services.demo import complaints, contacts, contracts, customers, orders, surveys, visits
from services.demo.consent import consent_ledger
from services.demo.context import Context, Rows, ordinal_date
from services.demo.customers import Identity
from services.demo.pools import build_pools
from services.demo.profiles import DemoProfile
from services.demo.tables import LOCAL_ID_TABLES, SEEDED_TABLES
from services.demo.tags import TagFacts, customer_tags

CHUNK_CUSTOMERS = 10_000
"""Customers generated and written per step: bounds memory to a few hundred MB at any N."""


class Activity(NamedTuple):
    """What a customer's records add up to, for its row and its tags."""

    first_order: int | None
    last_order: int | None
    last_contact: int | None
    spend_12m: int
    """Cents."""
    orders_12m: int
    complaints: int
    overdue: bool
    renewed: bool


class Standing(NamedTuple):
    tier: Tier
    lifecycle: Lifecycle
    segment: ValueSegment


class Generator:
    """Makes the rows of a range of customers, with ids local to the chunk (see
    ``services.demo.writers.relabel``)."""

    def __init__(self, ctx: Context, first_customer_id: int) -> None:
        self.ctx = ctx
        self.first_customer_id = first_customer_id

    def chunk(self, start: int, stop: int) -> Rows:
        """Rows of customers ``start``..``stop-1`` (0-based), for every seeded table.

        Customer ids are final; the other tables' ids count from 0 in each chunk, so chunks can
        be made in any order or process; ``relabel`` shifts them in the writing process.
        """
        rng = random.Random(f"demo:{self.ctx.seed}:{start}")
        self.ctx.ids = {t: itertools.count(0).__next__ for t in LOCAL_ID_TABLES}
        out: Rows = {t: [] for t in SEEDED_TABLES}
        for i in range(start, stop):
            self.customer(rng, i, out)
        return out

    def customer(self, rng: random.Random, i: int, out: Rows) -> None:
        """Customer ``i``: its records first, then its row."""
        ctx = self.ctx
        cid = self.first_customer_id + i
        c_ord, c_sec = ctx.calendar.created(i)
        ctx.c_ord, ctx.c_sec = c_ord, c_sec
        who = customers.identity(ctx, rng, i)
        tenure = tiering.tenure_years(date.fromordinal(c_ord), ctx.today)
        act = self.activity(rng, out, cid, who, c_ord, tenure)
        standing = self.standing(rng, out, cid, who, act, c_ord, tenure)
        out["customers"].append(self.row(rng, out, i, cid, who, act, standing))

    def activity(self, rng: random.Random, out: Rows, cid: int, who: Identity, c_ord: int,
                 tenure: float) -> Activity:
        """Orders, contacts, visits, complaints, surveys and contracts of one customer."""
        ctx, rnd = self.ctx, rng.random
        kind, band, w0, end = orders.activity(ctx, rnd, c_ord, tenure)
        days, wanted = orders.order_days(ctx, rnd, kind, band, c_ord, w0, end)
        spend_12m, orders_12m = orders.orders(ctx, rng, out, cid, who.person, days, band, wanted)
        first_order = days[0] if days else None
        contact_days = contacts.interactions(ctx, rnd, out, cid, who.owner, who.person, kind,
                                             w0, end)
        done_days, overdue = visits.follow_ups(ctx, rnd, out, cid, who.owner, kind, w0, end)
        n_complaints, renewed = 0, False
        if days:
            n_complaints = complaints.complaints(ctx, rng, out, cid, days, end)
            surveys.surveys(ctx, rnd, out, cid, days, end)
        profile = ctx.profile
        if rnd() < (profile.contract_share_person if who.person else profile.contract_share_org):
            renewed = contracts.contracts(ctx, rnd, out, cid, who.person, kind, w0, c_ord)
        return Activity(first_order, days[-1] if days else None,
                        max(contact_days + done_days, default=None), spend_12m, orders_12m,
                        n_complaints, overdue, renewed)

    def standing(self, rng: random.Random, out: Rows, cid: int, who: Identity, act: Activity,
                 c_ord: int, tenure: float) -> Standing:
        """Tier, lifecycle and value segment by the rules the app applies; the tier change
        and the tags that follow from them."""
        ctx = self.ctx
        spend = Decimal(act.spend_12m).scaleb(-2)
        tier = tiering.compute_tier(spend, act.orders_12m, tenure, ctx.rules)
        lifecycle = tiering.compute_lifecycle(
            date.fromordinal(c_ord), ordinal_date(act.first_order), ordinal_date(act.last_order),
            ordinal_date(act.last_contact), ctx.today, ctx.settings)
        segment = tiering.compute_value_segment(tier, lifecycle, spend, ctx.rules)
        if tier != Tier.SILVER:
            out["tier_changes"].append((
                ctx.next_id("tier_changes"), cid, Tier.SILVER.value, tier.value, "rule", None,
                ctx.profile.tier_reason,
                ctx.ts(act.last_order or ctx.today_ord - 1, 23 * 3600)))
        customer_tags(ctx, rng.random, out, cid, TagFacts(
            person=who.person, tier=tier, segment=segment.value, lifecycle=lifecycle,
            source=who.source, complaints=act.complaints, overdue=act.overdue,
            renewed=act.renewed))
        return Standing(tier, lifecycle, segment)

    def row(self, rng: random.Random, out: Rows, i: int, cid: int, who: Identity,
            act: Activity, standing: Standing) -> tuple:
        """The customer row (``tables.CUSTOMER_COLUMNS``), with its consent ledger."""
        ctx, rnd = self.ctx, rng.random
        c_ord, c_sec = ctx.c_ord, ctx.c_sec
        yest = ctx.today_ord - 1
        last_act = max(c_ord, act.last_order or c_ord, act.last_contact or c_ord)
        # Records can arrive until 21:30; the nightly recalculation touches the row after them.
        updated = ctx.ts(last_act, 23 * 3600 + int(rnd() * 1800))
        reviewed = (ctx.ts(c_ord + 1 + int(rnd() * (yest - c_ord)), 10 * 3600)
                    if c_ord < yest and rnd() < 0.5 else None)
        service, marketing = consent_ledger(ctx, rnd, out, cid, who.owner, who.consent,
                                            who.source, c_ord, c_sec)
        day = ctx.day
        return (
            cid, ctx.calendar.customer_no(i, ctx.years[c_ord - ctx.base_ord]), who.name,
            who.ctype, who.gender, who.mobile, who.phone, who.email,
            who.id_number, None, who.company, who.title, who.industry,  # encrypted on writing
            who.province, who.city, who.address, standing.tier.value, "rule", None, None,
            standing.lifecycle.value, standing.segment.value, who.owner, who.source, who.notes,
            service, marketing,
            day(act.first_order) if act.first_order else None,
            day(act.last_order) if act.last_order else None,
            day(act.last_contact) if act.last_contact else None,
            ctx.ts(c_ord, c_sec), who.owner if rnd() < 0.7 else ctx.clerk_id, updated, who.owner,
            reviewed, None, None, 1,
        )


@dataclass(frozen=True)
class GenParams:
    """Everything a generator needs, picklable so that a child process can rebuild it."""

    seed: int
    today: date
    total: int
    settings: Settings
    users: dict[str, int]
    tag_ids: dict[str, int]
    first_customer_id: int
    postgres: bool
    profile: DemoProfile
    chunk: int = CHUNK_CUSTOMERS  # part of the data: each chunk seeds its own RNG

    def generator(self) -> Generator:
        ctx = Context(seed=self.seed, today=self.today, total=self.total,
                      settings=self.settings, profile=self.profile,
                      pools=build_pools(self.seed), users=self.users, tag_ids=self.tag_ids,
                      postgres=self.postgres)
        return Generator(ctx, self.first_customer_id)

    def ranges(self, customers: int) -> list[tuple[int, int]]:
        return [(start, min(start + self.chunk, customers))
                for start in range(0, customers, self.chunk)]
