#!/usr/bin/env python3
"""Benchmark rows of the dashboard chart pages (满意度, 续约, 投诉, 客户构成, 客户经理).

Each ``dashboard: chart …`` row computes what one chart page reads for the current month,
cold (the aggregate cache cleared first, so every query runs); ``dashboard: chart pages
cached`` reads all five again from the cache. Registered in ``bench.cases`` for
``bench/run.py``; standalone, against an existing database (e.g. the shared 1M ones)::

    .venv/bin/python bench/chart_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 3]
        [--period month|quarter|year]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.cases import BenchContext, case  # noqa: E402
from services.dashboard import (  # noqa: E402
    account_managers,
    complaint_charts,
    composition,
    renewal_charts,
    satisfaction,
)
from services.dashboard.filters import DashboardFilter, PeriodKind, clear_cache  # noqa: E402
from services.roles import Actor, cli_actor  # noqa: E402

PERIOD: list[PeriodKind] = ["month"]


def _page(engine: Engine, actor: Actor, name: str) -> object:
    flt = DashboardFilter.for_period(PERIOD[0])
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


def _cold(name: str) -> Callable[[BenchContext], object]:
    def run(ctx: BenchContext) -> object:
        clear_cache()
        return _page(ctx.engine, ctx.actor, name)
    return run


for _name in PAGES:
    case(f"dashboard: chart {_name} (month, cold)", 2000)(_cold(_name))


@case("dashboard: chart pages cached", 200)
def _cached(ctx: BenchContext) -> object:
    return [_page(ctx.engine, ctx.actor, name) for name in PAGES]


def main() -> int:
    from db.engine import make_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--period", choices=("month", "quarter", "year"), default="month")
    args = parser.parse_args()
    PERIOD[0] = args.period
    engine = make_engine(args.url)
    actor = cli_actor(demo_mode=True)
    for name in PAGES:
        times = []
        for _ in range(args.runs):
            clear_cache()
            started = time.perf_counter()
            _page(engine, actor, name)
            times.append((time.perf_counter() - started) * 1000)
        print(f"dashboard: chart {name} ({args.period}, cold)  median "
              f"{statistics.median(times):8.0f} ms  min {min(times):8.0f} ms  "
              f"max {max(times):8.0f} ms", flush=True)
    for name in PAGES:
        _page(engine, actor, name)  # fill the cache
    started = time.perf_counter()
    for name in PAGES:
        _page(engine, actor, name)
    print(f"dashboard: chart pages cached  {(time.perf_counter() - started) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
