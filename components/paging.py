"""Server-side paging of a list: the page number lives in the address (``key``), so a link
opens the same page; a number from an old link beyond the last page is brought back to it."""

from __future__ import annotations

import streamlit as st


def requested_page(key: str) -> int:
    """The page asked for, before the pager renders (from the widget state or the address)."""
    raw = st.session_state.get(key) or st.query_params.get(key) or 1
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def pager(key: str, total: int, page_size: int, *, hide_single: bool = False) -> int:
    """The page number (1-based) from a pager bound to the address; with ``hide_single`` no
    pager is drawn when everything fits on one page."""
    pages = max(1, -(-total // page_size))
    if hide_single and pages == 1:
        return 1
    current = st.session_state.get(key)
    if isinstance(current, int) and current > pages:
        st.session_state[key] = pages
    return st.pagination(pages, key=key, bind="query-params")
