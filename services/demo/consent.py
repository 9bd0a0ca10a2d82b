"""The consent ledger of a demo customer (``services.privacy.consent``)."""

from __future__ import annotations

from services.demo.calendar import BUSINESS_START
from services.demo.context import Context, Rnd, Rows


def consent_ledger(ctx: Context, rnd: Rnd, out: Rows, cid: int, owner: int, asked: bool,
                   source: str | None, c_ord: int, c_sec: int
                   ) -> tuple[bool | None, bool | None]:
    """The ledger rows and the current state per purpose (服务, 营销).

    Asked at creation through the customer's own channel (most agree to service, about three
    in five to marketing), a few declining marketing outright; about one marketing grant in
    eight withdrawn later, by phone. Older records were never asked: nothing recorded.
    """
    if not asked:
        return None, None
    yest = ctx.today_ord - 1
    at = ctx.ts(c_ord, min(c_sec + 60 + int(rnd() * 600), 86399))
    kind = int(rnd() * 5)  # what was asked for and answered
    late = rnd()
    channel = ctx.profile.consent_channel_by_source.get(source or "", "其他")
    note = ctx.profile.consent_notes[channel]
    name = ctx.usernames.get(owner, "admin")
    rows = out["consent_ledger"]
    rows.append((ctx.next_id("consent_ledger"), cid, "服务", True, at, channel, owner, name,
                 note, None))
    marketing: bool | None = None
    if kind in (0, 3, 4):
        marketing = True
        rows.append((ctx.next_id("consent_ledger"), cid, "营销", True, at, channel, owner,
                     name, note, None))
        if late < 0.125 and c_ord < yest:
            day = c_ord + 1 + int(late * 8 * (yest - c_ord))
            rows.append((ctx.next_id("consent_ledger"), cid, "营销", False,
                         ctx.ts(min(day, yest), BUSINESS_START + int(late * 1e6) % 30000),
                         "电话", owner, name, "客户来电要求不再接收营销信息", None))
            marketing = False
    elif kind == 1:
        marketing = False
        rows.append((ctx.next_id("consent_ledger"), cid, "营销", False, at, channel, owner,
                     name, "客户不同意接收营销信息", None))
    return True, marketing
