"""联系记录 (interactions): calls, mails, messages, visits and chats with a customer."""

from __future__ import annotations

from services.demo.context import Context, Rnd, Rows
from services.demo.orders import ACTIVE, CHURNED, LATE, PROSPECT


def interactions(ctx: Context, rnd: Rnd, out: Rows, cid: int, owner: int, person: bool,
                 kind: str, w0: int, end: int) -> list[int]:
    """One to three contacts (active customers mostly once in the last half year); returns
    their days."""
    if kind == CHURNED:
        n = 1 + int(rnd() * 2)
    elif kind == PROSPECT:
        n = int(rnd() * 3)
    else:
        n = 1 + int(rnd() * 3)
    methods = ctx.choose.methods_person if person else ctx.choose.methods_org
    texts_by_method = ctx.profile.interactions
    staff = ctx.staff
    rows = out["interactions"]
    days = []
    span = end - w0 + 1
    for k in range(n):
        if k == 0 and kind in (ACTIVE, LATE) and rnd() < 0.85:
            lo = max(w0, ctx.today_ord - 180)
            d = lo + int(rnd() * (end - lo + 1))
        else:
            d = w0 + int(rnd() * span)
        method = methods.pick(rnd())
        texts = texts_by_method[method]
        when = ctx.when(rnd, d)
        user = owner if rnd() < 0.85 else staff[int(rnd() * len(staff))]
        rows.append((ctx.next_id("interactions"), cid, when, method,
                     texts[int(rnd() * len(texts))], user, when))
        days.append(d)
    return days
