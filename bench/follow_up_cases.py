#!/usr/bin/env python3
"""Benchmark rows of the 回访工作台: one page of 50 open visits with its total, as the page asks
for them. The overdue tab is measured: it is the largest (every open visit planned before
today), so the today and coming-up tabs are cheaper.

- ``list: follow-ups due (mine)``: the overdue visits of the busiest assignee (a clerk).
- ``list: follow-ups due (everyone)``: everyone's overdue visits (a manager).
- ``list: follow-ups due (everyone, by method)``: everyone's coming up, one method.

Listed in ``bench/run.py``; standalone, against an existing database
(e.g. the shared 1M ones; "today" is the real today, as when they were seeded)::

    .venv/bin/python bench/follow_up_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 5]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.harness import BenchContext, Case, Rows, standalone
from core.vocab import Role
from db.models import FollowUp
from services.access.roles import Actor
from services.records.visits import Due, WorklistFilter, worklist

LIST_MS = 200
_ASSIGNEES: dict[int, int | None] = {}


def busiest_assignee(engine: Engine) -> int | None:
    """The user with the most open visits (cached per engine)."""
    if id(engine) not in _ASSIGNEES:
        with Session(engine) as session:
            _ASSIGNEES[id(engine)] = session.scalar(
                select(FollowUp.assignee_id)
                .where(FollowUp.done_date.is_(None), FollowUp.assignee_id.is_not(None))
                .group_by(FollowUp.assignee_id).order_by(func.count().desc()).limit(1))
    return _ASSIGNEES[id(engine)]


def page(engine: Engine, today: date, flt: WorklistFilter, role: Role) -> int:
    actor = Actor(user_id=busiest_assignee(engine), username="bench", role=role)
    with Session(engine) as session:
        return worklist(session, actor, flt, limit=50, offset=0, today=today).total


ROWS: tuple[tuple[str, Callable[[Engine, date], int]], ...] = (
    ("list: follow-ups due (mine)",
     lambda e, d: page(e, d, WorklistFilter(due=Due.OVERDUE, mine=True), Role.CLERK)),
    ("list: follow-ups due (everyone)",
     lambda e, d: page(e, d, WorklistFilter(due=Due.OVERDUE, mine=False), Role.MANAGER)),
    ("list: follow-ups due (everyone, by method)",
     lambda e, d: page(e, d, WorklistFilter(due=Due.UPCOMING, mine=False, method="上门"),
                       Role.MANAGER)),
)


def _row(name: str, fn: Callable[[Engine, date], int]) -> Case:
    def run(ctx: BenchContext) -> object:
        return fn(ctx.engine, ctx.today)
    return Case(name, LIST_MS, run)


CASES = Rows(_row(name, fn) for name, fn in ROWS)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, CASES))
