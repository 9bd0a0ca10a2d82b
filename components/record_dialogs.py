"""The service records of a profile (orders, contacts, visits, complaints, surveys, contracts):
each kind registers its "add" dialog and its "edit" dialog here, so the profile page offers
them without knowing each form.

A kind's module (``components/<kind>_ui.py``) defines the two dialogs with ``@st.dialog`` and
is listed in ``_MODULES``; it exposes ``DIALOGS: RecordDialogs``. The profile calls ``add``
from its "add record" buttons and ``edit`` for a row picked in the 时间线 (its timeline kind and
record id).
"""

from __future__ import annotations

import importlib
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


# Modules defining ``DIALOGS``, in the order of the profile's buttons.
_MODULES: tuple[str, ...] = (
    "components.order_ui",
    "components.interaction_ui",
    "components.follow_up_ui",
    "components.complaint_ui",
    "components.survey_ui",
    "components.contract_ui",
    "components.renewal_ui",
)


def all_dialogs() -> list[RecordDialogs]:
    return [importlib.import_module(name).DIALOGS for name in _MODULES]


def for_kind(kind: str) -> RecordDialogs | None:
    return next((d for d in all_dialogs() if d.kind == kind), None)


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


def show_open(p: CustomerProfile, actor: Actor) -> None:
    """Call the dialog that is open for this customer, if any (the profile does, every run)."""
    state = current(p.id)
    if state is None:
        return
    dialogs = for_kind(state["kind"])
    if dialogs is None:
        close()
        return
    if state["record_id"] is None:
        if dialogs.add is None or not p.can_edit or p.deleted:
            close()
            return
        dialogs.add(p, actor)
    else:
        if dialogs.edit is None:
            close()
            return
        dialogs.edit(p, actor, int(state["record_id"]))
