"""Everything the 经营总览 page shows, in one call: the benchmark's unit of work.

``compute_overview(session, actor, flt)`` returns the KPI cards and every registered part
(the chart datasets the overview draws). A part is ``(session, actor, flt) -> value`` and
should be the cached function its page uses, so the overview and the chart pages share
cache entries. The overview draws the three trend charts of its parts; a module may
register more parts (``register_part``) when the overview shows more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from services.dashboard.filters import DashboardFilter
from services.dashboard.kpis import Kpi, has_customers, overview_kpis
from services.roles import Actor, Perm

PartFn = Callable[[Session, Actor, DashboardFilter], Any]
_PARTS: dict[str, PartFn] = {}


def register_part(name: str, fn: PartFn) -> None:
    """Add (or replace) a dataset the overview shows."""
    _PARTS[name] = fn


def _satisfaction(session: Session, actor: Actor, flt: DashboardFilter) -> Any:
    from services.dashboard.satisfaction import satisfaction

    return satisfaction(session, actor, flt)


def _renewals(session: Session, actor: Actor, flt: DashboardFilter) -> Any:
    from services.dashboard.renewal_charts import renewal_charts

    return renewal_charts(session, actor, flt)


def _complaints(session: Session, actor: Actor, flt: DashboardFilter) -> Any:
    from services.dashboard.complaint_charts import complaint_charts

    return complaint_charts(session, actor, flt)


register_part("satisfaction", _satisfaction)
register_part("renewals", _renewals)
register_part("complaints", _complaints)


@dataclass(frozen=True)
class Overview:
    empty: bool
    """No live customer at all: the page shows its empty state instead."""
    kpis: dict[str, Kpi] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)


def compute_overview(session: Session, actor: Actor, flt: DashboardFilter) -> Overview:
    """The KPI cards and every part for ``flt`` (each cached per filter)."""
    actor.require(Perm.DASHBOARDS)
    if not has_customers(session):
        return Overview(empty=True)
    return Overview(False, overview_kpis(session, actor, flt),
                    {name: fn(session, actor, flt) for name, fn in _PARTS.items()})
