"""合同 dialogs: add a contract (profile); a contract's details with its renewal — record the
outcome (已续约 with the new period and amount, 未续约 with a reason, 跟进中 with a note),
correct a recorded decision, edit, delete — from the profile's 时间线 (a contract or its
renewal row) and from the 续约管理 list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components import concurrency, record_dialog_state, record_form, records_ui
from components.actions import read, writing
from components.i18n import lbl, tr
from components.record_dialog_state import RecordDialogs
from components.text import md
from core import clock
from core.errors import CatalogError
from core.money import money_number, money_text
from core.vocab import SATISFACTION_LABELS, RenewalOutcome
from services.access.roles import Actor, Perm
from services.customers import CustomerProfile
from services.records.contracts import (
    ContractView,
    add_contract,
    contract_view,
    delete_contract,
    update_contract,
)
from services.records.renewals import Risk, contract_of_renewal, customer_risk, record_outcome

PAGE_OPEN_KEY = "renewals_contract_open"
OUTCOME_COLORS = {RenewalOutcome.RENEWED.value: "green", RenewalOutcome.NOT_RENEWED.value: "red",
                  RenewalOutcome.IN_PROGRESS.value: "orange"}
_OUTCOMES = [o.value for o in RenewalOutcome]
_EARLIEST = date(2000, 1, 1)
_LATEST = date(2100, 12, 31)


def year_later(day: date) -> date:
    """The last day of a one-year term starting on ``day``."""
    try:
        return day.replace(year=day.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return date(day.year + 1, 2, 28)


def _amount_input(label: str, value: Any, key: str) -> str | None:
    entered = st.number_input(label, min_value=0.0, step=1000.0, format="%.2f",
                              value=money_number(value), placeholder="0.00",
                              key=key)
    return None if entered is None else f"{entered:.2f}"


def _contract_fields(prefix: str, start: dict[str, Any]) -> dict[str, Any]:
    """Number, period and amount (inside an ``st.form``); returns the raw values."""
    today = clock.today()
    values: dict[str, Any] = {}
    values["contract_no"] = st.text_input(
        tr("field.contract.contract_no"), value=start.get("contract_no", ""), max_chars=32,
        placeholder=tr("contracts.no_placeholder"), key=f"{prefix}_contract_no")
    record_form.field_errors(prefix, "contract_no")
    left, right = st.columns(2)
    with left:
        values["start_date"] = st.date_input(
            tr("field.contract.start_date") + " *", value=start.get("start_date", today),
            min_value=_EARLIEST, max_value=_LATEST, format="YYYY-MM-DD",
            key=f"{prefix}_start_date")
        record_form.field_errors(prefix, "start_date")
    with right:
        default_end = start.get("end_date") or year_later(today)
        values["end_date"] = st.date_input(
            tr("field.contract.end_date") + " *", value=default_end, min_value=_EARLIEST,
            max_value=_LATEST, format="YYYY-MM-DD", key=f"{prefix}_end_date")
        record_form.field_errors(prefix, "end_date")
    values["amount"] = _amount_input(tr("field.contract.amount") + " *", start.get("amount"),
                                     f"{prefix}_amount")
    record_form.field_errors(prefix, "amount")
    return values


# ---- add ----------------------------------------------------------------------------------------


def add(p: CustomerProfile, actor: Actor) -> None:
    record_form.add_dialog(p, "contracts.add.title", f"contract_add_{p.id}",
                           lambda prefix: _contract_fields(prefix, {}),
                           lambda session, raw: add_contract(session, actor, p.id, raw),
                           "contracts.added")


# ---- details, outcome, edit, delete ---------------------------------------------------------


def _facts(v: ContractView, risk: Risk) -> None:
    badges = st.container(horizontal=True)
    with badges:
        st.badge(md("contracts.badge.no", contract_no=v.contract_no), color="blue",
                 icon=":material/contract:")
        if v.outcome:
            st.badge(lbl(v.outcome), color=OUTCOME_COLORS.get(v.outcome, "gray"),  # type: ignore[arg-type]
                     icon=":material/autorenew:")
        else:
            st.badge(tr("renewals.outcome.none"), color="gray", icon=":material/help:")
        days = (v.end_date - clock.today()).days
        if not v.decided and days < 0:
            st.badge(tr("renewals.days.overdue", n=-days), color="red", icon=":material/warning:")
        if risk.at_risk():
            st.badge(tr("renewals.risk.yes"), color="red")
    records_ui.profile_link(v.customer_id, md("contracts.customer_link", name=v.customer_name,
                                                customer_no=v.customer_no))
    cols = st.columns(3)
    pairs = [
        ("contracts.period", tr("contracts.period_value", start=v.start_date.isoformat(),
                                end=v.end_date.isoformat())),
        ("field.contract.amount", money_text(v.amount)),
        ("contracts.previous", v.previous_contract_no or "—"),
        ("renewals.col.score", "—" if risk.score is None else tr(
            "contracts.score", score=risk.score, label=lbl(SATISFACTION_LABELS[risk.score]),
            day=risk.survey_date.isoformat() if risk.survey_date else "—")),
        ("renewals.col.open_complaints", str(risk.open_complaints)),
    ]
    if v.renewed:
        pairs.append(("renewals.col.renewal_amount", money_text(v.renewal_amount)))
    if v.decided_at:
        pairs.append(("renewals.col.decided_at",
                      clock.shown(v.decided_at)))
    if v.recorded_by:
        pairs.append(("renewals.col.recorded_by", v.recorded_by))
    for i, (key, value) in enumerate(pairs):
        with cols[i % 3]:
            st.caption(tr(key))
            st.text(value)
    if v.reason:
        st.caption(tr("renewals.col.reason"))
        st.text(v.reason)
    if v.new_contract_no:
        st.success(md("contracts.renewed_as", contract_no=v.new_contract_no),
                   icon=":material/autorenew:")


def _outcome_form(v: ContractView, actor: Actor, prefix: str) -> None:
    """Record (or correct) the outcome; the fields follow the outcome picked."""
    st.markdown(f"**{tr('renewals.record.title')}**")
    record_form.general_errors(prefix)
    today = clock.today()
    outcome = st.segmented_control(
        tr("renewals.record.outcome"), _OUTCOMES, format_func=lbl, key=f"{prefix}_outcome",
        default=None if v.outcome is None else v.outcome)
    raw: dict[str, Any] = {}
    if outcome == RenewalOutcome.RENEWED:
        new_start = v.end_date + timedelta(days=1)
        new_end = new_start + (v.end_date - v.start_date)
        raw["new_contract_no"] = st.text_input(
            tr("field.renewal.new_contract_no"), max_chars=32,
            placeholder=tr("contracts.no_placeholder"), key=f"{prefix}_new_contract_no")
        record_form.field_errors(prefix, "new_contract_no")
        left, right = st.columns(2)
        with left:
            raw["new_start_date"] = st.date_input(
                tr("field.renewal.new_start_date") + " *", value=new_start,
                min_value=_EARLIEST, max_value=_LATEST, format="YYYY-MM-DD",
                key=f"{prefix}_new_start_date")
            record_form.field_errors(prefix, "new_start_date")
        with right:
            raw["new_end_date"] = st.date_input(
                tr("field.renewal.new_end_date") + " *", value=new_end, min_value=_EARLIEST,
                max_value=_LATEST, format="YYYY-MM-DD", key=f"{prefix}_new_end_date")
            record_form.field_errors(prefix, "new_end_date")
    elif outcome == RenewalOutcome.NOT_RENEWED:
        raw["reason"] = st.text_area(tr("field.renewal.reason") + " *", max_chars=200,
                                     height=80, placeholder=tr("renewals.reason_placeholder"),
                                     key=f"{prefix}_reason")
        record_form.field_errors(prefix, "reason")
    if outcome in (RenewalOutcome.RENEWED, RenewalOutcome.NOT_RENEWED):
        left, right = st.columns(2)
        if outcome == RenewalOutcome.RENEWED:
            with left:
                raw["new_amount"] = _amount_input(tr("field.renewal.new_amount") + " *",
                                                  v.amount, f"{prefix}_new_amount")
                record_form.field_errors(prefix, "new_amount")
        with right if outcome == RenewalOutcome.RENEWED else left:
            raw["decided_on"] = st.date_input(tr("field.renewal.decided_on"), value=today,
                                              min_value=_EARLIEST, max_value=today,
                                              format="YYYY-MM-DD", key=f"{prefix}_decided_on")
            record_form.field_errors(prefix, "decided_on")
    if outcome in (RenewalOutcome.RENEWED, RenewalOutcome.IN_PROGRESS):
        following = outcome == RenewalOutcome.IN_PROGRESS
        raw["note"] = st.text_area(
            tr("field.renewal.note") + " *" if following else tr("renewals.note.renewed"),
            max_chars=200, height=68, key=f"{prefix}_note",
            placeholder=tr("renewals.note_placeholder") if following else None)
        record_form.field_errors(prefix, "note")
    correct = False
    if v.decided:
        st.warning(tr("renewals.correct.help", outcome=lbl(v.outcome)), icon=":material/info:")
        correct = st.checkbox(tr("renewals.correct"), key=f"{prefix}_correct")
    if st.button(tr("renewals.record.save"), type="primary", icon=":material/save:",
                 key=f"{prefix}_save", disabled=outcome is None or (v.decided and not correct)):
        def _save(session: Session) -> None:
            record_outcome(session, actor, v.id, str(outcome), raw, correct=correct)
        record_form.save(prefix, _save, "renewals.recorded", outcome=lbl(outcome))


def _edit_form(v: ContractView, actor: Actor, prefix: str) -> None:
    with st.expander(tr("contracts.edit"), icon=":material/edit:",
                     expanded=bool(st.session_state.get(f"{prefix}_errors"))):
        record_form.general_errors(prefix)
        with st.form(prefix, border=False, enter_to_submit=False):
            raw = _contract_fields(prefix, {"contract_no": v.contract_no,
                                            "start_date": v.start_date,
                                            "end_date": v.end_date, "amount": v.amount})
            submitted = st.form_submit_button(tr("recform.save"), type="primary",
                                              icon=":material/save:")
        if submitted:
            def _save(session: Session) -> None:
                update_contract(session, actor, v.id, raw)
            record_form.save(prefix, _save, "contracts.saved")


def body(contract_id: int, actor: Actor) -> None:
    """A contract's details, its renewal and what the actor may do with them."""
    try:
        with writing() as session:
            v = contract_view(session, actor, contract_id)
            risk = customer_risk(session, [v.customer_id])[v.customer_id]
    except CatalogError:  # deleted meanwhile: say so, never a traceback
        st.warning(tr("contracts.gone"))
        return
    _facts(v, risk)
    if not actor.can(Perm.EDIT_CUSTOMERS):
        st.caption(tr("contracts.read_only"))
        return
    prefix = f"contract_{v.id}"
    st.divider()
    if v.renewed:
        st.info(tr("renewals.already_renewed_help"), icon=":material/lock:")
    else:
        _outcome_form(v, actor, f"{prefix}_o")
    _edit_form(v, actor, f"{prefix}_e")
    if actor.can(Perm.DELETE_CUSTOMERS):
        def _delete(session: Session) -> None:
            delete_contract(session, actor, v.id)
        record_form.delete_section(f"{prefix}_d", _delete, "contracts.deleted")
        record_form.general_errors(f"{prefix}_d")


