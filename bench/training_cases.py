#!/usr/bin/env python3
"""Benchmark row of the trainer's snapshots (issue 17): ``snapshot: restore 2,000 customers``
restores a snapshot of a 2,000-customer demo database into it, as the 首页's 培训快照 and
``manage.py snapshot restore`` do (checks, emptying the database, restore, schema upgrade,
search index and review counts rebuilt). Budget: 10 s (issue 17).

The row makes a database of its own (same backend as the run, beside the bench's database:
its size is in its name, whatever ``--customers`` is), seeds it and saves the snapshot, untimed,
before the warm-up run; both are removed when the process ends.

Listed in ``bench/run.py``; standalone, against an existing database (its backend and server)::

    .venv/bin/python bench/training_cases.py --url sqlite:////tmp/any.db [--runs 3]
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine

from bench.harness import BenchContext, Rows, fresh_database, log, standalone
from db.engine import make_engine
from db.migrate import upgrade
from services.access.keys import ensure_keys
from services.access.secrets import get_secrets
from services.demo import seed_demo
from services.training import restore_snapshot, save_snapshot

RESTORE_MS = 10_000
CUSTOMERS = 2000
NAME = "bench"

CASES = Rows()
_MADE: dict[str, tuple[Engine, Path]] = {}
_STACK = ExitStack()
atexit.register(_STACK.close)


def _server_url(ctx: BenchContext) -> str | None:
    """The bench's PostgreSQL server without its schema option (None on SQLite)."""
    if ctx.backend == "sqlite":
        return None
    url = ctx.engine.url.difference_update_query(["options"])
    return url.render_as_string(hide_password=False)


def _snapshot_database(ctx: BenchContext) -> tuple[Engine, Path]:
    """A seeded 2,000-customer demo database and its snapshot folder, made once."""
    if ctx.backend not in _MADE:
        url = _STACK.enter_context(fresh_database(ctx.backend, _server_url(ctx)))
        engine = make_engine(url)
        _STACK.callback(engine.dispose)
        root = Path(tempfile.mkdtemp(prefix="crm-bench-snapshots-"))
        _STACK.callback(shutil.rmtree, root, True)
        log(f"snapshot row: seeding {CUSTOMERS:,} customers and saving a snapshot")
        upgrade(engine)
        ensure_keys(engine)
        seed_demo(engine, customers=CUSTOMERS, seed=ctx.seed or 42)
        save_snapshot(engine, NAME, get_secrets(), ctx.actor, root=root)
        _MADE[ctx.backend] = (engine, root)
    return _MADE[ctx.backend]


@CASES.case("snapshot: restore 2,000 customers", RESTORE_MS)
def restore_2000(ctx: BenchContext) -> object:
    engine, root = _snapshot_database(ctx)
    done = restore_snapshot(engine, NAME, get_secrets(), ctx.actor, root=root)
    if done.customers != CUSTOMERS:  # the row's name promises this many
        raise RuntimeError(f"restored {done.customers} customers, not {CUSTOMERS}")
    return done


if __name__ == "__main__":
    sys.exit(standalone(__doc__, CASES))
