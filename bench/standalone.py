"""What the row modules need to run on their own against an existing, seeded database
(``bench/<area>_cases.py --url URL``): throwaway keys, the common options, and the timing loop
with its one-line report per row."""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable, Sequence


def throwaway_keys() -> None:
    """Keys for this process only, so a benchmark neither needs nor creates
    ``.streamlit/secrets.toml``."""
    if not os.environ.get("CRM_ENCRYPTION_KEY"):
        from cryptography.fernet import Fernet

        os.environ["CRM_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    os.environ.setdefault("CRM_HASH_KEY", "bench-" + uuid.uuid4().hex)
    os.environ.setdefault("CRM_COOKIE_KEY", "bench-" + uuid.uuid4().hex)


def parser(doc: str | None) -> argparse.ArgumentParser:
    """``--url`` (required) and ``--runs``; a module adds its own options."""
    p = argparse.ArgumentParser(description=doc,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="database URL (already seeded)")
    p.add_argument("--runs", type=int, default=5)
    return p


def time_rows(rows: Sequence[tuple[str, Callable[[], int]]], runs: int, budget_ms: float,
              width: int = 45) -> None:
    """Each row once to warm up, then ``runs`` times; prints its median and minimum against
    the budget, and the list's total."""
    for name, fn in rows:
        fn()
        times = []
        total = 0
        for _ in range(runs):
            started = time.perf_counter()
            total = fn()
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:{width}s} median {statistics.median(times):8.1f} ms  min "
              f"{min(times):8.1f}  budget {budget_ms:g}  total {total:,}")
