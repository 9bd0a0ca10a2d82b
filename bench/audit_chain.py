"""What the audit chain costs an update import: 100,000 ``customer.import_update`` entries
inserted as before (one executemany, no chain) against ``services.audit.insert_rows`` and the
linking at commit, on a fresh migrated database (SQLite file or a PostgreSQL schema).

    .venv/bin/python bench/audit_chain.py [--entries 100000] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CRM_HASH_KEY", "bench-" + uuid.uuid4().hex)

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import AuditEntry  # noqa: E402
from services import audit, audit_chain  # noqa: E402


def _rows(n: int) -> list[dict[str, object]]:
    stamp = datetime.now(UTC)
    return [{"at": stamp, "user_id": None, "username": "clerk",
             "action": "customer.import_update", "entity": "customer", "entity_id": str(i),
             "changes": {"职位": ["经理", "总监"], "邮箱": ["a@example.cn", "b@example.cn"]},
             "detail": {"version": 3, "import_id": 7}} for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args(argv)
    schema = None
    if args.backend == "sqlite":
        tmp = tempfile.mkdtemp()
        url = f"sqlite:///{tmp}/bench.db"
    else:
        base = os.environ["CRM_TEST_POSTGRES_URL"]
        schema = "bench_" + uuid.uuid4().hex[:8]
        admin = make_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{base}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        rows = _rows(args.entries)
        started = time.perf_counter()
        with engine.begin() as conn:  # the path before the chain
            conn.execute(AuditEntry.__table__.insert(), rows)  # noqa: S608
        plain = time.perf_counter() - started
        # those entries are unlinked on purpose: link them so the next measure starts clean
        with engine.begin() as conn:
            audit_chain.link_unlinked(conn)
        started = time.perf_counter()
        with Session(engine) as session:
            audit.insert_rows(session, rows)
            session.commit()
        chained = time.perf_counter() - started
        with engine.connect() as conn:
            started = time.perf_counter()
            verdict = audit_chain.verify(conn)
            verify = time.perf_counter() - started
        assert verdict.ok, verdict
        print(f"{args.backend}: {args.entries:,} entries: insert {plain:.2f} s; "
              f"insert + chain {chained:.2f} s; verify-audit of {verdict.checked:,} "
              f"{verify:.2f} s")
    finally:
        engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
