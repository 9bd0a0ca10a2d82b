"""Checks made before anything else on every run of the app."""

from __future__ import annotations

import sys

import streamlit as st

from components.actions import engine
from components.i18n import lang
from core import logs
from core.i18n import t
from core.settings import ConfigError, get_settings
from db.migrate import schema_state
from services.access.keys import KeysRefused, ensure_keys


def require_config() -> None:
    """Stop every run, before anything reads a setting, while ``config.toml`` (or
    ``CRM_CONFIG``, or a ``CRM_*`` variable) is wrong: the person sees which key and the
    nearest valid name, never a traceback; the server's log gets the same line. Read on every
    run but cached, so a corrected file needs a restart, as any setting does."""
    try:
        get_settings()
    except ConfigError as exc:
        print(exc.message("en"), file=sys.stderr, flush=True)
        st.error(exc.message())
        st.stop()


def require_schema() -> None:
    """Stop every run, before any query, while the database is not at this code's schema:
    a person is told what to run instead of seeing a failed query. The app does not migrate
    by itself: a migration of a database holding data should follow a backup, and the app's
    database account need not have the right to change tables."""
    state = schema_state(engine())
    if state == "current":
        return
    print(t(f"shell.schema.{state}", "en"), file=sys.stderr, flush=True)
    st.error(t(f"shell.schema.{state}", lang()))
    st.stop()


def require_keys() -> None:
    """Stop every run, before the login, while the data keys do not fit the database: with
    another key nothing encrypted could be read and duplicates would silently not be found.
    Checked on every run, so a process left running with old keys after ``rotate-keys``
    stops too instead of writing under the old key."""
    try:
        ensure_keys(engine())
    except KeysRefused as exc:
        print(exc.message("en"), file=sys.stderr, flush=True)
        st.error(exc.message(lang()))
        st.stop()


def start_request() -> str:
    """Send the logs where ``[logs]`` says (idempotent) and open this run's request: its id is
    on every log line of the run and on the message of an unexpected error."""
    settings = get_settings()
    logs.configure(file=settings.log_path, stderr=settings.log_stderr, level=settings.log_level,
                   slow_query_ms=settings.slow_query_ms)
    return logs.begin_request()
