"""满意度分析: the five levels, the monthly average and share satisfied, by tier and by account
manager. Clicking a tier or a manager opens their customers."""

import streamlit as st

from components import chart_pages, charts, managers
from components.actions import write
from components.i18n import lbl, tr
from components.session import require
from services.access.roles import Perm
from services.analysis.satisfaction import satisfaction

user = require(Perm.DASHBOARDS)
actor = user.actor()

st.title(tr("nav.dash_satisfaction"))
chart_pages.stop_if_no_customers()
flt = chart_pages.filter_bar()
data = write(lambda session: satisfaction(session, actor, flt))
names = managers.assigned().names_by_id()

overall = data.overall
left, middle, right = st.columns(3)
left.metric(tr("charts.surveys"), f"{overall.total:,}", border=True)
middle.metric(tr("charts.average_score"),
              "—" if overall.average is None else f"{overall.average:.2f}", border=True)
right.metric(tr("charts.share_satisfied"), charts.percent(overall.share_satisfied), border=True)
if data.empty:
    chart_pages.no_data_for_filter()
    st.stop()

left, right = st.columns([2, 3])
with left, chart_pages.card("charts.sat.distribution", "charts.sat.distribution.help"):
    charts.show(charts.satisfaction_distribution(overall.counts), "sat_distribution")
with right, chart_pages.card("charts.sat.trend", "charts.sat.trend.help"):
    charts.show(charts.satisfaction_trend(
        data.month_labels, [m.average for m in data.monthly],
        [m.share_satisfied for m in data.monthly], [m.total for m in data.monthly]),
        "sat_trend")

chart_pages.click_hint()
left, right = st.columns(2)
with left, chart_pages.card("charts.sat.by_tier"):
    clicked = charts.show(charts.satisfaction_by_group(
        [(tier, lbl(tier), c.counts) for tier, c in data.by_tier]), "sat_tier", clickable=True)
    if clicked and clicked[0][0]:
        chart_pages.open_lookup(flt, tier=clicked[0][0])
with right, chart_pages.card("charts.sat.by_manager"):
    groups = [(m if m is not None else "", names.get(m, tr("charts.unassigned")), c.counts)
              for m, c in data.by_manager]
    clicked = charts.show(charts.satisfaction_by_group(groups), "sat_manager", clickable=True)
    if clicked and clicked[0][0]:
        chart_pages.open_lookup_for_manager(flt, int(clicked[0][0]))
