#!/usr/bin/env python3
"""Benchmark rows of the 经营总览 and 流失预警 pages.

- ``dashboard: overview cold`` — everything the overview shows
  (``services.analysis.overview.compute_overview``: the KPI cards of this month and of the
  previous period, and the chart datasets the overview draws) with the aggregate cache
  cleared first. The churn snapshot is fresh (the runner's warm-up run builds it, as the nightly
  ``manage.py refresh-churn`` would); only the "anything changed?" check runs.
- ``dashboard: overview cached`` — the same, every value from the cache.
- ``dashboard: overview 广东 cold`` — with the most common province as a filter.
- ``dashboard: churn list`` — the first page of the at-risk list with the cache cleared
  (its counts by rule, then 50 rows named); ``… next page`` with the counts cached.
- ``dashboard: churn snapshot rebuild`` — the whole at-risk set recomputed from every
  customer's last year of records: what the first view of a day pays when no nightly
  ``refresh-churn`` ran. Budget 30 s: it runs once a day (or after a seed or an import undo),
  in one transaction while readers keep the previous snapshot.

Listed in ``bench/run.py``; standalone, against an existing database (e.g. the shared 1M
ones; ``--skip rebuild`` leaves out the slow row)::

    .venv/bin/python bench/dashboard_cases.py --url sqlite:////work/bench1m/crm1m.db [--runs 5]
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.harness import BenchContext, Rows, standalone
from services.access.roles import Actor
from services.analysis import churn
from services.analysis.filters import DashboardFilter, clear_cache
from services.analysis.overview import compute_overview


def overview(engine: Engine, actor: Actor, **dims: object) -> object:
    with Session(engine) as session:
        result = compute_overview(session, actor, DashboardFilter.for_period("month", **dims))
        session.commit()
        return result


def churn_page(engine: Engine, actor: Actor, page: int = 1) -> int:
    with Session(engine) as session:
        result = churn.risk_page(session, actor, DashboardFilter.default(),
                                 offset=(page - 1) * 50, limit=50)
        return len(result.rows)


def rebuild(engine: Engine) -> str:
    with Session(engine) as session:
        return churn.ensure_fresh(session, force=True)


CASES = Rows()


@CASES.case("dashboard: overview cold", 2000)
def _overview_cold(ctx: BenchContext) -> object:
    clear_cache()
    return overview(ctx.engine, ctx.actor)


@CASES.case("dashboard: overview cached", 200)
def _overview_cached(ctx: BenchContext) -> object:
    return overview(ctx.engine, ctx.actor)


@CASES.case("dashboard: overview province cold", 2000)
def _overview_province(ctx: BenchContext) -> object:
    clear_cache()
    return overview(ctx.engine, ctx.actor, provinces=[ctx.sample["province"]])


@CASES.case("dashboard: churn list", 200)
def _churn_list(ctx: BenchContext) -> object:
    clear_cache()
    return churn_page(ctx.engine, ctx.actor)


@CASES.case("dashboard: churn list next page", 200)
def _churn_next(ctx: BenchContext) -> object:
    return churn_page(ctx.engine, ctx.actor, 3)


@CASES.case("dashboard: churn snapshot rebuild", 30_000)
def _churn_rebuild(ctx: BenchContext) -> object:
    return rebuild(ctx.engine)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, CASES))
