"""订单: who buys when (the activity of a customer), how often and how much.

How often and how much come from the profile (``DemoProfile.*_share``, quantities); the tiers
then follow from the orders by the app's own rules (``services.customers.tier_rules``).
"""

from __future__ import annotations

import math
import random

from services.demo.calendar import RECORD_DAYS
from services.demo.context import Context, Rnd, Rows

PROSPECT, CHURNED, LATE, ACTIVE = "prospect", "churned", "late", "active"


def activity(ctx: Context, rnd: Rnd, c_ord: int) -> tuple[str, int, int]:
    """The customer's activity kind, the first day of its records and the last active day.

    A churned customer has been silent for a year or more; the others are active until
    yesterday.
    """
    profile = ctx.profile
    today_ord = ctx.today_ord
    w0 = max(c_ord, today_ord - RECORD_DAYS)
    age_days = today_ord - c_ord
    r = rnd()
    if r < profile.prospect_below:
        kind = PROSPECT
    elif r < profile.churned_below and age_days > 430:
        kind = CHURNED
    elif r < profile.late_below and age_days > 150:
        kind = LATE
    else:
        kind = ACTIVE
    if kind == CHURNED:
        end = min(max(w0 + 20, today_ord - 366 - int(rnd() * 300)), today_ord - 366)
    else:
        end = today_ord - 1
    return kind, w0, end


def order_days(ctx: Context, rnd: Rnd, kind: str, c_ord: int, w0: int, end: int,
               tenure: float) -> list[int]:
    """Order dates (ordinals, sorted) by activity kind.

    A customer created inside the two-year window buys soon after it is created (so
    新客户 are the recently created ones); heavy buyers place most orders in the last year.
    """
    if kind == PROSPECT or end < w0:
        return []
    today_ord = ctx.today_ord
    if kind == LATE:  # an old contact whose first purchase is recent
        lo = max(w0, today_ord - 85)
        return sorted(lo + int(rnd() * (end - lo + 1)) for _ in range(1 + int(rnd() * 3)))
    if c_ord >= w0:
        first = min(c_ord + int(-math.log(1.0 - rnd()) * ctx.profile.first_order_days), end)
    else:
        first = w0 + int(rnd() * (end - w0 + 1) * 0.6)
    if kind == CHURNED:
        n_recent, n_old = 0, int(rnd() * 4)
    else:
        n_recent, n_old = order_counts(ctx, rnd, tenure)
    days = [first]
    recent_lo = max(first, ctx.t12_ord)
    days += [recent_lo + int(rnd() * (end - recent_lo + 1)) for _ in range(n_recent)]
    span = end - first + 1
    days += [end - int(span * rnd() ** 1.3) for _ in range(n_old)]
    return sorted(days)


def order_counts(ctx: Context, rnd: Rnd, tenure: float) -> tuple[int, int]:
    """Orders of an active customer besides the first: (in the last year, over two years)."""
    profile = ctx.profile
    r = rnd()
    whale_p = profile.whale_share_loyal if tenure >= 2 else profile.whale_share
    if r < whale_p:
        return 12 + int(rnd() * 9), int(rnd() * 6)
    if r < whale_p + profile.frequent_share:
        return 5 + int(rnd() * 5), int(rnd() * 4)
    if r < whale_p + profile.regular_share:
        return 0, 2 + int(rnd() * 4)
    return 0, int(rnd() < profile.single_share)


def orders(ctx: Context, rng: random.Random, out: Rows, cid: int, person: bool,
           days: list[int]) -> tuple[int, int]:
    """One order row per day; returns the spend (cents) and orders of the last 12 months."""
    rnd = rng.random
    profile = ctx.profile
    rows = out["orders"]
    spend_12m = orders_12m = 0
    whale = len(days) >= 12
    scale = ((profile.whale_quantity_factor if whale else 1.0)
             * math.exp(rng.gauss(0.0, profile.quantity_sigma)))
    products = profile.consumer_products if person else profile.business_products
    spread = profile.quantity_spread_person if person else profile.quantity_spread_org
    pay = ctx.choose.pay_person if person else ctx.choose.pay_org
    t12_ord = ctx.t12_ord
    for k, od in enumerate(days):
        product, price = products[int(rnd() * len(products))]
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
