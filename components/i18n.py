"""The current user's language, and translation through the one catalog."""

from __future__ import annotations

import streamlit as st

from core.i18n import label, pick_language, t
from core.settings import get_settings

LANG_KEY = "crm_lang"


def lang() -> str:
    """Always a supported code: whatever the session holds (a stale or typed value) falls back
    to the configured language rather than reaching a lookup that would raise."""
    return pick_language(st.session_state.get(LANG_KEY), get_settings().language)


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def lbl(value: str | None) -> str:
    """Display label of a stored vocabulary value in the current language."""
    return label(value, lang())
