"""Messages of the dashboard reading fixes (issue 14): unchanged figures, targets per scope,
reset filters, the churn tiles' scope and the report's charts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "dashx.kpi.unchanged": ("持平", "unchanged"),
    "dashx.on_target": ("与目标持平", "on target"),
}
