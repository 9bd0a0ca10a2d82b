#!/usr/bin/env python3
"""Excel benchmark rows: import and export of 100,000 customers, with the floors beside them.

    python bench/excel_cases.py [--backend sqlite|postgresql] [--customers 100000]
                                [--rows 100000] [--runs 3] [--json]

Rows (same columns as ``bench/run.py``):

- ``import: floor (read only)``: the safety checks and python-calamine parsing every row of the
  workbook, nothing else: what any import of this file costs at least.
- ``import: customers 100k``: ``services.excel.run_import`` of a valid 100,000-row workbook
  (every row new): reading, validation, duplicate checks against the database and within the
  file, the writes (customers, search grams, tags, tier history), the commit.
- ``export: floor (write only)``: XlsxWriter (constant memory) writing 100,000 rows of 19
  columns from memory: what any export of that size costs at least.
- ``export: customers 100k``: ``services.excel.write_customers`` of every customer of the
  seeded database with full values (decrypted 证件号码).

Standalone, this script seeds a fresh database with ``--customers`` demo customers (the export
source; the import file's customers are new to it), runs each row ``--runs`` times (an import is
undone, untimed, after each run) and reports ``peak_mb`` as the peak private memory of this
process plus the parsing child, sampled while the row runs (``PeakMemory``: the database file
pages SQLite maps into the process are not counted; stderr shows both figures).

The same rows are registered in ``bench.cases`` for ``bench/run.py``; there each import is
rolled back instead of committed (so every run imports the same file into the same database)
and ``peak_mb`` is ``bench/run.py``'s tracemalloc figure (Python allocations only).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

IMPORT_BUDGET_MS: Final = 15_000
EXPORT_BUDGET_MS: Final = 12_000
ROWS: Final = 100_000
FIELDS: Final = ("name", "backend", "customers", "median_ms", "min_ms", "max_ms", "budget_ms",
                 "peak_mb")

# ---- the workbook -------------------------------------------------------------------------------

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉"
_CITIES = (("北京", "北京"), ("上海", "上海"), ("广东", "广州"), ("广东", "深圳"), ("浙江", "杭州"),
           ("江苏", "南京"), ("四川", "成都"), ("湖北", "武汉"), ("山东", "济南"), ("福建", "厦门"))
_WORDS = ("星辰", "华信", "远航", "博达", "恒通", "嘉禾", "新锐", "瑞丰", "天成", "海川")
_TRADES = (("科技", "科技"), ("金融", "投资"), ("教育", "教育"), ("医疗", "医药"), ("制造", "机械"),
           ("零售", "商贸"))
_PROVINCE_CODES = (11, 31, 44, 33, 32, 51, 42, 37, 35, 65)


def _resident_id(i: int) -> str:
    from services.idcodes import resident_check_char

    birth = date(1950, 1, 1) + timedelta(days=i % 18_000)
    # District xx0106: the demo's resident IDs use xx0102-xx0105, so the two never collide.
    first17 = f"{_PROVINCE_CODES[i % 10]:02d}0106{birth:%Y%m%d}{(i // 18_000) % 1000:03d}"
    return first17 + resident_check_char(first17)


def customer_rows(count: int, seed: int = 7) -> Iterator[list[Any]]:
    """Valid, realistic, all-new customers (keys disjoint from the demo data's)."""
    from services.idcodes import make_credit_code

    rng = random.Random(seed)
    for i in range(count):
        province, city = _CITIES[i % len(_CITIES)]
        industry, trade = _TRADES[i % len(_TRADES)]
        enterprise = i % 10 == 0
        company = f"{city}{_WORDS[rng.randrange(10)]}{trade}有限公司" if rng.random() < 0.6 \
            or enterprise else None
        name = company if enterprise else \
            _SURNAMES[rng.randrange(len(_SURNAMES))] + "".join(
                _GIVEN[rng.randrange(len(_GIVEN))] for _ in range(1 + (rng.random() < 0.7)))
        yield [
            None, name, "企业" if enterprise else "个人",
            None if enterprise else ("男" if i % 2 else "女"),
            f"192{i:08d}",
            f"010-6{i % 10_000_000:07d}" if rng.random() < 0.3 else None,
            f"user{i}@bench-import.example.cn" if rng.random() < 0.5 else None,
            make_credit_code(rng) if enterprise else
            (_resident_id(i) if rng.random() < 0.7 else None),
            company, "经理" if rng.random() < 0.3 else None, industry, province, city,
            f"{city}市中心大道{i % 999 + 1}号" if rng.random() < 0.5 else None,
            "黄金" if rng.random() < 0.1 else None,
            "VIP，重点客户" if rng.random() < 0.2 else ("老客户" if rng.random() < 0.2 else None),
            None, ("电话", "在线", "拜访", "转介绍")[i % 4],
            f"备注 {i}" if rng.random() < 0.2 else None,
        ]


def build_workbook(count: int = ROWS, seed: int = 7) -> bytes:
    """The import file, as Excel would save it (shared strings), cached on disk."""
    path = Path(tempfile.gettempdir()) / f"crm-bench-customers-{count}-{seed}-v2.xlsx"
    if path.exists():
        return path.read_bytes()
    import xlsxwriter

    from services.fields import HEADERS

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("客户")
    for c, header in enumerate(HEADERS):
        ws.write_string(0, c, header)
    for r, row in enumerate(customer_rows(count, seed), start=1):
        for c, value in enumerate(row):
            if value is not None:
                ws.write_string(r, c, value)
    wb.close()
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, path)
    return buffer.getvalue()


