"""订单: who buys when (the activity of a customer), how often and how much.

A customer in a buying band (``services.demo.bands``) orders its tier's minimum number of times
in the last twelve months, for at least its tier's minimum spend, and a few times in the year
before; the others are prospects, churned customers, late first buyers or occasional buyers.
The tier then follows from the orders by the app's own rules.

Why orders are spread as they are: every order day is drawn uniformly inside the span where
the customer buys, never clamped onto its edge, so no day of the range (the first, yesterday)
collects the draws that fell outside it.
"""

from __future__ import annotations

import math
import random

from services.demo.bands import Band
from services.demo.calendar import RECORD_DAYS
from services.demo.context import Context, Rnd, Rows

PROSPECT, CHURNED, LATE, ACTIVE = "prospect", "churned", "late", "active"

RISE = 2.0
"""Orders grow through a span: a band customer's last day buys this many times its first (a
growing business). Why: the band's twelve months hold most orders, so drawn evenly they would
make the order count jump at the start of the twelve months; rising through each year, the
orders of the year before meet them where it starts."""


def year_share(first: int, end: int) -> float:
    """How much of a year ``first``..``end`` spans (at most 1): what scales the records a
    customer makes at a yearly rate, so that young customers, all of whose records fall in the
    last weeks, do not heap them there."""
    return min(1.0, (end - first + 1) / 365)


def rising(u: float, lo: int, hi: int, ratio: float) -> int:
    """A day of ``[lo, hi]`` whose density rises linearly by ``ratio`` from ``lo`` to ``hi``
    (inverse of the distribution function; ``ratio`` 1 is uniform)."""
    span = hi - lo + 1
    if ratio == 1.0 or span <= 1:
        return lo + int(u * span)
    c = span / (ratio - 1.0)  # density proportional to c + x on [0, span]
    x = math.sqrt(c * c + u * ((span + c) ** 2 - c * c)) - c
    return min(lo + int(x), hi)


def activity(ctx: Context, rnd: Rnd, c_ord: int, tenure: float
             ) -> tuple[str, Band | None, int, int]:
    """The customer's activity kind, its buying band, the first day of its records and the
    last active day. A churned customer has been silent for a year or more; the others are
    active until yesterday."""
    profile = ctx.profile
    today_ord = ctx.today_ord
    w0 = max(c_ord, today_ord - RECORD_DAYS)
    age_days = today_ord - c_ord
    band = ctx.bands.band(rnd(), age_days, tenure)
    kind = ACTIVE
    if band is None:
        r = rnd()
        if r < profile.prospect_below:
            kind = PROSPECT
        elif r < profile.churned_below and age_days > 430:
            kind = CHURNED
        elif r < profile.late_below and age_days > 150:
            kind = LATE
    if kind == CHURNED:
        end = min(max(w0 + 20, today_ord - 366 - int(rnd() * 300)), today_ord - 366)
    else:
        end = today_ord - 1
    return kind, band, w0, end


def first_order_day(ctx: Context, rnd: Rnd, c_ord: int, w0: int, end: int) -> int:
    """A new customer buys soon after it is created (an exponential wait, cut at ``end`` by
    drawing inside the span rather than clamping); an older one some time in the window."""
    if c_ord >= w0:
        mean = ctx.profile.first_order_days
        cut = 1.0 - math.exp(-(end - c_ord + 1) / mean)
        return min(c_ord + int(-math.log(1.0 - rnd() * cut) * mean), end)
    return rising(rnd(), w0, w0 + int((end - w0 + 1) * 0.6), RISE)


def order_days(ctx: Context, rnd: Rnd, kind: str, band: Band | None, c_ord: int, w0: int,
               end: int) -> tuple[list[int], int]:
    """Order dates (ordinals, sorted) and how many fall in the band's twelve months."""
    if kind == PROSPECT or end < w0:
        return [], 0
    if kind == LATE:  # an old contact whose first purchase is recent
        lo = max(w0, ctx.today_ord - 85)
        return sorted(lo + int(rnd() * (end - lo + 1)) for _ in range(1 + int(rnd() * 2))), 0
    first = first_order_day(ctx, rnd, c_ord, w0, end)
    if band is None:  # churned or occasional
        least, most = ctx.profile.occasional_orders
        more = least - 1 + int(rnd() * (most - least + 1))
        share = year_share(first, end)  # a young customer has had less time to buy again
        days = [first] + [rising(rnd(), first, end, RISE) for _ in range(more) if rnd() < share]
        return sorted(days), 0
    t12 = ctx.t12_ord
    wanted = band.rule.min_orders + int(rnd() * (ctx.profile.band_extra_orders + 1))
    lo = max(first, t12)
    recent = [rising(rnd(), lo, end, RISE) for _ in range(wanted - (first >= t12))]
    old = []
    if first < t12:
        n_old = int(rnd() * ctx.profile.band_old_orders.get(band.tier.value, 1))
        old = [rising(rnd(), first, t12 - 1, 2 * RISE) for _ in range(n_old)]
    return sorted([first, *old, *recent]), wanted


def orders(ctx: Context, rng: random.Random, out: Rows, cid: int, person: bool,
           days: list[int], band: Band | None, wanted: int) -> tuple[int, int]:
    """One order row per day; returns the spend (cents) and orders of the last 12 months.

    A band customer's orders of the last twelve months are each worth at least the tier's
    minimum spend (times a margin) divided by their number, so the twelve months reach it."""
    rnd = rng.random
    profile = ctx.profile
    rows = out["orders"]
    spend_12m = orders_12m = 0
    scale = math.exp(rng.gauss(0.0, profile.quantity_sigma))
    products = ctx.products_person if person else ctx.products_org
    spread = profile.quantity_spread_person if person else profile.quantity_spread_org
    pay = ctx.choose.pay_person if person else ctx.choose.pay_org
    t12_ord = ctx.t12_ord
    per_order = 0.0
    if band is not None and wanted:
        low, span = profile.band_spend_margin
        per_order = float(band.rule.min_spend) * (low + span * rnd()) / wanted
    for k, od in enumerate(days):
        if per_order and od >= t12_ord:
            product, price = products.near(rnd(), per_order)
            qty = max(1, math.ceil(per_order / (price * 0.85)))
        else:
            product, price = products.any(rnd())
            qty = max(1, round((1 + int(rnd() ** 3 * spread)) * scale))
        cents = int(price * qty * (85 + int(rnd() * 16)))  # 85-100 % of list price
        oid = ctx.next_id("orders")
        when = ctx.when(rnd, od)
        day = ctx.day(od)
        # Unique without a global counter: the customer's id and its order's rank.
        rows.append((oid, cid, f"SO{day.replace('-', '')}{cid:07d}{k:02d}", day, product, qty,
                     ctx.money(cents), pay.pick(rnd()), when))
        if od >= t12_ord:
            spend_12m += cents
            orders_12m += 1
    return spend_12m, orders_12m
