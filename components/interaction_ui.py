"""沟通记录 dialogs of the profile: add a contact, correct or delete one picked in the 时间线."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components import record_dialog_state, record_form
from components.actions import write
from components.i18n import lbl, tr
from components.record_dialog_state import RecordDialogs
from components.text import plain
from core import clock
from core.errors import CatalogError
from core.vocab import InteractionMethod
from services.access.roles import Actor, Perm
from services.customers import CustomerProfile
from services.records.contacts import (
    CONTENT_MAX,
    add_interaction,
    delete_interaction,
    get_interaction,
    update_interaction,
)

_METHODS = [m.value for m in InteractionMethod]


def _fields(prefix: str, start: dict[str, Any]) -> dict[str, Any]:
    now = clock.local(start.get("occurred_at") or clock.now())
    assert now is not None
    left, mid, right = st.columns([2, 2, 3])
    with left:
        day = st.date_input(record_form.req("field.interaction.date"), value=now.date(),
                            max_value=clock.today(), min_value=date(2000, 1, 1),
                            format="YYYY-MM-DD", key=f"{prefix}_date")
    with mid:
        at = st.time_input(record_form.req("field.interaction.time"), value=now.time().replace(
            second=0, microsecond=0), step=300, key=f"{prefix}_time")
    with right:
        method = st.selectbox(record_form.req("field.interaction.method"), _METHODS,
                              index=_METHODS.index(start.get("method", _METHODS[0])),
                              format_func=lbl, key=f"{prefix}_method")
    record_form.field_errors(prefix, "occurred_at")
    record_form.field_errors(prefix, "method")
    content = st.text_area(record_form.req("field.interaction.content"),
                           value=start.get("content", ""), max_chars=CONTENT_MAX, height=120,
                           key=f"{prefix}_content",
                           placeholder=tr("interactions.content.placeholder"))
    record_form.field_errors(prefix, "content")
    occurred = None
    if day is not None and at is not None:
        occurred = datetime.combine(day, at if isinstance(at, time) else time(),
                                    tzinfo=clock.LOCAL_TZ)
        if start.get("occurred_at") is not None and occurred == now.replace(second=0,
                                                                             microsecond=0):
            occurred = start["occurred_at"]  # untouched: keep the stored seconds
    return {"occurred_at": occurred, "method": method, "content": content}


def add(p: CustomerProfile, actor: Actor) -> None:
    record_form.add_dialog(p, "interactions.add.title", f"contact_add_{p.id}",
                           lambda prefix: _fields(prefix, {}),
                           lambda session, raw: add_interaction(session, actor, p.id, raw),
                           "interactions.added")


def edit(p: CustomerProfile, actor: Actor, interaction_id: int) -> None:
    @record_dialog_state.dialog(tr("interactions.edit.title"), width="medium")
    def dialog() -> None:
        prefix = f"contact_edit_{interaction_id}"
        try:
            row = write(lambda session: get_interaction(session, actor, interaction_id))
        except CatalogError:
            st.warning(tr("interactions.error.gone"))
            return
        st.caption(plain(tr("recform.for_customer", name=p.name, customer_no=p.customer_no)))
        record_form.general_errors(prefix)
        with st.form(prefix, border=False, enter_to_submit=False):
            raw = _fields(prefix, row.values())
            submitted = st.form_submit_button(tr("recform.save"), type="primary",
                                              icon=":material/save:")
        if submitted:
            def _save(session: Session) -> None:
                update_interaction(session, actor, interaction_id, raw)
            record_form.save(prefix, _save, "interactions.saved")
        if actor.can(Perm.DELETE_CUSTOMERS):
            def _delete(session: Session) -> None:
                delete_interaction(session, actor, interaction_id)
            record_form.delete_section(prefix, _delete, "interactions.deleted")

    dialog()


DIALOGS = RecordDialogs(kind="interaction", label_key="interactions.add",
                        icon=":material/forum:", add=add, edit=edit)
