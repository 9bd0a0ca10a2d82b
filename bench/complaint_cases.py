#!/usr/bin/env python3
"""Benchmark rows of the 投诉处理 queue: one page of 50 complaints with its total, as the page
asks for them (``services.records.complaints.queue``).

- ``list: complaints open``: the default queue, 待处理 and 处理中, oldest first.
- ``list: complaints overdue``: unresolved and older than ``complaints.overdue_hours``.
- ``list: complaints filtered``: every status, one channel and one type, newest first (the
  widest range the filters leave to count).
- ``list: complaints by customer``: every status of the customers a two-character name
  fragment finds.

Listed in ``bench/run.py``; standalone, against an existing database
(e.g. the shared 1M ones)::

    .venv/bin/python bench/complaint_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 5]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.harness import BenchContext, Case, Rows, standalone
from db.models import Complaint, Customer
from services.access.roles import cli_actor
from services.records.complaints import ComplaintQuery, queue

LIST_MS = 200
_FRAGMENTS: dict[int, str] = {}


def fragment(engine: Engine) -> str:
    """Two characters of the name of a customer with a complaint, mid-table (cached)."""
    if id(engine) not in _FRAGMENTS:
        with Session(engine) as session:
            middle = (session.scalar(select(func.max(Complaint.id))) or 0) // 2
            name = session.scalar(
                select(Customer.name).join(Complaint, Complaint.customer_id == Customer.id)
                .where(Complaint.id >= middle, Customer.customer_type == "个人")
                .order_by(Complaint.id).limit(1))
        _FRAGMENTS[id(engine)] = (name or "王芳")[-2:]
    return _FRAGMENTS[id(engine)]


def page(engine: Engine, query: ComplaintQuery) -> int:
    with Session(engine) as session:
        return queue(session, cli_actor(demo_mode=True), query, offset=0, limit=50).total


ROWS: tuple[tuple[str, Callable[[Engine], int]], ...] = (
    ("list: complaints open", lambda e: page(e, ComplaintQuery())),
    ("list: complaints overdue", lambda e: page(e, ComplaintQuery(overdue_only=True))),
    ("list: complaints filtered",
     lambda e: page(e, ComplaintQuery(statuses=(), channel="电话", complaint_type="物流配送",
                                      newest_first=True))),
    ("list: complaints by customer",
     lambda e: page(e, ComplaintQuery(statuses=(), text=fragment(e)))),
)


def _row(name: str, fn: Callable[[Engine], int]) -> Case:
    def run(ctx: BenchContext) -> object:
        return fn(ctx.engine)
    return Case(name, LIST_MS, run)


CASES = Rows(_row(name, fn) for name, fn in ROWS)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, CASES))
