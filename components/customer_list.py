"""The customer list: filter bar (kept in the page address) and the result table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import consent_ui, paging
from components.i18n import lbl, tr
from components.tables import data_table
from core.clock import shown_day
from core.regions import PROVINCE_CHOICES
from core.settings import get_settings
from core.vocab import CustomerType, Lifecycle, Tier
from services.customers.lookup import SORTABLE, CustomerQuery, CustomerRow
from services.privacy.consent_terms import Purpose

PAGE_KEY = "page"
GRID_KEY = "lookup_grid"
PROFILE_PAGE = "screens/customers/profile.py"
_FILTER_KEYS = ("q", "type", "industry", "province", "tier", "stage", "am", "sort", "desc",
                "city", "tags", "tagmode", "from", "to", "overdue", "deleted", "cs", "cm")


def _reset_page() -> None:
    st.session_state[PAGE_KEY] = 1


def _select(label_key: str, options: list[str], key: str, fmt=lbl) -> str | None:
    return st.selectbox(tr(label_key), options, index=None, key=key, format_func=fmt,
                        placeholder=tr("customers.filter.any"), bind="query-params",
                        on_change=_reset_page)


# What 清除条件 puts back: empty filters, and the default sort (never an empty 排序 box).
DEFAULT_SORT = "created_at"
_CLEARED = {"q": "", "sort": DEFAULT_SORT, "desc": True, "city": "", "tags": [],
            "tagmode": "any", "overdue": False, "deleted": False}


def forget_filters() -> None:
    """Forget every remembered lookup filter before a link opens the lookup with its own
    parameters (a dashboard drill-through): a widget bound to the address keeps its value
    across pages and would otherwise add a filter from an earlier visit to the link's.
    The sort order is a preference, not a filter, and stays."""
    for key in (*_FILTER_KEYS, PAGE_KEY):
        if key not in ("sort", "desc"):
            st.session_state.pop(key, None)


def clear_filters() -> None:
    for key in _FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = _CLEARED.get(key)
    _reset_page()


def filter_bar(managers: dict[str, str], tag_names: list[str],
               can_see_deleted: bool) -> tuple[CustomerQuery, str | None]:
    """Render the filters; every value is bound to the URL, so a link reproduces the result.

    Returns the query and the chosen account manager's username (resolved by the caller).
    """
    text = st.text_input(tr("customers.search"), key="q", bind="query-params",
                         placeholder=tr("customers.search_placeholder"), on_change=_reset_page)
    cols = st.columns(6)
    with cols[0]:
        ctype = _select("customers.filter.type", [c.value for c in CustomerType], "type")
    with cols[1]:
        industry = _select("customers.filter.industry", list(get_settings().industries),
                           "industry")
    with cols[2]:
        province = _select("customers.filter.province", list(PROVINCE_CHOICES), "province",
                           fmt=str)
    with cols[3]:
        tier = _select("customers.filter.tier", [t.value for t in Tier], "tier")
    with cols[4]:
        stage = _select("customers.filter.lifecycle", [s.value for s in Lifecycle], "stage")
    with cols[5]:
        manager = _select("customers.filter.manager", list(managers), "am",
                          fmt=lambda u: managers.get(u, u))
    with st.expander(tr("lookup.more_filters"), icon=":material/tune:"):
        more = st.columns([2, 3, 1, 2, 2])
        city = more[0].text_input(tr("lookup.city"), key="city", bind="query-params",
                                  on_change=_reset_page)
        tags = more[1].multiselect(tr("lookup.tags"), tag_names, key="tags",
                                   placeholder=tr("form.choose"), bind="query-params",
                                   on_change=_reset_page)
        tags_mode = more[2].radio(tr("lookup.tags_mode"), ["any", "all"], key="tagmode",
                                  format_func=lambda m: tr(f"lookup.tags_mode.{m}"),
                                  bind="query-params", on_change=_reset_page)
        created_from = more[3].date_input(tr("lookup.created_from"), value=None, key="from",
                                          bind="query-params", on_change=_reset_page)
        created_to = more[4].date_input(tr("lookup.created_to"), value=None, key="to",
                                        bind="query-params", on_change=_reset_page)
        consents = st.columns(4)
        with consents[0]:
            service = consent_ui.state_select(Purpose.SERVICE, "cs", _reset_page)
        with consents[1]:
            marketing = consent_ui.state_select(Purpose.MARKETING, "cm", _reset_page)
        flags = st.columns(4)
        overdue = flags[0].checkbox(tr("lookup.review_overdue"), key="overdue",
                                    bind="query-params", on_change=_reset_page)
        deleted = flags[1].checkbox(tr("lookup.deleted"), key="deleted", bind="query-params",
                                    on_change=_reset_page) if can_see_deleted else False
    sort_col, desc_col, clear_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    with sort_col:
        sort = st.selectbox(tr("customers.sort"), list(SORTABLE), key="sort",
                            index=list(SORTABLE).index(DEFAULT_SORT),
                            format_func=lambda c: tr(f"col.{c}"), bind="query-params",
                            on_change=_reset_page)
    with desc_col:
        descending = st.toggle(tr("customers.sort.desc"), value=True, key="desc",
                               bind="query-params", on_change=_reset_page)
    with clear_col:
        st.button(tr("customers.clear"), on_click=clear_filters, icon=":material/filter_alt_off:")
    query = CustomerQuery(text=text or "", customer_type=ctype, industry=industry,
                          province=province, city=(city or "").strip() or None, tier=tier,
                          lifecycle=stage, tags=tuple(tags or ()),
                          tags_mode="all" if tags_mode == "all" else "any",
                          created_from=created_from, created_to=created_to,
                          review_overdue=bool(overdue),
                          deleted="only" if deleted else "exclude",
                          consent_service=service, consent_marketing=marketing,
                          sort=sort or DEFAULT_SORT, descending=bool(descending))
    return query, manager


def table(rows: list[CustomerRow], *, selectable: bool = False) -> list[int]:
    """The result grid; returns the ids of the ticked rows (when ``selectable``).

    One click on any cell of a row opens that customer's profile in this tab (a cell pick
    switches page). Streamlit's link cells are not used: they need a first click to select
    the cell and a second one that opens a new browser tab."""
    columns = ["open", "customer_no", "name", "customer_type", "mobile", "email", "company",
               "industry", "province", "city", "tier", "lifecycle", "account_manager", "tags",
               "created_at"]
    vocab = {"customer_type", "industry", "tier", "lifecycle"}
    data = pd.DataFrame([
        {"open": tr("lists.lookup.open_cell"),
         **{c: (lbl(getattr(r, c)) if c in vocab else getattr(r, c)) for c in columns[1:]}}
        for r in rows
    ], columns=columns)
    if not data.empty:
        data["created_at"] = data["created_at"].map(shown_day)
        data["tags"] = data["tags"].map(lambda tags: "、".join(tags))
        data = data.fillna("")
    config = {tr("col.open"): st.column_config.TextColumn(width="small"),
              tr("col.name"): st.column_config.TextColumn(width="medium"),
              tr("col.company"): st.column_config.TextColumn(width="medium")}
    shown = data.rename(columns={c: tr(f"col.{c}") for c in columns})
    modes = ["multi-row", "single-cell"] if selectable else ["single-cell"]
    event = data_table(shown, hide_index=True, width="stretch", column_config=config,
                       on_select="rerun",
                       selection_mode=modes, key=GRID_KEY)
    selection = event.selection if event is not None else None
    cells = list(selection.get("cells", [])) if selection else []
    if cells and 0 <= int(cells[0][0]) < len(rows):
        st.session_state.pop(GRID_KEY, None)  # coming back to the list opens nothing
        st.switch_page(PROFILE_PAGE, query_params={"id": str(rows[int(cells[0][0])].id)})
    picked = list(selection.get("rows", [])) if selection and selectable else []
    return [rows[i].id for i in picked if i < len(rows)]


def requested_page() -> int:
    return paging.requested_page(PAGE_KEY)


def pager(total: int, page_size: int) -> int:
    return paging.pager(PAGE_KEY, total, page_size)
