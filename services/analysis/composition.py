"""客户构成: the filter's customers by tier, type, industry, province (the map) and lifecycle
stage, and the new customers per month.

The composition counts the customers that exist at the end of the period (created by then,
not deleted) with their current tier, stage and address: the record keeps no history of
those. New customers are counted in the month of ``created_at`` (China time).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.regions import PROVINCE_CHOICES
from core.settings import get_settings
from core.vocab import TIER_ORDER, CustomerType, Lifecycle
from db.models import Customer
from services.access.roles import Actor, Perm
from services.analysis.chart_sql import dialect, existing_by_end, month_index, trend_months
from services.analysis.filters import DashboardFilter, cached

UNKNOWN = ""
"""Key of customers with no value in a dimension (no industry, no province)."""


@dataclass(frozen=True)
class Composition:
    total: int
    by_tier: tuple[tuple[str, int], ...]
    by_type: tuple[tuple[str, int], ...]
    by_industry: tuple[tuple[str, int], ...]
    by_province: tuple[tuple[str, int], ...]  # every province of core.regions, 国外, unknown
    by_lifecycle: tuple[tuple[str, int], ...]
    new_in_period: int  # customers created in the period
    month_labels: tuple[str, ...]
    new_monthly: tuple[int, ...]  # customers created per month

    @property
    def empty(self) -> bool:
        return self.total == 0 and not any(self.new_monthly)


def _ordered(counts: dict[str, int], order: tuple[str, ...], *, keep_zero: bool = True
             ) -> tuple[tuple[str, int], ...]:
    known = [(v, counts.get(v, 0)) for v in order if keep_zero or counts.get(v)]
    extra = sorted(((v, n) for v, n in counts.items() if v not in order and n),
                   key=lambda item: (-item[1], item[0]))
    return tuple(known + extra)


def compute(session: Session, flt: DashboardFilter) -> Composition:
    live = [*flt.customer_conditions(Customer, dialect=dialect(session)),
            *existing_by_end(flt)]
    # In the order of ix_customers_composition, so groups stream from the index.
    dims = (Customer.tier, Customer.customer_type, Customer.lifecycle, Customer.industry,
            Customer.province)
    created_in = func.sum(case((Customer.created_at >= flt.start_at, 1), else_=0))
    stmt = select(*dims, func.count(), created_in).where(*live).group_by(*dims)
    counters: list[dict[str, int]] = [defaultdict(int) for _ in dims]
    total = new_in_period = 0
    for *values, n, new_n in session.execute(stmt):
        total += n
        new_in_period += int(new_n or 0)
        for counter, value in zip(counters, values, strict=True):
            counter[value or UNKNOWN] += n
    tiers, types, stages, industries, provinces = counters

    months = trend_months(flt)
    index = month_index(Customer.created_at, months, timestamp=True)
    new_stmt = (select(index, func.count())
                .where(*flt.customer_conditions(Customer, dialect=dialect(session)),
                       months.time_in(Customer.created_at))
                .group_by(index))
    new = dict(session.execute(new_stmt).all())
    return Composition(
        total=total,
        new_in_period=new_in_period,
        by_tier=_ordered(tiers, tuple(t.value for t in TIER_ORDER)),
        by_type=_ordered(types, tuple(c.value for c in CustomerType)),
        by_industry=tuple(sorted(_ordered(industries, tuple(get_settings().industries)),
                                 key=lambda item: -item[1])),
        by_province=_ordered(provinces, PROVINCE_CHOICES),
        by_lifecycle=_ordered(stages, tuple(s.value for s in Lifecycle)),
        month_labels=tuple(months.labels()),
        new_monthly=tuple(int(new.get(k, 0)) for k in range(len(months.starts))),
    )


def composition(session: Session, actor: Actor, flt: DashboardFilter) -> Composition:
    """The composition charts' data, cached per filter."""
    actor.require(Perm.DASHBOARDS)
    return cached(session, "charts.composition", flt, lambda: compute(session, flt))
