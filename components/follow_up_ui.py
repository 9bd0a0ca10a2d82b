"""回访 dialogs: plan a visit or record one done (profile), record a planned visit (profile and
the 回访工作台), correct or delete one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components import concurrency, managers, record_dialog_state, record_form
from components.actions import reading, write
from components.i18n import lbl, tr
from components.record_dialog_state import RecordDialogs
from components.text import fmt_when, plain
from core import clock
from core.errors import CatalogError
from core.settings import get_settings
from core.vocab import VisitMethod
from services.access.roles import Actor, Perm
from services.access.users import find_user
from services.customers import CustomerProfile
from services.records.visits import (
    TEXT_MAX,
    VisitView,
    default_assignee,
    delete_visit,
    get_visit,
    open_visits_of,
    plan_visit,
    propose_next_date,
    record_unplanned,
    record_visit,
    update_visit,
)

_METHODS = [m.value for m in VisitMethod]


def user_choices(also: int | None = None) -> dict[int | None, str]:
    """Assignee picker: active users by id (and the current assignee even if deactivated)."""
    people = {p.id: tr("visits.user_label", name=p.name, username=p.username)
              for p in managers.assignable().people}
    with reading() as session:
        if also is not None and also not in people:
            user = find_user(session, also)
            if user is not None:
                people[user.id] = tr("visits.user_label", name=user.display_name,
                                     username=user.username)
    return {None: tr("visits.unassigned"), **people}


def _method_index(value: str | None) -> int:
    value = value or get_settings().follow_up_method
    return _METHODS.index(value) if value in _METHODS else 0


# ---- the two forms -----------------------------------------------------------------------------


def plan_fields(prefix: str, start: dict[str, Any], assignee: int | None) -> dict[str, Any]:
    today = clock.today()
    planned = start.get("planned_date") or today + timedelta(days=1)
    left, right = st.columns(2)
    with left:
        planned_date = st.date_input(record_form.req("field.visit.planned_date"), value=planned,
                                     min_value=min(planned, today), format="YYYY-MM-DD",
                                     key=f"{prefix}_planned_date")
        record_form.field_errors(prefix, "planned_date")
    with right:
        method = _method_field(prefix, start)
    purpose = _purpose_field(prefix, start)
    people = user_choices(assignee)
    ids = list(people)
    chosen = st.selectbox(tr("field.visit.assignee_id"), ids,
                          index=ids.index(assignee) if assignee in ids else 0,
                          format_func=lambda i: people[i], key=f"{prefix}_assignee")
    record_form.field_errors(prefix, "assignee_id")
    return {"planned_date": planned_date, "method": method, "purpose": purpose,
            "assignee_id": chosen}


def _method_field(prefix: str, start: dict[str, Any]) -> str:
    method = st.selectbox(record_form.req("field.visit.method"), _METHODS,
                          index=_method_index(start.get("method")), format_func=lbl,
                          key=f"{prefix}_method")
    record_form.field_errors(prefix, "method")
    return method


def _purpose_field(prefix: str, start: dict[str, Any]) -> str:
    purpose = st.text_input(record_form.req("field.visit.purpose"),
                            value=start.get("purpose") or "", max_chars=200,
                            key=f"{prefix}_purpose",
                            placeholder=tr("visits.purpose.placeholder"))
    record_form.field_errors(prefix, "purpose")
    return purpose


def _sync_next(done_key: str, next_key: str) -> None:
    """The proposed next date follows the done date until the user picks their own."""
    done = st.session_state.get(done_key)
    if isinstance(done, date):
        st.session_state[next_key] = propose_next_date(done)


def record_fields(prefix: str, start: dict[str, Any], *,
                  offer_next: bool = True) -> tuple[dict[str, Any], bool]:
    """The form of a visit done; returns the raw values and whether to plan the next visit."""
    today = clock.today()
    done_key, next_key = f"{prefix}_done_date", f"{prefix}_next_date"
    done_default = start.get("done_date") or today
    if next_key not in st.session_state:
        st.session_state[next_key] = start.get("next_date") or propose_next_date(done_default)
    left, right = st.columns(2)
    with left:
        done_date = st.date_input(record_form.req("field.visit.done_date"), value=done_default,
                                  max_value=today, min_value=date(2000, 1, 1),
                                  format="YYYY-MM-DD", key=done_key,
                                  on_change=_sync_next, args=(done_key, next_key))
        record_form.field_errors(prefix, "done_date")
    with right:
        method = _method_field(prefix, start)
    purpose = _purpose_field(prefix, start)
    content = st.text_area(record_form.req("field.visit.content"), value=start.get("content") or "",
                           max_chars=TEXT_MAX, height=90, key=f"{prefix}_content",
                           placeholder=tr("visits.content.placeholder"))
    record_form.field_errors(prefix, "content")
    feedback = st.text_area(tr("field.visit.feedback"), value=start.get("feedback") or "",
                            max_chars=TEXT_MAX, height=70, key=f"{prefix}_feedback")
    record_form.field_errors(prefix, "feedback")
    result = st.text_input(record_form.req("field.visit.result"), value=start.get("result") or "",
                           max_chars=200, key=f"{prefix}_result",
                           placeholder=tr("visits.result.placeholder"))
    record_form.field_errors(prefix, "result")
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    with left:
        next_date = st.date_input(tr("field.visit.next_date"), min_value=today,
                                  format="YYYY-MM-DD", key=next_key,
                                  help=tr("visits.next.help",
                                          days=get_settings().follow_up_next_visit_days))
    plan_next = False
    if offer_next:
        with right:
            plan_next = st.checkbox(tr("visits.next.plan"), value=True,
                                    key=f"{prefix}_plan_next")
    record_form.field_errors(prefix, "next_date")
    return {"done_date": done_date, "method": method, "purpose": purpose, "content": content,
            "feedback": feedback, "result": result, "next_date": next_date}, plan_next


def _saved_key(next_id: int | None) -> str:
    return "visits.recorded_next" if next_id else "visits.recorded"


def record_body(prefix: str, actor: Actor, visit: VisitView,
                on_success: Callable[[str], None]) -> None:
    """Record a planned visit as done (the worklist's and the profile's dialog)."""
    st.caption(plain(tr("visits.planned_caption", planned=fmt_when(visit.planned_date),
                        method=lbl(visit.method), source=tr(f"visits.source.{visit.source}"))))
    record_form.general_errors(prefix)
    raw, plan_next = record_fields(prefix, {"method": visit.method, "purpose": visit.purpose})
    _record_button(prefix, f"{prefix}_save", raw, on_success, lambda session: record_visit(
        session, actor, visit.id, raw, plan_next=plan_next))


def _record_button(prefix: str, key: str, raw: dict[str, Any],
                   on_success: Callable[[str], None], record: Callable[[Any], Any]) -> None:
    """The 记录回访 button of both dialogs: ``record(session)`` in one unit of work, then
    the message naming the next visit it planned."""
    if not st.button(tr("visits.record.save"), type="primary", icon=":material/task_alt:",
                     key=key):
        return
    outcome: dict[str, Any] = {}

    def _save(session: Session) -> None:
        outcome["result"] = record(session)
    if record_form.run(prefix, _save):
        on_success(tr(_saved_key(outcome["result"].next_id), next=fmt_when(raw["next_date"])))


# ---- the profile's dialogs ----------------------------------------------------------------------


def add(p: CustomerProfile, actor: Actor) -> None:
    record_form.add_dialog(p, "visits.add.title", f"visit_add_{p.id}",
                           body=lambda prefix: _add_body(prefix, p, actor))


def _add_body(prefix: str, p: CustomerProfile, actor: Actor) -> None:
    """Plan a visit, or record one (a planned one, or one that was not planned)."""
    mode = st.segmented_control(
        tr("visits.add.mode"), ["plan", "record"], default="plan", required=True,
        format_func=lambda m: tr(f"visits.add.mode.{m}"), key=f"{prefix}_mode",
        label_visibility="collapsed")
    if mode == "plan":
        assignee = write(lambda session: default_assignee(session, actor, p.id))
        raw = plan_fields(prefix, {}, assignee)
        if st.button(tr("visits.plan.save"), type="primary", icon=":material/event:",
                     key=f"{prefix}_plan_save"):
            def _plan(session: Session) -> None:
                plan_visit(session, actor, p.id, raw)
            record_form.save(prefix, _plan, "visits.planned")
        return
    planned = write(lambda session: open_visits_of(session, actor, p.id))
    options: list[int | None] = [None, *(v.id for v in planned)]
    labels = {v.id: tr("visits.which.option", planned=fmt_when(v.planned_date),
                       method=lbl(v.method), purpose=v.purpose or "—") for v in planned}
    labels[None] = tr("visits.which.none")  # type: ignore[index]
    which = st.selectbox(tr("visits.which"), options, format_func=lambda i: labels[i],
                         index=1 if planned else 0, key=f"{prefix}_which") \
        if planned else None
    if which is not None:
        visit = next(v for v in planned if v.id == which)
        record_body(f"{prefix}_{which}", actor, visit, record_dialog_state.finish)
        return
    raw, plan_next = record_fields(prefix, {})
    _record_button(prefix, f"{prefix}_record_save", raw, record_dialog_state.finish,
                   lambda session: record_unplanned(session, actor, p.id, raw,
                                                    plan_next=plan_next))


def edit(p: CustomerProfile, actor: Actor, follow_up_id: int) -> None:
    @record_dialog_state.dialog(tr("visits.edit.title"), width="medium")
    def dialog() -> None:
        prefix = f"visit_edit_{follow_up_id}"
        try:
            visit = write(lambda session: get_visit(session, actor, follow_up_id))
        except CatalogError:
            st.warning(tr("visits.error.gone"))
            return
        st.caption(plain(tr("recform.for_customer", name=p.name, customer_no=p.customer_no)))
        if visit.done:
            record_form.general_errors(prefix)
            raw, _ = record_fields(prefix, visit.values(
                ("done_date", "method", "purpose", "content", "feedback", "result",
                 "next_date")), offer_next=False)
            if st.button(tr("recform.save"), type="primary", icon=":material/save:",
                         key=f"{prefix}_save"):
                def _save(session: Session) -> None:
                    update_visit(session, actor, follow_up_id, raw)
                record_form.save(prefix, _save, "visits.saved")
        else:
            record_tab, plan_tab = st.tabs([tr("visits.edit.record_tab"),
                                            tr("visits.edit.plan_tab")])
            with record_tab:
                record_body(f"{prefix}_rec", actor, visit, record_dialog_state.finish)
            with plan_tab:
                record_form.general_errors(prefix)
                raw = plan_fields(prefix, visit.values(("planned_date", "method", "purpose")),
                                  visit.assignee_id)
                if st.button(tr("recform.save"), type="primary", icon=":material/save:",
                             key=f"{prefix}_save"):
                    def _update(session: Session) -> None:
                        update_visit(session, actor, follow_up_id, raw)
                    record_form.save(prefix, _update, "visits.saved")
        if actor.can(Perm.DELETE_CUSTOMERS):
            def _delete(session: Session) -> None:
                delete_visit(session, actor, follow_up_id)
            record_form.delete_section(prefix, _delete, "visits.deleted")

    dialog()


DIALOGS = RecordDialogs(kind="follow_up", label_key="visits.add", icon=":material/event_available:",
                        add=add, edit=edit)


# ---- the worklist's dialog ---------------------------------------------------------------------

WORKLIST_OPEN = "worklist_visit_open"


def close_worklist_dialog() -> None:
    st.session_state.pop(WORKLIST_OPEN, None)


def worklist_record(actor: Actor, follow_up_id: int, customer: str) -> None:
    """The 回访工作台's "record visit" dialog for the selected row."""
    @st.dialog(tr("visits.record.title"), width="medium", on_dismiss=close_worklist_dialog)
    @concurrency.guarded
    def dialog() -> None:
        prefix = f"wl_record_{follow_up_id}"
        try:
            visit = write(lambda session: get_visit(session, actor, follow_up_id))
        except CatalogError:
            st.warning(tr("visits.error.gone"))
            return
        st.caption(plain(customer))
        if visit.done:
            st.info(tr("visits.error.already_done"))
            return

        def done(message: str) -> None:
            close_worklist_dialog()
            st.session_state["flash"] = message
            st.rerun()

        record_body(prefix, actor, visit, done)

    dialog()
