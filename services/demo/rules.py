"""What makes demo data a trainer can teach from (issue 17), as checks over a seeded database.

Each check returns the offending items (an empty list when the rule holds), so that a test, or
a new case dataset, can run the same rules: ``all_problems`` runs them all.

- ``day_spikes``: order, survey and complaint counts per day have no spike at the edges of the
  records' range (the first day, the last day, the first and last five days against the days
  next to them);
- ``renewal_mix``: contracts ending in the next 90 days have a mix of states, some undecided
  within the churn rule's window, and the coming month has decided renewals (a renewal bar);
- ``churn_contract_silent``: the churn rule "合同将到期未续约" fires for someone at risk;
- ``complaint_mismatches``: a complaint's status, handling steps and times agree;
- ``address_mismatches``: a customer's city is in its province and its address names that
  city, and no other;
- ``target_mismatches``: renewal targets add up (months to the quarter, quarters to the year)
  and months do not jump;
- ``tier_mix_off``: the tiers are near the profile's mix.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ
from core.regions import MAJOR_CITIES
from core.settings import Settings, get_settings
from db.models import Complaint, Contract, Customer, Order, Renewal, RenewalTarget, Survey
from services.analysis import churn
from services.customers.tier_rules import local_date
from services.demo.calendar import RECORD_DAYS
from services.demo.contracts import DUE_SOON_DAYS
from services.demo.pools import city_short_names
from services.demo.profiles import GENERAL, DemoProfile
from services.records.renewal_targets import period_end, period_start

EDGE_DAYS = 5
NEIGHBOURS = 60
"""Days next to an edge that it is compared with."""
MAX_PENDING_DAYS = 30
"""A complaint 待处理 (nobody has started on it) for longer is not believable."""
MAX_OPEN_DAYS = 60
MONTH_JUMP = 4
"""A year's largest monthly target may be at most this many times its smallest."""


# ---- counts per day ---------------------------------------------------------------------------

def edge_spikes(days: Iterable[date], first: date, last: date, label: str) -> list[str]:
    """Spikes at the edges of ``[first, last]`` in the counts per day of ``days``: the first
    and last day and the first and last ``EDGE_DAYS`` days, each against the windows of the same
    length among the ``NEIGHBOURS`` days next to it. A spike is more than twice the median
    window plus Poisson noise (three standard deviations and three)."""
    per_day = Counter(d for d in days if first <= d <= last)
    span = (last - first).days + 1
    counts = [per_day.get(first + timedelta(days=k), 0) for k in range(span)]
    problems = []
    for width in (1, EDGE_DAYS):
        if span < width + NEIGHBOURS:
            continue
        for side, window, neighbours in (
                ("first", counts[:width], counts[width:width + NEIGHBOURS]),
                ("last", counts[-width:], counts[-width - NEIGHBOURS:-width])):
            sums = [sum(neighbours[k:k + width]) for k in range(0, NEIGHBOURS, width)]
            usual = statistics.median(sums)
            if sum(window) > 2 * usual + 3 * math.sqrt(usual) + 3:
                problems.append(f"{label}: the {side} {width} day(s) have {sum(window)}, "
                                f"the {NEIGHBOURS} days next to them {usual:g} per {width} day(s)")
    return problems


def day_spikes(conn: Connection, today: date) -> list[str]:
    """``edge_spikes`` of orders, surveys and complaints over the records' two years."""
    first, last = today - timedelta(days=RECORD_DAYS), today - timedelta(days=1)
    orders = conn.scalars(select(Order.order_date))
    surveys = conn.scalars(select(Survey.survey_date))
    complaints = (local_date(at) for at in conn.scalars(select(Complaint.received_at)))
    return (edge_spikes(orders, first, last, "orders")
            + edge_spikes(surveys, first, last, "surveys")
            + edge_spikes(complaints, first, last, "complaints"))


# ---- contracts and renewals -----------------------------------------------------------------

