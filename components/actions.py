"""The one door from the UI to the database: screens and the other components never import
``db``; they open their sessions here (a layering test checks it).

``perform`` is the common case of a button: open a session, call a service, commit, and turn
the refusals the person can act on into a message in place (a ``CatalogError``: validation,
a rule of the service, a record deleted meanwhile; a lost race shows the stale-record message,
as everywhere). ``write(fn)`` and ``read(fn)`` run one call and return its value: in a unit of
work (a write whose refusals the caller shows its own way, or a read whose service writes an
audit entry) and on a read-only session. ``writing`` and ``reading`` are the bare sessions, for
a block that needs one session across several calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from components.i18n import lang
from components.text import plain
from core.errors import CatalogError, ConcurrentChange
from db.engine import get_engine, is_concurrency_failure, read_scope, session_scope

T = TypeVar("T")


@contextmanager
def writing() -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back on any error; a lost race
    leaves as ``ConcurrentChange``."""
    with session_scope() as session:
        yield session


@contextmanager
def reading() -> Iterator[Session]:
    """A session that only reads (each statement on its own, writes refused)."""
    with read_scope() as session:
        yield session


def write(action: Callable[[Session], T]) -> T:
    """``action(session)`` in its own unit of work, committed; its value. Refusals go up."""
    with session_scope() as session:
        return action(session)


def read(action: Callable[[Session], T]) -> T:
    """``action(session)`` on a read-only session; its value."""
    with read_scope() as session:
        return action(session)


def engine() -> Engine:
    """The app's engine, for the few services that open their own sessions (a demo reset,
    the start-up checks)."""
    return get_engine()


def lost_race(exc: BaseException) -> bool:
    """``ConcurrentChange``, or a raw race from a session opened outside ``writing``."""
    return isinstance(exc, ConcurrentChange) or is_concurrency_failure(exc)


def stale_warning() -> None:
    """The stale-record message: someone else changed these records first."""
    st.warning(ConcurrentChange().message(lang()), icon=":material/sync:")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What ``perform`` did: the service's result, or the refusal it showed."""

    value: T | None = None
    refusal: CatalogError | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def perform(action: Callable[[Session], T], *,
            refusals: tuple[type[CatalogError], ...] = (CatalogError,),
            show: Callable[[str], object] | None = None) -> Outcome[T]:
    """Run ``action(session)`` in its own unit of work. A refusal of the kinds in
    ``refusals`` is shown (``show``, else an error box; a lost race as the stale-record
    warning) and returned, nothing saved; any other error goes up as before."""
    try:
        with session_scope() as session:
            value = action(session)
    except ConcurrentChange as exc:
        stale_warning()
        return Outcome(refusal=exc)
    except refusals as exc:
        message = plain(exc.message(lang()))
        if show is not None:
            show(message)
        else:
            st.error(message)
        return Outcome(refusal=exc)
    return Outcome(value=value)
