"""续约目标: the renewal rate (percent) and amount aimed for in a month, quarter or year.

Set by managers and administrators (``SET_TARGETS``), one per period (``period_kind``,
``period_start``); setting a period again updates it. Every change is audited
(``renewal_target.set`` / ``renewal_target.delete``). Everyone may read them.

A period is named by its first day: any day given is moved to the start of its month, quarter
or year. A target's amount compares with ``RenewalTally.renewed_amount`` of the same period and
its rate with ``RenewalTally.rate`` (``services.records.renewals``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from db.models import RenewalTarget, User
from services.access import audit
from services.access.roles import Actor, Perm
from services.records.contracts import ContractError
from services.records.input import Checker

PERIOD_KINDS: Final = ("month", "quarter", "year")


# ---- periods ----------------------------------------------------------------------------------


def period_start(kind: str, day: date) -> date:
    """The first day of the month, quarter or year that contains ``day``."""
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == "year":
        return date(day.year, 1, 1)
    raise ContractError("targets.error.kind", value=str(kind)[:20])


def period_end(kind: str, start: date) -> date:
    """The last day of the period starting at (or containing) ``start``."""
    first = period_start(kind, start)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1) - timedelta(days=1)


def periods_between(kind: str, start: date, end: date) -> list[date]:
    """Start days of the periods of ``kind`` overlapping ``[start, end]``."""
    out = []
    current = period_start(kind, start)
    while current <= end:
        out.append(current)
        current = period_end(kind, current) + timedelta(days=1)
    return out


# ---- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetView:
    id: int
    period_kind: str
    period_start: date
    period_end: date
    target_rate: Decimal         # percent, 0-100
    target_amount: Decimal | None
    set_by: str | None
    set_at: datetime


def _views(session: Session, rows: list[RenewalTarget]) -> list[TargetView]:
    ids = {r.set_by_id for r in rows if r.set_by_id is not None}
    names = dict(session.execute(select(User.id, User.display_name)
                                 .where(User.id.in_(ids))).all()) if ids else {}
    return [TargetView(r.id, r.period_kind, r.period_start,
                       period_end(r.period_kind, r.period_start), r.target_rate,
                       r.target_amount, names.get(r.set_by_id) if r.set_by_id else None,
                       r.set_at) for r in rows]


def target_for(session: Session, period_kind: str, period_start_day: date) -> TargetView | None:
    """The target of one period (``period_start_day`` may be any day in it), or None."""
    start = period_start(period_kind, period_start_day)
    row = session.scalar(select(RenewalTarget).where(RenewalTarget.period_kind == period_kind,
                                                     RenewalTarget.period_start == start))
    return _views(session, [row])[0] if row is not None else None


def targets_overlapping(session: Session, start: date, end: date,
                        period_kind: str | None = None) -> list[TargetView]:
    """Targets whose period overlaps ``[start, end]`` (inclusive), by kind then start."""
    kinds = [period_kind] if period_kind else list(PERIOD_KINDS)
    rows: list[RenewalTarget] = []
    for kind in kinds:
        starts = periods_between(kind, start, end)
        if not starts:
            continue
        rows.extend(session.scalars(select(RenewalTarget).where(
            RenewalTarget.period_kind == kind, RenewalTarget.period_start >= starts[0],
            RenewalTarget.period_start <= starts[-1]).order_by(RenewalTarget.period_start)))
    return _views(session, rows)


def list_targets(session: Session, actor: Actor, *, period_kind: str | None = None,
                 year: int | None = None) -> list[TargetView]:
    """Targets for the page (everyone may read them), by kind then period."""
    actor.require(Perm.VIEW_CUSTOMERS)
    stmt = select(RenewalTarget)
    if period_kind:
        stmt = stmt.where(RenewalTarget.period_kind == period_kind)
    if year:
        stmt = stmt.where(RenewalTarget.period_start >= date(year, 1, 1),
                          RenewalTarget.period_start <= date(year, 12, 31))
    order = {k: i for i, k in enumerate(PERIOD_KINDS)}
    rows = sorted(session.scalars(stmt), key=lambda r: (order.get(r.period_kind, 9),
                                                        r.period_start))
    return _views(session, rows)


# ---- setting ----------------------------------------------------------------------------------


def _rate(check: Checker, name: str) -> Decimal | None:
    value = check.values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        check.fail(name, "validation.required")
        return None
    try:
        rate = Decimal(str(value).strip().rstrip("%").strip())
    except InvalidOperation:
        rate = Decimal("NaN")
    if (not rate.is_finite() or rate < 0 or rate > 100
            or rate != rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)):
        check.fail(name, "targets.error.rate", value=str(value)[:20])
        return None
    return rate.quantize(Decimal("0.01"))


def set_target(session: Session, actor: Actor, period_kind: str, period_start_day: Any,
               target_rate: Any, target_amount: Any = None) -> int:
    """Set (or update) the target of one period; returns its id. ``target_rate`` in percent
    (0-100, two decimals at most), ``target_amount`` ≥ 0 or blank. Raises ``InvalidRecord``
    naming the field, ``PermissionDenied`` without ``SET_TARGETS``."""
    actor.require(Perm.SET_TARGETS)
    if period_kind not in PERIOD_KINDS:
        raise ContractError("targets.error.kind", value=str(period_kind)[:20])
    values: Mapping[str, Any] = {"period_start": period_start_day, "target_rate": target_rate,
                                 "target_amount": target_amount}
    check = Checker("target", values, clock.today())
    day = check.day("period_start", required=True, not_future=False)
    rate = _rate(check, "target_rate")
    amount = check.money("target_amount")
    check.done()
    assert day is not None and rate is not None
    start = period_start(period_kind, day)
    row = session.scalar(select(RenewalTarget).where(RenewalTarget.period_kind == period_kind,
                                                     RenewalTarget.period_start == start))
    before = ({"target_rate": row.target_rate, "target_amount": row.target_amount}
              if row is not None else {})
    after = {"target_rate": rate, "target_amount": amount}
    stamp = clock.now()
    if row is None:
        row = RenewalTarget(period_kind=period_kind, period_start=start, target_rate=rate,
                            target_amount=amount, set_by_id=actor.user_id, set_at=stamp)
        session.add(row)
    else:
        if not audit.diff(before, after):
            return row.id
        row.target_rate = rate
        row.target_amount = amount
        row.set_by_id = actor.user_id
        row.set_at = stamp
    session.flush()
    audit.record(session, actor, "renewal_target.set", "renewal_target", row.id,
                 changes=audit.diff(before, after),
                 detail={"period_kind": period_kind, "period_start": start})
    return row.id


def delete_target(session: Session, actor: Actor, target_id: int) -> None:
    actor.require(Perm.SET_TARGETS)
    row = session.get(RenewalTarget, target_id)
    if row is None:
        raise ContractError("targets.error.not_found")
    audit.record(session, actor, "renewal_target.delete", "renewal_target", row.id,
                 changes=audit.diff({"target_rate": row.target_rate,
                                     "target_amount": row.target_amount}, {}),
                 detail={"period_kind": row.period_kind, "period_start": row.period_start})
    session.delete(row)
    session.flush()
