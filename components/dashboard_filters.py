"""The filter bar every dashboard page shares, kept in the page address.

``filter_bar()`` renders the period picker and the customer dimensions and returns the
``DashboardFilter``. The address holds the filter in its canonical form
(``DashboardFilter.to_params``: stored values and ids, never translated labels, so a link
works in either language); the widgets are loaded from the address whenever it changes
(a shared link, a page link with ``query_params=flt.to_params()``) and write it back when
the user changes them. The last filter is remembered for the session too, so a dashboard page
opened from the sidebar (whose links carry no parameters) shows the same view.

Widgets are deliberately not ``bind="query-params"``: a bound widget with a ``format_func``
puts the translated label into the address.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from components import managers
from components.i18n import lang, lbl, tr
from core import clock
from core.regions import PROVINCE_CHOICES
from core.settings import get_settings
from core.vocab import CustomerType, Tier
from services.analysis import filters as f
from services.analysis.filters import DashboardFilter

_SAVED = "dash_filter_params"   # the last filter of this session (canonical params)
_SEEN = "dash_filter_seen"      # the address the widgets were last loaded from / wrote
_PERIOD_COUNTS = {"month": 24, "quarter": 8, "year": 3}
_W_KIND, _W_FROM, _W_TO = "dash_kind", "dash_from", "dash_to"
_W_DIMS = {f.P_PROVINCE: "dash_province", f.P_INDUSTRY: "dash_industry",
           f.P_TIER: "dash_tier", f.P_TYPE: "dash_type", f.P_MANAGER: "dash_am"}


def token_key(kind: str) -> str:
    """The period picker's widget key, one per period type: the browser keeps showing the
    value of a widget it already has, so a picker shared by all types went on reading
    "2026年12月" after 月 → 季度 while the figures were for Q4."""
    return f"dash_token_{kind}"


def _drop_tokens() -> None:
    for kind in f.PERIOD_KINDS:
        st.session_state.pop(token_key(kind), None)


def _normal(params: dict) -> dict[str, list[str]]:
    return {k: ([v] if isinstance(v, str) else list(v)) for k, v in params.items() if v}


def _address() -> dict[str, list[str]]:
    return _normal({k: st.query_params.get_all(k) for k in f.PARAM_KEYS
                    if k in st.query_params})


def _load_widgets(flt: DashboardFilter) -> None:
    state = st.session_state
    state[_W_KIND] = flt.kind
    _drop_tokens()
    if flt.is_calendar:
        state[token_key(flt.kind)] = f.period_token(flt.kind, flt.start)
    state[_W_FROM], state[_W_TO] = flt.start, flt.end
    params = flt.to_params()
    for key, widget in _W_DIMS.items():
        state[widget] = list(params.get(key, []))


def _on_kind_change() -> None:
    # A token of the old kind means nothing in the new one: start from the current period.
    _drop_tokens()


def reset_filters() -> None:
    """Back to what a manager sees first: this month, every customer (the 重置筛选 button)."""
    clear_dimensions()
    st.session_state[_W_KIND] = "month"
    _drop_tokens()
    st.session_state.pop(_W_FROM, None)
    st.session_state.pop(_W_TO, None)


def clear_dimensions() -> None:
    for widget in _W_DIMS.values():
        st.session_state[widget] = []


def _managers() -> dict[str, str]:
    """str(id) -> display name: the address carries the manager's id."""
    return {str(i): name for i, name in managers.assigned().names_by_id().items()}


