"""满意度调查 dialogs of the profile (add a survey; correct or delete one picked in the 时间线) and
the profile's satisfaction summary: the latest score and the trend of the last ones."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components import record_dialog_state, record_form
from components.actions import write
from components.i18n import lbl, tr
from components.record_dialog_state import RecordDialogs
from components.session import USER_KEY
from components.text import plain
from core import clock
from core.errors import CatalogError
from core.vocab import SATISFACTION_LABELS
from services.access.roles import Actor, Perm
from services.customers import CustomerProfile
from services.records.surveys import (
    SCORES,
    SURVEY_CHANNELS,
    add_survey,
    delete_survey,
    get_survey,
    update_survey,
)
from services.records.surveys import (
    satisfaction_summary as summary_of,
)


def _score_text(score: int | None) -> str:
    return "—" if score is None else f"{score} · {lbl(SATISFACTION_LABELS[score])}"


def _fields(prefix: str, start: dict[str, Any]) -> dict[str, Any]:
    """The survey form's widgets (inside an ``st.form``); returns the raw values."""
    today = clock.today()
    values: dict[str, Any] = {}
    score = start.get("score")
    values["score"] = st.radio(tr("field.survey.score") + " *", list(SCORES),
                               index=list(SCORES).index(score) if score in SCORES else None,
                               format_func=_score_text, horizontal=True, key=f"{prefix}_score")
    record_form.field_errors(prefix, "score")
    left, right = st.columns(2)
    with left:
        values["survey_date"] = st.date_input(
            tr("field.survey.survey_date"), value=start.get("survey_date", today),
            max_value=today, min_value=date(2000, 1, 1), format="YYYY-MM-DD",
            key=f"{prefix}_survey_date")
        record_form.field_errors(prefix, "survey_date")
    with right:
        channels = [None, *SURVEY_CHANNELS]
        current = start.get("channel")
        if current and current not in channels:
            channels.append(current)  # an imported channel keeps its value
        values["channel"] = st.selectbox(
            tr("field.survey.channel"), channels, index=channels.index(current),
            format_func=lambda v: tr("recform.none") if v is None else lbl(v),
            key=f"{prefix}_channel")
        record_form.field_errors(prefix, "channel")
    values["comment"] = st.text_area(tr("field.survey.comment"),
                                     value=start.get("comment") or "", height=80,
                                     max_chars=5000, key=f"{prefix}_comment")
    record_form.field_errors(prefix, "comment")
    return values


def add(p: CustomerProfile, actor: Actor) -> None:
    record_form.add_dialog(p, "surveys.add.title", f"survey_add_{p.id}",
                           lambda prefix: _fields(prefix, {}),
                           lambda session, raw: add_survey(session, actor, p.id, raw),
                           "surveys.added")


def edit(p: CustomerProfile, actor: Actor, survey_id: int) -> None:
    @record_dialog_state.dialog(tr("surveys.edit.title"), width="medium")
    def dialog() -> None:
        prefix = f"survey_edit_{survey_id}"
        try:
            survey = write(lambda session: get_survey(session, actor, survey_id))
        except CatalogError:  # deleted meanwhile
            st.warning(tr("surveys.error.gone"))
            return
        st.caption(plain(tr("recform.for_customer", name=p.name, customer_no=p.customer_no)))
        if survey.complaint_id is not None:
            st.caption(tr("surveys.linked_complaint", complaint_id=survey.complaint_id))
        if survey.user:
            st.caption(plain(tr("surveys.recorded_by", user=survey.user)))
        record_form.general_errors(prefix)
        if not (actor.can(Perm.EDIT_CUSTOMERS) and not p.deleted):
            st.text(_score_text(survey.score))
            st.text(survey.comment or "")
            return
        with st.form(prefix, border=False, enter_to_submit=False):
            raw = _fields(prefix, survey.values())
            submitted = st.form_submit_button(tr("recform.save"), type="primary",
                                              icon=":material/save:")
        if submitted:
            def _save(session: Session) -> None:
                update_survey(session, actor, survey_id, raw)
            record_form.save(prefix, _save, "surveys.saved")
        if actor.can(Perm.DELETE_CUSTOMERS):
            def _delete(session: Session) -> None:
                delete_survey(session, actor, survey_id)
            record_form.delete_section(prefix, _delete, "surveys.deleted")

    dialog()


def satisfaction_summary(p: CustomerProfile, actor: Actor | None = None) -> None:
    """The customer's latest satisfaction score, its change since the one before, and the
    trend of the last scores (a small line in the metric). ``actor``: the logged-in user's
    by default."""
    if actor is None:
        user = st.session_state.get(USER_KEY)
        if user is None:
            return
        actor = user.actor()
    summary = write(lambda session: summary_of(session, actor, p.id))
    if summary.latest is None:
        st.caption(tr("surveys.summary.none"))
        return
    latest = summary.latest
    scores = [score for _, score in summary.trend]
    st.metric(
        tr("surveys.summary.label"), _score_text(latest.score),
        delta=summary.change if summary.change else None,
        chart_data=scores if len(set(scores)) > 1 else None, chart_type="line", border=True,
        width="content",
        help=tr("surveys.summary.help", date=latest.survey_date.isoformat(),
                count=summary.count, trend=" → ".join(str(s) for s in scores)),
        delta_description=tr("surveys.summary.delta") if summary.change else None,
    )


DIALOGS = RecordDialogs(kind="survey", label_key="surveys.add",
                        icon=":material/sentiment_satisfied:", add=add, edit=edit)
