"""The one place a lost race becomes the stale-record message instead of an error box.

``db.engine.session_scope`` turns every database sign of a race into
``services.errors.ConcurrentChange``. Components that catch ``CatalogError`` already show its
message in place; everything else reaches ``stale_message`` around the page (``app.py``) or
around a dialog, which reruns on its own without passing through ``app.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st

from components.i18n import lang
from db.engine import is_concurrency_failure
from services.errors import ConcurrentChange

P = ParamSpec("P")


def is_lost_race(exc: BaseException) -> bool:
    """``ConcurrentChange``, or a raw race from a session opened outside ``session_scope``."""
    return isinstance(exc, ConcurrentChange) or is_concurrency_failure(exc)


def show() -> None:
    st.warning(ConcurrentChange().message(lang()), icon=":material/sync:")


@contextmanager
def stale_message() -> Iterator[None]:
    """Show the stale-record message for a lost race raised inside; re-raise anything else
    (Streamlit's rerun and stop signals are ``BaseException`` and pass untouched)."""
    try:
        yield
    except Exception as exc:
        if not is_lost_race(exc):
            raise
        show()


def guarded(fn: Callable[P, None]) -> Callable[P, None]:
    """``fn`` with ``stale_message`` around it: for dialogs and fragments."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        with stale_message():
            fn(*args, **kwargs)

    return wrapper
