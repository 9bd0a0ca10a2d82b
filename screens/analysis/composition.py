"""客户构成: the customers by province (a map of China), tier, type, lifecycle stage and
industry, and the new customers per month. Clicking a province, bar or slice opens those
customers in the lookup."""

import streamlit as st

from components import chart_pages, charts
from components.actions import write
from components.i18n import lbl, tr
from components.session import require
from services.access.roles import Perm
from services.analysis.composition import UNKNOWN, composition

user = require(Perm.DASHBOARDS)
actor = user.actor()

st.title(tr("nav.dash_composition"))
chart_pages.stop_if_no_customers()
flt = chart_pages.filter_bar()
data = write(lambda session: composition(session, actor, flt))

cols = st.columns(3)
cols[0].metric(tr("charts.comp.total"), f"{data.total:,}", border=True)
cols[1].metric(tr("charts.comp.new_in_period"), f"{data.new_in_period:,}", border=True)
cols[2].metric(tr("charts.comp.provinces"),
               f"{sum(1 for p, n in data.by_province if n and p != UNKNOWN):,}", border=True)
if data.empty:
    chart_pages.no_data_for_filter()
    st.stop()
chart_pages.click_hint()


def _known(items):
    return [(k, n) for k, n in items if k != UNKNOWN]


def _go(dimension: str, clicked: list) -> None:
    if clicked and clicked[0] and clicked[0][0] not in (None, UNKNOWN):
        chart_pages.open_lookup(flt, **{dimension: str(clicked[0][0])})


left, right = st.columns([3, 2])
with left, chart_pages.card("charts.comp.map", "charts.comp.map.help"):
    _go("province", charts.show(charts.province_map(_known(data.by_province), height=480),
                                "comp_map",
                                clickable=True))
with right, chart_pages.card("charts.comp.top_provinces"):
    known = _known(data.by_province)
    top = sorted(known, key=lambda item: -item[1])[:10]
    _go("province", charts.show(charts.bars(top, horizontal=True, label=str,
                                            share_of=sum(n for _, n in known),
                                            value_name=tr("charts.customers"),
                                            palette={k: charts.PRIMARY for k, _ in top}),
                                "comp_top", clickable=True))

cols = st.columns(3)
# Bars rather than donuts: a click on a bar opens those customers (a pie slice cannot).
with cols[0], chart_pages.card("charts.comp.tier"):
    _go("tier", charts.show(charts.bars(list(data.by_tier), palette=charts.TIER_COLORS,
                                        value_name=tr("charts.customers")),
                            "comp_tier", clickable=True))
with cols[1], chart_pages.card("charts.comp.type"):
    _go("type", charts.show(charts.bars(list(data.by_type), palette=charts.TYPE_COLORS,
                                        value_name=tr("charts.customers")),
                            "comp_type", clickable=True))
with cols[2], chart_pages.card("charts.comp.lifecycle", "charts.comp.lifecycle.help"):
    _go("stage", charts.show(charts.bars(list(data.by_lifecycle),
                                         palette=charts.LIFECYCLE_COLORS,
                                         value_name=tr("charts.customers")),
                             "comp_stage", clickable=True))

left, right = st.columns(2)
with left, chart_pages.card("charts.comp.industry"):
    industries = [(k, n) for k, n in data.by_industry if n]
    _go("industry", charts.show(charts.bars(
        [(k if k != UNKNOWN else UNKNOWN, n) for k, n in industries], horizontal=True,
        label=lambda k: lbl(k) if k else tr("charts.unknown"),
        value_name=tr("charts.customers")), "comp_industry", clickable=True))
with right, chart_pages.card("charts.comp.new", "charts.comp.new.help"):
    clicked = charts.show(charts.bars(list(zip(data.month_labels, data.new_monthly,
                                               strict=True)),
                                      label=str, value_name=tr("charts.new_customers"),
                                      show_share=False,
                                      palette={m: charts.PRIMARY for m in data.month_labels}),
                          "comp_new", clickable=True)
    if clicked and clicked[0]:
        first, last = chart_pages.month_range(str(clicked[0][0]))
        chart_pages.open_lookup(flt, **{"from": first.isoformat(), "to": last.isoformat()})
