"""续约目标 of the demo: a target for every month, quarter and year of the demo's two years (and
the rest of this one), sized on the contracts ending in each period."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select

from core import clock
from db.models import Contract, RenewalTarget
from services.records.renewal_targets import (
    PERIOD_KINDS,
    period_end,
    period_start,
    periods_between,
)


def demo_target_rows(conn: Connection, first: date, last: date, set_by_id: int | None,
                     seed: int) -> list[dict[str, Any]]:
    """Targets of every month, quarter and year from ``first`` to ``last``: a rate of 80-85 %
    and an amount of that share of the contracts ending in the period (rounded to 10,000
    yuan; none when nothing ends in it). One grouped query over contracts by end date;
    deterministic for a seed."""
    by_day = conn.execute(select(Contract.end_date, func.sum(Contract.amount))
                          .where(Contract.end_date >= period_start("year", first),
                                 Contract.end_date <= period_end("year", last))
                          .group_by(Contract.end_date)).all()
    rnd = random.Random(f"targets:{seed}")
    stamp = clock.now()
    rows: list[dict[str, Any]] = []
    for kind in PERIOD_KINDS:
        for start in periods_between(kind, first, last):
            end = period_end(kind, start)
            base = sum((Decimal(str(s)) for d, s in by_day
                        if start <= as_date(d) <= end), Decimal(0))
            rate = Decimal(80 + rnd.randint(0, 10) * Decimal("0.5")).quantize(Decimal("0.01"))
            amount = ((base * rate / 100 / 10000).quantize(Decimal(1)) * 10000
                      if base else None)  # nothing ends in the period: a rate target only
            rows.append({"period_kind": kind, "period_start": start, "target_rate": rate,
                         "target_amount": amount, "set_by_id": set_by_id, "set_at": stamp})
    return rows


def as_date(value: Any) -> date:
    """A date column's value as SQLite (text) or PostgreSQL (date) returns it."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def insert_demo_targets(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Insert the demo targets, skipping periods that already have one."""
    if not rows:
        return 0
    existing = set(conn.execute(select(RenewalTarget.period_kind,
                                       RenewalTarget.period_start)).all())
    fresh = [r for r in rows if (r["period_kind"], r["period_start"]) not in existing]
    if fresh:
        conn.execute(insert(RenewalTarget), fresh)
    return len(fresh)
