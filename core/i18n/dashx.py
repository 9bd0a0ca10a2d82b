"""Messages of the dashboard reading fixes (issue 14): unchanged figures, targets per scope,
reset filters, the churn tiles' scope and the report's charts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "dashx.kpi.unchanged": ("持平", "unchanged"),
    "dashx.on_target": ("与目标持平", "on target"),
    "dashx.churn.tiles_scope": (
        "各规则的人数只计风险名单上的客户（风险分 ≥ {threshold}）：触发了规则但未达阈值的客户"
        "不计入。",
        "Customers per rule count only those on the risk list (score ≥ {threshold}): a "
        "customer who fires a rule but stays below the threshold is not counted."),
    "dashx.churn.tile_help": ("风险名单上触发此规则的客户数。{rule}（+{weight} 分）",
                              "Customers on the risk list for whom this rule fired. {rule} "
                              "(+{weight})"),
    "dashx.cmp.click_hint": (
        "提示：点击渠道、类型或状态的柱形，可在投诉处理中查看这些投诉（该列表不按统计周期和客户条件"
        "筛选）。",
        "Tip: click a channel, type or status bar to open those complaints in the complaint "
        "queue (that list is not limited to the period or the customer filters)."),
    "dashx.ren.click_hint": (
        "提示：点击柱形，可在续约记录中查看对应合同（按到期月份、结果、等级和客户经理筛选；"
        "省份、行业和类型不是该列表的条件）。",
        "Tip: click a bar to open those contracts in the renewal records (by due month, "
        "outcome, tier and account manager; province, industry and type are not filters of "
        "that list)."),
    "dashx.filter.reset": ("重置筛选", "Reset filters"),
    "dashx.filter.reset.help": ("回到本月、全部客户。", "Back to this month and every customer."),
    "dashx.target.company_only": ("目标为全公司目标，筛选后不作对比",
                                  "Targets are company-wide: not compared when filtered"),
}
