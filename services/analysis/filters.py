"""The filter every dashboard page shares, and the cache of dashboard aggregates.

``DashboardFilter`` is a frozen value: a period (``kind`` month/quarter/year/custom with
inclusive ``start``/``end`` dates, China time) and customer dimensions (provinces, industries,
tiers, customer types, account manager ids; an empty tuple means "all"). Its ``to_params`` /
``from_params`` round-trip through ``st.query_params``, so every dashboard page reads the same
filter from the page address and a link reproduces the view.

A period that contains today ends today ("month to date"); its ``previous()`` period is the
same number of days from the start of the period before, so a delta compares like with like.
A finished period compares with the whole period before.

``cached(session, name, flt, compute)`` keeps a computed aggregate per (database, name,
filter) for ``settings.dashboard_cache_ttl_seconds``, and drops it as soon as the data version
moves. The data version (``data_version``) is read from the database on every call, so several
app processes sharing one database never serve each other's stale figures: it is the newest
audit row of a data-changing action (every change is audited; logins, reveals and exports are
not changes) plus the newest id of every record table (seeders and direct inserts that write
no per-row audit row still move it). Cached values must hold aggregates (and ids) only, never
a role's view of personal data: pages mask and name rows after reading the cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, not_, or_, select
from sqlalchemy.orm import Session

from core import clock
from core.clock import LOCAL_TZ
from db.models import (
    AuditEntry,
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    RenewalTarget,
    Survey,
)

PeriodKind = Literal["month", "quarter", "year", "custom"]
PERIOD_KINDS: Final[tuple[PeriodKind, ...]] = ("month", "quarter", "year", "custom")
MAX_CUSTOM_DAYS: Final = 3 * 366
"""A custom range is cut to this many days (three years): the data holds no more."""

# Query parameter names (also the widget keys of components.dashboard_filters).
P_KIND: Final = "period"
P_TOKEN: Final = "p"
P_FROM: Final = "from"
P_TO: Final = "to"
P_PROVINCE: Final = "province"
P_INDUSTRY: Final = "industry"
P_TIER: Final = "tier"
P_TYPE: Final = "type"
P_MANAGER: Final = "am"
PARAM_KEYS: Final = (P_KIND, P_TOKEN, P_FROM, P_TO, P_PROVINCE, P_INDUSTRY, P_TIER, P_TYPE,
                     P_MANAGER)


# ---- periods --------------------------------------------------------------------------------

def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def period_for(kind: PeriodKind, day: date) -> tuple[date, date]:
    """The calendar period of ``kind`` containing ``day``: (first day, last day). ``custom``
    is the single day."""
    if kind == "month":
        return date(day.year, day.month, 1), _month_end(day.year, day.month)
    if kind == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first, 1), _month_end(day.year, first + 2)
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if kind == "custom":
        return day, day
    raise ValueError(f"unknown period kind {kind!r}")


def period_token(kind: PeriodKind, day: date) -> str:
    """The address form of the period containing ``day``: ``2025-06``, ``2025-Q2``, ``2025``."""
    if kind == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if kind == "year":
        return f"{day.year:04d}"
    raise ValueError(f"no token for period kind {kind!r}")


def parse_token(kind: PeriodKind, token: str) -> date | None:
    """The first day of the period a token names, None when it is not one of ``kind``."""
    try:
        if kind == "month":
            y, m = token.split("-")
            return date(int(y), int(m), 1)
        if kind == "quarter":
            y, q = token.upper().split("-Q")
            if not 1 <= int(q) <= 4:
                return None
            return date(int(y), 3 * int(q) - 2, 1)
        if kind == "year":
            return date(int(token), 1, 1)
    except (ValueError, TypeError):
        return None
    return None


def recent_periods(kind: PeriodKind, today: date, count: int) -> list[date]:
    """First days of the ``count`` most recent periods of ``kind``, newest first."""
    out: list[date] = []
    start = period_for(kind, today)[0]
    for _ in range(count):
        out.append(start)
        start = period_for(kind, start - timedelta(days=1))[0]
    return out


# ---- the filter ------------------------------------------------------------------------------

def _clean(values: Iterable[Any] | None) -> tuple[Any, ...]:
    """Sorted, unique, non-blank: two filters meaning the same are equal (one cache key)."""
    return tuple(sorted({v for v in (values or ()) if v not in (None, "")}))


@dataclass(frozen=True)
class DashboardFilter:
    kind: PeriodKind
    start: date
    """First day of the period (China time), inclusive."""
    end: date
    """Last day of the period, inclusive (today for a period in progress)."""
    provinces: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    customer_types: tuple[str, ...] = ()
    manager_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
        for name in ("provinces", "industries", "tiers", "customer_types", "manager_ids"):
            object.__setattr__(self, name, _clean(getattr(self, name)))

    # -- construction --

    @classmethod
    def for_period(cls, kind: PeriodKind, day: date | None = None, *, today: date | None = None,
                   **dims: Sequence[Any]) -> DashboardFilter:
        """The period of ``kind`` containing ``day`` (default today), ending at the latest
        today. ``custom`` is not a calendar period: use the constructor."""
        today = today or clock.today()
        start, end = period_for(kind, day or today)
        if start > today:  # a future period: show the current one
            start, end = period_for(kind, today)
        return cls(kind, start, min(end, today), **dims)

    @classmethod
    def default(cls, today: date | None = None) -> DashboardFilter:
        """What a manager sees first: this month to date."""
        return cls.for_period("month", today=today)

    # -- periods --

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def narrowed(self) -> bool:
        """Whether a customer dimension narrows the view. Renewal targets are set for the
        whole company, so a narrowed view is not compared with them."""
        return bool(self.provinces or self.industries or self.tiers or self.customer_types
                    or self.manager_ids)

    @property
    def is_calendar(self) -> bool:
        return self.kind != "custom"

    @property
    def complete(self) -> bool:
        """Whether the period runs to its natural end (not cut at today)."""
        return not self.is_calendar or self.end == period_for(self.kind, self.start)[1]

    def previous(self) -> DashboardFilter:
        """The period before, of the same length: the previous month/quarter/year (to the same
        day when this one is in progress), or the same number of days just before a custom
        range. Dimensions are kept."""
        if not self.is_calendar:
            end = self.start - timedelta(days=1)
            return replace(self, start=end - timedelta(days=self.days - 1), end=end)
        start, natural_end = period_for(self.kind, self.start - timedelta(days=1))
        if self.complete:
            return replace(self, start=start, end=natural_end)
        return replace(self, start=start,
                       end=min(natural_end, start + timedelta(days=self.days - 1)))

    def with_period(self, start: date, end: date, kind: PeriodKind | None = None
                    ) -> DashboardFilter:
        return replace(self, kind=kind or self.kind, start=start, end=end)

    def months(self) -> list[date]:
        """First days of the calendar months the period touches (for monthly series)."""
        out, cur = [], date(self.start.year, self.start.month, 1)
        while cur <= self.end:
            out.append(cur)
            cur = _month_end(cur.year, cur.month) + timedelta(days=1)
        return out

    # -- SQL --

    @property
    def start_at(self) -> datetime:
        """The first instant of the period (midnight China time), for timestamp columns."""
        return datetime.combine(self.start, datetime.min.time(), tzinfo=LOCAL_TZ)

    @property
    def end_before(self) -> datetime:
        """The first instant after the period (exclusive bound for timestamp columns)."""
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time(),
                                tzinfo=LOCAL_TZ)

    def date_in(self, column: Any) -> ColumnElement[bool]:
        """``column`` (a Date) within the period."""
        return and_(column >= self.start, column <= self.end)

    def time_in(self, column: Any) -> ColumnElement[bool]:
        """``column`` (an aware timestamp) within the period's days, China time."""
        return and_(column >= self.start_at, column < self.end_before)

    @property
    def has_dimensions(self) -> bool:
        """Whether any customer dimension is filtered (else only deleted customers are left
        out)."""
        return bool(self.provinces or self.industries or self.tiers or self.customer_types
                    or self.manager_ids)

    def customer_conditions(self, customer: Any = Customer, *, dialect: str | None = None
                            ) -> list[ColumnElement[bool]]:
        """Conditions on ``Customer`` (or an alias of it): not soft-deleted, and in every
        chosen dimension. On SQLite (``dialect="sqlite"``) the deleted test is marked
        common, so the planner never drives a query from the deleted_at index."""
        live = customer.deleted_at.is_(None)
        if dialect == "sqlite":
            live = func.likelihood(live, literal_column("0.999"))
        return [live, *self.dimension_conditions(customer)]

    def dimension_conditions(self, customer: Any = Customer) -> list[ColumnElement[bool]]:
        """Conditions on the chosen dimensions only (deleted customers not left out): for
        ``record.customer_id IN (SELECT id FROM customers WHERE …)``, which an index of the
        dimension answers alone, with the few deleted ids left out by a second list."""
        conds: list[ColumnElement[bool]] = []
        for column, values in ((customer.province, self.provinces),
                               (customer.industry, self.industries),
                               (customer.tier, self.tiers),
                               (customer.customer_type, self.customer_types),
                               (customer.account_manager_id, self.manager_ids)):
            if values:
                conds.append(column == values[0] if len(values) == 1 else column.in_(values))
        return conds

    # -- the page address --

    def to_params(self) -> dict[str, str | list[str]]:
        """The filter as query parameters (the keys in ``PARAM_KEYS``); empty ones left out."""
        params: dict[str, str | list[str]] = {P_KIND: self.kind}
        if self.is_calendar:
            params[P_TOKEN] = period_token(self.kind, self.start)
        else:
            params[P_FROM], params[P_TO] = self.start.isoformat(), self.end.isoformat()
        for key, values in ((P_PROVINCE, self.provinces), (P_INDUSTRY, self.industries),
                            (P_TIER, self.tiers), (P_TYPE, self.customer_types),
                            (P_MANAGER, self.manager_ids)):
            if values:
                params[key] = [str(v) for v in values]
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, Any], today: date | None = None
                    ) -> DashboardFilter:
        """Read a filter from query parameters (values a string or a list of strings, as
        ``{k: st.query_params.get_all(k)}`` gives). Anything unreadable falls back to its
        default: a hand-edited address never breaks a page."""
        today = today or clock.today()

        def many(key: str) -> list[str]:
            value = params.get(key)
            if value is None:
                return []
            return [value] if isinstance(value, str) else [str(v) for v in value]

        def one(key: str) -> str:
            values = many(key)
            return values[-1] if values else ""

        kind = one(P_KIND) if one(P_KIND) in PERIOD_KINDS else "month"
        dims: dict[str, Any] = {
            "provinces": many(P_PROVINCE), "industries": many(P_INDUSTRY),
            "tiers": many(P_TIER), "customer_types": many(P_TYPE),
            "manager_ids": [int(v) for v in many(P_MANAGER) if v.strip().isdigit()],
        }
        if kind == "custom":
            start, end = _iso(one(P_FROM)), _iso(one(P_TO))
            if start is None and end is None:
                return cls.for_period("month", today=today, **dims)
            start, end = start or end, end or today
            if start > end:  # type: ignore[operator]
                start, end = end, start
            # Inside the range the period picker offers (a link to an older range would
            # otherwise set its date inputs below their minimum).
            floor = today - timedelta(days=MAX_CUSTOM_DAYS)
            end = max(min(end, today), floor)  # type: ignore[type-var]
            start = max(min(start, end), floor)  # type: ignore[type-var]
            start = max(start, end - timedelta(days=MAX_CUSTOM_DAYS - 1))
            return cls("custom", start, end, **dims)
        first = parse_token(kind, one(P_TOKEN)) or today
        return cls.for_period(kind, first, today=today, **dims)


