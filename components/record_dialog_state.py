"""One record dialog of a profile: what a kind's dialogs are (``RecordDialogs``), which one is
open, and the ``st.dialog`` decorator they share.

Kept apart from ``components.record_dialogs`` (the list of every kind, in the profile's order),
which imports each kind's module: the kinds import this, not that, so nothing imports back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from components import concurrency
from services.access.roles import Actor
from services.customers import CustomerProfile

AddDialog = Callable[[CustomerProfile, Actor], None]
EditDialog = Callable[[CustomerProfile, Actor, int], None]


@dataclass(frozen=True)
class RecordDialogs:
    kind: str                 # the timeline kind ("order", "complaint", ...)
    label_key: str            # catalog key of the "add …" button
    icon: str
    add: AddDialog | None     # None: this kind is not added from the profile
    edit: EditDialog | None   # None: rows of this kind are not edited from the timeline


# ---- which dialog is open ----------------------------------------------------------------------

OPEN_KEY = "record_dialog_open"


def open_add(customer_id: int, kind: str) -> None:
    st.session_state[OPEN_KEY] = {"customer_id": customer_id, "kind": kind, "record_id": None}


def open_edit(customer_id: int, kind: str, record_id: int) -> None:
    st.session_state[OPEN_KEY] = {"customer_id": customer_id, "kind": kind,
                                  "record_id": record_id}


def close() -> None:
    st.session_state.pop(OPEN_KEY, None)


def current(customer_id: int) -> dict[str, Any] | None:
    state = st.session_state.get(OPEN_KEY)
    return state if state and state.get("customer_id") == customer_id else None


def finish(message: str) -> None:
    """Success: close the dialog, show ``message`` on the profile, rerun the app."""
    close()
    st.session_state["flash"] = message
    st.rerun()


def dialog(title: str, **kwargs: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``st.dialog`` that forgets the open dialog when the user dismisses it, and shows the
    stale-record message if its action loses a race (a dialog reruns without the page)."""
    decorate = st.dialog(title, on_dismiss=close, **kwargs)
    return lambda fn: decorate(concurrency.guarded(fn))
