"""Customer lookup for lists: one search box, filters, sorting and server-side paging.

Why it is built this way (a million customers; every first page with its total in < 50 ms,
an exact key in < 2 ms, on SQLite and PostgreSQL):

- **Text** is matched five ways at once: 客户编号 (exact, any case; or typed without its ``C``,
  by its sequence part or by its beginning - see ``_number_conditions``), email (exact, any case),
  mobile (any formatting, normalised), the last four digits of the mobile (``mobile_last4``)
  and a fragment of the name or company through the gram index of
  ``services.customers.search_index``
  (one gram for one or two characters, bigram intersection plus ``LIKE`` for longer text).
  A whole key (客户编号, email, mobile) that matches a live customer is the answer on its own,
  in one statement.
- **Plans by size.** Text matching at most ``SMALL_SET`` customers is fetched as ids first;
  count and page are then one cheap query. Bigger sets (a common character) are counted on
  the gram key alone and paged by walking the gram's customers in id order.
- **Counts** visit customer rows only when a filter needs them: a gram's, a tag's or a date
  range's count is one index range, and deleted customers (few, found through their own
  index) are subtracted rather than every match being checked for ``deleted_at``.
- **Order**: "created_at" (newest first) is id order - ids are issued at creation and
  created_at is never imported or edited - so a page walks an index backwards and stops after
  one page. With a creation-date or review filter it walks created_at itself, which is the
  same order and starts inside the range.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from core.clock import LOCAL_TZ, now
from db.models import Customer, NumberCounter, Tag, User, customer_tags
from services.access import masking
from services.access.roles import Actor, Perm
from services.customers import review_days, search_index
from services.customers.search_index import GRAMS
from services.privacy.consent import STATES, Purpose
from services.privacy.consent import condition as consent_condition

TagsMode = Literal["any", "all"]
DeletedMode = Literal["exclude", "only"]

SORTABLE: dict[str, Any] = {
    "customer_no": Customer.customer_no,
    "name": Customer.name,
    "customer_type": Customer.customer_type,
    "company": Customer.company,
    "industry": Customer.industry,
    "province": Customer.province,
    "city": Customer.city,
    "tier": Customer.tier,
    "lifecycle": Customer.lifecycle,
    "account_manager": select(User.display_name)
    .where(User.id == Customer.account_manager_id).scalar_subquery(),
    # Creation order: ids are issued at creation, so this is created_at order with an index.
    "created_at": Customer.id,
}
"""Sort keys a list may ask for. Not mobile or email: ordering by a masked value leaks it."""


@dataclass(frozen=True)
class CustomerQuery:
    text: str = ""
    customer_type: str | None = None
    industry: str | None = None
    province: str | None = None
    city: str | None = None
    tier: str | None = None
    lifecycle: str | None = None
    account_manager_id: int | None = None
    tags: tuple[str, ...] = ()
    tags_mode: TagsMode = "any"
    created_from: date | None = None
    """First day (China time) of the creation range, inclusive."""
    created_to: date | None = None
    """Last day (China time) of the creation range, inclusive."""
    review_overdue: bool = False
    """Last reviewed (or, never reviewed, created) more than review_interval_days ago."""
    deleted: DeletedMode = "exclude"
    """"only": the admin's restore view (needs the delete right)."""
    consent_service: str | None = None
    """服务 consent now ``granted`` / ``withdrawn`` / ``none`` (never recorded)."""
    consent_marketing: str | None = None
    """营销 consent now, as ``consent_service``."""
    sort: str = "created_at"
    descending: bool = True


@dataclass(frozen=True)
class CustomerRow:
    """What a list shows of a customer: contact details already masked."""

    id: int
    customer_no: str
    name: str
    customer_type: str
    mobile: str | None
    email: str | None
    company: str | None
    industry: str | None
    province: str | None
    city: str | None
    tier: str
    lifecycle: str
    account_manager: str | None
    created_at: datetime
    tags: list[str] = field(default_factory=list)


# ---- text -----------------------------------------------------------------------------------

_CUSTOMER_NO = re.compile(r"[A-Za-z0-9-]{1,32}")
_PHONE_CHARS = re.compile(r"\+?[\d\s()\-.]+")
_GRAM_PROBE_CAP = 5000


