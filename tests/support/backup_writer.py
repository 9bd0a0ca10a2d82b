"""A second process writing customers, for tests/backup/test_backup_restore.py.

Usage: python -m tests.support.backup_writer DATABASE_URL PROGRESS_FILE STOP_FILE. Creates customers
through the service (validation, numbering, search index, audit chain), one transaction
each, and after every commit writes how many it has committed to PROGRESS_FILE, until
STOP_FILE exists (or 5,000 customers)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(url: str, progress: Path, stop: Path) -> int:
    os.environ["CRM_DATABASE_URL"] = url
    from db.engine import session_scope
    from services import customers as cr
    from services.access.roles import cli_actor

    actor = cli_actor(True)
    done = 0
    while not stop.exists() and done < 5000:
        with session_scope() as session:
            cr.create_customer(session, actor, {"name": f"并发写入{done}",
                                                "mobile": f"139{done:08d}"})
        done += 1
        tmp = progress.with_suffix(".tmp")
        tmp.write_text(str(done))
        os.replace(tmp, progress)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
