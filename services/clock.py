"""The one source of 'now', so tests can reason about time and every timestamp is aware."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the staff work (China Standard Time)."""
    return datetime.now(LOCAL_TZ).date()


def local(dt: datetime | None) -> datetime | None:
    """For display: the same instant in China Standard Time."""
    return dt.astimezone(LOCAL_TZ) if dt is not None else None