@dataclass(frozen=True)
class TextMatch:
    """How one search text is looked up: exact keys, and grams for a name/company fragment."""

    exact: tuple[ColumnElement[bool], ...]
    grams: tuple[str, ...]
    """Grams that all must be present, rarest first (empty: no fragment search)."""
    pattern: str | None
    """Folded fragment to verify with LIKE when the grams alone do not prove a match."""
    key: bool = False
    """The text is a whole 客户编号, email or mobile number: its exact hits, when there are
    any, are the answer (nobody types a full mobile number to find a name containing it)."""
    contacts: tuple[tuple[str, str], ...] = ()
    """The whole 手机号 / 邮箱 the text is (normalised), as ``(field, value)``: a look-up
    through a key some roles may not see in full (``services.access.probes``)."""


def _mobile_keys(text: str) -> tuple[str | None, str | None]:
    """(normalised full mobile, last four digits) when the text looks like a phone number."""
    cleaned = unicodedata.normalize("NFKC", text)
    if not _PHONE_CHARS.fullmatch(cleaned):
        return None, None
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    if len(digits) == 4:
        return None, digits
    if len(digits) < 7:
        return None, None
    from services.customers.validation import FieldValidationError, normalize_mobile

    try:
        return normalize_mobile(cleaned), None
    except FieldValidationError:
        return (digits[-11:] if len(digits) >= 11 else None), None


_ISSUED_NO = re.compile(r"(C?)(\d{1,10})")
_ISSUED_SEQ_DIGITS = 6
_NUMBER_PREFIX_MIN_DIGITS = 7
"""A beginning of ``C`` + year + 6 digits is searched once it leaves at most 1,000 numbers
(year and three digits of the sequence): "C2026" alone would be a year's customers."""


def number_years(session: Session) -> tuple[int, ...]:
    """The years the app has issued 客户编号 in (the counters of
    ``services.customers.numbering``)."""
    names = session.scalars(select(NumberCounter.name).where(
        NumberCounter.name.startswith("customer_no:", autoescape=True)))
    return tuple(sorted(int(y) for n in names if (y := n.partition(":")[2]).isdigit()))


def resolve_for(session: Session, text: str) -> TextMatch | None:
    """``resolve_text`` with the numbering years read only when the text can be a sequence
    part (digits without a ``C``): a whole number or a name pays no extra query."""
    issued = _ISSUED_NO.fullmatch(text.strip().upper())
    tail = issued is not None and not issued.group(1)
    return resolve_text(text, number_years(session) if tail else ())


def _number_conditions(text: str, years: Iterable[int]) -> list[ColumnElement[bool]]:
    """A 客户编号 the app issued (``C`` + year + 6-digit sequence) as people type part of it:
    without the ``C`` ("2026000123"), its sequence part with or without leading zeros
    ("000123", "123", or with the year's tail "6000123") in any year numbers were issued in,
    or its beginning ("C2026000", "2026000"). Each is an equality or a range on the unique
    index of 客户编号: no scan, whatever the number of customers."""
    found = _ISSUED_NO.fullmatch(text.upper())
    if found is None:
        return []
    with_c, digits = found.group(1) == "C", found.group(2)
    conditions: list[ColumnElement[bool]] = []
    if not with_c:
        numbers = {"C" + digits}
        seq = digits[-_ISSUED_SEQ_DIGITS:].zfill(_ISSUED_SEQ_DIGITS)
        year_tail = digits[:-_ISSUED_SEQ_DIGITS]
        numbers.update(f"C{year}{seq}" for year in years if str(year).endswith(year_tail))
        conditions.append(Customer.customer_no.in_(sorted(numbers)))
    if _NUMBER_PREFIX_MIN_DIGITS <= len(digits) < 4 + _ISSUED_SEQ_DIGITS:
        start = "C" + digits
        end = start[:-1] + chr(ord(start[-1]) + 1)
        conditions.append(and_(Customer.customer_no >= start, Customer.customer_no < end,
                               Customer.customer_no.startswith(start)))
    return conditions


