"""The benchmark rows: what the pages do, each with its budget. Later issues add rows here.

A case is a function of a ``BenchContext``, registered with ``@case(name, budget_ms)``. Cases run
in registration order; ``setup=True`` cases run once before the others (they fill the database)
and are timed once, without a warm-up.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import read_scope
from db.models import Customer
from services.customers import CustomerQuery, search
from services.demo import seed_demo
from services.roles import Actor, cli_actor


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
            print(f"  {now - self._started:7.1f} s  {stage}: {done:,}/{total:,}",
                  file=sys.stderr, flush=True)

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
        with read_scope(self.engine) as session:  # as pages/customers.py reads
            rows, total = search(session, self.actor, query, offset=0, limit=50)
            return total


@dataclass(frozen=True)
class Case:
    name: str
    budget_ms: float
    run: Callable[[BenchContext], object]
    setup: bool = False


CASES: list[Case] = []


def case(name: str, budget_ms: float, *, setup: bool = False
         ) -> Callable[[Callable[[BenchContext], object]], Callable[[BenchContext], object]]:
    """Register a benchmark row."""
    def register(fn: Callable[[BenchContext], object]) -> Callable[[BenchContext], object]:
        CASES.append(Case(name, budget_ms, fn, setup))
        return fn
    return register


# ---- rows -----------------------------------------------------------------------------------

@case("seed: demo data", 300_000, setup=True)
def seed(ctx: BenchContext) -> object:
    return seed_demo(ctx.engine, customers=ctx.customers, seed=ctx.seed, today=ctx.today,
                     progress=ctx.progress)


@case("list: customers first page", 200)
def list_first_page(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery())


@case("list: customers filtered", 200)
def list_filtered(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(province=ctx.sample["province"], tier="黄金"))


@case("search: name fragment", 50)
def search_name(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(text=ctx.sample["name_fragment"]))


@case("search: mobile last four", 50)
def search_mobile(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(text=ctx.sample["mobile_last4"]))


@case("search: customer_no exact", 2)
def search_customer_no(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(text=ctx.sample["customer_no"]))


# The search rows (one per search kind) live in their own module; importing registers them.
import bench.search_cases  # noqa: E402,F401
