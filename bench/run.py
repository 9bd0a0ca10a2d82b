#!/usr/bin/env python3
"""Time the work the pages do on a fresh database of N demo customers.

    python bench/run.py --customers 1000000 [--backend sqlite|postgresql] [--json] [--runs 7]

Each run creates its own database (SQLite: a temporary file; PostgreSQL: a new schema in the
database of ``--pg-url`` or ``CRM_TEST_POSTGRES_URL``, dropped afterwards), migrates it, runs the
setup rows (the demo seed) once, then every other row ``--runs`` times after one warm-up and
reports the median, min and max. The rows live in ``bench/cases.py``. Progress goes to stderr;
stdout carries the table, or with ``--json`` exactly one JSON list.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.standalone import throwaway_keys  # noqa: E402

throwaway_keys()

from sqlalchemy import text  # noqa: E402

import bench.chart_cases  # noqa: E402,F401 - registers the dashboard chart-page rows
import bench.complaint_cases  # noqa: E402,F401 - registers the 投诉处理 queue rows
import bench.dashboard_cases  # noqa: E402,F401 - registers the 经营总览/流失预警 rows
import bench.excel_cases  # noqa: E402,F401 - registers the Excel import/export rows
import bench.follow_up_cases  # noqa: E402,F401 - registers the 回访工作台 rows
import bench.renewal_cases  # noqa: E402,F401 - registers the 续约管理 list rows
from bench.cases import CASES, BenchContext, Case  # noqa: E402
from db.engine import get_engine, make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from services.settings import get_settings  # noqa: E402

FIELDS = ("name", "backend", "customers", "median_ms", "min_ms", "max_ms", "budget_ms",
          "peak_mb")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def fresh_database(backend: str, pg_url: str | None) -> Iterator[str]:
    """Yield the URL of a new, empty database; remove it afterwards."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="crm-bench-")
        try:
            yield f"sqlite:///{folder}/crm.db"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    if not pg_url:
        raise SystemExit("postgresql needs --pg-url or CRM_TEST_POSTGRES_URL")
    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        get_engine.cache_clear()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _rss_mb() -> float:
    """Peak resident memory of this process and of its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024


def measure(case: Case, ctx: BenchContext, runs: int) -> dict[str, object]:
    """Time ``case``: once for setup rows, else a warm-up then ``runs`` timed calls.

    peak_mb: for setup rows, the process's peak RSS plus its generator child's (what a load
    costs); for the others, the peak Python allocation of one extra traced call (tracemalloc
    slows code down, so it never runs during the timed calls).
    """
    fn: Callable[[BenchContext], object] = case.run
    times: list[float] = []
    if case.setup:
        before = os.times()
        started = time.perf_counter()
        fn(ctx)
        times.append((time.perf_counter() - started) * 1000)
        after = os.times()
        peak = _rss_mb()
        # CPU seconds say how much of the wall time was work, on a machine shared with others.
        log(f"{case.name}: cpu {after.user - before.user + after.system - before.system:.1f} s"
            f" here + {after.children_user - before.children_user:.1f} s in the generator,"
            f" wall {times[0] / 1000:.1f} s")
    else:
        fn(ctx)  # warm-up: caches, the first connection, the planner
        for _ in range(runs):
            started = time.perf_counter()
            fn(ctx)
            times.append((time.perf_counter() - started) * 1000)
        tracemalloc.start()
        fn(ctx)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"name": case.name, "backend": ctx.backend, "customers": ctx.customers,
            "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "max_ms": round(max(times), 2), "budget_ms": case.budget_ms,
            "peak_mb": round(peak, 1)}


def print_table(rows: list[dict[str, object]]) -> None:
    cells = [[str(r[f]) for f in FIELDS] for r in rows]
    widths = [max(len(f), *(len(c[i]) for c in cells)) for i, f in enumerate(FIELDS)]
    align = [str.ljust, str.ljust] + [str.rjust] * (len(FIELDS) - 2)
    print("  ".join(a(f, w) for a, f, w in zip(align, FIELDS, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(a(c, w) for a, c, w in zip(align, row, widths, strict=True)))
    over = [r["name"] for r in rows if float(r["median_ms"]) > float(r["budget_ms"])]  # type: ignore[arg-type]
    print(f"\nover budget: {', '.join(map(str, over))}" if over else "\nall rows within budget")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10_000, help="customers to seed")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("CRM_TEST_POSTGRES_URL"),
                        help="PostgreSQL server for --backend postgresql "
                             "(default: CRM_TEST_POSTGRES_URL)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per row (median)")
    parser.add_argument("--seed", type=int, default=42, help="demo data seed")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="calendar day of the demo data (default: today)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only rows whose name contains this (setup rows always run)")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip rows whose name contains this (setup rows too)")
    parser.add_argument("--json", action="store_true", help="print one JSON list, no table")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    rows: list[dict[str, object]] = []
    failed: list[str] = []
    with fresh_database(args.backend, args.pg_url) as url:
        os.environ["CRM_DATABASE_URL"] = url  # for code that reads get_settings()
        get_settings.cache_clear()
        get_engine.cache_clear()
        engine = get_engine(url)
        log(f"migrating a fresh {args.backend} database")
        upgrade(engine)
        from services.clock import today

        ctx = BenchContext(engine=engine, backend=args.backend, customers=args.customers,
                           seed=args.seed, today=args.today or today())
        selected = [c for c in CASES
                    if (c.setup or not args.only or any(p in c.name for p in args.only))
                    and not any(p in c.name for p in args.skip)]
        for case in sorted(selected, key=lambda c: not c.setup):
            log(f"{case.name} ...")
            try:
                row = measure(case, ctx, args.runs)
            except Exception:  # one broken row must not lose the others' figures
                log(traceback.format_exc())
                failed.append(case.name)
                if case.setup:
                    break  # the rows after it would measure an incomplete database
                continue
            log(f"{case.name}: median {row['median_ms']} ms")
            rows.append(row)
        engine.dispose()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print_table(rows)
    if failed:
        log(f"failed rows: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