def resolve_text(text: str, years: Iterable[int] = ()) -> TextMatch | None:
    """Turn the search box into lookups; None when the box is empty. ``years``: those of
    ``number_years``, to find an issued 客户编号 by its sequence part."""
    folded = search_index.fold(text)
    if not folded:
        return None
    exact: list[ColumnElement[bool]] = []
    stripped = text.strip()
    key = False
    contacts: list[tuple[str, str]] = []
    if _CUSTOMER_NO.fullmatch(stripped):
        exact.append(Customer.customer_no == stripped.upper())
        exact.extend(_number_conditions(stripped, years))
        key = any(ch.isdigit() for ch in stripped) and any(ch.isalpha() for ch in stripped)
        issued = _ISSUED_NO.fullmatch(stripped.upper())
        if issued is not None:
            # A whole issued number without its C is a key like the number itself; a beginning
            # may be a thousand numbers: paged through their ids like a fragment, not fetched
            # whole as a key's rows are.
            digits = len(issued.group(2))
            key = digits == 4 + _ISSUED_SEQ_DIGITS or (
                key and digits < _NUMBER_PREFIX_MIN_DIGITS)
    if "@" in stripped:
        exact.append(Customer.email == stripped.lower())
        contacts.append(("email", stripped.lower()))
        key = True
    full, last4 = _mobile_keys(stripped)
    if full:
        exact.append(Customer.mobile == full)
        contacts.append(("mobile", full))
        key = True
    if last4:
        exact.append(Customer.mobile_last4 == last4)
    if len(folded) <= 2:
        return TextMatch(tuple(exact), (folded,), None, key, tuple(contacts))
    bigrams = sorted({folded[i:i + 2] for i in range(len(folded) - 1)})
    return TextMatch(tuple(exact), tuple(bigrams), folded, key, tuple(contacts))


def _rarest_first(session: Session, grams: list[str]) -> list[str]:
    """Order grams by how many customers have them (capped), so the rarest drives the join."""
    sizes = {}
    for g in grams:
        capped = select(literal(1)).where(GRAMS.c.gram == g).limit(_GRAM_PROBE_CAP).subquery()
        sizes[g] = session.scalar(select(func.count()).select_from(capped)) or 0
        if sizes[g] == 0:
            return [g]  # nothing can match; one empty gram says so fastest
    return sorted(grams, key=lambda g: sizes[g])


def like_pattern(folded: str) -> str:
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def gram_ids(match: TextMatch) -> Select:
    """Customer ids having every gram of the fragment (before LIKE verification)."""
    first = aliased(GRAMS, name="g0")
    stmt = select(first.c.customer_id).where(first.c.gram == match.grams[0])
    for k, gram in enumerate(match.grams[1:], start=1):
        other = aliased(GRAMS, name=f"g{k}")
        stmt = stmt.where(exists().where(other.c.gram == gram,
                                         other.c.customer_id == first.c.customer_id))
    return stmt


def gram_exists(match: TextMatch) -> ColumnElement[bool]:
    """The customer row has every gram: primary-key probes, for plans driven by another index."""
    conds = []
    for k, gram in enumerate(match.grams):
        g = aliased(GRAMS, name=f"p{k}")
        conds.append(exists().where(g.c.gram == gram, g.c.customer_id == Customer.id))
    return and_(*conds)


def _verify(match: TextMatch) -> ColumnElement[bool]:
    if match.pattern is None:
        return true()
    pattern = like_pattern(match.pattern)
    return or_(Customer.name.ilike(pattern, escape="\\"),
               Customer.company.ilike(pattern, escape="\\"))


def text_condition(match: TextMatch) -> ColumnElement[bool]:
    fragment = and_(Customer.id.in_(gram_ids(match)), _verify(match)) if match.grams else false()
    return or_(fragment, *match.exact)


# ---- filters --------------------------------------------------------------------------------

def _day_start(day: date) -> datetime:
    """Midnight of a China-time day, as an aware datetime."""
    return datetime.combine(day, time(), tzinfo=LOCAL_TZ)


def review_cutoff(interval_days: int | None = None) -> datetime:
    if interval_days is None:
        from core.settings import get_settings

        interval_days = get_settings().review_interval_days
    return now() - timedelta(days=interval_days)


