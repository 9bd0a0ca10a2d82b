"""合同 and 续约: a chain of yearly (sometimes two-year) contracts with a renewal record at each
end that has come, and one being followed up for a contract ending soon."""

from __future__ import annotations

from services.demo.context import Context, Rnd, Rows
from services.demo.orders import CHURNED


def contracts(ctx: Context, rnd: Rnd, out: Rows, cid: int, person: bool, kind: str,
              w0: int) -> bool:
    """The contracts of one customer, starting in its first four months. Returns "renewed"."""
    profile = ctx.profile
    today_ord = ctx.today_ord
    start = w0 + int(rnd() * 120)
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
        if stop >= today_ord:
            pending_renewal(ctx, out, cid, con_id, stop)
            return renewed
        renewed_to = renewal(ctx, rnd, out, cid, con_id, stop, amount, kind)
        if renewed_to is None:
            return renewed
        renewed = True
        prev, start = con_id, stop + 1
        amount, con_id = renewed_to


def pending_renewal(ctx: Context, out: Rows, cid: int, con_id: int, stop: int) -> None:
    """A contract still running: its renewal is being followed up in its last 90 days."""
    today_ord = ctx.today_ord
    if stop - today_ord <= 90:
        out["renewals"].append((
            ctx.next_id("renewals"), con_id, cid, ctx.day(stop), None, "跟进中", None,
            "已联系客户，等待答复", None, ctx.ts(min(stop - 60, today_ord - 1), 10 * 3600)))


def renewal(ctx: Context, rnd: Rnd, out: Rows, cid: int, con_id: int, stop: int, amount: int,
            kind: str) -> tuple[int, int] | None:
    """The decision on a contract that has ended: the next contract's amount (cents) and id,
    or None when it was not renewed."""
    profile = ctx.profile
    decided = min(stop - int(rnd() * 40), ctx.today_ord - 1)
    decided_ts = ctx.when(rnd, decided)
    noted = ctx.ts(min(stop - 60, decided), 10 * 3600)
    if kind == CHURNED or rnd() < profile.non_renewal_share:
        reasons = profile.non_renewal_reasons
        out["renewals"].append((ctx.next_id("renewals"), con_id, cid, ctx.day(stop), decided_ts,
                                "未续约", None, reasons[int(rnd() * len(reasons))], None, noted))
        return None
    new_amount = int(amount * (0.9 + rnd() * 0.4))
    new_id = ctx.next_id("contracts")  # the next contract, written just after
    out["renewals"].append((ctx.next_id("renewals"), con_id, cid, ctx.day(stop), decided_ts,
                            "已续约", ctx.money(new_amount), None, new_id, noted))
    return new_amount, new_id
