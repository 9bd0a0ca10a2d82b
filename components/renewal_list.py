"""The 续约管理 lists: contracts coming up for renewal (risk beside each row, a ⚠ and a tinted
row when the customer is at risk), the renewal records, and the renewal targets. Filters are
kept in the page address."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from components import concurrency, paging, record_form
from components.actions import write
from components.i18n import lbl, tr
from components.tables import data_table
from components.text import fmt_when
from core import clock
from core.money import money_number, money_text
from core.settings import get_settings
from core.vocab import SATISFACTION_LABELS, RenewalOutcome, Tier
from services.access.roles import Actor
from services.records import renewals as svc
from services.records.renewal_targets import (
    PERIOD_KINDS,
    TargetView,
    delete_target,
    set_target,
    target_for,
)

DUE_PAGE = "rpage"
RECORDS_PAGE = "hpage"
RISK_MARK = "⚠"
_RISK_STYLE = "background-color: rgba(255, 165, 0, 0.14)"
_OUTCOME_CHOICES = (svc.OPEN, svc.UNRECORDED, *(o.value for o in RenewalOutcome), "all")
_DUE_KEYS = ("rwin", "rtier", "ram", "rout", "roverdue")
_DUE_CLEARED: dict[str, Any] = {"rwin": None, "rout": svc.OPEN, "roverdue": True}
_RECORD_KEYS = ("hout", "hfrom", "hto", "htier", "ham")


def _reset(key: str) -> None:
    st.session_state[key] = 1


def windows() -> list[int]:
    return sorted(set(get_settings().renewal_warning_days or (30, 60, 90)))


def _outcome_label(value: str) -> str:
    if value == svc.OPEN:
        return tr("renewals.filter.open")
    if value == svc.UNRECORDED:
        return tr("renewals.outcome.none")
    if value == "all":
        return tr("common.any")
    return lbl(value)


def _manager_select(label: str, managers: dict[str, str], key: str, page_key: str,
                    mine: bool) -> str | None:
    options = (["me"] if mine else []) + list(managers)
    return st.selectbox(label, options, index=None, key=key, bind="query-params",
                        placeholder=tr("common.any"), on_change=_reset, args=(page_key,),
                        format_func=lambda u: tr("renewals.filter.mine") if u == "me"
                        else managers.get(u, u))


def clear_due_filters() -> None:
    for key in _DUE_KEYS:
        if key in st.session_state:
            st.session_state[key] = _DUE_CLEARED.get(key)
    _reset(DUE_PAGE)


def due_filters(managers: dict[str, str], mine: bool) -> tuple[svc.DueQuery, str | None]:
    """The window picker and filters of the due list; returns the query and the chosen
    account manager (a username, or ``"me"``) for the caller to resolve."""
    choices = windows()
    cols = st.columns([3, 2, 2, 2])
    with cols[0]:
        window = st.segmented_control(
            tr("renewals.filter.window"), choices, default=choices[-1], key="rwin",
            format_func=str, bind="query-params",  # ?rwin=30: the days, in any language
            on_change=_reset, args=(DUE_PAGE,))
    with cols[1]:
        tier = st.selectbox(tr("renewals.col.tier"), [t.value for t in reversed(Tier)],
                            index=None, key="rtier", format_func=lbl, bind="query-params",
                            placeholder=tr("common.any"), on_change=_reset, args=(DUE_PAGE,))
    with cols[2]:
        manager = _manager_select(tr("renewals.col.account_manager"), managers, "ram",
                                  DUE_PAGE, mine)
    with cols[3]:
        outcome = st.selectbox(tr("renewals.col.outcome"), list(_OUTCOME_CHOICES), index=0,
                               key="rout", format_func=_outcome_label, bind="query-params",
                               on_change=_reset, args=(DUE_PAGE,))
    flags = st.columns([3, 5, 2], vertical_alignment="center")
    overdue = flags[0].toggle(tr("renewals.filter.overdue"), value=True, key="roverdue",
                              bind="query-params", on_change=_reset, args=(DUE_PAGE,),
                              help=tr("renewals.filter.overdue.help",
                                      days=max(choices)))
    flags[2].button(tr("customers.clear"), on_click=clear_due_filters, key="rclear",
                    icon=":material/filter_alt_off:", width="stretch")
    query = svc.DueQuery(window_days=int(window or choices[-1]),
                         include_overdue=bool(overdue), tier=tier,
                         outcome=None if outcome == "all" else (outcome or svc.OPEN))
    return query, manager


def _days_text(days: int) -> str:
    if days < 0:
        return tr("renewals.days.overdue", n=-days)
    if days == 0:
        return tr("renewals.days.today")
    return tr("renewals.days.left", n=days)


def _score_text(score: int | None) -> str:
    if score is None:
        return "—"
    return f"{score} · {lbl(SATISFACTION_LABELS[score])}"


def due_table(rows: Sequence[svc.DueRow], key: str) -> int | None:
    """The due list's grid; returns the contract id of the selected row."""
    columns = ["risk", "open", "contract_no", "customer", "tier", "score", "open_complaints",
               "end_date", "days_left", "amount", "outcome", "account_manager", "mobile",
               "note"]
    names = {c: tr(f"renewals.col.{c}") for c in columns}
    data = pd.DataFrame([{
        "risk": RISK_MARK if r.risk.at_risk() else "",
        "open": f"customer?id={r.customer_id}",
        "contract_no": r.contract_no, "customer": r.customer_name, "tier": lbl(r.tier),
        "account_manager": r.account_manager or "", "mobile": r.mobile or "",
        "end_date": r.end_date.isoformat(), "days_left": _days_text(r.days_left),
        "amount": money_text(r.amount),
        "outcome": lbl(r.outcome) if r.outcome else tr("renewals.outcome.none"),
        "score": _score_text(r.risk.score), "open_complaints": r.risk.open_complaints,
        "note": r.note or "",
    } for r in rows], columns=columns)
    shown = data.rename(columns=names)
    mark = names["risk"]

    def tint(row: pd.Series) -> list[str]:
        return [_RISK_STYLE if row[mark] == RISK_MARK else ""] * len(row)

    config = {
        mark: st.column_config.TextColumn(width=40, help=tr("renewals.col.risk.help")),
        names["open"]: st.column_config.LinkColumn(display_text=tr("lookup.open"),
                                                   width="small"),
        names["customer"]: st.column_config.TextColumn(width="medium"),
        names["open_complaints"]: st.column_config.NumberColumn(width="small"),
        names["note"]: st.column_config.TextColumn(width="medium"),
    }
    event = data_table(shown.style.apply(tint, axis=1), hide_index=True, width="stretch",
                       column_config=config, on_select="rerun",
                       selection_mode="single-row", key=key)
    picked = list(event.selection.rows) if event is not None else []
    if not picked or picked[0] >= len(rows):
        return None
    return rows[picked[0]].contract_id


