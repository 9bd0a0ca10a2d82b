"""The 投诉处理 queue: its filter bar (kept in the page address) and the table, where overdue
complaints stand out with a ⚠ and a tinted row."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components import complaint_ui, paging, picked_row
from components.i18n import lang, lbl, tr
from components.tables import data_table
from core.vocab import COMPLAINT_TYPES
from services.records import complaints as svc

PAGE_KEY = "cpage"
STATUS_CHOICES = ("open", *svc.STATUSES, "all")
_FILTER_KEYS = ("cstatus", "cchannel", "ctype", "chandler", "cage", "coverdue", "cq", "cnewest")
_CLEARED: dict[str, Any] = {"cstatus": "open", "coverdue": False, "cq": "", "cnewest": False}
_OVERDUE_STYLE = "background-color: rgba(255, 75, 75, 0.12); color: #a61b1b"


def _reset_page() -> None:
    st.session_state[PAGE_KEY] = 1


def open_filtered(**values: str) -> None:
    """Set the queue's filters for a page that opens it (a dashboard chart): every other
    filter forgotten (a widget bound to the address keeps its value across pages), the given
    ones (``cstatus``, ``cchannel``, ``ctype``) set to stored values. Then switch pages."""
    for key in (*_FILTER_KEYS, PAGE_KEY):
        st.session_state.pop(key, None)
    st.session_state.update(values)


def clear_filters() -> None:
    for key in _FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = _CLEARED.get(key)
    _reset_page()


def _status_label(value: str) -> str:
    if value == "open":
        return tr("complaints.filter.status.open")
    if value == "all":
        return tr("common.any")
    return lbl(value)


def _any_select(label_key: str, options: list[Any], key: str, fmt=lbl) -> Any:
    return st.selectbox(tr(label_key), options, index=None, key=key, format_func=fmt,
                        placeholder=tr("common.any"), bind="query-params",
                        on_change=_reset_page)


def filter_bar(handlers: dict[int, str], team: bool) -> svc.ComplaintQuery:
    """Render the filters; every value lives in the URL, so a link reproduces the queue.

    ``handlers``: the people a manager (``team``) may pick as handler."""
    cols = st.columns([2, 2, 2, 2, 2, 3])
    with cols[0]:
        status = st.selectbox(tr("complaints.filter.status"), list(STATUS_CHOICES), index=0,
                              key="cstatus", format_func=_status_label, bind="query-params",
                              on_change=_reset_page, help=tr("complaints.filter.status.help"))
    with cols[1]:
        channel = _any_select("complaints.filter.channel", list(svc.CHANNELS), "cchannel")
    with cols[2]:
        ctype = _any_select("complaints.filter.type", list(COMPLAINT_TYPES), "ctype")
    with cols[3]:
        options = ["mine", "unassigned"] + ([f"u{uid}" for uid in handlers] if team else [])

        def handler_label(value: str) -> str:
            if value in ("mine", "unassigned"):
                return tr(f"complaints.filter.handler.{value}")
            return handlers.get(int(value[1:]), value)

        handler = _any_select("complaints.filter.handler", options, "chandler",
                              fmt=handler_label)
    with cols[4]:
        age = _any_select("complaints.filter.age", list(svc.AGE_BUCKETS), "cage",
                          fmt=lambda b: tr(f"complaints.age.{b}"))
    with cols[5]:
        text = st.text_input(tr("complaints.filter.customer"), key="cq", bind="query-params",
                             placeholder=tr("complaints.filter.customer.placeholder"),
                             on_change=_reset_page)
    flags = st.columns([2, 2, 4, 2], vertical_alignment="center")
    overdue = flags[0].toggle(tr("complaints.filter.overdue"), key="coverdue",
                              bind="query-params", on_change=_reset_page)
    newest = flags[1].toggle(tr("complaints.filter.newest"), key="cnewest",
                             bind="query-params", on_change=_reset_page)
    flags[3].button(tr("customers.clear"), on_click=clear_filters,
                    icon=":material/filter_alt_off:", key="cclear", width="stretch")
    handler_id = None
    if handler and handler.startswith("u") and team:
        try:
            handler_id = int(handler[1:])
        except ValueError:
            handler_id = None
    statuses: tuple[str, ...] = svc.OPEN_STATUSES if status in (None, "open") \
        else () if status == "all" else (status,)
    return svc.ComplaintQuery(
        statuses=statuses, channel=channel, complaint_type=ctype,
        handler=handler if handler in ("mine", "unassigned") else None, handler_id=handler_id,
        age=age, overdue_only=bool(overdue), text=(text or "").strip(),
        newest_first=bool(newest))


def requested_page() -> int:
    return paging.requested_page(PAGE_KEY)


def pager(total: int, page_size: int) -> int:
    return paging.pager(PAGE_KEY, total, page_size, hide_single=True)


def table(rows: list[svc.QueueRow], key: str) -> int | None:
    """The queue page's grid; returns the id of the selected complaint."""
    names = dict(zip(svc.COLUMNS, svc.column_headers(lang()), strict=True))
    data = pd.DataFrame([svc.display_row(r, lang()) for r in rows], columns=list(svc.COLUMNS))
    shown = data.rename(columns=names)
    mark = names["overdue"]

    def tint(row: pd.Series) -> list[str]:
        return [_OVERDUE_STYLE if row[mark] == svc.OVERDUE_MARK else ""] * len(row)

    config = {mark: st.column_config.TextColumn(width=40, help=tr("complaints.col.overdue.help")),
              names["customer"]: st.column_config.TextColumn(width="medium"),
              names["description"]: st.column_config.TextColumn(width="large")}
    event = data_table(shown.style.apply(tint, axis=1), hide_index=True, width="stretch",
                       column_config=config, on_select="rerun", selection_mode="single-row",
                       key=key)
    picked = list(event.selection.rows) if event is not None else []
    if not picked or picked[0] >= len(rows):
        return None
    return rows[picked[0]].id


def summary(counts: svc.QueueCounts) -> None:
    """The open complaints at a glance, above the filters."""
    row = st.container(horizontal=True, gap="small")
    with row:
        st.badge(tr("complaints.count.pending", n=f"{counts.pending:,}"), color="orange",
                 icon=":material/inbox:")
        st.badge(tr("complaints.count.in_progress", n=f"{counts.in_progress:,}"), color="blue",
                 icon=":material/pending_actions:")
        st.badge(tr("complaints.count.overdue", n=f"{counts.overdue:,}"),
                 color="red" if counts.overdue else "gray", icon=":material/warning:")
        st.badge(tr("complaints.count.mine", n=f"{counts.mine:,}"), color="violet",
                 icon=":material/person:")


_PICKED_KEY = "cq_picked"


def open_picked(picked: int | None) -> None:
    """Selecting a row opens its detail once; the same row, still selected after the dialog
    was closed, offers a button to open it again."""
    picked_row.open_once(_PICKED_KEY, picked, lambda: complaint_ui.open_from_queue(picked),
                         again_label=tr("complaints.open_selected"), again_key="cq_open_again",
                         can_again=st.session_state.get(complaint_ui.QUEUE_OPEN_KEY) is None)
