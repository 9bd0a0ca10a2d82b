"""The frame of a dashboard chart page: the shared filter bar, empty states, chart cards, and
opening the customer lookup filtered to a clicked bar or slice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import streamlit as st

from components import complaint_queue, customer_list, dashboard_filters, renewal_list
from components.actions import reading, write
from components.i18n import lang, lbl, tr
from services.access.users import find_user
from services.analysis.chart_sql import add_months
from services.analysis.filters import DashboardFilter, period_label
from services.analysis.kpis import has_customers

LOOKUP = "screens/customers/list.py"
COMPLAINTS = "screens/service/complaints.py"
RENEWALS = "screens/service/renewals.py"


def filter_bar() -> DashboardFilter:
    """The shared filters, then a line saying which period the page shows."""
    flt = dashboard_filters.filter_bar()
    st.caption(tr("charts.showing", period=period_label(flt, lang())))
    return flt


def stop_if_no_customers() -> None:
    """An empty database: say what to do instead of drawing empty axes."""
    empty = write(lambda session: not has_customers(session))
    if empty:
        st.info(tr("charts.empty_db"), icon=":material/insights:")
        st.stop()


def no_data_for_filter() -> None:
    st.info(tr("charts.empty_filter"), icon=":material/filter_alt_off:")


@contextmanager
def card(title_key: str, help_key: str | None = None, **params: object) -> Iterator[None]:
    """A bordered box with the chart's title (and a one-line definition under it)."""
    with st.container(border=True):
        st.markdown(f"#### {tr(title_key, **params)}")
        if help_key:
            st.caption(tr(help_key, **params))
        yield


def click_hint() -> None:
    st.caption(tr("charts.click_hint"))


def _manager_name(user_id: int) -> str | None:
    with reading() as session:
        user = find_user(session, user_id)
        return user.display_name if user is not None else None


# The lookup's filters are widgets bound to the address with a format function, so the
# address holds what the widget shows: a vocabulary value's label in the current language,
# the manager's display name; a province as stored.
_VOCAB_KEYS = ("industry", "tier", "type", "stage")


def lookup_params(flt: DashboardFilter, **chosen: str) -> dict[str, str]:
    """Query parameters of the customer lookup (``components.customer_list``) for a click:
    the clicked value, plus every dashboard dimension that holds exactly one value (the
    lookup filters one value per dimension). ``am`` is given as a user id."""
    params: dict[str, str] = {}
    for key, values in (("province", flt.provinces), ("industry", flt.industries),
                        ("tier", flt.tiers), ("type", flt.customer_types)):
        if len(values) == 1:
            params[key] = str(values[0])
    if len(flt.manager_ids) == 1:
        params["am"] = str(flt.manager_ids[0])
    params.update({k: v for k, v in chosen.items() if v})
    if "am" in params:
        name = _manager_name(int(params["am"]))
        if name:
            params["am"] = name
        else:
            del params["am"]
    return {k: (lbl(v) if k in _VOCAB_KEYS else v) for k, v in params.items()}


def open_lookup(flt: DashboardFilter, **chosen: str) -> None:
    """Drill through to the lookup, starting from clean filters: it lists exactly the
    customers the chart counted (the clicked value within the dashboard's filter)."""
    customer_list.forget_filters()
    st.switch_page(LOOKUP, query_params=lookup_params(flt, **chosen))


def open_complaints(**values: str) -> None:
    """Drill through to the complaint queue, every status, filtered to the clicked channel,
    type or status (``cchannel``, ``ctype``, ``cstatus``) and nothing else."""
    complaint_queue.open_filtered(**{"cstatus": "all", **values})
    st.switch_page(COMPLAINTS)


def open_renewal_records(flt: DashboardFilter, first: date, last: date,
                         outcome: str | None = None) -> None:
    """Drill through to the renewal records due from ``first`` to ``last`` (with ``outcome``),
    within the dashboard's tier and account manager when it holds exactly one of each."""
    values: dict[str, object] = {"hfrom": first, "hto": last}
    if outcome:
        values["hout"] = outcome
    if len(flt.tiers) == 1:
        values["htier"] = flt.tiers[0]
    if len(flt.manager_ids) == 1:
        with reading() as session:
            manager = find_user(session, flt.manager_ids[0])
            username = manager.username if manager is not None else None
        if username:
            values["ham"] = username
    renewal_list.open_records(**values)
    st.switch_page(RENEWALS)


def open_unrecorded_renewals() -> None:
    renewal_list.open_unrecorded()
    st.switch_page(RENEWALS)


def open_lookup_for_manager(flt: DashboardFilter, manager_id: int | None) -> None:
    if manager_id is not None:
        open_lookup(flt, am=str(int(manager_id)))


def month_range(label: str) -> tuple[date, date]:
    """First and last day of a month label ``YYYY-MM``."""
    year, month = (int(p) for p in label.split("-"))
    first = date(year, month, 1)
    return first, add_months(first, 1) - timedelta(days=1)