def requested_page(key: str) -> int:
    return paging.requested_page(key)


def pager(key: str, total: int, page_size: int) -> int:
    return paging.pager(key, total, page_size, hide_single=True)


# ---- renewal records ----------------------------------------------------------------------


def open_records(**values: object) -> None:
    """Set the renewal records' filters for a page that opens them (a dashboard chart): every
    other filter forgotten, the given ones (``hout``, ``hfrom``, ``hto``, ``htier``, ``ham``)
    set, and the records tab chosen. Then switch pages."""
    for key in (*_RECORD_KEYS, RECORDS_PAGE):
        st.session_state.pop(key, None)
    st.session_state.update(values)
    st.session_state["rtab"] = tr("renewals.tab.records")


def open_unrecorded() -> None:
    """The coming-up list of contracts with no renewal recorded, in its widest window."""
    for key in (*_DUE_KEYS, DUE_PAGE):
        st.session_state.pop(key, None)
    st.session_state.update({"rout": svc.UNRECORDED, "rwin": max(windows())})
    st.session_state["rtab"] = tr("renewals.tab.due")


def clear_record_filters() -> None:
    for key in _RECORD_KEYS:
        if key in st.session_state:
            st.session_state[key] = None
    _reset(RECORDS_PAGE)


def record_filters(managers: dict[str, str], mine: bool) -> tuple[svc.RecordQuery, str | None]:
    cols = st.columns([2, 2, 2, 2, 2, 1.5], vertical_alignment="bottom")
    with cols[0]:
        outcome = st.selectbox(tr("renewals.col.outcome"), [o.value for o in RenewalOutcome],
                               index=None, key="hout", format_func=lbl, bind="query-params",
                               placeholder=tr("common.any"), on_change=_reset,
                               args=(RECORDS_PAGE,))
    with cols[1]:
        due_from = st.date_input(tr("renewals.filter.due_from"), value=None, key="hfrom",
                                 format="YYYY-MM-DD", bind="query-params", on_change=_reset,
                                 args=(RECORDS_PAGE,))
    with cols[2]:
        due_to = st.date_input(tr("renewals.filter.due_to"), value=None, key="hto",
                               format="YYYY-MM-DD", bind="query-params", on_change=_reset,
                               args=(RECORDS_PAGE,))
    with cols[3]:
        tier = st.selectbox(tr("renewals.col.tier"), [t.value for t in reversed(Tier)],
                            index=None, key="htier", format_func=lbl, bind="query-params",
                            placeholder=tr("common.any"), on_change=_reset,
                            args=(RECORDS_PAGE,))
    with cols[4]:
        manager = _manager_select(tr("renewals.col.account_manager"), managers, "ham",
                                  RECORDS_PAGE, mine)
    with cols[5]:
        st.button(tr("customers.clear"), on_click=clear_record_filters, key="hclear",
                  icon=":material/filter_alt_off:", width="stretch")
    return svc.RecordQuery(outcome=outcome, due_from=due_from, due_to=due_to, tier=tier), manager


