"""Benchmark rows of the customer search (one per search kind), listed in ``bench/run.py``.

Budgets from the search issue: an exact key (客户编号, mobile, email) answers in 2 ms, every
other kind its first page *with* the total in 50 ms, at a million customers.

The rows also run against an existing database, to iterate without seeding again::

    python bench/search_cases.py --url sqlite:////tmp/search1m.db [--runs 7]
    python bench/search_cases.py --url "postgresql+psycopg://…/test?options=-csearch_path%3Ds1m"
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.harness import BenchContext, Case, Rows, standalone
from db.models import Customer
from services.customers.lookup import CustomerQuery
from services.customers.search_index import rebuild_search_index

EXACT_MS = 2
SEARCH_MS = 50
CASES = Rows()
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


@CASES.case("search: rebuild index", 60_000, setup=True)
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


def _row(name: str, budget: float, make: Any) -> Case:
    def run(ctx: BenchContext) -> object:
        return ctx.search(make(dict(search_sample(ctx), today=ctx.today)))
    run.__name__ = name
    return Case(name, budget, run)


_EXISTING = {"search: customer_no exact", "search: mobile last four"}
"""Rows ``bench.customer_cases`` already has (same query): not listed twice in a run."""

CASES.extend(_row(*row) for row in SEARCH_CASES if row[0] not in _EXISTING)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, [_row(*row) for row in SEARCH_CASES]))
