"""经营总览: the KPI cards with their change against the previous period, the monthly trends of
satisfaction, renewals and complaints, and the KPI report as Excel."""

import streamlit as st
from sqlalchemy.orm import Session

from components import charts, dashboard_filters, exports, kpi_cards, managers, navigation
from components.actions import write
from components.chart_pages import card
from components.i18n import lang, tr
from components.session import require
from core.settings import get_settings
from services.access.roles import Perm
from services.analysis import churn
from services.analysis.filters import period_label
from services.analysis.overview import compute_overview
from services.analysis.report import build_report

CHURN_RULE_KEY = "churn_rule"  # the rule filter of screens/analysis/churn.py

user = require(Perm.DASHBOARDS)
actor = user.actor()

st.title(tr("dash.overview.title"))
flt = dashboard_filters.filter_bar()
overview = write(lambda session: compute_overview(session, actor, flt))

if overview.empty:
    st.info(tr("dash.overview.empty"), icon=":material/insights:")
    with st.container(horizontal=True):
        navigation.link("screens/customers/new.py", "nav.customer_new", actor)
        navigation.link("screens/customers/import_export.py", "nav.import_export", actor)
    st.stop()



def report(session: Session) -> bytes:
    names = managers.assigned().names_by_id()
    return build_report(session, actor, flt, lang(), managers=names)


with st.container(horizontal=True, vertical_alignment="center"):
    st.caption(tr("dash.overview.caption", period=period_label(flt, lang()),
                  previous=period_label(flt.previous(), lang())))
    st.space("stretch")
    exports.control(actor, tr("dash.report.download"), key="kpi_report", build=report,
                    file_name=tr("dash.report.file"), what="report.kpi",
                    help_text=tr("dash.report.help"), prepare_label=tr("dash.report.prepare"),
                    spinner=tr("dash.report.building"))

kpi_cards.grid(overview.kpis)

st.subheader(tr("dash.overview.trends"))
sat, ren, cmp = (overview.parts["satisfaction"], overview.parts["renewals"],
                 overview.parts["complaints"])
top_left, top_right = st.columns(2)
with top_left, card("charts.sat.trend"):
    charts.show(charts.satisfaction_trend(
        sat.labels, [m.average for m in sat.monthly], [m.share_satisfied for m in sat.monthly],
        [m.total for m in sat.monthly]), "overview_sat_trend")
with top_right, card("charts.ren.trend"):
    charts.show(charts.renewal_trend(
        [m.label for m in ren], [m.rate for m in ren], [m.target_rate for m in ren],
        [m.renewed for m in ren], [m.decided for m in ren], [m.pending for m in ren]),
        "overview_ren_trend")
bottom_left, bottom_right = st.columns(2)
with bottom_left, card("charts.cmp.trend"):
    charts.show(charts.complaint_trend(cmp.labels, cmp.counts, cmp.median_minutes),
                "overview_cmp_trend")
with bottom_right, card("dash.overview.churn_rules", "dash.overview.churn_rules.help"):
    st.caption(tr("dashx.churn.tiles_scope", threshold=get_settings().churn.threshold))
    by_rule = overview.kpis["churn_risk"].detail.get("by_rule", {})
    clicked = charts.show(charts.bars(
        [(rule, by_rule.get(rule, 0)) for rule in churn.RULES],
        label=lambda rule: tr(f"dash.churn.rule.{rule}"), horizontal=True,
        value_name=tr("dash.report.col.customers"), show_share=False,
        palette=dict.fromkeys(churn.RULES, charts.TARGET)), "overview_churn_rules",
        clickable=True)
    if clicked:
        st.session_state[CHURN_RULE_KEY] = clicked[0][0]
        st.switch_page(kpi_cards.CHURN_PAGE, query_params=flt.to_params())
