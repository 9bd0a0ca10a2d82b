"""Showing user text safely: Streamlit renders Markdown, user data must stay literal."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def plain(text: object) -> str:
    """Escape Markdown so a customer's name like ``*Ltd*`` or ``[x](y)`` shows as typed."""
    return _MARKDOWN.sub(r"\\\1", "" if text is None else str(text))