# ---- the rows ------------------------------------------------------------------------------------

def read_floor(data: bytes) -> int:
    """Safety checks and parsing, no validation: the least an import of this file costs."""
    import python_calamine

    from services.excel.safety import check_upload
    from services.settings import get_settings

    settings = get_settings()
    check_upload(data, max_mb=settings.import_max_file_mb, max_rows=settings.import_max_rows)
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) \
        .get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows())


def write_floor(rows: list[list[Any]]) -> int:
    """XlsxWriter constant-memory output of the rows, nothing else."""
    from services.excel.writer import table_xlsx
    from services.fields import HEADERS

    return len(table_xlsx(list(HEADERS), rows, sheet="客户", widths=[14] * len(HEADERS)))


def import_once(engine: Any, data: bytes, expected: int, *, commit: bool) -> Any:
    from sqlalchemy.orm import Session

    from services.excel import run_import
    from services.roles import cli_actor

    with Session(engine) as session:
        result = run_import(session, cli_actor(True), data, "bench.xlsx")
        if commit:
            session.commit()
        else:
            session.rollback()
    if result.summary.rejected or result.summary.inserted != expected:
        raise RuntimeError(f"the benchmark file did not import cleanly: "
                           f"{result.summary.counts()}")
    return result


def undo(engine: Any, import_id: int) -> None:
    from sqlalchemy.orm import Session

    from services.excel import undo_import
    from services.roles import cli_actor

    with Session(engine) as session:
        result = undo_import(session, cli_actor(True), import_id)
        if not result.done:
            raise RuntimeError("could not undo the benchmark import")
        session.commit()


def export_once(engine: Any) -> int:
    from sqlalchemy.orm import Session

    from services.excel import write_customers
    from services.roles import cli_actor

    with Session(engine) as session:
        rows = write_customers(session, cli_actor(True), io.BytesIO())
        session.rollback()  # the export's audit entry: not the benchmark's business
    return rows


# ---- registration in bench/run.py's registry ----------------------------------------------------

def _register() -> None:
    try:
        from bench.cases import BenchContext, case
    except ImportError:  # pragma: no cover - bench/cases.py absent
        return
    cache: dict[str, Any] = {}

    def data() -> bytes:
        if "data" not in cache:
            cache["data"] = build_workbook(ROWS)
        return cache["data"]

    def floor_rows() -> list[list[Any]]:
        if "rows" not in cache:
            cache["rows"] = list(customer_rows(ROWS))
        return cache["rows"]

    @case("import: floor (read only)", IMPORT_BUDGET_MS)
    def import_floor(ctx: BenchContext) -> object:
        return read_floor(data())

    @case("import: customers 100k", IMPORT_BUDGET_MS)
    def import_customers(ctx: BenchContext) -> object:
        return import_once(ctx.engine, data(), ROWS, commit=False)

    @case("export: floor (write only)", EXPORT_BUDGET_MS)
    def export_floor(ctx: BenchContext) -> object:
        return write_floor(floor_rows())

    @case("export: customers 100k", EXPORT_BUDGET_MS)
    def export_customers(ctx: BenchContext) -> object:
        return export_once(ctx.engine)


