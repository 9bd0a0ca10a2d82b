#!/usr/bin/env python3
"""Time the work the pages do on a fresh database of N demo customers.

    python bench/run.py --customers 1000000 [--backend sqlite|postgresql] [--json] [--runs 7]

Each run creates its own database (SQLite: a temporary file; PostgreSQL: a new schema in the
database of ``--pg-url`` or ``CRM_TEST_POSTGRES_URL``, dropped afterwards), migrates it, runs the
setup rows (the demo seed) once, then every other row ``--runs`` times after one warm-up and
reports the median, min and max. The rows live in the modules of ``MODULES`` (each one's
``CASES``, in this order); the timing in ``bench/harness.py``. Progress goes to stderr; stdout
carries the table, or with ``--json`` exactly one JSON list.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    backup_cases,
    chart_cases,
    complaint_cases,
    customer_cases,
    dashboard_cases,
    excel_cases,
    follow_up_cases,
    privacy_cases,
    renewal_cases,
    search_cases,
    training_cases,
)
from bench.harness import (  # noqa: E402
    BenchContext,
    Case,
    backend_options,
    migrated_database,
    report,
    run_cases,
    select_cases,
    throwaway_keys,
)
from core.clock import today  # noqa: E402

MODULES = (customer_cases, search_cases, chart_cases, complaint_cases, dashboard_cases,
           excel_cases, follow_up_cases, renewal_cases, privacy_cases, backup_cases,
           training_cases)
"""Every row module, in the order of the table (setup rows run first whatever their place)."""


def all_cases() -> list[Case]:
    """Every row of every module of ``MODULES``, in order."""
    return [case for module in MODULES for case in module.CASES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10_000, help="customers to seed")
    backend_options(parser)
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
    throwaway_keys()

    with migrated_database(args.backend, args.pg_url) as engine:
        ctx = BenchContext(engine=engine, backend=args.backend, customers=args.customers,
                           seed=args.seed, today=args.today or today())
        rows, failed = run_cases(select_cases(all_cases(), args.only, args.skip), ctx,
                                 args.runs)
    report(rows, args.json)
    if failed:
        print(f"failed rows: {', '.join(failed)}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
