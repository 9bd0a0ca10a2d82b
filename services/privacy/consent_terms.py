"""The words of consent (个人信息授权), without the database: purposes, channels, the Excel
columns and how their cells read. Light on purpose: the Excel import's parsing child process
reads 服务授权 / 营销授权 cells with it, and must not load the services behind the ledger
(``services.privacy.consent``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final


class Purpose(StrEnum):
    SERVICE = "服务"
    MARKETING = "营销"


class Channel(StrEnum):
    FORM = "表单"
    PHONE = "电话"
    ONLINE = "在线"
    VISIT = "拜访"
    IMPORT = "导入"
    OTHER = "其他"


PURPOSES: Final = tuple(Purpose)
CHANNELS: Final = tuple(Channel)
HAND_CHANNELS: Final = tuple(c for c in Channel if c is not Channel.IMPORT)
"""Channels a person picks in the app (导入 is written by the Excel import only)."""
NOTE_MAX: Final = 500
STATES: Final = ("granted", "withdrawn", "none")
"""List filter values: granted now, withdrawn now, never recorded."""

CACHE_COLUMN: Final = {Purpose.SERVICE: "consent_service", Purpose.MARKETING: "consent_marketing"}
"""The customer column caching each purpose's state; also the audit's change key and the
Excel column's key."""
CONSENT_KEYS: Final = (CACHE_COLUMN[Purpose.SERVICE], CACHE_COLUMN[Purpose.MARKETING])
PURPOSE_OF: Final = {column: purpose for purpose, column in CACHE_COLUMN.items()}
IMPORT_HEADERS: Final = {Purpose.SERVICE: "服务授权", Purpose.MARKETING: "营销授权"}
"""Excel columns of the customer template, import and export (是 / 否 / blank)."""
_YES: Final = frozenset({"是", "y", "yes", "true", "1", "同意", "已授权", "授权", "✓", "√"})
_NO: Final = frozenset({"否", "n", "no", "false", "0", "不同意", "未授权", "撤回", "已撤回",
                        "✗", "×"})


def parse_flag(value: Any) -> bool | None:
    """An import cell: 是 -> True, 否 -> False, blank -> None (the state is left as it is).

    Raises ``ValueError`` for anything else (the import rejects the row naming the column)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(text)


def flag_text(granted: bool | None) -> str | None:
    """The import/export cell of a state: 是 / 否 / blank."""
    return None if granted is None else ("是" if granted else "否")
