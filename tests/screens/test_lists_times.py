"""Bug 4 of issue 14: one time zone (core.clock.LOCAL_TZ) wherever a person reads a time.

The import history showed UTC (07:26) beside Beijing time elsewhere (15:26) and audit details
carried UTC ISO strings. Every time now goes through ``core.clock.shown``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from core.clock import shown, shown_text
from core.vocab import Role
from db.models import ImportHold, ImportRun
from services.access import audit
from tests.support.app import logged_in
from tests.support.factories import actor_for

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2026, 12, 5, 7, 26, 40, tzinfo=UTC)  # 15:26 in Beijing


def test_shown_is_local_time() -> None:
    assert shown(WHEN) == "2026-12-05 15:26"
    assert shown(WHEN, seconds=True) == "2026-12-05 15:26:40"
    assert shown(WHEN.replace(tzinfo=None)) == "2026-12-05 15:26"  # naive means UTC
    assert shown(None) == ""
    assert shown_text(WHEN.isoformat()) == "2026-12-05 15:26"
    assert shown_text("2026-12-05") == "2026-12-05"
    assert shown_text("T-shirt 2026") == "T-shirt 2026"


def test_no_module_formats_a_time_itself() -> None:
    """strftime / astimezone() outside core/clock.py is how UTC leaked onto the screen."""
    offenders = []
    for folder in ("screens", "components", "services", "core"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "core" / "clock.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\.strftime\(|\.astimezone\(\)", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_pages_show_a_known_utc_time_in_local_time(app_people, db) -> None:
    admin = app_people[Role.ADMIN]
    db.add(ImportRun(kind="customers", file_name="clients.xlsx", user_id=admin.id,
                     username=admin.username, created_at=WHEN, on_duplicate="skip",
                     inserted=1, updated=0, duplicates=0, rejected=0, blank=0))
    db.add(ImportHold(created_at=WHEN, user_id=admin.id, username=admin.username,
                      file_name="held.xlsx", on_duplicate="skip", rows=1, payload="x"))
    admin.last_login_at = WHEN
    audit.record(db, actor_for(admin), "customer.update", "customer", 1,
                 changes={"last_reviewed_at": [None, WHEN.isoformat()]},
                 detail={"until": WHEN})
    db.commit()
    at = logged_in(Role.ADMIN).run()
    for page in ("screens/customers/import_export.py", "screens/admin/users.py",
                 "screens/admin/audit.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        shown_frames = "\n".join(f.value.to_string() for f in at.dataframe)
        assert "15:26" in shown_frames, page
        assert "07:26" not in shown_frames, page
        assert "T07:26" not in shown_frames and "+00:00" not in shown_frames, page
