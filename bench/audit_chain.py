"""What the audit chain costs an update import: 100,000 ``customer.import_update`` entries
inserted as before (one executemany, no chain) against ``services.access.audit.insert_rows`` and the
linking at commit, on a fresh migrated database (SQLite file or a PostgreSQL schema).

    .venv/bin/python bench/audit_chain.py [--entries 100000] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import Session

from bench.harness import backend_options, migrated_database, throwaway_keys, timed
from db.models import AuditEntry
from services.access import audit, audit_chain


def _rows(n: int) -> list[dict[str, object]]:
    stamp = datetime.now(UTC)
    return [{"at": stamp, "user_id": None, "username": "clerk",
             "action": "customer.import_update", "entity": "customer", "entity_id": str(i),
             "changes": {"职位": ["经理", "总监"], "邮箱": ["a@example.cn", "b@example.cn"]},
             "detail": {"version": 3, "import_id": 7}, "salt": audit_chain.new_salt()}
            for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    backend_options(parser)
    args = parser.parse_args(argv)
    throwaway_keys()
    with migrated_database(args.backend, args.pg_url) as engine:
        rows = _rows(args.entries)
        with timed() as plain, engine.begin() as conn:  # the path before the chain
            conn.execute(AuditEntry.__table__.insert(), rows)
        # those entries are unlinked on purpose: link them so the next measure starts clean
        with engine.begin() as conn:
            audit_chain.link_unlinked(conn)
        with timed() as chained, Session(engine) as session:
            audit.insert_rows(session, rows)
            session.commit()
        with engine.connect() as conn, timed() as verify:
            verdict = audit_chain.verify(conn)
        assert verdict.ok, verdict
        print(f"{args.backend}: {args.entries:,} entries: insert {plain.ms / 1000:.2f} s; "
              f"insert + chain {chained.ms / 1000:.2f} s; verify-audit of {verdict.checked:,} "
              f"{verify.ms / 1000:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