def due_states(conn: Connection, today: date, days: int) -> dict[int, tuple[date, str]]:
    """Contracts ending within ``days`` from today: end date and renewal state ("" for none)."""
    ends = dict(conn.execute(select(Contract.id, Contract.end_date).where(
        Contract.end_date >= today, Contract.end_date <= today + timedelta(days=days))).all())
    states = dict(conn.execute(select(Renewal.contract_id, Renewal.outcome).where(
        Renewal.contract_id.in_(list(ends) or [0]))).all())
    return {cid: (end, states.get(cid, "")) for cid, end in ends.items()}


def renewal_mix(conn: Connection, today: date, settings: Settings | None = None) -> list[str]:
    """Contracts due soon have at least three different states, some undecided (no record or
    未续约) within the churn rule's window, and the next month has a decided renewal."""
    settings = settings or get_settings()
    due = due_states(conn, today, DUE_SOON_DAYS)
    if not due:
        return [f"no contract ends in the next {DUE_SOON_DAYS} days"]
    problems = []
    states = Counter(state for _, state in due.values())
    if len(states) < 3:
        problems.append(f"contracts due in {DUE_SOON_DAYS} days are all alike: {dict(states)}")
    window = today + timedelta(days=settings.churn.contract_days)
    if not any(end <= window and state in ("", "未续约") for end, state in due.values()):
        problems.append("no contract due within the churn rule's window is undecided")
    month = period_start("month", period_end("month", today) + timedelta(days=1))
    decided = conn.scalar(select(func.count()).select_from(Renewal).where(
        Renewal.due_date >= month, Renewal.due_date <= period_end("month", month),
        Renewal.outcome.in_(["已续约", "未续约"])))
    if not decided:
        problems.append(f"no renewal due in {month:%Y-%m} is decided: no renewal bar")
    return problems


def churn_contract_silent(session: Session, today: date,
                          settings: Settings | None = None) -> list[str]:
    """The churn rule "合同将到期未续约" (``contract``) fires for at least one customer at risk,
    as ``services.analysis.churn`` scores them."""
    settings = settings or get_settings()
    now = datetime.combine(today, time(12), tzinfo=LOCAL_TZ)
    stmt = churn.scores_select(settings.churn, today, now,
                               dialect=session.get_bind().dialect.name)
    if stmt is None:
        return ["no churn rule has a weight"]
    fired = sum(1 for row in session.execute(stmt)
                if "contract" in churn.rules_of(int(row.flags)))
    return [] if fired else ["the churn rule 合同将到期未续约 fires for nobody at risk"]


# ---- complaints -----------------------------------------------------------------------------

def complaint_mismatches(conn: Connection, today: date) -> list[tuple[int, str]]:
    """Complaints whose status, steps and times disagree: (id, what)."""
    rows = conn.execute(select(
        Complaint.id, Complaint.status, Complaint.handling_steps, Complaint.solution,
        Complaint.received_at, Complaint.resolved_at, Complaint.resolution_minutes,
        Complaint.closed_at)).all()
    out = []
    for row in rows:
        out += [(row.id, what) for what in complaint_problems(row, today)]
    return out


def complaint_problems(row: Any, today: date) -> list[str]:
    """What is wrong with one complaint row (see ``complaint_mismatches``)."""
    status, steps = row.status, [s for s in (row.handling_steps or "").split("；") if s]
    age = (today - local_date(row.received_at)).days
    if status in ("待处理", "处理中"):
        problems = ["open but resolved or closed"] if row.resolved_at or row.closed_at else []
        if status == "待处理" and (steps or age > MAX_PENDING_DAYS):
            problems.append(f"待处理 for {age} days with {len(steps)} steps")
        if status == "处理中" and (not steps or age > MAX_OPEN_DAYS):
            problems.append(f"处理中 for {age} days with {len(steps)} steps")
        return problems
    problems = []
    if not (row.solution and row.resolved_at and row.resolved_at >= row.received_at):
        problems.append("resolved without a solution or before it was received")
    elif row.resolution_minutes is None or abs(
            (row.resolved_at - row.received_at).total_seconds() / 60
            - row.resolution_minutes) > 1:
        problems.append("resolution minutes disagree with its times")
    if len(steps) < 2:
        problems.append(f"{status} after {len(steps)} steps")
    if status == "已关闭" and not (row.closed_at and row.resolved_at
                                  and row.closed_at >= row.resolved_at):
        problems.append("closed before it was resolved")
    if status == "已解决" and row.closed_at:
        problems.append("已解决 with a closing time")
    return problems


