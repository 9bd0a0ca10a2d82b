"""投诉 dialogs: record a complaint from the profile, and the complaint's detail with its
handling history and the workflow steps its state allows (start, add a step, resolve with the
solution and the customer's satisfaction, close, reopen, assign), corrections and delete.

The detail dialog is the same from the profile's 时间线 and from the 投诉处理 queue. A workflow
step keeps it open (the app reruns and the caller calls it again while it is marked open) and
shows what was done inside it; dismissing it reruns the page underneath.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from components import concurrency, record_dialog_state, record_form, records_ui
from components.actions import write
from components.i18n import lang, lbl, tr
from components.record_dialog_state import RecordDialogs
from components.tables import data_table
from components.text import md
from core import clock
from core.clock import LOCAL_TZ
from core.errors import CatalogError
from core.vocab import (
    COMPLAINT_TYPES,
    SATISFACTION_LABELS,
    ComplaintChannel,
    ComplaintStatus,
)
from services.access.roles import Actor
from services.customers import CustomerProfile
from services.records import complaints as svc
from services.records.surveys import SURVEY_CHANNELS

CHANNEL_ICONS = {ComplaintChannel.PHONE.value: ":material/call:",
                 ComplaintChannel.EMAIL.value: ":material/mail:",
                 ComplaintChannel.ONLINE_CHAT.value: ":material/chat:",
                 ComplaintChannel.FEEDBACK_FORM.value: ":material/description:"}
STATUS_COLORS = {ComplaintStatus.OPEN.value: "orange", ComplaintStatus.IN_PROGRESS.value: "blue",
                 ComplaintStatus.RESOLVED.value: "green", ComplaintStatus.CLOSED.value: "gray"}
_CHANNELS = [c.value for c in ComplaintChannel]
QUEUE_OPEN_KEY = "complaint_detail_open"
_SCORES = [None, *sorted(SATISFACTION_LABELS, reverse=True)]


def fmt_time(value: datetime | None) -> str:
    return clock.shown(value) or "—"


def score_label(score: int | None) -> str:
    if score is None:
        return tr("recform.none")
    return f"{score} · {lbl(SATISFACTION_LABELS[score])}"


def _now_local() -> datetime:
    return clock.now().astimezone(LOCAL_TZ).replace(tzinfo=None, second=0, microsecond=0)


def _aware(value: datetime | None) -> datetime | None:
    """The picker's wall-clock time, read as China time."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value


def _fields(prefix: str, start: dict[str, Any], *, with_solution: bool = False) -> dict[str, Any]:
    """The complaint's own fields (inside an ``st.form``); returns the raw values."""
    values: dict[str, Any] = {}
    left, right = st.columns(2)
    with left:
        channel = start.get("channel") or ComplaintChannel.PHONE.value
        values["channel"] = st.selectbox(tr("field.complaint.channel") + " *", _CHANNELS,
                                         index=_CHANNELS.index(channel), format_func=lbl,
                                         key=f"{prefix}_channel")
        record_form.field_errors(prefix, "channel")
    with right:
        ctype = start.get("complaint_type")
        values["complaint_type"] = st.selectbox(
            tr("field.complaint.complaint_type") + " *", list(COMPLAINT_TYPES),
            index=list(COMPLAINT_TYPES).index(ctype) if ctype in COMPLAINT_TYPES else None,
            format_func=lbl, placeholder=tr("form.choose"), key=f"{prefix}_type")
        record_form.field_errors(prefix, "complaint_type")
    values["description"] = st.text_area(tr("field.complaint.description") + " *",
                                         value=start.get("description", ""), height=100,
                                         max_chars=svc.MAX_TEXT, key=f"{prefix}_description")
    record_form.field_errors(prefix, "description")
    received = start.get("received_at")
    now = _now_local()
    received_local = clock.local(received).replace(tzinfo=None) if received else now
    values["received_at"] = _aware(st.datetime_input(
        tr("field.complaint.received_at"), value=received_local, max_value=now,
        min_value=datetime(2000, 1, 1), format="YYYY-MM-DD", step=timedelta(minutes=1),
        key=f"{prefix}_received_at"))
    record_form.field_errors(prefix, "received_at")
    if with_solution:
        values["solution"] = st.text_area(tr("field.complaint.solution") + " *",
                                          value=start.get("solution") or "", height=80,
                                          max_chars=svc.MAX_TEXT, key=f"{prefix}_solution")
        record_form.field_errors(prefix, "solution")
    return values


