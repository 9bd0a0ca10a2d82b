"""Wording of the manager dashboards: the shared filter bar, the overview KPIs, the churn
warning and the KPI report (issue 6). Chart wording lives in the charts' own module."""

MESSAGES: dict[str, tuple[str, str]] = {
    # the shared filter bar (components.dashboard_filters)
    "dash.filter.kind": ("统计周期", "Period"),
    "dash.filter.kind.month": ("月", "Month"),
    "dash.filter.kind.quarter": ("季度", "Quarter"),
    "dash.filter.kind.year": ("年", "Year"),
    "dash.filter.kind.custom": ("自定义", "Custom"),
    "dash.filter.period": ("期间", "Which"),
    "dash.filter.from": ("开始日期", "From"),
    "dash.filter.to": ("结束日期", "To"),
    "dash.filter.province": ("省份", "Province"),
    "dash.filter.industry": ("行业", "Industry"),
    "dash.filter.tier": ("客户等级", "Tier"),
    "dash.filter.type": ("客户类型", "Customer type"),
    "dash.filter.manager": ("客户经理", "Account manager"),
    "dash.filter.all": ("全部", "All"),
    "dash.filter.more": ("更多筛选", "More filters"),
    "dash.filter.clear": ("清除筛选", "Clear filters"),
    "dash.period.month": ("{year}年{month}月", "{month}/{year}"),
    "dash.period.quarter": ("{year}年第{quarter}季度", "Q{quarter} {year}"),
    "dash.period.year": ("{year}年", "{year}"),
    "dash.period.range": ("{start} 至 {end}", "{start} to {end}"),
    "dash.period.to_date": ("{period}（截至 {end}）", "{period} (to {end})"),
    "dash.period.compare": ("对比上期：{previous}", "Compared with: {previous}"),
}
