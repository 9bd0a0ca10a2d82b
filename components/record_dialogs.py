"""The service records of a profile (orders, contacts, visits, complaints, surveys, contracts):
each kind offers its "add" dialog and its "edit" dialog here, so the profile page offers them
without knowing each form.

A kind's module (``components/<kind>_ui.py``) defines the two dialogs with
``record_dialog_state.dialog`` and exposes ``DIALOGS: RecordDialogs``; it is listed in
``all_dialogs``. The profile calls ``add`` from its "add record" buttons and ``edit`` for a
row picked in the 时间线 (its timeline kind and record id).
"""

from __future__ import annotations

from components import (
    complaint_ui,
    contract_ui,
    follow_up_ui,
    interaction_ui,
    order_ui,
    renewal_ui,
    survey_ui,
)
from components.record_dialog_state import RecordDialogs, close, current
from services.access.roles import Actor
from services.customers import CustomerProfile


def all_dialogs() -> list[RecordDialogs]:
    """Every kind's dialogs, in the order of the profile's buttons."""
    return [order_ui.DIALOGS, interaction_ui.DIALOGS, follow_up_ui.DIALOGS,
            complaint_ui.DIALOGS, survey_ui.DIALOGS, contract_ui.DIALOGS, renewal_ui.DIALOGS]


def for_kind(kind: str) -> RecordDialogs | None:
    return next((d for d in all_dialogs() if d.kind == kind), None)


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