# ---- places -----------------------------------------------------------------------------------

def address_mismatches(conn: Connection) -> list[tuple[int, str, str, str]]:
    """Customers whose city is not in their province, or whose address does not start with
    their city or names another: (id, province, city, address)."""
    names = city_short_names()
    out = []
    for cid, province, city, address in conn.execute(select(
            Customer.id, Customer.province, Customer.city, Customer.address)):
        own = {city.removesuffix("市")} if city else set()
        others = [n for n in names if n not in own and not any(n in o for o in own)]
        if (city not in MAJOR_CITIES.get(province, ()) or not (address or "").startswith(city)
                or any(n in (address or "")[len(city):] for n in others)):
            out.append((cid, province, city, address))
    return out


# ---- targets ---------------------------------------------------------------------------------

def target_mismatches(conn: Connection) -> list[str]:
    """Renewal targets whose months do not add up to their quarter, quarters to their year, or
    whose months jump (the largest more than ``MONTH_JUMP`` times the smallest of a year)."""
    amounts = {(kind, start if isinstance(start, date) else date.fromisoformat(str(start))):
               (Decimal(str(a)) if a is not None else None)
               for kind, start, a in conn.execute(select(
                   RenewalTarget.period_kind, RenewalTarget.period_start,
                   RenewalTarget.target_amount))}
    problems = []
    for (kind, start), amount in sorted(amounts.items()):
        part = {"year": "quarter", "quarter": "month"}.get(kind)
        if part is None:
            continue
        parts = [a for (k, s), a in amounts.items()
                 if k == part and start <= s <= period_end(kind, start)]
        if len(parts) != (4 if kind == "year" else 3):
            continue  # not every part has a target: nothing to add up
        total = None if any(a is None for a in parts) else sum(parts, Decimal(0))
        if total != amount:
            problems.append(f"{kind} {start}: {amount} but its {part}s add up to {total}")
        if kind == "year":
            months = [a for (k, s), a in amounts.items()
                      if k == "month" and s.year == start.year and a]
            if months and max(months) > MONTH_JUMP * min(months):
                problems.append(f"{start.year}: months from {min(months)} to {max(months)}")
    return problems


# ---- tiers -----------------------------------------------------------------------------------

def tier_mix_off(conn: Connection, profile: DemoProfile = GENERAL,
                 tolerance: float = 0.05) -> list[tuple[str, float, float]]:
    """Tiers whose share of the customers is more than ``tolerance`` away from the profile's
    mix (白银 the rest): (tier, share, wanted)."""
    counts = Counter(dict(conn.execute(select(Customer.tier, func.count())
                                       .group_by(Customer.tier)).all()))
    total = sum(counts.values()) or 1
    wanted = dict(profile.tier_mix)
    wanted["白银"] = 1.0 - sum(wanted.values())
    return [(tier, counts.get(tier, 0) / total, share) for tier, share in wanted.items()
            if abs(counts.get(tier, 0) / total - share) > tolerance]


def all_problems(session: Session, today: date, profile: DemoProfile = GENERAL
                 ) -> dict[str, Sequence[object]]:
    """Every rule's offending items, by rule (empty lists when the data is teachable)."""
    conn = session.connection()
    return {
        "day_spikes": day_spikes(conn, today),
        "renewal_mix": renewal_mix(conn, today),
        "churn_contract_silent": churn_contract_silent(session, today),
        "complaint_mismatches": complaint_mismatches(conn, today),
        "address_mismatches": address_mismatches(conn),
        "target_mismatches": target_mismatches(conn),
        "tier_mix_off": tier_mix_off(conn, profile),
    }