# ---- add ----------------------------------------------------------------------------------------


def _add_fields(prefix: str, actor: Actor) -> dict[str, Any]:
    """The new complaint's fields and who handles it."""
    handlers = write(lambda session: svc.handler_choices(session, actor))
    raw = _fields(prefix, {})
    raw["handler_id"] = st.selectbox(
        tr("field.complaint.handler"), [None, *handlers], index=0,
        format_func=lambda u: tr("complaints.unassigned") if u is None else handlers[u],
        key=f"{prefix}_handler")
    record_form.field_errors(prefix, "handler")
    return raw


def add(p: CustomerProfile, actor: Actor) -> None:
    record_form.add_dialog(p, "complaints.add.title", f"complaint_add_{p.id}",
                           lambda prefix: _add_fields(prefix, actor),
                           lambda session, raw: svc.create_complaint(session, actor, p.id, raw),
                           "complaints.added")


# ---- the detail and its workflow ----------------------------------------------------------------


def _done_key(complaint_id: int) -> str:
    return f"complaint_{complaint_id}_done"


def _step(prefix: str, complaint_id: int, action: Callable[[Session], object], done_key: str,
          reset: str | None = None) -> None:
    """Run one workflow step; refusals show in the dialog, field problems under their field;
    success reruns the app with the dialog kept open and says what was done."""
    record_form.run(prefix, action)
    if reset is not None:  # the step is done: no step picked for the next one
        st.session_state.pop(reset, None)
    st.session_state[_done_key(complaint_id)] = tr(done_key)
    st.rerun()


def _facts(d: svc.ComplaintDetail) -> None:
    badges = st.container(horizontal=True)
    with badges:
        st.badge(lbl(d.status), color=STATUS_COLORS.get(d.status, "gray"),  # type: ignore[arg-type]
                 icon=":material/flag:")
        if d.overdue:
            st.badge(tr("complaints.overdue_badge", hours=_overdue_hours()), color="red",
                     icon=":material/warning:")
        st.badge(lbl(d.channel), color="gray", icon=CHANNEL_ICONS.get(d.channel))
        st.badge(lbl(d.complaint_type), color="violet", icon=":material/category:")
    records_ui.profile_link(d.customer_id, md("complaints.customer_link", name=d.customer_name,
                                                customer_no=d.customer_no))
    cols = st.columns(3)
    pairs = [
        ("field.complaint.received_at", fmt_time(d.received_at)),
        ("field.complaint.handler", d.handler or tr("complaints.unassigned")),
        ("complaints.waiting" if d.resolution_minutes is None else "complaints.resolution_time",
         svc.duration_text(d.resolution_minutes if d.resolution_minutes is not None
                           else d.age_minutes, lang())),
    ]
    if d.resolved_at:
        pairs.append(("complaints.resolved_at", fmt_time(d.resolved_at)))
    if d.closed_at:
        pairs.append(("complaints.closed_at", fmt_time(d.closed_at)))
    for i, (key, value) in enumerate(pairs):
        with cols[i % 3]:
            st.caption(tr(key))
            st.text(value)
    st.caption(tr("field.complaint.description"))
    st.text(d.description)
    if d.solution:
        st.caption(tr("field.complaint.solution"))
        st.text(d.solution)
    for s in d.surveys:
        st.caption(tr("complaints.linked_survey"))
        st.text(tr("complaints.linked_survey.text", score=s.score, label=s.label(lang()),
                   date=s.survey_date.isoformat(), comment=s.comment or "—"))


