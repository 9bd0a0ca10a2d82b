"""Shared pieces of the service-record dialogs: per-field messages under the widgets, saving
with refusals shown in the dialog, and a confirmed delete.

A dialog keeps its field errors in ``st.session_state[<prefix>_errors]`` (field name → messages);
``save`` runs the service call, and on ``InvalidRecord`` stores the messages and reruns only the
dialog so each shows under its field with the user's input kept. On success it leaves a flash
message for the page and reruns the whole app, which closes the dialog and refreshes the
timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import streamlit as st
from sqlalchemy.orm import Session
from streamlit.errors import StreamlitAPIException

from components import record_dialog_state, validation_messages
from components.actions import write
from components.i18n import lang, tr
from components.text import md, plain
from core.errors import CatalogError
from services.access.roles import PermissionDenied
from services.customers import CustomerProfile
from services.records.input import InvalidRecord


def req(key: str) -> str:
    """The label of a required field (marked like the customer form's)."""
    return tr(key) + " *"


def _errors(prefix: str) -> dict[str, list[str]]:
    return st.session_state.setdefault(f"{prefix}_errors", {})


def field_errors(prefix: str, name: str) -> None:
    """The messages of one field, right under its widget."""
    for message in _errors(prefix).get(name, []):
        st.error(plain(message), icon=":material/error:")


def general_errors(prefix: str) -> None:
    for message in _errors(prefix).get("", []):
        st.error(plain(message), icon=":material/error:")


def clear(prefix: str) -> None:
    st.session_state.pop(f"{prefix}_errors", None)


def rerun_dialog() -> NoReturn:
    """Rerun just the dialog when it runs on its own (a fragment rerun), else the whole app
    (the open dialog is kept in session state, so it comes back either way). Never returns:
    both reruns raise Streamlit's rerun signal."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def run(prefix: str, action: Callable[[Session], object]) -> bool:
    """Run ``action(session)`` (a service call) in its own unit of work from a dialog: field
    errors go under their fields and any other refusal at the top (the dialog reruns with the
    input kept); True when it went through."""
    try:
        write(action)
    except InvalidRecord as exc:
        found: dict[str, list[str]] = {}
        for field, message in validation_messages.messages(exc.errors):
            name = field.split(".", 1)[-1] if field else ""
            found.setdefault(name, []).append(message)
        st.session_state[f"{prefix}_errors"] = found
        rerun_dialog()
    except CatalogError as exc:
        st.session_state[f"{prefix}_errors"] = {"": [exc.message(lang())]}
        rerun_dialog()
    except PermissionDenied:
        st.session_state[f"{prefix}_errors"] = {"": [tr("auth.forbidden", role="—")]}
        rerun_dialog()
    clear(prefix)
    return True


def save(prefix: str, action: Callable[[Session], object], success_key: str,
         **params: object) -> None:
    """``run``, then on success flash ``success_key`` on the profile and close the dialog."""
    if run(prefix, action):
        record_dialog_state.finish(md(success_key, **params))


def add_dialog(p: CustomerProfile, title_key: str, prefix: str,
               fields: Callable[[str], dict[str, Any]] | None = None,
               store: Callable[[Session, dict[str, Any]], object] | None = None,
               success_key: str = "", *, enter_to_submit: bool = False,
               note_key: str | None = None, body: Callable[[str], None] | None = None) -> None:
    """The "add" dialog of every record kind: whose record it is, the refusals, the kind's
    fields in a form, and saving through ``store(session, raw)`` with the refusals shown in
    the dialog. A kind whose dialog is more than one form (a visit: planned or recorded)
    passes ``body(prefix)``, which draws and saves itself, instead of ``fields``/``store``."""
    @record_dialog_state.dialog(tr(title_key), width="medium")
    def dialog() -> None:
        st.caption(plain(tr("recform.for_customer", name=p.name, customer_no=p.customer_no)))
        general_errors(prefix)
        if body is not None:
            body(prefix)
            return
        if fields is None or store is None:
            raise TypeError("add_dialog needs fields and store, or body")
        with st.form(prefix, border=False, enter_to_submit=enter_to_submit):
            raw = fields(prefix)
            if note_key:
                st.caption(tr(note_key))
            submitted = st.form_submit_button(tr("recform.save"), type="primary",
                                              icon=":material/save:")
        if submitted:
            save(prefix, lambda session: store(session, raw), success_key)

    dialog()


def delete_section(prefix: str, action: Callable[[Session], object], success_key: str) -> None:
    """A delete button behind a confirmation checkbox (for those who may delete records)."""
    st.divider()
    sure = st.checkbox(tr("recform.delete.confirm"), key=f"{prefix}_del_sure")
    if st.button(tr("recform.delete"), key=f"{prefix}_del", icon=":material/delete:",
                 disabled=not sure):
        save(prefix, action, success_key)
