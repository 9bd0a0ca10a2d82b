"""续约分析: the monthly renewal rate against its target, the contracts expiring in the coming
months, and why customers did not renew."""

import streamlit as st

from components import chart_pages, charts
from components.actions import write
from components.i18n import lbl, tr
from components.session import require
from core.vocab import RenewalOutcome
from services.access.roles import Perm
from services.analysis.renewal_charts import NO_RECORD, OTHER_REASONS, renewal_charts

user = require(Perm.DASHBOARDS)
actor = user.actor()

st.title(tr("nav.dash_renewals"))
chart_pages.stop_if_no_customers()
flt = chart_pages.filter_bar()
data = write(lambda session: renewal_charts(session, actor, flt))

period = data.period
cols = st.columns(4)
target = period.target_rate
delta, on_target = None, False
if period.rate is not None and target is not None:
    diff = round(period.rate * 100 - target, 1)
    on_target = diff == 0  # "+0.0" is on target: no arrow, no colour
    delta = tr("dashx.on_target") if on_target else tr("charts.vs_target", diff=f"{diff:+.1f}")
cols[0].metric(tr("charts.renewal_rate"), charts.percent(period.rate), delta, border=True,
               delta_color="off" if on_target else "normal",
               delta_arrow="off" if on_target else "auto")
cols[1].metric(tr("charts.target"), "—" if target is None else f"{target:.1f}%", border=True)
if flt.narrowed:
    cols[1].caption(tr("dashx.target.company_only"))
cols[2].metric(tr("charts.renewal_decided"),
               tr("charts.renewed_of", renewed=f"{period.renewed:,}",
                  decided=f"{period.decided:,}"),
               border=True)
cols[3].metric(tr("charts.renewal_amount"), f"¥{period.amount:,.0f}", border=True)
if data.empty:
    chart_pages.no_data_for_filter()
    st.stop()

st.caption(tr("dashx.ren.click_hint"))
with chart_pages.card("charts.ren.trend", "charts.ren.trend.help"):
    clicked = charts.show(charts.renewal_trend(
        [m.label for m in data.monthly], [m.rate for m in data.monthly],
        [m.target_rate for m in data.monthly], [m.renewed for m in data.monthly],
        [m.decided for m in data.monthly], [m.pending for m in data.monthly]), "ren_trend",
        clickable=True)
    if clicked and len(clicked[0]) > 3:
        chart_pages.open_renewal_records(flt, *chart_pages.month_range(str(clicked[0][3])))


def _status(key: str) -> str:
    return tr("charts.ren.no_record") if key == NO_RECORD else lbl(key)


def _reason(key: str) -> str:
    if key == NO_RECORD:
        return tr("charts.ren.no_reason")
    return tr("charts.ren.other_reasons") if key == OTHER_REASONS else key


left, right = st.columns(2)
with left, chart_pages.card("charts.ren.upcoming", "charts.ren.upcoming.help"):
    clicked = charts.show(charts.stacked_months(data.upcoming_labels, data.upcoming,
                                                palette=charts.OUTCOME_COLORS, label=_status),
                          "ren_upcoming", clickable=True)
    if clicked and len(clicked[0]) == 2:
        month, status = clicked[0]
        if status == NO_RECORD:  # no renewal record to list: the contracts coming up
            chart_pages.open_unrecorded_renewals()
        else:
            chart_pages.open_renewal_records(flt, *chart_pages.month_range(str(month)),
                                             outcome=str(status))
with right, chart_pages.card("charts.ren.reasons", "charts.ren.reasons.help"):
    clicked = charts.show(charts.bars(list(data.reasons), label=_reason, horizontal=True,
                                      value_name=tr("charts.contracts"),
                                      palette={k: "#F87171" for k, _ in data.reasons}),
                          "ren_reasons", clickable=True)
    if clicked:  # the contracts not renewed in the period (the reason is not a list filter)
        chart_pages.open_renewal_records(flt, flt.start, flt.end,
                                         outcome=RenewalOutcome.NOT_RENEWED.value)