def records_table(rows: Sequence[svc.RecordRow], key: str) -> int | None:
    """The renewal records' grid; returns the contract id of the selected row."""
    columns = ["open", "contract_no", "customer", "tier", "account_manager", "end_date",
               "amount", "outcome", "renewal_amount", "new_contract_no", "reason",
               "decided_at", "recorded_by"]
    names = {c: tr(f"renewals.col.{c}") for c in columns}
    data = pd.DataFrame([{
        "open": f"customer?id={r.customer_id}", "contract_no": r.contract_no,
        "customer": r.customer_name, "tier": lbl(r.tier),
        "account_manager": r.account_manager or "", "end_date": r.due_date.isoformat(),
        "amount": money_text(r.contract_amount), "outcome": lbl(r.outcome),
        "renewal_amount": "" if r.amount is None else money_text(r.amount),
        "new_contract_no": r.new_contract_no or "", "reason": r.reason or "",
        "decided_at": fmt_when(r.decided_at) if r.decided_at else "",
        "recorded_by": r.recorded_by or "",
    } for r in rows], columns=columns)
    config = {names["open"]: st.column_config.LinkColumn(display_text=tr("lookup.open"),
                                                         width="small"),
              names["reason"]: st.column_config.TextColumn(width="medium")}
    event = data_table(data.rename(columns=names), hide_index=True, width="stretch",
                       column_config=config, on_select="rerun",
                       selection_mode="single-row", key=key)
    picked = list(event.selection.rows) if event is not None else []
    if not picked or picked[0] >= len(rows):
        return None
    return rows[picked[0]].contract_id


# ---- targets ------------------------------------------------------------------------------