def _overdue_hours() -> int:
    from core.settings import get_settings

    return get_settings().complaint_overdue_hours


def _history(d: svc.ComplaintDetail) -> None:
    st.markdown(f"**{tr('complaints.history')}**")
    if d.events:
        data_table(pd.DataFrame([{
            tr("complaints.col.when"): fmt_time(e.at),
            tr("complaints.col.by"): e.user,
            tr("complaints.col.step"): e.action_label(lang()),
            tr("complaints.col.status_change"): (
                f"{lbl(e.from_status)} → {lbl(e.to_status)}" if e.to_status and e.from_status
                else lbl(e.to_status) if e.to_status else ""),
            tr("complaints.col.note"): e.note or "",
        } for e in d.events]), hide_index=True, width="stretch")
    if d.legacy_steps:
        st.caption(tr("complaints.legacy_steps"))
        data_table(pd.DataFrame({tr("complaints.col.step"): d.legacy_steps}),
                   hide_index=True, width="stretch")
    if not d.events and not d.legacy_steps:
        st.caption(tr("complaints.history.none"))


def _workflow(d: svc.ComplaintDetail, actor: Actor, prefix: str, seen: int) -> None:
    if not d.actions:
        return
    st.markdown(f"**{tr('complaints.workflow')}**")
    action = st.segmented_control(
        tr("complaints.workflow.pick"), list(d.actions),
        format_func=lambda a: tr(f"complaints.action.{a}"), key=f"{prefix}_action",
        label_visibility="collapsed")
    if action is None:
        st.caption(tr("complaints.workflow.hint", status=lbl(d.status)))
        return
    cid, version = d.id, seen
    with st.form(f"{prefix}_{action}", border=True, enter_to_submit=False):
        values: dict[str, Any] = {}
        if action == "resolve":
            values["solution"] = st.text_area(tr("field.complaint.solution") + " *",
                                              value=d.solution or "", height=80,
                                              max_chars=svc.MAX_TEXT, key=f"{prefix}_solution")
            record_form.field_errors(prefix, "solution")
            st.caption(tr("complaints.resolve.survey_hint"))
            left, right = st.columns(2)
            with left:
                values["score"] = st.selectbox(tr("field.survey.score"), _SCORES, index=0,
                                               format_func=score_label, key=f"{prefix}_score")
                record_form.field_errors(prefix, "score")
            with right:
                values["channel"] = st.selectbox(
                    tr("field.survey.channel"), list(SURVEY_CHANNELS), index=0,
                    format_func=lbl, key=f"{prefix}_survey_channel")
            values["comment"] = st.text_input(tr("field.survey.comment"),
                                              key=f"{prefix}_survey_comment")
            record_form.field_errors(prefix, "comment")
        elif action == "assign":
            handlers = write(lambda session: svc.handler_choices(session, actor))
            options = [None, *handlers]
            if d.handler_id is not None and d.handler_id not in handlers:
                options.insert(1, d.handler_id)
                handlers = {**handlers, d.handler_id: d.handler or "—"}
            values["handler_id"] = st.selectbox(
                tr("field.complaint.handler"), options, index=options.index(d.handler_id),
                format_func=lambda u: tr("complaints.unassigned") if u is None else handlers[u],
                key=f"{prefix}_assign_to")
            if not d.can_assign_others:
                st.caption(tr("complaints.assign.own_only"))
        if action != "resolve":
            required = action in ("note", "reopen")
            values["note"] = st.text_area(
                tr(f"complaints.note.{action}") + (" *" if required else ""), height=68,
                max_chars=svc.MAX_TEXT, key=f"{prefix}_note_{action}")
            record_form.field_errors(prefix, "note")
        submitted = st.form_submit_button(tr(f"complaints.do.{action}"), type="primary",
                                          icon=_ICONS[action])
    if not submitted:
        return

    def run(session: Session) -> None:
        if action == "start":
            svc.start(session, actor, cid, version, values["note"])
        elif action == "note":
            svc.add_step(session, actor, cid, version, values["note"])
        elif action == "resolve":
            score = values["score"]
            satisfaction = None if score is None else {
                "score": score, "channel": values["channel"], "comment": values["comment"]}
            svc.resolve(session, actor, cid, version, values["solution"],
                        satisfaction=satisfaction)
        elif action == "close":
            svc.close(session, actor, cid, version, values["note"])
        elif action == "reopen":
            svc.reopen(session, actor, cid, version, values["note"])
        elif action == "assign":
            svc.assign(session, actor, cid, version, values["handler_id"], values["note"])

    _step(prefix, cid, run, f"complaints.done.{action}", reset=f"{prefix}_action")