def filter_conditions(session: Session, q: CustomerQuery, *, probe: bool = False,
                      review_interval_days: int | None = None) -> list[ColumnElement[bool]]:
    """Every filter except text and deleted, as conditions on Customer. ``probe``: tags as
    per-row key probes, for a query driven by another index (the few deleted rows)."""
    conds: list[ColumnElement[bool]] = []
    for column, value in (
        (Customer.customer_type, q.customer_type),
        (Customer.industry, q.industry),
        (Customer.province, q.province),
        (Customer.city, q.city),
        (Customer.tier, q.tier),
        (Customer.lifecycle, q.lifecycle),
        (Customer.account_manager_id, q.account_manager_id),
    ):
        if value is not None and value != "":
            conds.append(column == value)
    if q.created_from is not None:
        conds.append(Customer.created_at >= _day_start(q.created_from))
    if q.created_to is not None:
        conds.append(Customer.created_at < _day_start(q.created_to + timedelta(days=1)))
    if q.review_overdue:
        # "Last reviewed, or created when never reviewed, before the cutoff". A review cannot
        # precede creation, so this is: created before the cutoff and not reviewed since -
        # which puts a range on created_at for the newest-first page to start from.
        cutoff = review_cutoff(review_interval_days)
        conds.append(Customer.created_at < cutoff)
        conds.append(or_(Customer.last_reviewed_at.is_(None),
                         Customer.last_reviewed_at < cutoff))
    tag_ids = _tag_ids(session, q)
    if tag_ids is not None:
        conds.append(_tags_condition(tag_ids, q.tags_mode, probe=probe))
    for purpose, state in ((Purpose.SERVICE, q.consent_service),
                           (Purpose.MARKETING, q.consent_marketing)):
        if state in STATES:
            conds.append(consent_condition(purpose, state))
    return conds


def _tag_ids(session: Session, q: CustomerQuery) -> list[int] | None:
    """Ids of the asked tags (-1 for an unknown one); None when no tag is asked for."""
    names = tuple(dict.fromkeys(t for t in q.tags if t))
    if not names:
        return None
    found = dict(session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(names))).all())
    return [found.get(n, -1) for n in names]


def _tags_condition(tag_ids: list[int], mode: TagsMode, *,
                    probe: bool = False) -> ColumnElement[bool]:
    """Customers having any (all) of the tags. As a list from the (tag_id, customer_id) index,
    which the database turns into a sorted id set (a page walks it backwards), or as probes
    of customer_tags' primary key."""
    known = [t for t in tag_ids if t >= 0]
    if not known or (mode == "all" and len(known) < len(tag_ids)):
        return false()
    ct = customer_tags.c
    if probe:
        if mode == "all":
            return and_(*(exists().where(ct.customer_id == Customer.id, ct.tag_id == t)
                          for t in known))
        return exists().where(ct.customer_id == Customer.id, ct.tag_id.in_(known))
    if mode == "all" and len(known) > 1:
        # The first tag's customers, each probed for the other tags.
        first = customer_tags.alias("t0")
        ids = select(first.c.customer_id).where(first.c.tag_id == known[0], *(
            exists().where(ct.customer_id == first.c.customer_id, ct.tag_id == t)
            for t in known[1:]))
        return Customer.id.in_(ids)
    return Customer.id.in_(select(ct.customer_id).where(ct.tag_id.in_(known)))


def _deleted_condition(q: CustomerQuery) -> ColumnElement[bool]:
    return Customer.deleted_at.is_not(None) if q.deleted == "only" \
        else Customer.deleted_at.is_(None)


def build_query(session: Session, q: CustomerQuery) -> Select:
    """All matching customers, unordered: the plain statement (exports, other services)."""
    stmt = select(Customer).where(_deleted_condition(q))
    match = resolve_for(session, q.text)
    if match is not None:
        stmt = stmt.where(text_condition(match))
    return stmt.where(*filter_conditions(session, q))


def _order(q: CustomerQuery, id_column: Any = Customer.id) -> tuple[ColumnElement[Any], ...]:
    column = SORTABLE.get(q.sort, Customer.id)
    if column is Customer.id:
        return (id_column.desc(),) if q.descending else (id_column.asc(),)
    if q.descending:
        return column.desc(), id_column.desc()
    return column.asc(), id_column.asc()


def _require(actor: Actor, q: CustomerQuery) -> None:
    actor.require(Perm.VIEW_CUSTOMERS)
    if q.deleted == "only":
        actor.require(Perm.DELETE_CUSTOMERS)


# ---- the plan -------------------------------------------------------------------------------

SMALL_SET = 3000
"""Text matches up to this many are fetched as ids first; every later step is then cheap."""


