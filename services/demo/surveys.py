"""满意度调查: a survey a few days after some orders, and after some resolved complaints."""

from __future__ import annotations

from services.demo.context import Context, Rnd, Rows
from services.demo.orders import year_share


def surveys(ctx: Context, rnd: Rnd, out: Rows, cid: int, order_days: list[int],
            end: int) -> None:
    """About one customer in two with orders answers a survey one to ten days after one of
    them; a survey that would fall after ``end`` has not been answered yet (not moved onto the
    last day)."""
    if rnd() >= ctx.profile.survey_share * year_share(order_days[0], end):
        return
    od = order_days[int(rnd() * len(order_days))]
    s_ord = od + 1 + int(rnd() * 10)
    if s_ord > end or s_ord >= ctx.today_ord:
        return
    survey_row(ctx, rnd, out, cid, s_ord, ctx.choose.scores.pick(rnd()), None)


def survey_row(ctx: Context, rnd: Rnd, out: Rows, cid: int, s_ord: int, score: int,
               complaint_id: int | None) -> None:
    """One answered survey; low scores always carry a comment."""
    comments = ctx.profile.survey_comments[score]
    comment = comments[int(rnd() * len(comments))] if rnd() < 0.35 or score <= 2 else None
    out["surveys"].append((
        ctx.next_id("surveys"), cid, ctx.day(s_ord), score,
        ctx.choose.survey_channels.pick(rnd()), comment, complaint_id, ctx.when(rnd, s_ord)))
