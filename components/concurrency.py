"""The one place a lost race becomes the stale-record message instead of an error box, and
an unexpected error a short message with its request id.

The sessions of ``components.actions`` turn every database sign of a race into
``core.errors.ConcurrentChange``. Components that catch ``CatalogError`` already show its
message in place; everything else reaches ``stale_message`` around the page (``app.py``) or
around a dialog, which reruns on its own without passing through ``app.py``. Any other error is
logged (``core.logs``: class and code locations, never its message) and the person sees only
"出错了" with the request id of that log line, never a traceback. ``CRM_RAISE_ERRORS`` (tests,
development) lets it reach Streamlit instead, so that AppTest and the browser tests see it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st

from components.actions import lost_race, stale_warning
from components.i18n import tr
from core import logs

P = ParamSpec("P")


@contextmanager
def stale_message() -> Iterator[None]:
    """Show the stale-record message for a lost race raised inside, the short error message
    for anything else (Streamlit's rerun and stop signals are ``BaseException`` and pass
    untouched)."""
    try:
        yield
    except Exception as exc:
        if lost_race(exc):
            stale_warning()
            return
        unexpected(exc)


def unexpected(exc: Exception) -> None:
    """Log ``exc`` under this run's request id and tell the person that id, nothing more."""
    request = logs.request_id() or logs.begin_request()
    logs.error("page.error", exc)
    if os.environ.get("CRM_RAISE_ERRORS"):
        raise exc
    st.error(tr("ops.error.unexpected", request=request), icon=":material/error:")


def guarded(fn: Callable[P, None]) -> Callable[P, None]:
    """``fn`` with ``stale_message`` around it: for dialogs and fragments."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        with stale_message():
            fn(*args, **kwargs)

    return wrapper
