"""合同 and 续约: a chain of yearly (sometimes two-year) contracts with a renewal record at each
end that has come.

Why starts are spread over a year: an older customer's chain starts any day of the window's
first year (a new customer's within two months of its creation), so contracts end evenly
through the year and no month carries every expiry (the renewal charts and targets follow
them). A contract ending within ``DUE_SOON_DAYS`` has a mix of states, as in real follow-up
work: no record yet, 跟进中, already 已续约 (the next contract signed) or already 未续约; the
undecided ones are what the churn rule "合同将到期未续约" looks for.
"""

from __future__ import annotations

from services.demo.context import Context, Rnd, Rows
from services.demo.orders import CHURNED

DUE_SOON_DAYS = 90


def contracts(ctx: Context, rnd: Rnd, out: Rows, cid: int, person: bool, kind: str,
              w0: int, c_ord: int) -> bool:
    """The contracts of one customer. Returns "renewed"."""
    profile = ctx.profile
    today_ord = ctx.today_ord
    start = (c_ord + int(rnd() * 60)) if c_ord >= w0 else w0 + int(rnd() * 365)
    if start >= today_ord:
        return False
    if person:
        low, span = profile.contract_amount_person
        amount = int((low + rnd() * span) * 100)
    else:
        low, span = profile.contract_amount_org
        amount = int((low + span * rnd() ** 3) * 100)
    prev: int | None = None
    renewed = False
    con_id = ctx.next_id("contracts")
    k = 0
    while True:
        term = 730 if not person and rnd() < profile.long_term_share_org else 365
        stop = start + term - 1
        made = min(max(start - 1 - int(rnd() * 10), w0), today_ord - 1)
        k += 1
        out["contracts"].append((
            con_id, cid, f"HT{ctx.years[start - ctx.base_ord]}{cid:07d}{k:02d}", ctx.day(start),
            ctx.day(stop), ctx.money(amount), prev, ctx.when(rnd, made)))
        if stop >= today_ord + DUE_SOON_DAYS:
            return renewed
        if stop >= today_ord:
            renewed_to = due_soon(ctx, rnd, out, cid, con_id, stop, amount, kind)
        else:
            renewed_to = renewal(ctx, rnd, out, cid, con_id, stop, amount, kind)
        if renewed_to is None:
            return renewed
        renewed = True
        prev, start = con_id, stop + 1
        amount, con_id = renewed_to


def due_soon(ctx: Context, rnd: Rnd, out: Rows, cid: int, con_id: int, stop: int, amount: int,
             kind: str) -> tuple[int, int] | None:
    """A contract ending within ``DUE_SOON_DAYS``: no record yet (a quarter), 跟进中 (three in
    ten), already renewed (a quarter) or already declined. Returns the next contract when
    renewed."""
    today_ord = ctx.today_ord
    r = rnd()
    if kind != CHURNED and r < 0.25:
        return None
    if kind != CHURNED and r < 0.55:
        out["renewals"].append((
            ctx.next_id("renewals"), con_id, cid, ctx.day(stop), None, "跟进中", None,
            "已联系客户，等待答复", None, ctx.ts(max(min(stop - 60, today_ord - 1),
                                                  today_ord - 30), 10 * 3600)))
        return None
    decided = today_ord - 1 - int(rnd() * 20)
    return decide(ctx, rnd, out, cid, con_id, stop, amount, decided,
                  renew=kind != CHURNED and r < 0.8)


def renewal(ctx: Context, rnd: Rnd, out: Rows, cid: int, con_id: int, stop: int, amount: int,
            kind: str) -> tuple[int, int] | None:
    """The decision on a contract that has ended. Returns the next contract when renewed."""
    decided = min(stop - int(rnd() * 40), ctx.today_ord - 1)
    renew = kind != CHURNED and rnd() >= ctx.profile.non_renewal_share
    return decide(ctx, rnd, out, cid, con_id, stop, amount, decided, renew=renew)


def decide(ctx: Context, rnd: Rnd, out: Rows, cid: int, con_id: int, stop: int, amount: int,
           decided: int, *, renew: bool) -> tuple[int, int] | None:
    """The renewal record of a decision taken on ``decided``: the next contract's amount
    (cents) and id when renewed, else None."""
    decided_ts = ctx.when(rnd, decided)
    noted = ctx.ts(min(stop - 60, decided), 10 * 3600)
    if not renew:
        reasons = ctx.profile.non_renewal_reasons
        out["renewals"].append((ctx.next_id("renewals"), con_id, cid, ctx.day(stop), decided_ts,
                                "未续约", None, reasons[int(rnd() * len(reasons))], None, noted))
        return None
    new_amount = int(amount * (0.9 + rnd() * 0.4))
    new_id = ctx.next_id("contracts")  # the next contract, written just after
    out["renewals"].append((ctx.next_id("renewals"), con_id, cid, ctx.day(stop), decided_ts,
                            "已续约", ctx.money(new_amount), None, new_id, noted))
    return new_amount, new_id