def id_in(session: Session, ids: Sequence[int], column: Any = Customer.id
          ) -> ColumnElement[bool]:
    """``column IN ids`` (default: the customer id). On PostgreSQL one array parameter
    (planning a few thousand separate parameters costs more than running the query),
    unnested as a semi-join: as ``= ANY`` the planner likes to AND it with a filter's
    bitmap, reading that whole index range instead of looking up the few ids."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column.in_(select(func.unnest(literal(list(ids), type_=ARRAY(BigInteger())))))
    return column.in_(ids)


def _live_rows(session: Session) -> ColumnElement[bool]:
    """``deleted_at IS NULL``, marked common on SQLite: its index holds nearly every row under
    one key, and sampled statistics (``analysis_limit``) can make it look selective enough to
    drive a query from it and sort everything."""
    cond = Customer.deleted_at.is_(None)
    if session.get_bind().dialect.name == "sqlite":
        return func.likelihood(cond, literal_column("0.999"))
    return cond


def _deleted_rows(session: Session) -> ColumnElement[bool]:
    """``deleted_at IS NOT NULL``, marked rare so SQLite drives the query from its index."""
    cond = Customer.deleted_at.is_not(None)
    if session.get_bind().dialect.name == "sqlite":
        return func.likelihood(cond, literal_column("0.001"))
    return cond


@dataclass
class _Plan:
    """The candidate set of a search: nothing (no text), a small id list, or a gram range."""

    ids: list[int] | None = None
    match: TextMatch | None = None
    extra: list[ColumnElement[bool]] = field(default_factory=list)

    @property
    def gram_mode(self) -> bool:
        return self.ids is None and self.match is not None


def _plan(session: Session, match: TextMatch | None) -> _Plan:
    if match is None:
        return _Plan()
    exact_ids: list[int] = []
    if match.exact:
        exact_ids = list(session.scalars(select(Customer.id).where(or_(*match.exact))
                                         .limit(SMALL_SET)))
    if not match.grams:
        return _Plan(ids=sorted(exact_ids))
    if len(match.grams) > 1:
        match = replace(match, grams=tuple(_rarest_first(session, list(match.grams))))
    candidates = list(session.scalars(gram_ids(match).limit(SMALL_SET + 1)))
    if len(candidates) <= SMALL_SET:
        if match.pattern is not None and candidates:
            candidates = list(session.scalars(
                select(Customer.id).where(id_in(session, candidates), _verify(match))))
        return _Plan(ids=sorted(set(candidates) | set(exact_ids)))
    plan = _Plan(match=match)
    if exact_ids:  # a big fragment set plus exact hits: rare, so the plain OR is good enough
        plan.extra.append(id_in(session, exact_ids))
    return plan


def _text_where(plan: _Plan, session: Session | None = None) -> list[ColumnElement[bool]]:
    """Conditions on Customer for the plan's candidate set."""
    if plan.ids is not None:
        return [id_in(session, plan.ids) if session is not None
                else Customer.id.in_(plan.ids)]
    if plan.match is None:
        return []
    fragment = and_(gram_exists(plan.match), _verify(plan.match))
    return [or_(fragment, *plan.extra)] if plan.extra else [fragment]


def _count(session: Session, q: CustomerQuery, plan: _Plan,
           filters: list[ColumnElement[bool]]) -> int:
    """Total matches. Counted without ``deleted_at`` where an index answers alone, then the
    deleted matches (few, found through their own index) are subtracted."""
    deleted_only = select(func.count()).select_from(Customer).where(
        _deleted_rows(session), *_text_where(plan, session),
        *filter_conditions(session, q, probe=True))
    if q.deleted == "only":
        return session.scalar(deleted_only) or 0
    if plan.gram_mode and not plan.extra:
        match = plan.match
        assert match is not None
        first = gram_ids(match).subquery()
        stmt = select(func.count()).select_from(first)
        if filters or match.pattern is not None:
            stmt = stmt.join(Customer, Customer.id == first.c.customer_id).where(
                _verify(match), *filters)
        everyone = session.scalar(stmt) or 0
    else:
        everyone = (_count_from_index(session, q) if plan.ids is None and not plan.gram_mode
                    else None)
        if everyone is None:
            everyone = session.scalar(select(func.count()).select_from(Customer).where(
                *_text_where(plan, session), *filters)) or 0
    return everyone - (session.scalar(deleted_only) or 0)


