"""Benchmark rows of the customer search (one per search kind), registered with ``bench.cases``.

Budgets from the search issue: an exact key (客户编号, mobile, email) answers in 2 ms, every
other kind its first page *with* the total in 50 ms, at a million customers.

The rows also run against an existing database, to iterate without seeding again::

    python bench/search_cases.py sqlite:////tmp/search1m.db
    python bench/search_cases.py "postgresql+psycopg://…/test?options=-csearch_path%3Dsearch1m"
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.cases import BenchContext, case
from db.models import Customer
from services.customers import CustomerQuery
from services.search_index import rebuild_search_index

EXACT_MS = 2
SEARCH_MS = 50
_SAMPLES: dict[int, dict[str, Any]] = {}


def search_sample(ctx: BenchContext) -> dict[str, Any]:
    """Realistic query values taken from the seeded data (a person and a company in the
    middle of the table, the most common province), picked once per context."""
    cached = _SAMPLES.get(id(ctx))
    if cached is not None:
        return cached
    with Session(ctx.engine) as session:
        middle = session.scalar(select(func.max(Customer.id))) // 2
        person = session.scalar(select(Customer).where(
            Customer.id >= middle, Customer.customer_type == "个人",
            Customer.email.is_not(None), Customer.mobile.is_not(None),
            func.length(Customer.name) == 3).order_by(Customer.id).limit(1))
        firm = session.scalar(select(Customer).where(
            Customer.id >= middle, Customer.customer_type == "企业")
            .order_by(Customer.id).limit(1))
        province = session.scalar(select(Customer.province).group_by(Customer.province)
                                  .order_by(func.count().desc()).limit(1))
    if person is None or firm is None:
        raise RuntimeError("no customers to sample: did the seed case run?")
    mobile = person.mobile or ""
    city = len(firm.city or "") - 1 if (firm.city or "").endswith("市") else 0
    sample = {
        "customer_no": person.customer_no,
        "mobile": f"{mobile[:3]} {mobile[3:7]}-{mobile[7:]}",  # as people type it
        "email": (person.email or "").upper(),
        "last4": mobile[-4:],
        "name": person.name,
        "company": (firm.company or "")[city:city + 4],  # trade name + line of business
        "province": province,
    }
    _SAMPLES[id(ctx)] = sample
    return sample


def _q(**fields: Any) -> CustomerQuery:
    return CustomerQuery(**fields)


@case("search: rebuild index", 60_000, setup=True)
def rebuild(ctx: BenchContext) -> object:
    """The bulk indexer over every seeded customer (what a seed or restore pays)."""
    return rebuild_search_index(ctx.engine)


# Name and cases in the order; each is one page of 50 plus the total.
SEARCH_CASES: tuple[tuple[str, float, Any], ...] = (
    ("search: customer_no exact", EXACT_MS, lambda s: _q(text=s["customer_no"])),
    ("search: customer_no without C", SEARCH_MS, lambda s: _q(text=s["customer_no"][1:])),
    ("search: customer_no sequence part", SEARCH_MS,
     lambda s: _q(text=s["customer_no"][-6:].lstrip("0") or "0")),
    ("search: customer_no beginning", SEARCH_MS, lambda s: _q(text=s["customer_no"][:-3])),
    ("search: mobile exact", EXACT_MS, lambda s: _q(text=s["mobile"])),
    ("search: email exact", EXACT_MS, lambda s: _q(text=s["email"])),
    ("search: mobile last four", SEARCH_MS, lambda s: _q(text=s["last4"])),
    ("search: name one char", SEARCH_MS, lambda s: _q(text=s["name"][0])),
    ("search: name two chars", SEARCH_MS, lambda s: _q(text=s["name"][:2])),
    ("search: name three+ chars", SEARCH_MS, lambda s: _q(text=s["name"])),
    ("search: company fragment", SEARCH_MS, lambda s: _q(text=s["company"])),
    ("search: filter province+tier", SEARCH_MS,
     lambda s: _q(province=s["province"], tier="黄金")),
    ("search: tags any", SEARCH_MS, lambda s: _q(tags=("VIP", "重点客户"))),
    ("search: created range", SEARCH_MS,
     lambda s: _q(created_from=s["today"] - timedelta(days=365),
                  created_to=s["today"] - timedelta(days=275))),
    ("search: review overdue", SEARCH_MS, lambda s: _q(review_overdue=True)),
    ("search: text + filter", SEARCH_MS,
     lambda s: _q(text=s["name"][:2], province=s["province"])),
)


def _register(name: str, budget: float, make: Any) -> None:
    def run(ctx: BenchContext) -> object:
        sample = dict(search_sample(ctx), today=ctx.today)
        return ctx.search(make(sample))
    run.__name__ = name
    case(name, budget)(run)


_EXISTING = {"search: customer_no exact", "search: mobile last four"}
"""Rows ``bench.cases`` already has (same query): not registered twice."""

for _name, _budget, _make in SEARCH_CASES:
    if _name not in _EXISTING:
        _register(_name, _budget, _make)


def run_search_cases(engine: Engine, runs: int = 7) -> list[dict[str, object]]:
    """Every search row against an existing, seeded and indexed database."""
    from bench.cases import Case
    from bench.run import measure
    from services.clock import today

    with engine.connect() as conn:
        customers = conn.scalar(select(func.count()).select_from(Customer)) or 0
    ctx = BenchContext(engine=engine, backend=engine.dialect.name, customers=customers,
                       seed=0, today=today())
    rows = []
    for name, budget, make in SEARCH_CASES:
        def run(c: BenchContext, make: Any = make) -> object:
            return c.search(make(dict(search_sample(c), today=c.today)))
        rows.append(measure(Case(name, budget, run), ctx, runs))
    return rows


if __name__ == "__main__":
    from bench.run import print_table
    from db.engine import make_engine

    print_table(run_search_cases(make_engine(sys.argv[1]),
                                 int(sys.argv[2]) if len(sys.argv) > 2 else 7))
