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
    """Targets of every month, quarter and year of the years from ``first`` to ``last``.

    Why they add up: a manager plans the year (a renewal rate of 80-85 % of the contracts
    ending in it) and splits it down, so each month's amount is set first (rounded to 10,000
    yuan), each quarter's is the sum of its months and the year's the sum of its quarters. A
    month gets 85 % of an even share and 15 % of its share of the expiring amount, so months
    differ as expiries do without jumping from ¥20万 to ¥800万: at most about three times the
    smallest even when one month holds a year's expiries and after rounding (with 80/20 that
    bound was four, the rule's own limit, and rounding crossed it). A year in
    which nothing ends has rate targets only. One grouped query over contracts by end date;
    deterministic for a seed."""
    by_day = conn.execute(select(Contract.end_date, func.sum(Contract.amount))
                          .where(Contract.end_date >= period_start("year", first),
                                 Contract.end_date <= period_end("year", last))
                          .group_by(Contract.end_date)).all()
    by_month: dict[date, Decimal] = {}
    for day, total in by_day:
        month = period_start("month", as_date(day))
        by_month[month] = by_month.get(month, Decimal(0)) + Decimal(str(total))
    rnd = random.Random(f"targets:{seed}")
    stamp = clock.now()
    rows: list[dict[str, Any]] = []
    for year in periods_between("year", first, last):
        rate = Decimal(80 + rnd.randint(0, 10) * Decimal("0.5")).quantize(Decimal("0.01"))
        months = periods_between("month", year, period_end("year", year))
        months_amount = month_amounts([by_month.get(m, Decimal(0)) for m in months], rate)
        amounts = dict(zip(months, months_amount, strict=True))
        for kind in PERIOD_KINDS:
            for start in periods_between(kind, year, period_end("year", year)):
                inside = [a for m, a in amounts.items() if start <= m <= period_end(kind, start)]
                amount = None if any(a is None for a in inside) else sum(inside, Decimal(0))
                rows.append({"period_kind": kind, "period_start": start, "target_rate": rate,
                             "target_amount": amount, "set_by_id": set_by_id,
                             "set_at": stamp})
    return rows


def month_amounts(expiring: list[Decimal], rate: Decimal) -> list[Decimal | None]:
    """Each month's target amount from the amounts expiring in the months of a year."""
    total = sum(expiring, Decimal(0))
    if not total:
        return [None] * len(expiring)
    aimed = total * rate / 100
    even = Decimal("0.85") / len(expiring)
    return [((aimed * (even + Decimal("0.15") * e / total)) / 10000).quantize(Decimal(1)) * 10000
            for e in expiring]


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