def _set_filters(q: CustomerQuery) -> set[str]:
    """Names of the filters ``q`` sets (text and deleted aside)."""
    names = {name for name in ("customer_type", "industry", "province", "city", "tier",
                               "lifecycle", "account_manager_id", "created_from",
                               "created_to", "consent_service", "consent_marketing")
             if getattr(q, name) not in (None, "")}
    if q.review_overdue:
        names.add("review_overdue")
    if any(q.tags):
        names.add("tags")
    return names


def _count_from_index(session: Session, q: CustomerQuery) -> int | None:
    """Counts, deleted included, that one index answers without visiting customer rows;
    None when the filters need the general plan."""
    asked = _set_filters(q)
    if not asked:
        return session.scalar(select(func.count()).select_from(Customer)) or 0
    if asked == {"review_overdue"}:
        return _count_overdue(session)
    if asked == {"tags"}:
        tag_ids = _tag_ids(session, q) or []
        known = [t for t in tag_ids if t >= 0]
        if not known or (q.tags_mode == "all" and len(known) < len(tag_ids)):
            return 0
        ct = customer_tags.c
        if q.tags_mode == "all" and len(known) > 1:
            first = customer_tags.alias("t0")
            return session.scalar(select(func.count()).where(first.c.tag_id == known[0], *(
                exists().where(ct.customer_id == first.c.customer_id, ct.tag_id == t)
                for t in known[1:]))) or 0
        return session.scalar(select(func.count(ct.customer_id.distinct()))
                              .where(ct.tag_id.in_(known))) or 0
    return None


def _count_overdue(session: Session) -> int:
    """Overdue customers are most customers: their total comes from the per-day counts the
    triggers keep (``services.customers.review_days``), not from counting them."""
    return review_days.overdue_count(session, review_cutoff())


def _page_ids(session: Session, q: CustomerQuery, plan: _Plan,
              filters: list[ColumnElement[bool]], offset: int, limit: int | None) -> list[int]:
    """Ids of one page in list order."""
    live = _live_rows(session) if q.deleted == "exclude" else _deleted_rows(session)
    by_id = SORTABLE.get(q.sort, Customer.id) is Customer.id
    if by_id and not plan.gram_mode and _dated(q):
        # The same order (ids are issued at creation), but the page starts inside the date
        # range on the created_at index instead of walking every newer customer by id.
        step = (Customer.created_at.desc(), Customer.id.desc()) if q.descending \
            else (Customer.created_at.asc(), Customer.id.asc())
        stmt = (select(Customer.id).where(live, *_text_where(plan, session), *filters)
                .order_by(*step))
        return list(session.scalars(stmt.offset(offset).limit(limit)))
    if by_id and q.deleted == "exclude" and (plan.gram_mode and not plan.extra
                                             or plan.match is None and plan.ids is None
                                             and q.tags and not q.text.strip()):
        # Walk the driving set (a gram's customers, or a tag's) in id order; stop after a page.
        if plan.gram_mode:
            assert plan.match is not None
            driver, check = gram_ids(plan.match), [_verify(plan.match)]
        else:
            # The tags drive; the other filters are checked per customer.
            driver = _tag_driver(session, q)
            check = filter_conditions(session, replace(q, tags=()))
            filters = []
        if driver is not None:
            return _driven_page(session, q, driver, [live, *check, *filters], offset, limit,
                                ordered=plan.gram_mode)
        filters = filter_conditions(session, q)
    stmt = (select(Customer.id).where(live, *_text_where(plan, session), *filters)
            .order_by(*_order(q)))
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def _tag_driver(session: Session, q: CustomerQuery) -> Select | None:
    """Ids having the asked tags, from the (tag_id, customer_id) index."""
    tag_ids = _tag_ids(session, q) or []
    known = [t for t in tag_ids if t >= 0]
    if not known or (q.tags_mode == "all" and len(known) < len(tag_ids)):
        return None  # nothing can match: the general plan says so
    ct = customer_tags.c
    if q.tags_mode == "all":
        first = customer_tags.alias("t0")
        return select(first.c.customer_id).where(first.c.tag_id == known[0], *(
            exists().where(ct.customer_id == first.c.customer_id, ct.tag_id == t)
            for t in known[1:]))
    return select(ct.customer_id).where(ct.tag_id.in_(known))


