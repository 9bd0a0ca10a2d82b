"""KPI cards of the overview: value, change against the previous period (green when it is
good news, red when bad: fewer complaints is good), the previous value and the target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components.i18n import lang, tr
from core.settings import get_settings
from services.analysis.kpis import Kpi, format_delta, format_value, unchanged

ROWS: tuple[tuple[str, ...], ...] = (
    ("customers_total", "customers_new", "active_customers", "churn_risk"),
    ("satisfaction_avg", "satisfied_share", "renewal_rate", "renewal_amount"),
    ("open_complaints", "overdue_complaints", "resolution_median_minutes"),
)
CHURN_PAGE = "screens/analysis/churn.py"


def _help(kpi: Kpi) -> str:
    settings = get_settings()
    params: dict[str, object] = {
        "surveys": f"{kpi.detail.get('surveys', 0):,}",
        "resolved": f"{kpi.detail.get('resolved', 0):,}",
        "renewed": f"{kpi.detail.get('renewed', 0):,}",
        "not_renewed": f"{kpi.detail.get('not_renewed', 0):,}",
        "pending": f"{kpi.detail.get('pending', 0):,}",
        "hours": settings.complaint_overdue_hours,
        "threshold": settings.churn.threshold,
    }
    text = tr(f"dash.kpi.help.{kpi.key}", **params)
    return text


def _note(kpi: Kpi) -> str:
    """The line under the value: previous value, and the target where there is one."""
    parts = []
    if kpi.key == "churn_risk":
        parts.append(tr("dash.kpi.now"))
    else:
        parts.append(tr("dash.kpi.previous", value=format_value(kpi.unit, kpi.previous,
                                                                 lang())))
    if kpi.key in ("renewal_rate", "renewal_amount") and kpi.detail.get("target_scope"):
        parts.append(tr("dashx.target.company_only"))
    elif kpi.key in ("renewal_rate", "renewal_amount"):
        parts.append(tr("dash.kpi.target", value=format_value(kpi.unit, kpi.target, lang()))
                     if kpi.target is not None else tr("dash.kpi.no_target"))
    return " · ".join(parts)


def card(kpi: Kpi, *, link: str | None = None) -> None:
    with st.container(border=True, height="stretch"):
        if unchanged(kpi.unit, kpi.delta):
            st.metric(tr(f"dash.kpi.{kpi.key}"), format_value(kpi.unit, kpi.value, lang()),
                      tr("dashx.kpi.unchanged"), delta_color="off", delta_arrow="off",
                      help=_help(kpi))
        else:
            st.metric(tr(f"dash.kpi.{kpi.key}"), format_value(kpi.unit, kpi.value, lang()),
                      format_delta(kpi.unit, kpi.delta, lang()),
                      delta_color="inverse" if kpi.lower_is_better else "normal",
                      help=_help(kpi))
        st.caption(_note(kpi))
        if link:
            st.page_link(link, label=tr("dash.overview.churn_link"),
                         icon=":material/arrow_forward:")


def grid(kpis: Mapping[str, Kpi], rows: Sequence[Sequence[str]] = ROWS,
         churn_link: bool = True) -> None:
    """The cards, four to a row."""
    for row in rows:
        cols = st.columns(4)
        for col, key in zip(cols, row, strict=False):
            with col:
                card(kpis[key], link=CHURN_PAGE if key == "churn_risk" and churn_link else None)