def _period_picker(kind: str, today: date) -> None:
    if kind == "custom":
        left, right = st.columns(2)
        st.session_state.setdefault(_W_FROM, today.replace(day=1))
        st.session_state.setdefault(_W_TO, today)
        left.date_input(tr("dash.filter.from"), key=_W_FROM, max_value=today,
                        min_value=today - timedelta(days=f.MAX_CUSTOM_DAYS),
                        format="YYYY-MM-DD")
        right.date_input(tr("dash.filter.to"), key=_W_TO, max_value=today,
                         min_value=today - timedelta(days=f.MAX_CUSTOM_DAYS),
                         format="YYYY-MM-DD")
        return
    tokens = [f.period_token(kind, s)  # type: ignore[arg-type]
              for s in f.recent_periods(kind, today, _PERIOD_COUNTS[kind])]  # type: ignore[arg-type]
    key = token_key(kind)
    chosen = st.session_state.get(key)
    if chosen not in tokens:
        first = f.parse_token(kind, chosen) if chosen else None  # type: ignore[arg-type]
        if first is not None and first <= today:
            tokens.append(chosen)  # an older period named by a link
        else:
            st.session_state.pop(key, None)
    names = {tok: f.period_name(kind, f.parse_token(kind, tok), lang())  # type: ignore[arg-type]
             for tok in tokens}
    st.selectbox(tr("dash.filter.period"), tokens, key=key, format_func=names.get)


def filter_bar(*, period: bool = True) -> DashboardFilter:
    """Render the filters and return the filter they describe (also put in the address).

    ``period=False`` (a page whose figures do not depend on the period, e.g. 流失预警) shows
    only the customer dimensions and carries the period along unchanged in the address."""
    today = clock.today()
    address = _address() or _normal(st.session_state.get(_SAVED) or {})
    # Load the widgets when the address changed (a link, another dashboard page), or when
    # the period widgets were dropped because the previous page did not show them.
    if address != st.session_state.get(_SEEN) or (period and _W_KIND not in st.session_state):
        _load_widgets(DashboardFilter.from_params(address, today))
    manager_names = _managers()
    kept = DashboardFilter.from_params(address, today)
    if period:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.session_state.setdefault(_W_KIND, "month")
            kind = st.segmented_control(
                tr("dash.filter.kind"), list(f.PERIOD_KINDS), key=_W_KIND, required=True,
                format_func=lambda k: tr(f"dash.filter.kind.{k}"), on_change=_on_kind_change
            ) or "month"
            with st.container(width=360):
                _period_picker(kind, today)
    else:
        kind = kept.kind
    cols = st.columns(5)
    multi = (
        (cols[0], "dash.filter.province", f.P_PROVINCE, list(PROVINCE_CHOICES), str),
        (cols[1], "dash.filter.industry", f.P_INDUSTRY, list(get_settings().industries), lbl),
        (cols[2], "dash.filter.tier", f.P_TIER, [t.value for t in Tier], lbl),
        (cols[3], "dash.filter.type", f.P_TYPE, [c.value for c in CustomerType], lbl),
        (cols[4], "dash.filter.manager", f.P_MANAGER, list(manager_names),
         lambda v: manager_names.get(v, v)),
    )
    chosen: dict[str, list[str]] = {}
    for col, label_key, key, options, fmt in multi:
        widget = _W_DIMS[key]
        st.session_state[widget] = [v for v in st.session_state.get(widget, [])
                                    if v in options]
        chosen[key] = col.multiselect(tr(label_key), options, key=widget, format_func=fmt,
                                      placeholder=tr("dash.filter.all"))
    with st.container(horizontal=True, horizontal_alignment="right"):
        st.button(tr("dashx.filter.reset"), key="dash_reset", on_click=reset_filters,
                  icon=":material/filter_alt_off:", help=tr("dashx.filter.reset.help"))
    params: dict = {f.P_KIND: kind, **chosen}
    if not period:
        params.update({k: v for k, v in kept.to_params().items()
                       if k in (f.P_TOKEN, f.P_FROM, f.P_TO)})
    elif kind == "custom":
        params[f.P_FROM] = str(st.session_state.get(_W_FROM) or "")
        params[f.P_TO] = str(st.session_state.get(_W_TO) or "")
    else:
        params[f.P_TOKEN] = st.session_state.get(token_key(kind)) or ""
    flt = DashboardFilter.from_params(params, today)
    canonical = _normal(flt.to_params())
    if _address() != canonical:
        st.query_params.from_dict(canonical)
    st.session_state[_SEEN] = canonical
    st.session_state[_SAVED] = canonical
    return flt