_ICONS = {"start": ":material/play_arrow:", "note": ":material/edit_note:",
          "resolve": ":material/task_alt:", "close": ":material/lock:",
          "reopen": ":material/lock_open:", "assign": ":material/assignment_ind:"}


def _corrections(d: svc.ComplaintDetail, actor: Actor, prefix: str, seen: int) -> None:
    if not d.can_edit and not d.can_delete:
        return
    if d.can_edit:
        with st.expander(tr("complaints.edit"), icon=":material/edit:"):
            with st.form(f"{prefix}_edit", border=False, enter_to_submit=False):
                raw = _fields(f"{prefix}_e", d.values(),
                              with_solution=d.status in (svc.RESOLVED, svc.CLOSED))
                submitted = st.form_submit_button(tr("recform.save"), icon=":material/save:")
            if submitted:
                def _save(session: Session) -> None:
                    svc.update_complaint(session, actor, d.id, seen, raw)
                _step(f"{prefix}_e", d.id, _save, "complaints.saved")
    if d.can_delete:
        def _delete(session: Session) -> None:
            svc.delete_complaint(session, actor, d.id, seen)
        record_form.delete_section(prefix, _delete, "complaints.deleted")


def detail_body(complaint_id: int, actor: Actor) -> None:
    """What the detail dialog shows (also usable outside a dialog)."""
    prefix = f"complaint_{complaint_id}"
    try:
        d = write(lambda session: svc.get_detail(session, actor, complaint_id))
    except CatalogError:  # deleted meanwhile
        st.warning(tr("complaints.error.gone"))
        return
    if done := st.session_state.pop(_done_key(complaint_id), None):
        st.success(done, icon=":material/check_circle:")
    # Optimistic locking: a step acts on the version the user was shown by the previous run,
    # so a change made meanwhile by someone else is refused, not silently built upon.
    seen_key = f"{prefix}_seen"
    seen = int(st.session_state.get(seen_key) or d.version)
    record_form.general_errors(prefix)
    _facts(d)
    _history(d)
    _workflow(d, actor, prefix, seen)
    _corrections(d, actor, prefix, seen)
    st.session_state[seen_key] = d.version


def edit(p: CustomerProfile, actor: Actor, complaint_id: int) -> None:
    """The detail dialog from the profile's 时间线."""
    @record_dialog_state.dialog(tr("complaints.detail.title"), width="large")
    def dialog() -> None:
        detail_body(complaint_id, actor)

    dialog()


def close_queue_dialog() -> None:
    st.session_state.pop(QUEUE_OPEN_KEY, None)
    record_dialog_state.close()


def open_from_queue(complaint_id: int) -> None:
    st.session_state[QUEUE_OPEN_KEY] = complaint_id


def show_queue_dialog(actor: Actor) -> None:
    """The detail dialog of the complaint picked in the queue, while it is open."""
    complaint_id = st.session_state.get(QUEUE_OPEN_KEY)
    if complaint_id is None:
        return

    @st.dialog(tr("complaints.detail.title"), width="large", on_dismiss=close_queue_dialog)
    @concurrency.guarded
    def dialog() -> None:
        detail_body(int(complaint_id), actor)

    dialog()


DIALOGS = RecordDialogs(kind="complaint", label_key="complaints.add", icon=":material/report:",
                        add=add, edit=edit)
