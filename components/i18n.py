"""The current user's language, and translation through the one catalog."""

from __future__ import annotations

import streamlit as st

from services.i18n import label, t
from services.settings import get_settings

LANG_KEY = "crm_lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY) or get_settings().language


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def lbl(value: str | None) -> str:
    """Display label of a stored vocabulary value in the current language."""
    return label(value, lang())
