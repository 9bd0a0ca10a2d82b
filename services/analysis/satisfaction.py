"""满意度 charts: distribution over the five levels, the monthly average and share satisfied,
and both by tier and by account manager.

A survey counts in the period of its ``survey_date``; it belongs to its customer's current
tier and account manager. "Satisfied" is a score of 4 or 5 (满意 + 非常满意), the same rule
as the overview's KPI. Averages and shares are computed from exact counts per score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.vocab import TIER_ORDER
from db.models import Customer, Survey
from services.access.roles import Actor, Perm
from services.analysis.chart_sql import Months, in_scope, month_index, share, trend_months
from services.analysis.filters import DashboardFilter, cached

SCORES: Final = (5, 4, 3, 2, 1)
SATISFIED_MIN: Final = 4


@dataclass(frozen=True)
class ScoreCounts:
    """How many surveys gave each score (5 … 1)."""

    counts: tuple[int, int, int, int, int]  # in SCORES order

    @classmethod
    def of(cls, by_score: dict[int, int]) -> ScoreCounts:
        return cls(tuple(int(by_score.get(s, 0)) for s in SCORES))  # type: ignore[arg-type]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> float | None:
        total = self.total
        return sum(s * n for s, n in zip(SCORES, self.counts, strict=True)) / total if total \
            else None

    @property
    def satisfied(self) -> int:
        return sum(n for s, n in zip(SCORES, self.counts, strict=True) if s >= SATISFIED_MIN)

    @property
    def share_satisfied(self) -> float | None:
        return share(self.satisfied, self.total)


@dataclass(frozen=True)
class Satisfaction:
    overall: ScoreCounts
    by_tier: tuple[tuple[str, ScoreCounts], ...]  # every tier, in tier order
    by_manager: tuple[tuple[int | None, ScoreCounts], ...]  # managers with surveys
    month_labels: tuple[str, ...]
    monthly: tuple[ScoreCounts, ...]  # one per month label

    @property
    def empty(self) -> bool:
        return self.overall.total == 0 and not any(m.total for m in self.monthly)


def _fold(rows: list[tuple]) -> dict:
    out: dict = defaultdict(lambda: defaultdict(int))
    for key, score, n in rows:
        out[key][int(score)] += int(n)
    return out


def compute(session: Session, flt: DashboardFilter) -> Satisfaction:
    # One pass over the period's surveys: counts per (tier, manager, score).
    stmt = in_scope(
        select(Customer.tier, Customer.account_manager_id, Survey.score, func.count())
        .where(flt.date_in(Survey.survey_date)),
        flt, Survey.customer_id, session, join=True,
    ).group_by(Customer.tier, Customer.account_manager_id, Survey.score)
    total: dict[int, int] = defaultdict(int)
    tiers: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    managers: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for tier, manager, score, n in session.execute(stmt):
        total[int(score)] += n
        tiers[tier][int(score)] += n
        managers[manager][int(score)] += n
    months = trend_months(flt)
    monthly = _monthly(session, flt, months)
    return Satisfaction(
        overall=ScoreCounts.of(total),
        by_tier=tuple((t.value, ScoreCounts.of(tiers.get(t.value, {}))) for t in TIER_ORDER),
        by_manager=tuple(sorted(((m, ScoreCounts.of(c)) for m, c in managers.items()),
                                key=lambda item: -item[1].total)),
        month_labels=tuple(months.labels()),
        monthly=monthly,
    )


def _monthly(session: Session, flt: DashboardFilter, months: Months
             ) -> tuple[ScoreCounts, ...]:
    index = month_index(Survey.survey_date, months)
    stmt = in_scope(
        select(index, Survey.score, func.count()).where(months.date_in(Survey.survey_date)),
        flt, Survey.customer_id, session,
    ).group_by(index, Survey.score)
    by_month = _fold(session.execute(stmt).all())
    return tuple(ScoreCounts.of(by_month.get(k, {})) for k in range(len(months.starts)))


def satisfaction(session: Session, actor: Actor, flt: DashboardFilter) -> Satisfaction:
    """The satisfaction charts' data, cached per filter."""
    actor.require(Perm.DASHBOARDS)
    return cached(session, "charts.satisfaction", flt, lambda: compute(session, flt))


def month_start(label: str) -> date:
    year, month = label.split("-")
    return date(int(year), int(month), 1)
