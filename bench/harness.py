"""The benchmark harness: rows, their context, the one timing loop, fresh databases, the table.

Row modules (``bench/*_cases.py``) import this module and nothing else of ``bench/``; the
runner (``bench/run.py``) lists them in its ``MODULES`` tuple and reads each one's ``CASES``.
So no row module imports the runner or another row module back, and every timed run, whether
from ``bench/run.py`` or a row module run on its own (``standalone``), goes through ``measure``.
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
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from core.clock import today
from core.settings import get_settings
from db.engine import get_engine, make_engine, read_scope
from db.migrate import upgrade
from db.models import Customer
from services.access.roles import Actor, cli_actor
from services.customers.lookup import CustomerQuery, search

FIELDS = ("name", "backend", "customers", "median_ms", "min_ms", "max_ms", "budget_ms",
          "peak_mb")


def log(message: str) -> None:
    """Progress on stderr: stdout carries only the table or the JSON."""
    print(message, file=sys.stderr, flush=True)


def throwaway_keys() -> None:
    """Keys for this process only, so a benchmark neither needs nor creates
    ``.streamlit/secrets.toml``."""
    if not os.environ.get("CRM_ENCRYPTION_KEY"):
        from cryptography.fernet import Fernet

        os.environ["CRM_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    os.environ.setdefault("CRM_HASH_KEY", "bench-" + uuid.uuid4().hex)
    os.environ.setdefault("CRM_COOKIE_KEY", "bench-" + uuid.uuid4().hex)


# ---- rows ------------------------------------------------------------------------------------

@dataclass
class BenchContext:
    """The database under test and a few values picked from it for realistic queries."""

    engine: Engine
    backend: str
    customers: int
    seed: int
    today: date
    actor: Actor = field(default_factory=lambda: cli_actor(demo_mode=True))
    _started: float = field(default_factory=time.monotonic)
    _last_report: float = 0.0

    def progress(self, stage: str, done: int, total: int) -> None:
        """Seed progress on stderr with the elapsed seconds, at most every ten seconds."""
        now = time.monotonic()
        if now - self._last_report >= 10 or done == total:
            self._last_report = now
            log(f"  {now - self._started:7.1f} s  {stage}: {done:,}/{total:,}")

    @cached_property
    def sample(self) -> dict[str, Any]:
        """A customer from the middle of the table, and the most common province."""
        with Session(self.engine) as session:
            middle = session.scalar(select(Customer).where(
                Customer.id >= session.scalar(select(func.max(Customer.id))) // 2,
                Customer.customer_type == "个人").order_by(Customer.id).limit(1))
            province = session.scalar(select(Customer.province).group_by(Customer.province)
                                      .order_by(func.count().desc()).limit(1))
            if middle is None:
                raise RuntimeError("no customers to sample: did the seed case run?")
            return {"name_fragment": middle.name[1:3] or middle.name,
                    "mobile_last4": middle.mobile[-4:], "customer_no": middle.customer_no,
                    "province": province}

    def search(self, query: CustomerQuery) -> int:
        """One list page as the customers page asks for it: 50 rows plus the total."""
        with read_scope(self.engine) as session:  # as the customers page reads
            rows, total = search(session, self.actor, query, offset=0, limit=50)
            return total


@dataclass(frozen=True)
class Case:
    """One benchmark row: ``run`` is one unit of work as a page does it."""

    name: str
    budget_ms: float
    run: Callable[[BenchContext], object]
    setup: bool = False
    """Fills the database: runs once, before the others, without a warm-up."""
    after: Callable[[BenchContext, Any], None] | None = None
    """Untimed, after each run, with its result (e.g. undo an import)."""
    min_customers: int = 0
    """Left out (with a note on stderr) on a database of fewer customers: its name promises
    that many."""


class Rows(list[Case]):
    """A row module's ``CASES``, filled in the module's order with the ``case`` decorator."""

    def case(self, name: str, budget_ms: float, *, setup: bool = False, min_customers: int = 0
             ) -> Callable[[Callable[[BenchContext], object]], Callable[[BenchContext], object]]:
        def register(fn: Callable[[BenchContext], object]) -> Callable[[BenchContext], object]:
            self.append(Case(name, budget_ms, fn, setup, min_customers=min_customers))
            return fn
        return register


# ---- timing ----------------------------------------------------------------------------------

class Stopwatch:
    """Wall time in ms of the ``with`` block it is entered by (``timed``)."""

    ms: float = 0.0


@contextmanager
def timed() -> Iterator[Stopwatch]:
    """``with timed() as t: ...`` then ``t.ms``: every timing of ``bench/`` goes through here."""
    watch = Stopwatch()
    started = time.perf_counter()
    try:
        yield watch
    finally:
        watch.ms = (time.perf_counter() - started) * 1000


class PeakMemory:
    """Peak memory of this process plus its children, sampled every 10 ms: ``peak`` counts
    private memory (``RssAnon``: heaps, SQLite's page cache), ``peak_total`` every resident
    page. The difference is file pages mapped by SQLite's ``mmap_size``: the database file in
    the OS page cache, shared and reclaimable, not memory the import or export holds."""

    def __init__(self) -> None:
        self.peak = 0
        self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss(pid: int | str) -> tuple[int, int]:
        """(private, total) resident bytes of one process."""
        private = total = 0
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith(("RssAnon:", "RssShmem:")):
                        private += int(line.split()[1]) * 1024
                    elif line.startswith("VmRSS:"):
                        total = int(line.split()[1]) * 1024
        except OSError:
            return 0, 0
        return private, total

    def _children(self) -> list[str]:
        found: list[str] = []
        try:
            for task in os.listdir("/proc/self/task"):
                with open(f"/proc/self/task/{task}/children", encoding="ascii") as fh:
                    found.extend(fh.read().split())
        except OSError:
            pass
        return found

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [self._rss("self"), *(self._rss(pid) for pid in self._children())]
            self.peak = max(self.peak, sum(p for p, _ in sizes))
            self.peak_total = max(self.peak_total, sum(t for _, t in sizes))
            self._stop.wait(0.01)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return round(self.peak / 2**20, 1)

    @property
    def total_mb(self) -> float:
        return round(self.peak_total / 2**20, 1)


def _rss_mb() -> float:
    """Peak resident memory of this process and of its largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024


def _cpu_note(before: os.times_result, after: os.times_result) -> str:
    """CPU seconds say how much of the wall time was work, on a machine shared with others."""
    return (f"cpu {after.user - before.user + after.system - before.system:.1f} s here"
            f" + {after.children_user - before.children_user:.1f} s in child processes")


def measure(case: Case, ctx: BenchContext, runs: int, *, warm_up: bool = True,
            sampled: bool = False) -> dict[str, object]:
    """Time ``case``: once for setup rows, else a warm-up then ``runs`` timed calls.

    peak_mb: for setup rows, the process's peak RSS plus its generator child's (what a load
    costs); with ``sampled``, the peak private memory of this process and its children sampled
    during the timed runs (``PeakMemory``); else the peak Python allocation of one extra
    traced call (tracemalloc slows code down, so it never runs during the timed calls).
    """
    times: list[float] = []
    if case.setup:
        before = os.times()
        with timed() as watch:
            case.run(ctx)
        times.append(watch.ms)
        peak = _rss_mb()
        log(f"{case.name}: {_cpu_note(before, os.times())}, wall {watch.ms / 1000:.1f} s")
    else:
        if warm_up:  # caches, the first connection, the planner
            result = case.run(ctx)
            if case.after is not None:
                case.after(ctx, result)
        peak = 0.0
        for _ in range(runs):
            before = os.times()
            if sampled:
                with PeakMemory() as memory, timed() as watch:
                    result = case.run(ctx)
                peak = max(peak, memory.mb)
                log(f"{case.name}: {watch.ms:.0f} ms, peak {memory.mb} MB private "
                    f"({memory.total_mb} MB resident with mapped database pages), "
                    f"{_cpu_note(before, os.times())}, load {os.getloadavg()[0]:.1f}")
            else:
                with timed() as watch:
                    result = case.run(ctx)
            times.append(watch.ms)
            if case.after is not None:
                case.after(ctx, result)
        if not sampled:
            tracemalloc.start()
            result = case.run(ctx)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            if case.after is not None:
                case.after(ctx, result)
    return {"name": case.name, "backend": ctx.backend, "customers": ctx.customers,
            "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "max_ms": round(max(times), 2), "budget_ms": case.budget_ms,
            "peak_mb": round(peak, 1)}


def run_cases(cases: Sequence[Case], ctx: BenchContext, runs: int, *, warm_up: bool = True,
              sampled: bool = False) -> tuple[list[dict[str, object]], list[str]]:
    """Setup rows first, then the others in order; (rows, names of the rows that raised).

    A row that raises is reported on stderr and left out; after a failed setup row nothing
    else runs (the rows after it would measure an incomplete database)."""
    import traceback

    rows: list[dict[str, object]] = []
    failed: list[str] = []
    for case in sorted(cases, key=lambda c: not c.setup):
        if ctx.customers < case.min_customers:
            log(f"{case.name}: left out, it needs {case.min_customers:,} customers "
                f"(the database has {ctx.customers:,})")
            continue
        log(f"{case.name} ...")
        try:
            row = measure(case, ctx, runs, warm_up=warm_up, sampled=sampled)
        except Exception:  # one broken row must not lose the others' figures
            log(traceback.format_exc())
            failed.append(case.name)
            if case.setup:
                break
            continue
        log(f"{case.name}: median {row['median_ms']} ms")
        rows.append(row)
    return rows, failed


def select_cases(cases: Sequence[Case], only: Sequence[str], skip: Sequence[str]) -> list[Case]:
    """``--only`` keeps the rows whose name contains one of its texts (setup rows always run);
    ``--skip`` leaves out those whose name contains one of its texts (setup rows too)."""
    return [c for c in cases
            if (c.setup or not only or any(p in c.name for p in only))
            and not any(p in c.name for p in skip)]


# ---- output ----------------------------------------------------------------------------------

def print_table(rows: list[dict[str, object]]) -> None:
    """The rows as an aligned table, and which are over their budget."""
    cells = [[str(r[f]) for f in FIELDS] for r in rows]
    widths = [max(len(f), *(len(c[i]) for c in cells)) for i, f in enumerate(FIELDS)]
    align = [str.ljust, str.ljust] + [str.rjust] * (len(FIELDS) - 2)
    print("  ".join(a(f, w) for a, f, w in zip(align, FIELDS, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(a(c, w) for a, c, w in zip(align, row, widths, strict=True)))
    over = [r["name"] for r in rows if float(r["median_ms"]) > float(r["budget_ms"])]  # type: ignore[arg-type]
    print(f"\nover budget: {', '.join(map(str, over))}" if over else "\nall rows within budget")


def report(rows: list[dict[str, object]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print_table(rows)


# ---- databases -------------------------------------------------------------------------------

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


@contextmanager
def migrated_database(backend: str, pg_url: str | None) -> Iterator[Engine]:
    """A fresh database (``fresh_database``), migrated, that ``get_settings()`` points at."""
    with fresh_database(backend, pg_url) as url:
        os.environ["CRM_DATABASE_URL"] = url  # for code that reads get_settings()
        get_settings.cache_clear()
        get_engine.cache_clear()
        engine = get_engine(url)
        log(f"migrating a fresh {backend} database")
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def backend_options(parser: argparse.ArgumentParser) -> None:
    """``--backend`` and ``--pg-url``, for the scripts that make their own database."""
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("CRM_TEST_POSTGRES_URL"),
                        help="PostgreSQL server for --backend postgresql "
                             "(default: CRM_TEST_POSTGRES_URL)")


# ---- a row module on its own ------------------------------------------------------------------

def standalone(doc: str | None, cases: Sequence[Case] | Callable[[argparse.Namespace],
                                                                    Sequence[Case]],
               argv: list[str] | None = None,
               options: Callable[[argparse.ArgumentParser], None] | None = None) -> int:
    """Run a row module's rows against an existing, seeded database (``--url``): the same
    timing and table as ``bench/run.py``, without seeding again. ``cases`` may depend on the
    parsed options (``options`` adds a module's own)."""
    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="database URL (already seeded)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per row (median)")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="as of this date (default: today in China)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only rows whose name contains this")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip rows whose name contains this")
    parser.add_argument("--json", action="store_true", help="print one JSON list, no table")
    if options is not None:
        options(parser)
    args = parser.parse_args(argv)
    throwaway_keys()
    engine = make_engine(args.url)
    with engine.connect() as conn:
        customers = conn.scalar(select(func.count()).select_from(Customer)) or 0
    ctx = BenchContext(engine=engine, backend=engine.dialect.name, customers=customers,
                       seed=0, today=args.today or today())
    chosen = cases(args) if callable(cases) else cases
    rows, failed = run_cases(select_cases([c for c in chosen if not c.setup], args.only,
                                          args.skip), ctx, args.runs)
    engine.dispose()
    report(rows, args.json)
    return 1 if failed else 0