def period_name(kind: PeriodKind, start: date, lang: str = "zh") -> str:
    """A calendar period's name: 2025年6月 / 6/2025, 2025年第2季度 / Q2 2025, 2025年."""
    from core.i18n import t

    if kind == "month":
        return t("dash.period.month", lang, year=start.year, month=start.month)
    if kind == "quarter":
        return t("dash.period.quarter", lang, year=start.year,
                 quarter=(start.month - 1) // 3 + 1)
    if kind == "year":
        return t("dash.period.year", lang, year=start.year)
    raise ValueError(f"no name for period kind {kind!r}")


def period_label(flt: DashboardFilter, lang: str = "zh") -> str:
    """How a filter's period reads: its name (to date when in progress), or the range."""
    if not flt.is_calendar:
        return t_range(flt.start, flt.end, lang)
    name = period_name(flt.kind, flt.start, lang)
    if flt.complete:
        return name
    from core.i18n import t

    return t("dash.period.to_date", lang, period=name, end=flt.end.isoformat())


def t_range(start: date, end: date, lang: str = "zh") -> str:
    from core.i18n import t

    return t("dash.period.range", lang, start=start.isoformat(), end=end.isoformat())


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


# ---- the cache -------------------------------------------------------------------------------

READ_ONLY_ACTIONS: Final = ("login%", "export%", "%reveal%")
"""Audit actions that change no data: they do not move the data version."""
_RECORD_TABLES: Final = (Customer, Order, Interaction, FollowUp, Complaint, Survey, Contract,
                         Renewal, RenewalTarget)


def data_version(session: Session) -> tuple[int, ...]:
    """A cheap fingerprint of the data: the newest data-changing audit row and the newest id
    of every record table, each one index probe. Any audited change, insert, seed or import
    moves it; an unaudited UPDATE does not (there is none outside tests)."""
    changed = not_(or_(*(AuditEntry.action.like(p) for p in READ_ONLY_ACTIONS)))
    parts = [select(AuditEntry.id).where(changed).order_by(AuditEntry.id.desc()).limit(1)
             .scalar_subquery()]
    parts += [select(func.max(t.id)).scalar_subquery() for t in _RECORD_TABLES]
    row = session.execute(select(*parts)).one()
    return tuple(int(v or 0) for v in row)


T = TypeVar("T")
_MAX_ENTRIES: Final = 512
_cache: OrderedDict[tuple[Any, ...], tuple[float, tuple[int, ...], Any]] = OrderedDict()
_lock = threading.Lock()


def _database_key(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def cached(session: Session, name: str, flt: DashboardFilter | None,
           compute: Callable[[], T], *, ttl_seconds: float | None = None) -> T:
    """``compute()``, or its value kept from an earlier call with the same database, ``name``
    and filter, while younger than the TTL and the data version has not moved.

    ``name`` names the aggregate (e.g. ``"kpis.overview"``); put every other argument that
    changes the result into it. ``compute`` must return aggregates or ids, never personal
    values, and must not be mutated by callers afterwards (the same object is shared).
    """
    if ttl_seconds is None:
        from core.settings import get_settings

        ttl_seconds = get_settings().dashboard_cache_ttl_seconds
    version = data_version(session)
    key = (_database_key(session), name, flt)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] > now and hit[1] == version:
            _cache.move_to_end(key)
            return hit[2]
    value = compute()
    if ttl_seconds > 0:
        with _lock:
            _cache[key] = (now + ttl_seconds, version, value)
            _cache.move_to_end(key)
            while len(_cache) > _MAX_ENTRIES:
                _cache.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached aggregate (tests, benchmarks, the demo reset)."""
    with _lock:
        _cache.clear()


def cache_size() -> int:
    with _lock:
        return len(_cache)

def scoped(stmt: Select, flt: DashboardFilter, customer_id: Any, session: Session) -> Select:
    """``stmt`` on a record table limited to the filter's customers: the (few) deleted
    customers' ids left out, and with dimensions ``customer_id IN`` the ids an index of the
    dimension lists (no customer row is read)."""
    deleted = select(Customer.id).where(Customer.deleted_at.is_not(None))
    stmt = stmt.where(customer_id.not_in(deleted))
    if flt.has_dimensions:
        stmt = stmt.where(customer_id.in_(select(Customer.id)
                                          .where(*flt.dimension_conditions())))
    return stmt