_register()


# ---- standalone ----------------------------------------------------------------------------------

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


def fresh_database(backend: str, pg_url: str | None):  # noqa: ANN201 - a context manager
    """The runner's fresh database (one implementation; imported late: the runner imports us)."""
    from bench.run import fresh_database as runner_fresh_database

    return runner_fresh_database(backend, pg_url)


def _measure(name: str, budget: float, fn: Callable[[], Any], runs: int, backend: str,
             customers: int, after: Callable[[Any], None] | None = None) -> dict[str, Any]:
    times = []
    peak = 0.0
    for _ in range(runs):
        with PeakMemory() as memory:
            before = os.times()
            started = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - started) * 1000)
            spent = os.times()
        peak = max(peak, memory.mb)
        if after is not None:
            after(result)
        # CPU seconds say how much of the wall time was work, on a machine shared with others.
        print(f"{name}: {times[-1]:.0f} ms, peak {memory.mb} MB private "
              f"({memory.total_mb} MB resident with mapped database pages), cpu "
              f"{spent.user - before.user + spent.system - before.system:.1f} s here + "
              f"{spent.children_user - before.children_user:.1f} s in the parsing child, "
              f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    return {"name": name, "backend": backend, "customers": customers,
            "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "max_ms": round(max(times), 2), "budget_ms": budget, "peak_mb": peak}


def _seed_in_child(url: str, customers: int) -> None:
    """Seed in another process, so the memory it leaves behind is not counted below."""
    import subprocess

    code = ("import sys; from db.engine import get_engine; from services.demo import seed_demo;"
            " seed_demo(get_engine(), customers=int(sys.argv[1]), seed=42)")
    subprocess.run([sys.executable, "-c", code, str(customers)], cwd=ROOT, check=True,
                   env={**os.environ, "CRM_DATABASE_URL": url})


def _write_floor_row(count: int, common: dict[str, Any]) -> dict[str, Any]:
    rows = list(customer_rows(count))  # in memory for this row only
    return _measure("export: floor (write only)", EXPORT_BUDGET_MS, lambda: write_floor(rows),
                    **common)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("CRM_TEST_POSTGRES_URL"))
    parser.add_argument("--customers", type=int, default=100_000,
                        help="demo customers seeded first (the export's source)")
    parser.add_argument("--rows", type=int, default=ROWS, help="rows of the import file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from bench.standalone import throwaway_keys

    throwaway_keys()

    from db.engine import get_engine
    from db.migrate import upgrade
    from services.settings import get_settings

    print(f"building the {args.rows}-row workbook ...", file=sys.stderr, flush=True)
    data = build_workbook(args.rows)
    rows: list[dict[str, Any]] = []
    with fresh_database(args.backend, args.pg_url) as url:
        os.environ["CRM_DATABASE_URL"] = url
        get_settings.cache_clear()
        get_engine.cache_clear()
        engine = get_engine(url)
        upgrade(engine)
        print(f"seeding {args.customers} demo customers ...", file=sys.stderr, flush=True)
        _seed_in_child(url, args.customers)
        common = {"runs": args.runs, "backend": args.backend, "customers": args.customers}
        rows.append(_measure("import: floor (read only)", IMPORT_BUDGET_MS,
                             lambda: read_floor(data), **common))
        rows.append(_measure("import: customers 100k", IMPORT_BUDGET_MS,
                             lambda: import_once(engine, data, args.rows, commit=True),
                             **common,
                             after=lambda result: undo(engine, result.import_id)))
        rows.append(_write_floor_row(args.rows, common))
        rows.append(_measure("export: customers 100k", EXPORT_BUDGET_MS,
                             lambda: export_once(engine), **common))
        engine.dispose()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print("  ".join(f"{row[f]}" for f in FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
