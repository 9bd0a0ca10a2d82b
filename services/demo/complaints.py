"""投诉 after a purchase: resolution takes hours to days; the open ones are recent.

Why the durations look as they do: a complaint is received within two weeks of one of the
customer's orders (never moved onto the last day when that falls later), a resolved one took
its handling time (median about 20 hours, at most about six days) and went through the first
handling steps before its solution, a closed one also through the follow-up call; only
complaints of the last four weeks are still open, 待处理 without a step or 处理中 with one or
two, so none is open for months with nothing done.
"""

from __future__ import annotations

import math
import random

from services.demo.calendar import BUSINESS_SPAN, BUSINESS_START, UTC_OFFSET
from services.demo.context import Context, Rows
from services.demo.orders import year_share
from services.demo.surveys import survey_row

BACKLOG_DAYS = 28
"""Complaints received this recently may still be open (three in five of them are)."""


def complaints(ctx: Context, rng: random.Random, out: Rows, cid: int, order_days: list[int],
               end: int) -> int:
    """Zero, one or two complaints after the customer's orders; returns how many."""
    rnd = rng.random
    profile = ctx.profile
    r = rnd() / year_share(order_days[0], end)  # complaints come at a yearly rate
    n = 1 if r < profile.complaint_one_below else 2 if r < profile.complaint_two_below else 0
    made = 0
    for _ in range(n):
        d = order_days[int(rnd() * len(order_days))] + int(rnd() * 14)
        sec = BUSINESS_START + int(rnd() * BUSINESS_SPAN)
        if d > end:  # not received yet
            continue
        if d == ctx.c_ord and sec <= ctx.c_sec:
            sec = min(ctx.c_sec + 3600, 86399)
        received_abs = (d - ctx.base_ord) * 86400 + sec - UTC_OFFSET
        complaint(ctx, rng, out, cid, received_abs, backlog=d >= ctx.today_ord - BACKLOG_DAYS)
        made += 1
    return made


def complaint(ctx: Context, rng: random.Random, out: Rows, cid: int, received_abs: int,
              *, backlog: bool) -> None:
    """One complaint received at ``received_abs`` (UTC seconds from the calendar's start), its
    handling, and sometimes the survey that followed its resolution."""
    rnd = rng.random
    profile = ctx.profile
    steps_all = profile.handling_steps
    now_limit = (ctx.today_ord - ctx.base_ord) * 86400 - UTC_OFFSET  # today 00:00 local
    ctype = ctx.choose.complaint_types.pick(rnd())
    texts = profile.complaint_text.get(ctype) or profile.complaint_text["其他"]
    handler = ctx.staff[int(rnd() * len(ctx.staff))]
    # Lognormal handling time: median about 20 hours, rarely beyond five days.
    hours = min(max(math.exp(rng.gauss(math.log(20), 0.9)), 0.5), 150.0)
    resolved_abs = received_abs + int(hours * 3600)
    closed_abs = resolved_abs + int((2 + rnd() * 70) * 3600)
    waiting = backlog and rnd() < 0.6  # still in the queue
    resolved = closed = solution = minutes = None
    if waiting or resolved_abs >= now_limit:
        status = "待处理" if rnd() < 0.5 else "处理中"
        steps_n = 0 if status == "待处理" else min(1 + int(rnd() * 2), len(steps_all) - 2)
    else:
        resolved = ctx.abs_ts(resolved_abs)
        minutes = round((resolved_abs - received_abs) / 60)
        solutions = profile.complaint_solutions.get(ctype) or profile.complaint_solutions["其他"]
        solution = solutions[int(rnd() * len(solutions))]
        steps_n = len(steps_all) - 1  # up to the solution agreed with the customer
        if closed_abs < now_limit and rnd() < 0.75:
            status, closed = "已关闭", ctx.abs_ts(closed_abs)
            steps_n = len(steps_all)  # and the follow-up call
        else:
            status = "已解决"
    cmp_id = ctx.next_id("complaints")
    received = ctx.abs_ts(received_abs)
    steps = "；".join(steps_all[:steps_n]) or None
    out["complaints"].append((
        cmp_id, cid, ctx.choose.complaint_channels.pick(rnd()), ctype,
        texts[int(rnd() * len(texts))], received, handler, status, steps, solution, resolved,
        minutes, closed, received, 1))
    if resolved is not None and rnd() < profile.survey_after_complaint_share:
        s_ord = ctx.base_ord + (resolved_abs + UTC_OFFSET) // 86400 + 1 + int(rnd() * 3)
        if s_ord < ctx.today_ord:
            score = ctx.choose.scores_complaint.pick(rnd())
            survey_row(ctx, rnd, out, cid, s_ord, score, cmp_id)
