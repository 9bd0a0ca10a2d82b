#!/usr/bin/env python3
"""Excel benchmark rows: import and export of 100,000 customers, with the floors beside them,
and the export of every customer of the database.

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
- ``export: customers 100k``: ``services.excel.write_customers`` of the first 100,000
  customers (by id) of the seeded database with full values (decrypted 证件号码); left out on a
  database of fewer customers.
- ``export: all customers``: the same of every customer of the database, however many (its
  budget, 30 s, is set for a million: about 2.7 times the write floor of 1.1 s per 100k rows).

Standalone, this script seeds a fresh database with ``--customers`` demo customers (the export
source; the import file's customers are new to it), runs each row ``--runs`` times (an import is
undone, untimed, after each run) and reports ``peak_mb`` as the peak private memory of this
process plus the parsing child, sampled while the row runs (``PeakMemory``: the database file
pages SQLite maps into the process are not counted; stderr shows both figures).

The same rows are listed in ``bench/run.py``; there each import is rolled back instead of
committed (so every run imports the same file into the same database)
and ``peak_mb`` is ``bench/run.py``'s tracemalloc figure (Python allocations only).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    BenchContext,
    Case,
    Rows,
    backend_options,
    log,
    migrated_database,
    report,
    run_cases,
    throwaway_keys,
)

ROOT = Path(__file__).resolve().parent.parent
IMPORT_BUDGET_MS: Final = 15_000
EXPORT_BUDGET_MS: Final = 12_000
EXPORT_ALL_BUDGET_MS: Final = 30_000
ROWS: Final = 100_000

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
    from services.customers.idcodes import resident_check_char

    birth = date(1950, 1, 1) + timedelta(days=i % 18_000)
    # District xx0106: the demo's resident IDs use xx0102-xx0105, so the two never collide.
    first17 = f"{_PROVINCE_CODES[i % 10]:02d}0106{birth:%Y%m%d}{(i // 18_000) % 1000:03d}"
    return first17 + resident_check_char(first17)


def customer_rows(count: int, seed: int = 7) -> Iterator[list[Any]]:
    """Valid, realistic, all-new customers (keys disjoint from the demo data's)."""
    from services.customers.idcodes import make_credit_code

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

    from core.fields import HEADERS

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

    from core.settings import get_settings
    from services.excel.safety import check_upload

    settings = get_settings()
    check_upload(data, max_mb=settings.import_max_file_mb, max_rows=settings.import_max_rows)
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) \
        .get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows())


def write_floor(rows: list[list[Any]]) -> int:
    """XlsxWriter constant-memory output of the rows, nothing else."""
    from core.fields import HEADERS
    from services.excel.writer import table_xlsx

    return len(table_xlsx(list(HEADERS), rows, sheet="客户", widths=[14] * len(HEADERS)))


def import_once(engine: Any, data: bytes, expected: int, *, commit: bool) -> Any:
    from sqlalchemy.orm import Session

    from services.access.roles import cli_actor
    from services.excel import run_import

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

    from services.access.roles import cli_actor
    from services.excel import undo_import

    with Session(engine) as session:
        result = undo_import(session, cli_actor(True), import_id)
        if not result.done:
            raise RuntimeError("could not undo the benchmark import")
        session.commit()


def export_once(engine: Any, limit: int | None = None) -> int:
    """The customer export (full values) of every customer, or of the first ``limit``."""
    from sqlalchemy.orm import Session

    from services.access.roles import cli_actor
    from services.excel import write_customers

    with Session(engine) as session:
        rows = write_customers(session, cli_actor(True), io.BytesIO(), limit=limit)
        session.rollback()  # the export's audit entry: not the benchmark's business
    if limit is not None and rows != limit:
        raise RuntimeError(f"the export wrote {rows:,} rows, not {limit:,}")
    return rows


# ---- the rows ----------------------------------------------------------------------------------

def excel_rows(*, commit: bool) -> Rows:
    """The Excel rows. ``commit``: each import is committed and undone after its run
    (standalone); else rolled back (``bench/run.py``: every run imports the same file into the
    same database)."""
    cache: dict[str, Any] = {}

    def data() -> bytes:
        if "data" not in cache:
            cache["data"] = build_workbook(ROWS)
        return cache["data"]

    def floor_rows() -> list[list[Any]]:
        if "rows" not in cache:
            cache["rows"] = list(customer_rows(ROWS))
        return cache["rows"]

    def import_customers(ctx: BenchContext) -> object:
        return import_once(ctx.engine, data(), ROWS, commit=commit)

    def undo_after(ctx: BenchContext, result: Any) -> None:
        undo(ctx.engine, result.import_id)

    rows = Rows()
    rows.case("import: floor (read only)", IMPORT_BUDGET_MS)(lambda ctx: read_floor(data()))
    rows.append(Case("import: customers 100k", IMPORT_BUDGET_MS, import_customers,
                     after=undo_after if commit else None))
    rows.case("export: floor (write only)", EXPORT_BUDGET_MS)(
        lambda ctx: write_floor(floor_rows()))
    rows.case("export: customers 100k", EXPORT_BUDGET_MS, min_customers=ROWS)(
        lambda ctx: export_once(ctx.engine, ROWS))
    rows.case("export: all customers", EXPORT_ALL_BUDGET_MS)(lambda ctx: export_once(ctx.engine))
    return rows


CASES = excel_rows(commit=False)


# ---- standalone ----------------------------------------------------------------------------------

def _seed_in_child(url: str, customers: int) -> None:
    """Seed in another process, so the memory it leaves behind is not counted below."""
    code = ("import sys; from db.engine import get_engine; from services.demo import seed_demo;"
            " seed_demo(get_engine(), customers=int(sys.argv[1]), seed=42)")
    subprocess.run([sys.executable, "-c", code, str(customers)], cwd=ROOT, check=True,
                   env={**os.environ, "CRM_DATABASE_URL": url})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    backend_options(parser)
    parser.add_argument("--customers", type=int, default=100_000,
                        help="demo customers seeded first (the export's source)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    throwaway_keys()
    from core.clock import today

    log(f"building the {ROWS}-row workbook ...")
    build_workbook(ROWS)
    with migrated_database(args.backend, args.pg_url) as engine:
        log(f"seeding {args.customers} demo customers ...")
        _seed_in_child(os.environ["CRM_DATABASE_URL"], args.customers)
        ctx = BenchContext(engine=engine, backend=args.backend, customers=args.customers,
                           seed=42, today=today())
        rows, failed = run_cases(excel_rows(commit=True), ctx, args.runs, warm_up=False,
                                 sampled=True)
    report(rows, args.json)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
