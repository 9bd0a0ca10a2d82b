"""Manager dashboards (issue 6): KPIs, charts, churn warning, the KPI report.

- ``filters``: ``DashboardFilter`` (period and customer dimensions, shared by every dashboard
  page through the page address) and ``cached`` (aggregates per filter, cleared when data
  changes).
- ``kpis``: the overview's KPI cards, each with the previous period's value.
- ``churn``: the 流失预警 risk score and list.
- ``report``: the KPI report workbook, built from a registry of datasets
  (``report_sheets.register``).
- ``overview``: ``compute_overview`` — everything the overview page shows, the benchmark's unit.

Nothing here imports Streamlit.
"""

from services.analysis.filters import (
    PARAM_KEYS,
    PERIOD_KINDS,
    DashboardFilter,
    PeriodKind,
    cached,
    clear_cache,
    data_version,
    period_for,
)

__all__ = ["PARAM_KEYS", "PERIOD_KINDS", "DashboardFilter", "PeriodKind", "cached",
           "clear_cache", "data_version", "period_for"]
