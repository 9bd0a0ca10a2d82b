"""Showing user text safely: Streamlit renders Markdown, user data must stay literal."""

from __future__ import annotations

import re
from datetime import date, datetime

from components.i18n import tr
from core.clock import shown

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def plain(text: object) -> str:
    """Escape Markdown so a customer's name like ``*Ltd*`` or ``[x](y)`` shows as typed."""
    return _MARKDOWN.sub(r"\\\1", "" if text is None else str(text))


def md(key: str, **params: object) -> str:
    """A catalog message for a place Streamlit renders as Markdown (headings, captions, alerts,
    toasts, button/expander/tab/metric labels): every parameter escaped, since parameters
    carry user text (names, file names, contract numbers) and the catalog text does not."""
    return tr(key, **{k: plain(v) if isinstance(v, str) else v for k, v in params.items()})


def fmt_when(value: datetime | date | None) -> str:
    """A date or time in the configured zone, or "—" when there is none (profiles, lists)."""
    return shown(value) or "—"