def edit(p: CustomerProfile, actor: Actor, contract_id: int) -> None:
    @record_dialog_state.dialog(tr("contracts.detail.title"), width="large")
    def dialog() -> None:
        body(contract_id, actor)

    dialog()


def edit_renewal(p: CustomerProfile, actor: Actor, renewal_id: int) -> None:
    """A renewal row of the 时间线 opens its contract."""
    contract_id = read(lambda session: contract_of_renewal(session, renewal_id))
    if contract_id is None:
        record_dialog_state.close()
        return
    edit(p, actor, contract_id)


# ---- from the 续约管理 page -------------------------------------------------------------------


def open_from_page(contract_id: int) -> None:
    st.session_state[PAGE_OPEN_KEY] = contract_id


def close_page_dialog() -> None:
    st.session_state.pop(PAGE_OPEN_KEY, None)
    record_dialog_state.close()


def show_page_dialog(actor: Actor) -> None:
    """The dialog of the contract picked in the list, while it is open."""
    contract_id = st.session_state.get(PAGE_OPEN_KEY)
    if contract_id is None:
        return

    @st.dialog(tr("contracts.detail.title"), width="large", on_dismiss=close_page_dialog)
    @concurrency.guarded
    def dialog() -> None:
        body(int(contract_id), actor)

    dialog()


DIALOGS = RecordDialogs(kind="contract", label_key="contracts.add", icon=":material/contract:",
                        add=add, edit=edit)