def period_label(kind: str, start: date) -> str:
    if kind == "month":
        return tr("targets.period.month", year=start.year, month=start.month)
    if kind == "quarter":
        return tr("targets.period.quarter", year=start.year, quarter=(start.month - 1) // 3 + 1)
    return tr("targets.period.year", year=start.year)


def targets_table(targets: Sequence[TargetView]) -> None:
    """Months, then quarters, then years; the latest period first in each."""
    order = {k: i for i, k in enumerate(PERIOD_KINDS)}
    targets = sorted(targets, key=lambda t: (order.get(t.period_kind, 9),
                                             -t.period_start.toordinal()))
    columns = ["kind", "period", "rate", "amount", "set_by", "set_at"]
    data = pd.DataFrame([{
        "kind": tr(f"targets.kind.{t.period_kind}"),
        "period": period_label(t.period_kind, t.period_start),
        "rate": f"{t.target_rate:.2f}%",
        "amount": "—" if t.target_amount is None else f"{t.target_amount:,.0f}",
        "set_by": t.set_by or "—", "set_at": fmt_when(t.set_at),
    } for t in targets], columns=columns)
    data_table(data.rename(columns={c: tr(f"targets.col.{c}") for c in columns}),
               hide_index=True, width="stretch")


def period_picker(prefix: str, kind: str, year_choices: list[int]) -> date:
    """Year, and month or quarter: the first day of the period chosen."""
    today = clock.today()
    cols = st.columns(2)
    year = cols[0].selectbox(tr("targets.year"), year_choices,
                             index=year_choices.index(today.year)
                             if today.year in year_choices else 0, key=f"{prefix}_year")
    if kind == "month":
        month = cols[1].selectbox(tr("targets.month"), list(range(1, 13)),
                                  index=today.month - 1, key=f"{prefix}_month",
                                  format_func=lambda m: tr("targets.month_label", month=m))
        return date(int(year), int(month), 1)
    if kind == "quarter":
        quarter = cols[1].selectbox(tr("targets.quarter"), [1, 2, 3, 4],
                                    index=(today.month - 1) // 3, key=f"{prefix}_quarter",
                                    format_func=lambda q: tr("targets.quarter_label",
                                                             quarter=q))
        return date(int(year), 3 * (int(quarter) - 1) + 1, 1)
    return date(int(year), 1, 1)


KINDS = list(PERIOD_KINDS)


@st.fragment
@concurrency.guarded
def target_form(actor: Actor, year_choices: list[int]) -> None:
    """Set (or change, or remove) the target of one period (``SET_TARGETS``)."""
    prefix = "target_set"
    with st.container(border=True):
        st.markdown(f"**{tr('targets.set.title')}**")
        record_form.general_errors(prefix)
        kind = st.segmented_control(tr("targets.kind"), KINDS, default="month", required=True,
                                    key=f"{prefix}_kind",
                                    format_func=lambda k: tr(f"targets.kind.{k}"))
        start = period_picker(prefix, kind or "month", year_choices)
        kind = kind or "month"
        current = write(lambda session: target_for(session, kind, start))
        if current is not None:
            st.caption(tr("targets.current", period=period_label(kind, start),
                          rate=f"{current.target_rate:.2f}",
                          amount="—" if current.target_amount is None
                          else f"{current.target_amount:,.0f}",
                          by=current.set_by or "—"))
        slot = f"{kind}_{start.isoformat()}"
        cols = st.columns(2)
        with cols[0]:
            rate = st.number_input(
                tr("field.target.target_rate") + " *", min_value=0.0, max_value=100.0,
                step=0.5, format="%.2f", key=f"{prefix}_rate_{slot}",
                value=float(current.target_rate) if current else 85.0)
            record_form.field_errors(prefix, "target_rate")
        with cols[1]:
            amount = st.number_input(
                tr("field.target.target_amount"), min_value=0.0, step=10000.0, format="%.0f",
                key=f"{prefix}_amount_{slot}", placeholder=tr("recform.none"),
                value=money_number(current.target_amount) if current else None)
            record_form.field_errors(prefix, "target_amount")
        buttons = st.container(horizontal=True)
        with buttons:
            if st.button(tr("targets.save"), type="primary", icon=":material/flag:",
                         key=f"{prefix}_save"):
                def _save(session: Session) -> None:
                    set_target(session, actor, kind, start,
                               None if rate is None else f"{rate:.2f}",
                               None if amount is None else f"{amount:.2f}")
                record_form.save(prefix, _save, "targets.saved",
                                 period=period_label(kind, start))
            if current is not None and st.button(tr("targets.delete"),
                                                 icon=":material/delete:",
                                                 key=f"{prefix}_delete_{slot}"):
                def _delete(session: Session) -> None:
                    delete_target(session, actor, current.id)
                record_form.save(prefix, _delete, "targets.deleted",
                                 period=period_label(kind, start))
