#!/usr/bin/env python3
"""Benchmark row of backups (data-protection.md "Backups"): ``backup: whole database`` is
``manage.py backup`` as cron runs it on the running database: the consistent copy (SQLite:
the online backup API; PostgreSQL: pg_dump of one exported snapshot), the row counts of every
table in that snapshot, the SHA-256 of each file, the manifest, the keys file and the audit
entry. Budget: 60 s at a million customers on SQLite (issue 16). Each run writes into a new
temporary directory, removed (untimed) after it.

Listed in ``bench/run.py``; standalone, against an existing database::

    .venv/bin/python bench/backup_cases.py --url sqlite:////path/crm1m.db [--runs 3]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import BenchContext, Rows, standalone
from services.access.keys import ensure_keys
from services.access.secrets import get_secrets
from services.backup import backup

BACKUP_MS = 60_000

CASES = Rows()


@CASES.case("backup: whole database", BACKUP_MS)
def backup_whole(ctx: BenchContext) -> Path:
    ensure_keys(ctx.engine)  # as every command does first (records fingerprints if new)
    out = Path(tempfile.mkdtemp(prefix="crm-bench-backup-"))
    backup(ctx.engine, out, get_secrets(), ctx.actor)
    return out


def _remove(_ctx: BenchContext, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)


CASES[-1] = type(CASES[-1])(CASES[-1].name, CASES[-1].budget_ms, CASES[-1].run, after=_remove)


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__, CASES))
