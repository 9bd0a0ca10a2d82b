"""Deterministic zh_CN demo data: users, customers and two years of their records.

Why it is built this way:

- **Same seed and day, same data.** Every value comes from ``random.Random`` seeded per chunk
  from ``(seed, chunk)`` and from Faker pools seeded once; nothing reads the clock except the
  audit row. (Only the 证件号码 ciphertext differs between runs: Fernet picks a fresh IV.)
- **A million customers in minutes.** Faker is called a few thousand times to build pools, not
  per row; rows are plain tuples with ids assigned here, written in chunks of 10 000 customers
  with ``executemany`` on SQLite and ``COPY`` on PostgreSQL, in one transaction. From
  ``PARALLEL_MIN_CUSTOMERS`` on, child processes generate the next chunks while this one
  writes, which uses both cores of a small server.
- **Believable.** Tiers and lifecycle stages are not drawn at random: they are computed by
  ``services.customers.tier_rules`` from the orders and contacts generated for each customer.
- **One profile per case dataset.** What the records are about (industries, products, tags,
  complaint topics, survey wording, order and contract mix) is a ``DemoProfile``
  (``profiles.py``); the generators read it. ``GENERAL`` is the default; the case datasets
  (电商 ``RETAIL``, 金融 ``FINANCE``, 医疗 ``HEALTHCARE``) and the registry by name are in
  ``datasets.py``.

The modules: ``seed`` (seed_demo / reset_demo), ``profiles``, ``accounts`` (demo logins),
``pools`` (Faker pools, weighted choice), ``calendar``, ``context`` (what the generators share),
one generator per record kind (``customers``, ``orders``, ``contacts``, ``visits``,
``complaints``, ``surveys``, ``contracts``, ``consent``, ``tags``, ``targets``), ``generator``
(a customer from those), ``writers`` (bulk writes, relabelled ids, deferred indexes),
``parallel`` (child processes), ``tables``, ``datasets`` (the datasets by name).

The public API, for the command line, the pages, the benchmarks and the tests:
"""

from __future__ import annotations

from services.demo.accounts import ACCOUNT_MANAGERS, DEMO_ACCOUNTS, DemoAccount
from services.demo.datasets import DATASETS, FINANCE, HEALTHCARE, PROFILES, RETAIL, get_profile
from services.demo.profiles import GENERAL, DemoProfile
from services.demo.seed import DemoDataPresent, ProgressFn, SeedReport, reset_demo, seed_demo
from services.demo.tables import CUSTOMER_TABLES, SEEDED_TABLES

DEMO_TAGS: tuple[str, ...] = GENERAL.tags
"""The tags of the default dataset."""

__all__ = [
    "ACCOUNT_MANAGERS", "CUSTOMER_TABLES", "DATASETS", "DEMO_ACCOUNTS", "DEMO_TAGS", "FINANCE",
    "GENERAL", "HEALTHCARE", "PROFILES", "RETAIL",
    "SEEDED_TABLES", "DemoAccount", "DemoDataPresent", "DemoProfile", "ProgressFn",
    "SeedReport", "get_profile", "reset_demo", "seed_demo",
]
