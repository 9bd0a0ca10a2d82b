#!/usr/bin/env python3
"""Benchmark rows of the dashboard chart pages (满意度, 续约, 投诉, 客户构成, 客户经理).

Each ``dashboard: chart …`` row computes what one chart page reads for the current month,
cold (the aggregate cache cleared first, so every query runs); ``dashboard: chart pages
cached`` reads all five again from the cache. Listed in ``bench/run.py``; standalone,
against an existing database (e.g. the shared 1M ones; ``--period`` changes the rows' period
and names)::

    .venv/bin/python bench/chart_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 3]
        [--period month|quarter|year]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.harness import BenchContext, Case, Rows, standalone
from services.access.roles import Actor
from services.analysis import (
    account_managers,
    complaint_charts,
    composition,
    renewal_charts,
    satisfaction,
)
from services.analysis.filters import DashboardFilter, PeriodKind, clear_cache


def _page(engine: Engine, actor: Actor, name: str, period: PeriodKind) -> object:
    flt = DashboardFilter.for_period(period)
    with Session(engine) as session:
        if name == "satisfaction":
            return satisfaction.satisfaction(session, actor, flt)
        if name == "renewals":
            return renewal_charts.renewal_charts(session, actor, flt)
        if name == "complaints":
            return (complaint_charts.complaint_charts(session, actor, flt),
                    complaint_charts.overdue(session, actor, flt))
        if name == "composition":
            return composition.composition(session, actor, flt)
        return account_managers.manager_table(session, actor, flt)


PAGES = ("satisfaction", "renewals", "complaints", "composition", "account managers")


def _cold(name: str, period: PeriodKind) -> Callable[[BenchContext], object]:
    def run(ctx: BenchContext) -> object:
        clear_cache()
        return _page(ctx.engine, ctx.actor, name, period)
    return run


def chart_rows(period: PeriodKind) -> Rows:
    """Each page cold for ``period``, then all five from the cache."""
    rows = Rows(Case(f"dashboard: chart {name} ({period}, cold)", 2000, _cold(name, period))
                for name in PAGES)

    @rows.case("dashboard: chart pages cached", 200)
    def cached(ctx: BenchContext) -> object:
        return [_page(ctx.engine, ctx.actor, name, period) for name in PAGES]

    return rows


CASES = chart_rows("month")


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", choices=("month", "quarter", "year"), default="month")


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, lambda args: chart_rows(args.period),
                                options=_options))
