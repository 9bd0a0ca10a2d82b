"""回访 (follow-ups): done with a result, planned ahead, or overdue."""

from __future__ import annotations

from services.demo.context import Context, Rnd, Rows
from services.demo.orders import CHURNED


def follow_ups(ctx: Context, rnd: Rnd, out: Rows, cid: int, owner: int, kind: str, w0: int,
               end: int) -> tuple[list[int], bool]:
    """Up to two visits of a customer. Returns the days of those done, and whether any is
    overdue."""
    profile = ctx.profile
    r = rnd()
    n = 0 if r < 0.25 else 1 if r < 0.8 else 2
    rows = out["follow_ups"]
    today_ord = ctx.today_ord
    done_days: list[int] = []
    overdue = False
    for _ in range(n):
        k = rnd()
        purpose = profile.follow_purposes[int(rnd() * len(profile.follow_purposes))]
        method = ctx.choose.visit_methods.pick(rnd())
        done = content = feedback = result = next_date = None
        if k < 0.65 and end >= w0:
            planned = w0 + int(rnd() * (end - w0 + 1))
            done_ord = min(planned + int(rnd() * 3), end)
            done = ctx.day(done_ord)
            done_days.append(done_ord)
            content = profile.follow_content[int(rnd() * len(profile.follow_content))]
            feedback = profile.follow_feedback[int(rnd() * len(profile.follow_feedback))]
            result = profile.follow_results[int(rnd() * len(profile.follow_results))]
            if rnd() < 0.4:
                next_date = ctx.day(done_ord + 30 + int(rnd() * 60))
        elif k < 0.9 or kind == CHURNED:
            planned = today_ord + int(rnd() * 45)
            if kind == CHURNED:
                purpose = profile.winback_purpose
        else:
            planned = max(w0, today_ord - 1 - int(rnd() * 30))
            overdue = True
        made = max(min(planned - 1 - int(rnd() * 7), today_ord - 1), w0)
        rows.append((ctx.next_id("follow_ups"), cid, ctx.day(planned), done, method, purpose,
                     content, feedback, result, next_date, owner, ctx.when(rnd, made)))
    return done_days, overdue
