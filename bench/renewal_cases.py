#!/usr/bin/env python3
"""Benchmark rows of 续约管理: the contracts coming up for renewal and the renewal records,
each one page of 50 with its total, as the page asks for them.

- ``list: renewals due 90 days``: the default list (contracts ending in the next 90 days or
  ended in the last 90, nothing decided), with tier, latest satisfaction and open complaints.
- ``list: renewals due, one manager``: the same for the customers of the busiest manager.
- ``list: renewal records``: every renewal record, latest due date first.
- ``list: renewal records, not renewed``: the 未续约 ones.

Listed in ``bench/run.py``; standalone, against an existing database
(e.g. the shared 1M ones; "today" is the real today, as when they were seeded)::

    .venv/bin/python bench/renewal_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 5]
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
from db.models import Customer
from services.access.roles import Actor
from services.records import renewals

LIST_MS = 200
_MANAGERS: dict[int, int | None] = {}


def busiest_manager(engine: Engine) -> int | None:
    """The account manager with the most customers (one grouped index scan, cached)."""
    if id(engine) not in _MANAGERS:
        with Session(engine) as session:
            _MANAGERS[id(engine)] = session.scalar(
                select(Customer.account_manager_id)
                .where(Customer.account_manager_id.is_not(None))
                .group_by(Customer.account_manager_id)
                .order_by(func.count().desc()).limit(1))
    return _MANAGERS[id(engine)]


def due_page(engine: Engine, actor: Actor, today: date, manager: int | None = None) -> int:
    with Session(engine) as session:
        page = renewals.due_renewals(session, actor,
                                     renewals.DueQuery(window_days=90,
                                                       account_manager_id=manager),
                                     offset=0, limit=50, today=today)
        return page.total


def records_page(engine: Engine, actor: Actor, outcome: str | None = None) -> int:
    with Session(engine) as session:
        return renewals.renewal_records(session, actor, renewals.RecordQuery(outcome=outcome),
                                        offset=0, limit=50).total


ROWS: tuple[tuple[str, Callable[[Engine, Actor, date], int]], ...] = (
    ("list: renewals due 90 days", lambda e, a, d: due_page(e, a, d)),
    ("list: renewals due, one manager", lambda e, a, d: due_page(e, a, d, busiest_manager(e))),
    ("list: renewal records", lambda e, a, d: records_page(e, a)),
    ("list: renewal records, not renewed", lambda e, a, d: records_page(e, a, "未续约")),
)


def _row(name: str, fn: Callable[[Engine, Actor, date], int]) -> Case:
    def run(ctx: BenchContext) -> object:
        return fn(ctx.engine, ctx.actor, ctx.today)
    return Case(name, LIST_MS, run)


CASES = Rows(_row(name, fn) for name, fn in ROWS)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, CASES))
