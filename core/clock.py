"""The one source of 'now', so tests can reason about time and every timestamp is aware."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.settings import DEFAULT_TIME_ZONE, ConfigError, get_settings


def _configured_zone() -> ZoneInfo:
    """The zone of ``[app] time_zone``, read once per process: a person reads every time in
    it. A broken config falls back to China Standard Time here only so that importing this
    module cannot fail; the start-up check of the app and of every command then stops with the
    configuration message."""
    try:
        return get_settings().zone
    except ConfigError:
        return ZoneInfo(DEFAULT_TIME_ZONE)


LOCAL_TZ = _configured_zone()


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the staff work (``[app] time_zone``)."""
    return datetime.now(LOCAL_TZ).date()


def local(dt: datetime | None) -> datetime | None:
    """For display: the same instant in the configured zone."""
    return dt.astimezone(LOCAL_TZ) if dt is not None else None


MINUTES = "%Y-%m-%d %H:%M"
SECONDS = "%Y-%m-%d %H:%M:%S"


def shown(value: datetime | date | None, *, seconds: bool = False) -> str:
    """The one way a time reaches a person (screen, caption, message, export text): in
    LOCAL_TZ, never the server's zone or UTC. A naive datetime is taken as UTC, as stored."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(LOCAL_TZ).strftime(SECONDS if seconds else MINUTES)
    return value.strftime("%Y-%m-%d")


def shown_text(text: str) -> str:
    """A timestamp kept as ISO text (audit details and changes store them so) shown like any
    other time; any other text, dates included, unchanged."""
    if len(text) < 19 or text[10:11] != "T":
        return text
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return text
    return shown(parsed) if parsed.tzinfo is not None else text


def shown_day(value: datetime | date | None) -> str:
    """The local calendar day of a moment (a list's 创建日期), as ``shown`` writes dates."""
    if isinstance(value, datetime):
        return shown(value)[:10]
    return shown(value)
