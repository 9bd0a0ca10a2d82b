"""Messages of the dashboard reading fixes (issue 14): unchanged figures, targets per scope,
reset filters, the churn tiles' scope and the report's charts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "dashx.kpi.unchanged": ("持平", "unchanged"),
    "dashx.on_target": ("与目标持平", "on target"),
    "dashx.target.company_only": ("目标为全公司目标，筛选后不作对比",
                                  "Targets are company-wide: not compared when filtered"),
}
