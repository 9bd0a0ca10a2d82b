"""The benchmark harness (issue 15): row modules import only ``bench.harness`` of ``bench/`` (no
module imports the runner back), every timing goes through ``harness.timed``, the runner lists
every row module, row names are unique, and the harness's own rules (a row that needs more
customers than seeded is left out; ``after`` runs untimed after each run). Plus the export's
``limit`` behind the ``export: customers 100k`` row."""

from __future__ import annotations

import ast
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.harness import BenchContext, Case, run_cases
from db.models import Customer
from services.access.roles import cli_actor
from services.excel import write_customers
from tests.support.factories import make_customer

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of ``bench`` or ``bench.x`` in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bench":
                found += [(node.lineno, f"bench.{a.name}") for a in node.names]
            elif node.module.startswith("bench."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("bench")]
    return found


def test_no_bench_module_but_the_runner_imports_another_than_the_harness() -> None:
    wrong = [f"bench/{path.name}:{line} imports {module}"
             for path in sorted(BENCH.glob("*.py")) if path.name != "run.py"
             for line, module in _bench_imports(path)
             if module != "bench.harness" or path.name == "harness.py"]
    assert not wrong, "row modules may import only bench.harness:\n" + "\n".join(wrong)


def test_every_timing_of_bench_goes_through_the_harness() -> None:
    wrong = [f"bench/{path.name}:{n}" for path in sorted(BENCH.glob("*.py"))
             if path.name != "harness.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "perf_counter" in line or "time.time(" in line]
    assert not wrong, "time with bench.harness.timed/measure:\n" + "\n".join(wrong)


def test_the_runner_lists_every_row_module_and_names_are_unique() -> None:
    from bench import run

    listed = {m.__name__.rpartition(".")[2] for m in run.MODULES}
    assert listed == {p.stem for p in BENCH.glob("*_cases.py")}
    names = [c.name for c in run.all_cases()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert {"export: customers 100k", "export: all customers", "seed: demo data"} <= set(names)
    hundred_k = next(c for c in run.all_cases() if c.name == "export: customers 100k")
    assert hundred_k.min_customers == 100_000
    everyone = next(c for c in run.all_cases() if c.name == "export: all customers")
    assert everyone.budget_ms == 30_000 and everyone.min_customers == 0


def test_rows_needing_more_customers_are_left_out_and_after_runs_per_run() -> None:
    calls: list[str] = []
    ctx = BenchContext(engine=None, backend="sqlite", customers=10, seed=0,  # type: ignore[arg-type]
                       today=None)  # type: ignore[arg-type]

    def run(name: str) -> Callable[[BenchContext], object]:
        def fn(c: BenchContext) -> object:
            calls.append(name)
            return name
        return fn

    cases = [Case("big", 1, run("big"), min_customers=11),
             Case("small", 1, run("small"), after=lambda c, r: calls.append(f"after {r}"))]
    rows, failed = run_cases(cases, ctx, runs=2)
    assert [r["name"] for r in rows] == ["small"] and not failed
    # warm-up, two timed runs, the traced run: each followed by its after
    assert calls == ["small", "after small"] * 4


def test_export_limit_writes_the_first_customers_by_id(db: Session) -> None:
    for n in range(5):
        make_customer(db, name=f"客户{n}")
    db.commit()
    out = io.BytesIO()
    assert write_customers(db, cli_actor(True), out, chunk=2, limit=3) == 3
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["客户"]
    numbers = [r[0].value for r in sheet.iter_rows(min_row=2)]
    assert numbers == db.scalars(select(Customer.customer_no).order_by(Customer.id)
                                 .limit(3)).all()
    assert write_customers(db, cli_actor(True), io.BytesIO(), limit=50) == 5
    assert write_customers(db, cli_actor(True), io.BytesIO()) == 5
