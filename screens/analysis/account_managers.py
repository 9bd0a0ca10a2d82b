"""客户经理: one row of KPIs per account manager; choosing a row opens the manager's
customers in the lookup."""

import pandas as pd
import streamlit as st

from components import chart_pages, charts
from components.actions import write
from components.i18n import tr
from components.session import require
from components.tables import data_table
from core.money import money_number
from services.access.roles import Perm
from services.analysis.account_managers import manager_table, totals

user = require(Perm.DASHBOARDS)
actor = user.actor()

st.title(tr("nav.dash_account_managers"))
chart_pages.stop_if_no_customers()
flt = chart_pages.filter_bar()
rows = write(lambda session: manager_table(session, actor, flt))

if not rows:
    chart_pages.no_data_for_filter()
    st.stop()


def _pct(value: float | None) -> str:
    return tr("charts.no_value") if value is None else f"{value * 100:.1f}%"


def _record(r, name: str) -> dict:
    return {
        "manager": name, "customers": r.customers, "new": r.new_customers,
        "conversion": _pct(r.conversion_rate), "surveys": r.scores.total,
        "satisfaction": (tr("charts.no_value") if r.scores.average is None
                         else f"{r.scores.average:.2f}"),
        "satisfied": _pct(r.scores.share_satisfied), "renewal": _pct(r.renewal_rate),
        "sales": money_number(r.sales), "orders": r.orders, "visits_done": r.visits_done,
        "visits_overdue": r.visits_overdue,
    }


frame = pd.DataFrame([_record(r, r.name or tr("charts.unassigned")) for r in rows]
                     + [_record(totals(rows), tr("charts.total"))])
with chart_pages.card("charts.am.table", "charts.am.table.help"):
    event = data_table(
        frame, hide_index=True, width="stretch", on_select="rerun",
        selection_mode="single-row", key="am_table",
        column_config={
            "manager": st.column_config.TextColumn(tr("charts.col.manager"), pinned=True),
            "customers": st.column_config.NumberColumn(tr("charts.col.customers"),
                                                       format="localized"),
            "new": st.column_config.NumberColumn(tr("charts.col.new"), format="localized"),
            "conversion": st.column_config.TextColumn(tr("charts.col.conversion"),
                                                      help=tr("charts.am.conversion.help")),
            "surveys": st.column_config.NumberColumn(tr("charts.col.surveys"),
                                                     format="localized"),
            "satisfaction": st.column_config.TextColumn(tr("charts.col.satisfaction")),
            "satisfied": st.column_config.TextColumn(tr("charts.col.satisfied")),
            "renewal": st.column_config.TextColumn(tr("charts.col.renewal"),
                                                   help=tr("charts.am.renewal.help")),
            "sales": st.column_config.NumberColumn(tr("charts.col.sales"), format="¥%,.0f"),
            "orders": st.column_config.NumberColumn(tr("charts.col.orders"),
                                                    format="localized"),
            "visits_done": st.column_config.NumberColumn(tr("charts.col.visits_done"),
                                                         format="localized"),
            "visits_overdue": st.column_config.NumberColumn(
                tr("charts.col.visits_overdue"), format="localized",
                help=tr("charts.am.overdue.help")),
        })
    st.caption(tr("charts.am.select_hint"))
    selected = event.selection.rows if event else []
    if selected and selected[0] < len(rows):
        chart_pages.open_lookup_for_manager(flt, rows[selected[0]].manager_id)

with chart_pages.card("charts.am.sales"):
    named = [r for r in rows if r.manager_id is not None]
    labels = {r.manager_id: r.name or "" for r in named}
    clicked = charts.show(charts.bars([(r.manager_id, money_number(r.sales) or 0.0) for r in named],
                                      label=lambda m: labels.get(m, ""), horizontal=True,
                                      value_name=tr("charts.col.sales"), fmt=",.0f",
                                      palette={r.manager_id: charts.PRIMARY for r in named}),
                          "am_sales", clickable=True)
    if clicked and clicked[0]:
        chart_pages.open_lookup_for_manager(flt, int(clicked[0][0]))
