"""Checks made before anything else on every run of the app."""

from __future__ import annotations

import sys

import streamlit as st

from components.i18n import lang
from db.engine import get_engine
from services.keys import KeysRefused, ensure_keys


def require_keys() -> None:
    """Stop every run, before the login, while the data keys do not fit the database: with
    another key nothing encrypted could be read and duplicates would silently not be found.
    Checked on every run, so a process left running with old keys after ``rotate-keys``
    stops too instead of writing under the old key."""
    try:
        ensure_keys(get_engine())
    except KeysRefused as exc:
        print(exc.message("en"), file=sys.stderr, flush=True)
        st.error(exc.message(lang()))
        st.stop()
