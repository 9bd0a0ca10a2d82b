"""投诉分析: complaints by channel, type and status, the monthly count and median resolution
time, and the complaints overdue now."""

import pandas as pd
import streamlit as st

from components import chart_pages, charts
from components.actions import writing
from components.i18n import lbl, tr
from components.session import require
from components.tables import data_table
from core.clock import shown
from core.settings import get_settings
from services.access.roles import Perm
from services.analysis.complaint_charts import complaint_charts, overdue

user = require(Perm.DASHBOARDS)
actor = user.actor()

st.title(tr("nav.dash_complaints"))
chart_pages.stop_if_no_customers()
flt = chart_pages.filter_bar()
with writing() as session:
    data = complaint_charts(session, actor, flt)
    late, late_total = overdue(session, actor, flt)

hours = get_settings().complaint_overdue_hours
cols = st.columns(3)
cols[0].metric(tr("charts.complaints_received"), f"{data.total:,}", border=True)
cols[1].metric(tr("charts.median_hours"), "—" if data.median_minutes is None
               else f"{data.median_minutes / 60:.1f}", border=True)
cols[2].metric(tr("charts.cmp.overdue_now", hours=hours), f"{late_total:,}", border=True)
if data.empty and not late_total:
    chart_pages.no_data_for_filter()
    st.stop()

st.caption(tr("dashx.cmp.click_hint"))


def _go(filter_key: str, clicked: list) -> None:
    if clicked and clicked[0] and clicked[0][0]:
        chart_pages.open_complaints(**{filter_key: str(clicked[0][0])})


cols = st.columns(3)
# Bars rather than a donut: a click on a bar opens those complaints (a pie slice cannot).
with cols[0], chart_pages.card("charts.cmp.by_channel"):
    _go("cchannel", charts.show(charts.bars(list(data.by_channel), horizontal=True,
                                            value_name=tr("charts.complaints")),
                                "cmp_channel", clickable=True))
with cols[1], chart_pages.card("charts.cmp.by_type"):
    _go("ctype", charts.show(charts.bars(list(data.by_type), horizontal=True,
                                         value_name=tr("charts.complaints")),
                             "cmp_type", clickable=True))
with cols[2], chart_pages.card("charts.cmp.by_status", "charts.cmp.by_status.help"):
    _go("cstatus", charts.show(charts.bars(list(data.by_status), palette=charts.STATUS_COLORS,
                                           value_name=tr("charts.complaints")),
                               "cmp_status", clickable=True))

with chart_pages.card("charts.cmp.trend", "charts.cmp.trend.help"):
    charts.show(charts.complaint_trend(data.month_labels, data.monthly_count,
                                       data.monthly_median_minutes), "cmp_trend")

with chart_pages.card("charts.cmp.overdue", "charts.cmp.overdue.help", hours=hours):
    if not late:
        st.success(tr("charts.cmp.none_overdue"), icon=":material/check_circle:")
    else:
        frame = pd.DataFrame([{
            "open": f"customer?id={r.customer_id}", "customer_no": r.customer_no,
            "name": r.customer_name, "channel": lbl(r.channel), "type": lbl(r.complaint_type),
            "status": lbl(r.status),
            "received": shown(r.received_at),
            "days": round(r.hours_open / 24, 1), "handler": r.handler or "",
        } for r in late])
        data_table(frame, hide_index=True, width="stretch", column_config={
            "open": st.column_config.LinkColumn(tr("charts.col.open"),
                                                display_text=tr("charts.col.open_text")),
            "customer_no": tr("charts.col.customer_no"), "name": tr("charts.col.customer"),
            "channel": tr("charts.col.channel"), "type": tr("charts.col.type"),
            "status": tr("charts.col.status"), "received": tr("charts.col.received"),
            "days": st.column_config.NumberColumn(tr("charts.col.days"), format="%.1f"),
            "handler": tr("charts.col.handler"),
        })
        if late_total > len(late):
            st.caption(tr("charts.cmp.more_overdue", shown=len(late), total=f"{late_total:,}"))
