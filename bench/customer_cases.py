"""Benchmark rows of the customer list: the demo seed (the setup row) and the list and search
pages as the customers page asks for them (one page of 50 plus the total). The other rows
live in the other ``bench/*_cases.py`` modules; ``bench/run.py`` lists them all.

A row is a function of a ``BenchContext`` added to the module's ``CASES`` with
``@CASES.case(name, budget_ms)``; ``setup=True`` rows run once before the others (they fill the
database) and are timed once, without a warm-up.
"""

from __future__ import annotations

from bench.harness import BenchContext, Rows
from services.customers.lookup import CustomerQuery
from services.demo import seed_demo

CASES = Rows()


@CASES.case("seed: demo data", 300_000, setup=True)
def seed(ctx: BenchContext) -> object:
    return seed_demo(ctx.engine, customers=ctx.customers, seed=ctx.seed, today=ctx.today,
                     progress=ctx.progress)


@CASES.case("list: customers first page", 200)
def list_first_page(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery())


@CASES.case("list: customers filtered", 200)
def list_filtered(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(province=ctx.sample["province"], tier="黄金"))


@CASES.case("search: name fragment", 50)
def search_name(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(text=ctx.sample["name_fragment"]))


@CASES.case("search: mobile last four", 50)
def search_mobile(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(text=ctx.sample["mobile_last4"]))


@CASES.case("search: customer_no exact", 2)
def search_customer_no(ctx: BenchContext) -> object:
    return ctx.search(CustomerQuery(text=ctx.sample["customer_no"]))
