"""流失预警: customers whose churn risk score reaches the threshold, with the rules that fired,
highest risk and value first; filter by dimension and by rule, page, export."""

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from components import dashboard_filters, exports
from components.actions import write
from components.i18n import lbl, tr
from components.session import require
from components.tables import data_table
from components.text import plain
from core.money import money_number
from core.settings import get_settings
from services.access.roles import Perm
from services.analysis import churn
from services.excel import can_export
from services.excel.export import export_table_xlsx

PAGE_KEY = "churn_page"
RULE_KEY = "churn_rule"

user = require(Perm.DASHBOARDS)
actor = user.actor()
settings = get_settings()
rules = settings.churn
page_size = settings.page_size

st.title(tr("dash.churn.title"))
flt = dashboard_filters.filter_bar(period=False)


def _reset_page() -> None:
    st.session_state[PAGE_KEY] = 1


def _rule_help(rule: str) -> str:
    params = {
        "no_order": {"days": rules.no_order_days},
        "contact_drop": {"days": rules.contact_window_days,
                         "ratio": f"{rules.contact_drop_ratio:.0%}"},
        "complaints": {"days": rules.complaint_window_days, "repeat": rules.complaint_repeat},
        "satisfaction": {"max_score": rules.satisfaction_max_score,
                         "drop": rules.satisfaction_drop},
        "contract": {"days": rules.contract_days},
    }[rule]
    return tr(f"dash.churn.rule.help.{rule}", **params)


info = write(lambda session: churn.summary(session, flt))
st.caption(tr("dash.churn.caption", threshold=rules.threshold,
              as_of=info.as_of.isoformat() if info.as_of else "—"))

weights = churn.weights(rules)
st.caption(tr("dashx.churn.tiles_scope", threshold=rules.threshold))
cols = st.columns(len(churn.RULES))
for col, rule in zip(cols, churn.RULES, strict=True):
    col.metric(tr(f"dash.churn.rule.{rule}"), f"{info.by_rule.get(rule, 0):,}",
               help=tr("dashx.churn.tile_help", rule=_rule_help(rule), weight=weights[rule]),
               border=True)

st.session_state.setdefault(RULE_KEY, "")  # the overview's rule chart may have set it
rule = st.segmented_control(
    tr("dash.churn.rule_filter"), ["", *churn.RULES], key=RULE_KEY,
    format_func=lambda r: tr(f"dash.churn.rule.{r}") if r else tr("dash.churn.all_rules"),
    on_change=_reset_page) or None

page = max(1, int(st.session_state.get(PAGE_KEY) or 1))
result = write(lambda session: churn.risk_page(session, actor, flt, offset=(page - 1) * page_size,
                                               limit=page_size, rule=rule))
if result.total == 0:
    st.info(tr("dash.churn.none"), icon=":material/sentiment_satisfied:")
    st.stop()

pages = max(1, -(-result.total // page_size))
if page > pages:
    st.session_state[PAGE_KEY] = pages
    st.rerun()


def _rules_text(fired: tuple[str, ...]) -> list[str]:
    return [tr(f"dash.churn.rule.{r}") for r in fired]


def build_export(session: Session) -> bytes:
    headers = [tr(f"dash.churn.col.{c}") for c in (
        "customer_no", "name", "mobile", "tier", "province", "manager", "score",
        "rules", "spend", "last_order", "last_contact")]
    rows = [(r.customer_no, r.name, r.mobile, lbl(r.tier), r.province,
             r.account_manager, r.score, "; ".join(_rules_text(r.rules)),
             r.spend, r.last_order_at, r.last_contact_at)
            for r in churn.export_rows(session, actor, flt, rule=rule)]
    return export_table_xlsx(session, actor, "churn_warning", headers, rows,
                             sheet=tr("dash.churn.sheet"),
                             filters={**flt.to_params(), "rule": rule or ""})


frame = pd.DataFrame([{
    "open": f"customer?id={r.customer_id}", "customer_no": r.customer_no,
    "name": plain(r.name), "tier": lbl(r.tier), "province": r.province or "",
    "manager": r.account_manager or "", "score": r.score, "rules": _rules_text(r.rules),
    "spend": money_number(r.spend), "last_order": r.last_order_at,
    "last_contact": r.last_contact_at,
} for r in result.rows])
with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(f"**{tr('dash.churn.total', total=f'{result.total:,}')}**")
    st.space("stretch")
    if can_export(actor):
        exports.control(actor, tr("dash.churn.export"), key="churn_export",
                        build=build_export, file_name=tr("dash.churn.file"),
                        what="export.churn_warning", prepare_label=tr("dash.report.prepare"),
                        help_text=tr("dash.churn.export.help.full"
                                     if actor.can(Perm.EXPORT_FULL)
                                     else "dash.churn.export.help.masked"))

data_table(frame, hide_index=True, width="stretch", height=35 * (len(frame) + 1) + 3,
           column_order=("open", "name", "score", "rules", "spend", "manager", "tier",
                           "province", "customer_no", "last_order", "last_contact"),
           column_config={
    "open": st.column_config.LinkColumn(tr("dash.churn.col.open"),
                                        display_text=tr("charts.col.open_text"), width=60),
    "customer_no": tr("dash.churn.col.customer_no"),
    "name": st.column_config.TextColumn(tr("dash.churn.col.name"), width="medium"),
    "tier": st.column_config.TextColumn(tr("dash.churn.col.tier"), width=60),
    "province": tr("dash.churn.col.province"),
    "manager": tr("dash.churn.col.manager"),
    "score": st.column_config.ProgressColumn(tr("dash.churn.col.score"), min_value=0,
                                             max_value=sum(weights.values()), format="%d",
                                             width="small"),
    "rules": st.column_config.ListColumn(tr("dash.churn.col.rules"), width="large"),
    "spend": st.column_config.NumberColumn(tr("dash.churn.col.spend"), format="¥%,.0f"),
    "last_order": st.column_config.DateColumn(tr("dash.churn.col.last_order"),
                                              format="YYYY-MM-DD"),
    "last_contact": st.column_config.DateColumn(tr("dash.churn.col.last_contact"),
                                                format="YYYY-MM-DD"),
})
left, right = st.columns([2, 3], vertical_alignment="center")
with right:
    st.pagination(pages, key=PAGE_KEY)
with left:
    st.caption(tr("dash.churn.page_info", page=page, pages=f"{pages:,}"))