def _driven_page(session: Session, q: CustomerQuery, driver: Select,
                 conds: list[ColumnElement[bool]], offset: int, limit: int | None, *,
                 ordered: bool) -> list[int]:
    """One page of ``driver``'s ids (one column) that meet ``conds``, in id order.

    SQLite loops over the driver and looks each id up: directly when the driver comes out of
    its index in id order (``ordered``: a gram), else through ``IN``, which SQLite turns
    into a sorted id set. PostgreSQL would rather merge the driver with a backward walk of
    every customer (fatal when the set holds only old customers), so there the lookup is a
    LATERAL subquery: a nested loop in the driver's order."""
    d = driver.subquery("d")
    cid = d.c[0]
    order = cid.desc() if q.descending else cid.asc()
    if session.get_bind().dialect.name == "postgresql":
        if not ordered:
            driver = driver.distinct()  # a customer with two of the tags, once
        d = driver.order_by(driver.selected_columns[0].desc() if q.descending
                            else driver.selected_columns[0].asc()).subquery("d")
        cid = d.c[0]
        order = cid.desc() if q.descending else cid.asc()
        # LIMIT 1 keeps the subquery a subquery: PostgreSQL would otherwise pull it up into
        # the merge join it is here to avoid.
        found = select(Customer.id).where(Customer.id == cid, *conds).limit(1).lateral("found")
        stmt = select(found.c.id).select_from(d.join(found, true())).order_by(order)
    elif ordered:
        stmt = (select(Customer.id).select_from(d).join(Customer, Customer.id == cid)
                .where(*conds).order_by(order))
    else:
        stmt = (select(Customer.id).where(Customer.id.in_(driver), *conds)
                .order_by(Customer.id.desc() if q.descending else Customer.id.asc()))
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def _dated(q: CustomerQuery) -> bool:
    return q.created_from is not None or q.created_to is not None or q.review_overdue


_ROW_SELECTS: dict[str, Select] = {}


def _row_select(session: Session) -> Select:
    """Everything a list row shows, in one statement: the manager's name joined, the tag
    names aggregated as JSON (one round trip, not an ORM load plus a tags query). Built once
    per dialect: constructing it costs more than an exact-key lookup."""
    dialect = session.get_bind().dialect.name
    cached = _ROW_SELECTS.get(dialect)
    if cached is None:
        cached = _ROW_SELECTS[dialect] = _build_row_select(dialect)
    return cached


def _build_row_select(dialect: str) -> Select:
    manager = aliased(User, name="manager")
    agg = func.json_agg if dialect == "postgresql" else func.json_group_array
    tags = (select(agg(Tag.name, type_=JSON()))
            .select_from(customer_tags.join(Tag, Tag.id == customer_tags.c.tag_id))
            .where(customer_tags.c.customer_id == Customer.id).scalar_subquery())
    return (select(Customer.id, Customer.customer_no, Customer.name, Customer.customer_type,
                   Customer.mobile, Customer.email, Customer.company, Customer.industry,
                   Customer.province, Customer.city, Customer.tier, Customer.lifecycle,
                   manager.display_name, Customer.created_at, tags)
            .outerjoin(manager, manager.id == Customer.account_manager_id))


def _as_row(r: Any) -> CustomerRow:
    return CustomerRow(
        id=r[0], customer_no=r[1], name=r[2], customer_type=r[3],
        mobile=masking.mask_field("mobile", r[4]), email=masking.mask_field("email", r[5]),
        company=r[6],
        industry=r[7], province=r[8], city=r[9], tier=r[10], lifecycle=r[11],
        account_manager=r[12], created_at=r[13], tags=sorted(t for t in (r[14] or []) if t))


def _rows(session: Session, ids: list[int]) -> list[CustomerRow]:
    """List rows of these customers, in this order."""
    if not ids:
        return []
    found = {r[0]: r for r in session.execute(_row_select(session)
                                              .where(id_in(session, ids)))}
    return [_as_row(found[i]) for i in ids if i in found]


def _key_hits(session: Session, q: CustomerQuery, match: TextMatch | None,
              filters: list[ColumnElement[bool]]) -> list[CustomerRow] | None:
    """For a whole 客户编号, email or mobile number: its matching customers' rows in list
    order (one statement), or None (not a key, or no such customer: then it is searched as a
    fragment too)."""
    if match is None or not match.key:
        return None
    live = _live_rows(session) if q.deleted == "exclude" else _deleted_rows(session)
    stmt = (_row_select(session).where(live, *filters, or_(*match.exact))
            .order_by(*_order(q)).limit(SMALL_SET))
    rows = [_as_row(r) for r in session.execute(stmt)]
    return rows or None


