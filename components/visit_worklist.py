"""The 回访工作台's pieces: the filter bar (kept in the page address), the table and the pager."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import paging
from components.i18n import lbl, tr
from components.tables import data_table
from core.vocab import VisitMethod
from services.access.roles import Actor, Perm
from services.records.visits import Due, WorklistFilter, WorklistRow

PAGE_KEY = "fpage"
_DUE = [d.value for d in Due]
_ICONS = {Due.TODAY.value: ":material/today:", Due.OVERDUE.value: ":material/warning:",
          Due.UPCOMING.value: ":material/date_range:"}


def _reset_page() -> None:
    st.session_state[PAGE_KEY] = 1


def filter_bar(actor: Actor, people: dict[str, tuple[int, str]]) -> WorklistFilter:
    """Due (today / overdue / upcoming), mine or everyone's (TEAM_WORK only), method and — for
    everyone's list — assignee. ``people``: username → (id, display name)."""
    team = actor.can(Perm.TEAM_WORK)
    top = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    with top:
        due = st.segmented_control(
            tr("worklist.due"), _DUE, default=Due.TODAY.value, required=True, key="due",
            format_func=lambda d: tr(f"worklist.due.{d}"), bind="query-params",
            on_change=_reset_page, label_visibility="collapsed")
        mine = True
        if team:
            scope = st.segmented_control(
                tr("worklist.scope"), ["mine", "all"], default="mine", required=True,
                key="scope", format_func=lambda s: tr(f"worklist.scope.{s}"),
                bind="query-params", on_change=_reset_page, label_visibility="collapsed")
            mine = scope != "all"
    left, right, _ = st.columns([1, 1, 2])
    with left:
        method = st.selectbox(tr("worklist.method"), [m.value for m in VisitMethod], index=None,
                              format_func=lbl, placeholder=tr("common.any"), key="method",
                              bind="query-params", on_change=_reset_page)
    assignee_id = None
    if team and not mine:
        with right:
            chosen = st.selectbox(tr("worklist.assignee"), list(people), index=None,
                                  format_func=lambda u: people[u][1],
                                  placeholder=tr("common.any"), key="assignee",
                                  bind="query-params", on_change=_reset_page)
            assignee_id = people[chosen][0] if chosen in people else None
    return WorklistFilter(due=Due(due or Due.TODAY.value), mine=mine, method=method,
                          assignee_id=assignee_id)


def requested_page() -> int:
    return paging.requested_page(PAGE_KEY)


def pager(total: int, page_size: int) -> int:
    return paging.pager(PAGE_KEY, total, page_size)


def _when(row: WorklistRow) -> str:
    if row.days_late > 0:
        return tr("worklist.late", days=row.days_late)
    if row.days_late == 0:
        return tr("worklist.today")
    return tr("worklist.in_days", days=-row.days_late)


def table(rows: list[WorklistRow], *, selectable: bool, key: str) -> WorklistRow | None:
    """The visits of this page; returns the selected row (when ``selectable``)."""
    columns = ["open", "planned_date", "when", "customer_no", "customer_name", "tier",
               "mobile", "method", "purpose", "source", "assignee"]
    data = pd.DataFrame([{
        "open": f"customer?id={r.customer_id}",
        "planned_date": r.planned_date.isoformat(),
        "when": _when(r),
        "customer_no": r.customer_no,
        "customer_name": r.customer_name,
        "tier": lbl(r.tier),
        "mobile": r.mobile or "",
        "method": lbl(r.method),
        "purpose": r.purpose or "",
        "source": tr(f"visits.source.{r.source}"),
        "assignee": r.assignee or tr("visits.unassigned"),
    } for r in rows], columns=columns)
    shown = data.rename(columns={c: tr(f"worklist.col.{c}") for c in columns})
    config = {tr("worklist.col.open"): st.column_config.LinkColumn(
        display_text=tr("worklist.open"), width="small")}
    if not selectable:
        data_table(shown, hide_index=True, width="stretch", column_config=config)
        return None
    event = data_table(shown, hide_index=True, width="stretch", column_config=config,
                       on_select="rerun", selection_mode="single-row", key=key)
    picked = list(event.selection.rows) if event is not None else []
    return rows[picked[0]] if picked and picked[0] < len(rows) else None