def _guard_hidden(session: Session, actor: Actor, match: TextMatch | None) -> None:
    """A whole 手机号 / 邮箱 searched by a role that may not see it in full: audited (the key
    masked) and counted against ``services.access.probes``'s hourly limits, a match as a match;
    raises ``probes.ProbeRefused`` past a limit."""
    from services.access import probes
    from services.customers.visibility import mask_value

    hidden = probes.hidden_keys(actor)
    asked = [(k, v) for k, v in match.contacts if k in hidden] if match is not None else []
    if not asked:
        return
    columns = {"mobile": Customer.mobile, "email": Customer.email}
    submitted = probes.Submitted()
    found = 0
    for field_name, value in asked:
        hits = session.scalar(select(func.count()).select_from(
            select(Customer.id).where(columns[field_name] == value,
                                      Customer.deleted_at.is_(None)).limit(2).subquery())) or 0
        submitted.add(field_name, value, matched=bool(hits))
        found += hits
    probes.admit(session, actor, "search.exact_key", submitted, detail={
        "field": asked[0][0], "key": mask_value(asked[0][0], asked[0][1]), "found": found},
        audit_action="search.exact_key")


def search(session: Session, actor: Actor, q: CustomerQuery, *, offset: int = 0,
           limit: int = 50) -> tuple[list[CustomerRow], int]:
    """One page of customers matching ``q`` and the total count."""
    _require(actor, q)
    match = resolve_for(session, q.text)
    _guard_hidden(session, actor, match)
    filters = filter_conditions(session, q)
    hits = _key_hits(session, q, match, filters)
    if hits is not None:
        return hits[offset:offset + limit], len(hits)
    plan = _plan(session, match)
    if plan.ids is not None:
        # A small candidate set: one query gives every live match in order, and so the count.
        ordered = _page_ids(session, q, plan, filters, 0, None)
        return _rows(session, ordered[offset:offset + limit]), len(ordered)
    total = _count(session, q, plan, filters)
    ids = _page_ids(session, q, plan, filters, offset, limit) if total > offset else []
    return _rows(session, ids), total


def search_ids(session: Session, actor: Actor, q: CustomerQuery, *,
               limit: int = 100_000) -> list[int]:
    """Ids of every customer matching ``q`` in list order, at most ``limit`` (bulk actions:
    "select all matching" acts on exactly what the list shows)."""
    _require(actor, q)
    match = resolve_for(session, q.text)
    _guard_hidden(session, actor, match)
    filters = filter_conditions(session, q)
    hits = _key_hits(session, q, match, filters)
    if hits is not None:
        return [r.id for r in hits[:limit]]
    return _page_ids(session, q, _plan(session, match), filters, 0, limit)


def to_row(c: Customer) -> CustomerRow:
    return CustomerRow(
        id=c.id, customer_no=c.customer_no, name=c.name, customer_type=c.customer_type,
        mobile=masking.mask_field("mobile", c.mobile),
        email=masking.mask_field("email", c.email),
        company=c.company, industry=c.industry, province=c.province, city=c.city,
        tier=c.tier, lifecycle=c.lifecycle,
        account_manager=c.account_manager.display_name if c.account_manager else None,
        created_at=c.created_at, tags=[t.name for t in c.tags],
    )


def account_managers(session: Session) -> Sequence[User]:
    """Users that customers are assigned to, for the filter drop-down."""
    # One index probe per user, not a DISTINCT over every customer.
    return session.scalars(
        select(User).where(exists().where(Customer.account_manager_id == User.id))
        .order_by(User.display_name)).all()


@dataclass(frozen=True)
class HomeCounts:
    total: int
    new_30d: int
    mine: int


def home_counts(session: Session, actor: Actor) -> HomeCounts:
    """The three figures the home page greets a user with."""
    actor.require(Perm.VIEW_CUSTOMERS)
    live = select(func.count()).select_from(Customer).where(Customer.deleted_at.is_(None))
    total = session.scalar(live) or 0
    new = session.scalar(live.where(Customer.created_at >= now() - timedelta(days=30))) or 0
    mine = session.scalar(live.where(Customer.account_manager_id == actor.user_id)) or 0 \
        if actor.user_id is not None else 0
    return HomeCounts(total=total, new_30d=new, mine=mine)
