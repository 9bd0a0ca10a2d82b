"""One customer's record: entry, editing, the profile, reveal, review, delete and restore, the
timeline, the change history and bulk assignment of an account manager.

Why these rules live here and not in the pages: the entry form, the profile and any later entry
path share them, and every action checks the actor's role on the server side. Everything handed
to the UI is a plain dataclass with 手机号 / 邮箱 / 证件号码 already masked; the full value is
only available through ``reveal``, which is audited.

Editing is optimistic and field by field: the form keeps the record as it was opened, a save
writes only the fields the user changed since, merged onto the current record
(``services.customers.merge``), and raises ``StaleRecord`` (writing nothing) only when someone
else changed one of those same fields to another value. Every write to a customer row bumps
``Customer.version`` (SQLAlchemy's version counter), including tag changes, so a race lost at
the database is detected and merged again.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Final

from sqlalchemy import ColumnElement, String, cast, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import clock
from core.clock import LOCAL_TZ
from core.errors import CatalogError, ConcurrentChange
from core.fields import FIELD_KEYS
from core.i18n import has, label, t
from core.settings import Settings, get_settings
from core.vocab import SATISFACTION_LABELS, Tier, TierSource
from db.models import (
    AuditEntry,
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    Survey,
    TierChange,
    User,
)
from services.access import audit, crypto, masking
from services.access.roles import Actor, Perm
from services.access.users import active_users
from services.customers import merge as record_merge
from services.customers import numbering, tags, tiers
from services.customers.tier_rules import local_date
from services.customers.validation import (
    CustomerInput,
    FieldError,
    ValidationContext,
    quoted,
    validate_customer,
)

SENSITIVE_FIELDS: Final = masking.PROTECTED_FIELDS
REVEAL_PERMS: Final[dict[str, Perm]] = {
    "mobile": Perm.REVEAL_CONTACT,
    "phone": Perm.REVEAL_CONTACT,  # when protected (services.access.masking.phone_protected)
    "email": Perm.REVEAL_CONTACT,
    "id_number": Perm.REVEAL_ID_NUMBER,
}
IDENTITY_FIELDS: Final = ("customer_no", "mobile", "email", "id_number")
"""Two live records sharing one of these are the same customer (spec: Duplicates)."""
BULK_ACTIONS: Final = ("customer.bulk_tag", "customer.bulk_untag", "customer.bulk_assign")
_NOT_CHANGES: Final = ("customer.reveal",)
_IN_CHUNK: Final = 500
_MAX_MATCHES: Final = 20


# ---- errors -----------------------------------------------------------------------------------


class RecordError(CatalogError):
    """A refused customer-record action; ``key`` and ``params`` name the catalog message."""


class CustomerNotFound(RecordError):
    """No such customer (or deleted, for anyone who may not see deleted records)."""

    def __init__(self, customer_id: int) -> None:
        super().__init__("records.error.not_found", customer_id=customer_id)
        self.customer_id = customer_id


class InvalidCustomer(RecordError):
    """The record breaks the spec's rules; ``errors`` go next to their fields in the form."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("records.error.invalid", count=len(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing live customer that is the same customer, and the fields that say so."""

    customer_id: int
    customer_no: str
    name: str
    fields: tuple[str, ...]
    hidden: bool = False
    """Found only through keys the user may not see in full: the customer is not named
    (``customer_id`` 0), or the check would reveal the key (``services.access.probes``)."""

    def message(self, lang: str = "zh") -> str:
        sep = ", " if lang == "en" else "、"
        labels = sep.join(t(f"field.{f}", lang) for f in self.fields)
        if self.hidden:
            return t("oracle.duplicate.hidden", lang, fields=labels)
        return t("records.duplicate.match", lang, name=self.name, customer_no=self.customer_no,
                 fields=labels)


@dataclass(frozen=True)
class SimilarMatch:
    """An existing live customer with the same name and a similar company: maybe the same."""

    customer_id: int
    customer_no: str
    name: str
    company: str | None

    def message(self, lang: str = "zh") -> str:
        return t("records.similar.match", lang, name=self.name, customer_no=self.customer_no,
                 company=self.company or "—")


class DuplicateCustomer(RecordError):
    """An exact collision (客户编号, 手机号, 邮箱 or 证件号码): cannot be saved."""

    def __init__(self, matches: Sequence[DuplicateMatch]) -> None:
        super().__init__("records.error.duplicate", count=len(matches))
        self.matches = list(matches)


class SimilarCustomer(RecordError):
    """Same name and similar company: a warning; save again with ``accept_similar=True``."""

    def __init__(self, matches: Sequence[SimilarMatch]) -> None:
        super().__init__("records.warning.similar", count=len(matches))
        self.matches = list(matches)


@dataclass(frozen=True)
class ChangeEntry:
    """One field changed by one audited action: who, when, from what to what (masked)."""

    audit_id: int
    at: datetime
    user_id: int | None
    username: str
    action: str
    field: str | None
    before: Any
    after: Any

    def action_label(self, lang: str = "zh") -> str:
        key = f"records.action.{self.action}"
        return t(key, lang) if has(key) else self.action

    def field_label(self, lang: str = "zh") -> str:
        if self.field is None:
            return ""
        for key in (f"field.{self.field}", f"records.field.{self.field}"):
            if has(key):
                return t(key, lang)
        return self.field


@dataclass(frozen=True)
class CustomerForm:
    """The edit form's starting values (spec keys) and the version they belong to.

    手机号 / 邮箱 / 证件号码 are masked: sent back unchanged they mean "keep". ``tier`` is set
    only for a manual tier (blank: the rules decide); ``account_manager`` is a username.
    """

    customer_id: int
    version: int
    values: dict[str, Any]
    tier_reason: str | None = None
    fingerprints: dict[str, str | None] = field(default_factory=dict)


class StaleRecord(RecordError):
    """The record changed since the form was opened; nothing was written.

    ``current`` holds the record as it is now, ``changes`` what others changed since
    ``expected_version`` to the ``conflicts`` (the fields both changed; oldest first),
    ``submitted`` the values the user sent, untouched, so the form can keep them.
    """

    def __init__(self, customer_id: int, expected_version: int, current: CustomerForm,
                 changes: Sequence[ChangeEntry], submitted: Mapping[str, Any],
                 conflicts: Sequence[str] = ()) -> None:
        super().__init__("records.error.stale", expected=expected_version,
                         current=current.version)
        self.customer_id = customer_id
        self.expected_version = expected_version
        self.current_version = current.version
        self.current = current
        self.changes = list(changes)
        self.submitted = dict(submitted)
        self.conflicts = list(conflicts)


# ---- masking and small helpers ----------------------------------------------------------------


def mask_value(field_name: str, value: Any, settings: Settings | None = None, *,
               customer_type: str | None = None) -> Any:
    """The value as anyone may see it on screen: ``services.access.masking.mask_field``, the one
    masking rule (手机号, 邮箱, 证件号码 and a protected 固定电话 masked, the rest as is)."""
    return masking.mask_field(field_name, value, customer_type=customer_type, settings=settings)


def _plain(value: Any) -> Any:
    """Stored form of a validated value (enums as their Chinese value)."""
    if isinstance(value, Enum):
        return value.value
    return value


def _chunks(ids: Sequence[int], size: int = _IN_CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def _user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.display_name)
                                .where(User.id.in_(wanted))).all())


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def _get(session: Session, customer_id: int, *, fresh: bool = True) -> Customer:
    customer = session.get(Customer, customer_id, populate_existing=fresh)
    if customer is None:
        raise CustomerNotFound(customer_id)
    return customer


def _live(session: Session, customer_id: int) -> Customer:
    """A customer that may be changed: it exists and is not deleted."""
    customer = _get(session, customer_id)
    if customer.deleted_at is not None:
        raise CustomerNotFound(customer_id)
    return customer


def _visible(session: Session, actor: Actor, customer_id: int) -> Customer:
    """A customer this actor may look at: deleted ones only for those who may restore them."""
    actor.require(Perm.VIEW_CUSTOMERS)
    customer = _get(session, customer_id, fresh=False)
    if customer.deleted_at is not None and not actor.can(Perm.DELETE_CUSTOMERS):
        raise CustomerNotFound(customer_id)
    return customer


# ---- the 客户编号 sequence --------------------------------------------------------------------


def next_customer_no(session: Session, *, year: int | None = None) -> str:
    """Issue the next 客户编号 ``C`` + year + 6 digits, in the caller's transaction."""
    return numbering.next_number(session, "customer_no", "C", Customer.customer_no, year=year)


# ---- validation, duplicates, similar names ----------------------------------------------------


def validation_context(session: Session, settings: Settings | None = None, *,
                       also_user: User | None = None,
                       today: date | None = None) -> ValidationContext:
    """What validation needs from settings and the database: industries and active users
    (``also_user``: the record's current account manager, accepted even if deactivated)."""
    settings = settings or get_settings()
    people = list(active_users(session))
    if also_user is not None and also_user not in people:
        people.append(also_user)
    users: dict[str, int] = {}
    for user in people:  # display names first, so a username always wins a clash
        users.setdefault(user.display_name.lower(), user.id)
    for user in people:
        users[user.username.lower()] = user.id
    return ValidationContext(industries=settings.industries, users=users, today=today)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_COMPANY_SUFFIXES: Final = (
    "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
    "coltd", "limited", "ltd", "inc", "corp", "co",
)


def similarity_key(text: str | None) -> str:
    """Text compared for "similar": full-width folded, case-folded, spaces and punctuation gone."""
    if not text:
        return ""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _company_key(text: str | None) -> str:
    key = similarity_key(text)
    changed = True
    while changed and key:
        changed = False
        for suffix in _COMPANY_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[:-len(suffix)]
                changed = True
    return key


def _similar_company(a: str | None, b: str | None) -> bool:
    """Either blank (a blank company cannot tell two people of one name apart), the same once
    legal forms are dropped, or one containing the other."""
    ka, kb = _company_key(a), _company_key(b)
    if not ka or not kb:
        return True
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    return len(short) >= 2 and short in long_


def _identity_conditions(values: Mapping[str, Any]) -> dict[str, ColumnElement[bool]]:
    conditions: dict[str, ColumnElement[bool]] = {}
    if values.get("customer_no"):
        conditions["customer_no"] = Customer.customer_no == values["customer_no"]
    if values.get("mobile"):
        conditions["mobile"] = Customer.mobile == values["mobile"]
    if values.get("email"):
        conditions["email"] = Customer.email == values["email"]
    if values.get("id_number"):
        conditions["id_number"] = Customer.id_number_hash == crypto.keyed_hash(
            values["id_number"])
    return conditions


def find_duplicates(session: Session, values: Mapping[str, Any],
                    exclude_id: int | None = None) -> list[DuplicateMatch]:
    """Live customers sharing 客户编号, 手机号, 邮箱 or 证件号码 with these *normalised*
    values (as ``validate_customer`` returns them); deleted customers never count."""
    conditions = _identity_conditions(values)
    if not conditions:
        return []
    stmt = select(Customer.id, Customer.customer_no, Customer.name, Customer.mobile,
                  Customer.email, Customer.id_number_hash).where(
        or_(*conditions.values()), Customer.deleted_at.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(Customer.id != exclude_id)
    id_hash = crypto.keyed_hash(values["id_number"]) if values.get("id_number") else None
    matches = []
    for cid, number, name, mobile, email, h in session.execute(
            stmt.order_by(Customer.id).limit(_MAX_MATCHES)):
        hits = tuple(f for f, same in (
            ("customer_no", values.get("customer_no") == number),
            ("mobile", bool(mobile) and values.get("mobile") == mobile),
            ("email", bool(email) and values.get("email") == email),
            ("id_number", h is not None and h == id_hash),
        ) if same)
        matches.append(DuplicateMatch(cid, number, name, hits))
    return matches


def find_similar(session: Session, name: str | None, company: str | None,
                 exclude_id: int | None = None) -> list[SimilarMatch]:
    """Live customers with the same name (as validation normalises it) and a similar or blank
    company (see ``_similar_company``): a warning the clerk may pass, not a duplicate. It
    names the customer, number and company only: no key a role may not see."""
    if not name:
        return []
    stmt = select(Customer.id, Customer.customer_no, Customer.name, Customer.company).where(
        Customer.name == name, Customer.deleted_at.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(Customer.id != exclude_id)
    return [SimilarMatch(cid, number, n, comp)
            for cid, number, n, comp in session.execute(stmt.order_by(Customer.id).limit(200))
            if _similar_company(company, comp)][:_MAX_MATCHES]


@dataclass(frozen=True)
class CustomerCheck:
    """Everything the form shows before saving: field errors, exact duplicates (blocking) and
    similar records (a warning). ``values`` are the normalised values that passed."""

    values: dict[str, Any]
    errors: list[FieldError]
    duplicates: list[DuplicateMatch]
    similar: list[SimilarMatch]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.duplicates


def _full_values(session: Session, customer: Customer) -> dict[str, Any]:
    """The stored record in spec keys with full values (证件号码 decrypted): for merging a
    partial edit and for computing what changed. Never leaves this module unmasked."""
    manager = session.get(User, customer.account_manager_id) \
        if customer.account_manager_id else None
    return {
        "customer_no": customer.customer_no,
        "name": customer.name,
        "customer_type": customer.customer_type,
        "gender": customer.gender,
        "mobile": customer.mobile,
        "phone": customer.phone,
        "email": customer.email,
        "id_number": crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None,
        "company": customer.company,
        "title": customer.title,
        "industry": customer.industry,
        "province": customer.province,
        "city": customer.city,
        "address": customer.address,
        "tier": customer.tier if customer.tier_source == TierSource.MANUAL else None,
        "tags": [tag.name for tag in customer.tags],
        "account_manager": manager.username if manager else None,
        "source": customer.source,
        "notes": customer.notes,
    }


def _merge(current: Mapping[str, Any], raw: Mapping[str, Any],
           settings: Settings) -> dict[str, Any]:
    """The record to validate on edit: keys the form did not send keep their stored value; a
    masked value sent back unchanged means "keep"; a blank 客户编号 keeps the number."""
    merged = dict(current)
    for key in FIELD_KEYS:
        if key not in raw:
            continue
        value = raw[key]
        if key in SENSITIVE_FIELDS and isinstance(value, str) and current.get(key) \
                and value.strip() == mask_value(key, current[key], settings,
                                                customer_type=current.get("customer_type")):
            continue
        if key == "customer_no" and (value is None or not str(value).strip()):
            continue
        merged[key] = value
    return merged


def _deleted_number_error(session: Session, values: Mapping[str, Any],
                          exclude_id: int | None) -> FieldError | None:
    """A 客户编号 held by a deleted customer cannot be reused (it stays unique)."""
    number = values.get("customer_no")
    if not number:
        return None
    stmt = select(Customer.id).where(Customer.customer_no == number,
                                     Customer.deleted_at.is_not(None))
    if exclude_id is not None:
        stmt = stmt.where(Customer.id != exclude_id)
    if session.scalar(stmt) is None:
        return None
    return FieldError("customer_no", "records.error.customer_no_deleted", {"value": number})


def _conceal(session: Session, actor: Actor, values: Mapping[str, Any],
             current: Mapping[str, Any] | None, exclude: int | None,
             duplicates: list[DuplicateMatch]) -> list[DuplicateMatch]:
    """The duplicates as this user may learn them: one found only through keys the user may
    not see in full names no customer. The values of such keys the user typed (not the
    record's own) count against ``services.access.probes``'s hourly limits, a concealed match as a
    match (audited); past a limit ``probes.ProbeRefused`` is raised."""
    from services.access import probes

    hidden = probes.hidden_keys(actor)
    if not hidden:
        return duplicates
    shown = [DuplicateMatch(0, "", "", m.fields, hidden=True)
             if all(f in hidden for f in m.fields) else m for m in duplicates]
    concealed = {f for m in shown if m.hidden for f in m.fields}
    submitted = probes.Submitted()
    for key in ("mobile", "email", "id_number"):
        value = values.get(key)
        if key in hidden and value and (current is None or current.get(key) != value):
            submitted.add(key, crypto.keyed_hash(value) if key == "id_number" else value,
                          matched=key in concealed)
    if submitted:
        probes.admit(session, actor, "customer.check", submitted,
                     detail={"customer_id": exclude, "fields": sorted(concealed)},
                     audit_action="customer.hidden_duplicate" if concealed else None)
    return shown


def _check(session: Session, raw: Mapping[str, Any], customer: Customer | None,
           settings: Settings, today: date | None, actor: Actor | None = None
           ) -> tuple[CustomerCheck, dict[str, Any] | None]:
    current = _full_values(session, customer) if customer is not None else None
    record = _merge(current, raw, settings) if current is not None else dict(raw)
    manager = customer.account_manager if customer is not None else None
    ctx = validation_context(session, settings, also_user=manager, today=today)
    result: CustomerInput = validate_customer(record, ctx)
    values = {k: _plain(v) for k, v in result.values.items()}
    errors = [_masked_error(e, current, record, settings) for e in result.errors]
    exclude = customer.id if customer is not None else None
    clash = _deleted_number_error(session, values, exclude)
    if clash is not None:
        errors.append(clash)
    duplicates = find_duplicates(session, values, exclude)
    if actor is not None:
        duplicates = _conceal(session, actor, values, current, exclude, duplicates)
    similar: list[SimilarMatch] = []
    if "name" in values and (current is None or similarity_key(values.get("name")) !=
                             similarity_key(current["name"]) or _company_key(
                                 values.get("company")) != _company_key(current["company"])):
        similar = find_similar(session, values["name"], values.get("company"), exclude)
    return CustomerCheck(values, errors, duplicates, similar), current


def _masked_error(error: FieldError, current: Mapping[str, Any] | None,
                  record: Mapping[str, Any], settings: Settings) -> FieldError:
    """An error about a stored 手机号 / 邮箱 / 证件号码 the user did not retype (legacy data
    that no longer validates) quotes it masked, never in full. A value the user has just typed
    is quoted as typed (validation masks a 证件号码 in every message, for files and logs): the
    one filling the form must see what they typed, and it tells them nothing stored."""
    if error.field not in SENSITIVE_FIELDS or "value" not in error.params:
        return error
    stored = current.get(error.field) if current is not None else None
    typed = record.get(error.field)
    if stored is None or typed != stored:
        if isinstance(typed, str) and typed.strip():
            return dataclasses.replace(error, params={**error.params, "value": quoted(typed)})
        return error
    return dataclasses.replace(
        error, params={**error.params, "value": mask_value(error.field, stored, settings)})


def check_customer(session: Session, actor: Actor, raw: Mapping[str, Any],
                   customer_id: int | None = None, *,
                   today: date | None = None) -> CustomerCheck:
    """Check a form before saving (new record, or an edit of ``customer_id``): the same
    validation, duplicate and similar-name checks the save runs, without writing anything.
    ``values`` come back with 手机号 / 邮箱 / 证件号码 masked, like everything else shown."""
    actor.require(Perm.EDIT_CUSTOMERS)
    settings = get_settings()
    customer = _live(session, customer_id) if customer_id is not None else None
    check, _ = _check(session, raw, customer, settings, today, actor)
    ctype = _plain(check.values.get("customer_type"))
    shown = {k: mask_value(k, v, settings, customer_type=ctype) if k in SENSITIVE_FIELDS else v
             for k, v in check.values.items()}
    return CustomerCheck(shown, check.errors, check.duplicates, check.similar)


def _raise_for(check: CustomerCheck, accept_similar: bool) -> None:
    if check.errors:
        raise InvalidCustomer(check.errors)
    if check.duplicates:
        raise DuplicateCustomer(check.duplicates)
    if check.similar and not accept_similar:
        raise SimilarCustomer(check.similar)


# ---- audit helpers ----------------------------------------------------------------------------


def _audit_changes(before: Mapping[str, Any], after: Mapping[str, Any],
                   settings: Settings) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` of what changed; 手机号 / 邮箱 / 证件号码 are compared in
    full but written masked, so the audit log never holds a full 证件号码."""
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if key == "tags":
            old, new = sorted(old or []), sorted(new or [])
        if audit.diff({key: old}, {key: new}):
            if key in SENSITIVE_FIELDS:
                old_type = _plain(before.get("customer_type"))
                new_type = _plain(after.get("customer_type"))
                changes[key] = [mask_value(key, old, settings, customer_type=old_type),
                                mask_value(key, new, settings, customer_type=new_type)]
            else:
                changes[key] = audit.diff({key: old}, {key: new})[key]
    return changes


def _with_tier(values: Mapping[str, Any], customer: Customer) -> dict[str, Any]:
    """Spec values plus the tier in force and its source, for the audit of a change."""
    result = dict(values)
    result["tier"] = customer.tier
    result["tier_source"] = customer.tier_source
    result["tier_reason"] = customer.tier_reason
    return result


# ---- create -----------------------------------------------------------------------------------


def create_customer(session: Session, actor: Actor, raw: Mapping[str, Any], *,
                    accept_similar: bool = False, today: date | None = None) -> int:
    """Validate, check duplicates, issue the 客户编号 if blank, save, audit; the new id.

    Raises ``InvalidCustomer`` (field errors), ``DuplicateCustomer`` (an exact collision, never
    saved) or ``SimilarCustomer`` (same name and company; pass ``accept_similar=True`` to save
    anyway). ``raw`` uses the spec keys; ``tier_reason`` may accompany a manual ``tier``.
    """
    actor.require(Perm.EDIT_CUSTOMERS)
    settings = get_settings()
    check, _ = _check(session, raw, None, settings, today, actor)
    _raise_for(check, accept_similar)
    values = check.values
    stamp = clock.now()
    manual = Tier(values["tier"]) if values.get("tier") else None
    derived = tiers.initial_values(manual, stamp, settings, today)
    id_number = values.get("id_number")
    reason = " ".join(str(raw.get("tier_reason") or "").split())[:tiers.REASON_MAX_LENGTH]
    customer = Customer(
        customer_no=values.get("customer_no") or next_customer_no(session),
        name=values["name"],
        customer_type=values["customer_type"],
        gender=values.get("gender"),
        mobile=values.get("mobile"),
        phone=values.get("phone"),
        email=values.get("email"),
        id_number_enc=crypto.encrypt(id_number) if id_number else None,
        id_number_hash=crypto.keyed_hash(id_number) if id_number else None,
        company=values.get("company"),
        title=values.get("title"),
        industry=values.get("industry"),
        province=values.get("province"),
        city=values.get("city"),
        address=values.get("address"),
        tier=derived.tier.value,
        tier_source=(TierSource.MANUAL if manual else TierSource.RULE).value,
        tier_set_by_id=actor.user_id if manual else None,
        tier_reason=(reason or None) if manual else None,
        lifecycle=derived.lifecycle.value,
        value_segment=derived.value_segment.value,
        account_manager_id=values.get("account_manager_id"),
        source=values.get("source"),
        notes=values.get("notes"),
        created_at=stamp, created_by_id=actor.user_id,
        updated_at=stamp, updated_by_id=actor.user_id,
    )
    session.add(customer)
    customer.tags = sorted(tags.get_or_create(session, values.get("tags") or []),
                           key=lambda tag: tag.name)
    session.flush()
    if manual or derived.tier != Tier.SILVER:
        session.add(TierChange(
            customer_id=customer.id, from_tier=None, to_tier=derived.tier.value,
            source=(TierSource.MANUAL if manual else TierSource.RULE).value,
            user_id=actor.user_id if manual else None,
            reason=(reason or None) if manual else tiers.RULE_REASON, changed_at=stamp))
    after = _with_tier(_full_values(session, customer), customer)
    audit.record(session, actor, "customer.create", "customer", customer.id,
                 changes=_audit_changes({}, after, settings),
                 detail={"version": customer.version, "customer_no": customer.customer_no})
    return customer.id


# ---- edit -------------------------------------------------------------------------------------


def _fingerprints(values: Mapping[str, Any]) -> dict[str, str | None]:
    """Keyed hashes of the full 手机号 / 邮箱 / 证件号码: a later save can tell whether they
    changed since the form was opened, although the form only holds them masked."""
    return {key: crypto.keyed_hash(values[key]) if values.get(key) else None
            for key in SENSITIVE_FIELDS}


def _form(session: Session, customer: Customer, settings: Settings) -> CustomerForm:
    values = _full_values(session, customer)
    fingerprints = _fingerprints(values)
    for key in SENSITIVE_FIELDS:
        values[key] = mask_value(key, values[key], settings,
                                 customer_type=customer.customer_type)
    return CustomerForm(customer_id=customer.id, version=customer.version, values=values,
                        tier_reason=customer.tier_reason
                        if customer.tier_source == TierSource.MANUAL else None,
                        fingerprints=fingerprints)


def edit_form(session: Session, actor: Actor, customer_id: int) -> CustomerForm:
    """The values an edit form starts from, masked, with the version to send back. Keep it
    as the form's snapshot: ``update_customer`` compares the submitted form with it."""
    actor.require(Perm.EDIT_CUSTOMERS)
    return _form(session, _live(session, customer_id), get_settings())


def _stale(session: Session, customer_id: int, expected_version: int,
           raw: Mapping[str, Any], conflicts: Sequence[str]) -> StaleRecord:
    customer = _get(session, customer_id)
    changes = [c for c in changes_since(session, customer_id, expected_version)
               if c.field in conflicts]
    return StaleRecord(customer_id, expected_version, _form(session, customer, get_settings()),
                       changes, raw, conflicts)


_SAVE_ATTEMPTS: Final = 3
"""A save that loses the race at the database is merged again onto the newer record."""


def _edit_plan(session: Session, customer: Customer, raw: Mapping[str, Any],
               opened: CustomerForm | int, settings: Settings) -> tuple[set[str], set[str]]:
    """(fields this user changed, fields changed on the record since the form was opened)."""
    current = _form(session, customer, settings)
    if isinstance(opened, CustomerForm):
        mine = record_merge.changed_by_user(opened.values, raw, opened_reason=opened.tier_reason)
        theirs = record_merge.changed_since(
            opened.values, current.values, opened_fingerprints=opened.fingerprints,
            current_fingerprints=current.fingerprints, opened_reason=opened.tier_reason,
            current_reason=current.tier_reason)
        return mine, theirs
    # Only a version: ``raw`` is what the caller wants the record to say; the audit log
    # tells which fields others changed since that version.
    mine = record_merge.changed_fields(current.values, raw, keep_when_blank=("customer_no",))
    if "tier" in raw and str(raw.get("tier_reason") or "").strip():
        mine.add("tier")
    theirs = {c.field for c in changes_since(session, customer.id, opened)
              if c.field is not None} if customer.version != opened else set()
    return mine, theirs


def update_customer(session: Session, actor: Actor, customer_id: int, raw: Mapping[str, Any],
                    opened: CustomerForm | int, *, overwrite: bool = False,
                    accept_similar: bool = False, today: date | None = None) -> int:
    """Save an edit; returns the record's version after it.

    ``opened`` is the form as ``edit_form`` gave it when the form was opened (or, for callers
    without a form, the version their ``raw`` was based on). Only the fields the user changed
    since then are written, merged onto the record as it is now: whatever else changed
    meanwhile (tags, review, tier, another user's edit) is kept. A masked 手机号 / 邮箱 /
    证件号码 sent back unchanged keeps the stored one, a blank 客户编号 keeps the number, a
    blank ``tier`` hands a manual tier back to the rules.

    Raises ``StaleRecord`` (nothing written) only when a field this user changed was also
    changed by someone else to a different value; ``overwrite=True`` then writes this user's
    changed fields anyway, and still nothing else. Else the errors of ``create_customer``; the
    similar-name warning is only raised when name or company change.
    """
    actor.require(Perm.EDIT_CUSTOMERS)
    settings = get_settings()
    expected = opened.version if isinstance(opened, CustomerForm) else opened
    for _attempt in range(_SAVE_ATTEMPTS):
        customer = _live(session, customer_id)
        mine, theirs = _edit_plan(session, customer, raw, opened, settings)
        if not mine:
            return customer.version
        partial = {key: raw[key] for key in mine if key in raw}
        if "tags" in mine and isinstance(opened, CustomerForm):
            merged = record_merge.merge_tags(opened.values.get("tags"), raw["tags"],
                                             [tag.name for tag in customer.tags])
            if merged is not None:
                partial["tags"] = merged
                theirs.discard("tags")
        if "tier" in mine:
            partial.setdefault("tier", raw.get("tier"))
            partial["tier_reason"] = raw.get("tier_reason")
        check, current = _check(session, partial, customer, settings, today, actor)
        _raise_for(check, accept_similar)
        assert current is not None
        values = check.values
        if not overwrite:
            clashes = record_merge.conflicts(mine, theirs, {
                key: _same_now(key, values, partial, current) for key in mine})
            if clashes:
                raise _stale(session, customer_id, expected, raw, clashes)
        before = _with_tier(current, customer)
        with session.no_autoflush:  # one UPDATE at the end, inside the StaleDataError guard
            _apply_edit(session, actor, customer, partial, values, current, today)
            after = _with_tier({**values, "account_manager": _username(session, customer),
                                "tags": [tag.name for tag in customer.tags]}, customer)
            after.pop("account_manager_id", None)
            changes = _audit_changes(before, after, settings)
            if not changes and not session.is_modified(customer):
                return customer.version
            customer.updated_at = clock.now()
            customer.updated_by_id = actor.user_id
        try:
            session.flush()
        except StaleDataError:
            # Someone saved between our read and our write: merge again onto their version.
            session.rollback()
            continue
        audit.record(session, actor, "customer.update", "customer", customer.id,
                     changes=changes, detail={"version": customer.version})
        return customer.version
    raise ConcurrentChange()


def _same_now(key: str, values: Mapping[str, Any], partial: Mapping[str, Any],
              current: Mapping[str, Any]) -> bool:
    """Whether the user's (validated) value of ``key`` equals the record's current one."""
    if key == "account_manager":
        return record_merge.same(key, partial.get(key), current.get(key))
    return record_merge.same(key, values.get(key), current.get(key))


def _apply_edit(session: Session, actor: Actor, customer: Customer, raw: Mapping[str, Any],
                values: Mapping[str, Any], current: Mapping[str, Any],
                today: date | None) -> None:
    """Put validated values on the loaded customer (the ORM writes them at the next flush)."""
    for key in ("customer_no", "name", "customer_type", "gender", "mobile", "phone", "email",
                "company", "title", "industry", "province", "city", "address", "source",
                "notes", "account_manager_id"):
        new = values.get(key)
        if getattr(customer, key) != new:
            setattr(customer, key, new)
    id_number = values.get("id_number")
    if id_number != current["id_number"]:
        customer.id_number_enc = crypto.encrypt(id_number) if id_number else None
        customer.id_number_hash = crypto.keyed_hash(id_number) if id_number else None
    tags.set_customer_tags(session, customer, values.get("tags") or [])
    manual = values.get("tier")
    if manual:
        reason = " ".join(str(raw.get("tier_reason") or "").split())[:tiers.REASON_MAX_LENGTH]
        if manual != customer.tier or customer.tier_source != TierSource.MANUAL or reason:
            tiers.record_manual_tier(session, actor, customer, Tier(manual),
                                     reason or customer.tier_reason, today)
    elif customer.tier_source == TierSource.MANUAL:
        tiers.release_manual_tier(session, actor, customer, today)


def _username(session: Session, customer: Customer) -> str | None:
    if customer.account_manager_id is None:
        return None
    user = session.get(User, customer.account_manager_id)
    return user.username if user else None


# ---- profile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerProfile:
    """The profile header and details, ready to show: contacts masked for every role."""

    id: int
    customer_no: str
    name: str
    customer_type: str
    gender: str | None
    mobile: str | None  # masked
    phone: str | None  # formatted; masked when protected (services.access.masking.phone_protected)
    phone_masked: bool  # the 固定电话 is protected: masked above, revealed like a 手机号
    email: str | None  # masked
    id_number: str | None  # masked: first 4 and last 4
    company: str | None
    title: str | None
    industry: str | None
    province: str | None
    city: str | None
    address: str | None
    source: str | None
    notes: str | None
    tags: list[str]
    account_manager_id: int | None
    account_manager: str | None
    tier: str
    tier_source: str
    tier_reason: str | None
    tier_set_by: str | None
    rule_tier: str  # what the rules say (differs from ``tier`` under a manual tier)
    tier_figures: tiers.TierFigures  # "why this tier": 12-month spend, orders, tenure, checks
    tier_history: list[tiers.TierHistoryItem]
    lifecycle: str
    value_segment: str
    first_order_at: date | None
    last_order_at: date | None
    last_contact_at: date | None
    created_at: datetime
    created_by: str | None
    updated_at: datetime
    updated_by: str | None
    last_reviewed_at: datetime | None
    review_due: date
    review_overdue: bool
    deleted_at: datetime | None
    deleted_by: str | None
    version: int
    can_edit: bool
    can_reveal_contact: bool
    can_reveal_id_number: bool
    can_delete: bool

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def review_due_date(last_reviewed_at: datetime | None, created_at: datetime,
                    settings: Settings | None = None) -> date:
    """The day a record is due for 核查: the last review (or creation) + the interval."""
    settings = settings or get_settings()
    base = last_reviewed_at or created_at
    return local_date(base) + timedelta(days=settings.review_interval_days)


def get_profile(session: Session, actor: Actor, customer_id: int, *,
                today: date | None = None) -> CustomerProfile:
    """The profile of one customer as ``actor`` may see it (never a full contact value)."""
    customer = _visible(session, actor, customer_id)
    session.refresh(customer)
    settings = get_settings()
    today = today or clock.today()
    figures = tiers.tier_figures(session, customer, today, settings)
    names = _user_names(session, (customer.account_manager_id, customer.created_by_id,
                                  customer.updated_by_id, customer.tier_set_by_id,
                                  customer.deleted_by_id))
    due = review_due_date(customer.last_reviewed_at, customer.created_at, settings)
    id_number = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None
    live = customer.deleted_at is None
    return CustomerProfile(
        id=customer.id, customer_no=customer.customer_no, name=customer.name,
        customer_type=customer.customer_type, gender=customer.gender,
        mobile=mask_value("mobile", customer.mobile, settings),
        phone=mask_value("phone", customer.phone, settings, customer_type=customer.customer_type),
        phone_masked=masking.phone_protected(customer.phone, customer.customer_type),
        email=mask_value("email", customer.email, settings),
        id_number=mask_value("id_number", id_number, settings),
        company=customer.company, title=customer.title, industry=customer.industry,
        province=customer.province, city=customer.city, address=customer.address,
        source=customer.source, notes=customer.notes,
        tags=[tag.name for tag in customer.tags],
        account_manager_id=customer.account_manager_id,
        account_manager=names.get(customer.account_manager_id)  # type: ignore[arg-type]
        if customer.account_manager_id else None,
        tier=customer.tier, tier_source=customer.tier_source, tier_reason=customer.tier_reason,
        tier_set_by=names.get(customer.tier_set_by_id)  # type: ignore[arg-type]
        if customer.tier_set_by_id else None,
        rule_tier=figures.rule_tier.value, tier_figures=figures,
        tier_history=tiers.tier_history(session, actor, customer.id),
        lifecycle=customer.lifecycle, value_segment=customer.value_segment,
        first_order_at=customer.first_order_at, last_order_at=customer.last_order_at,
        last_contact_at=customer.last_contact_at,
        created_at=customer.created_at,
        created_by=names.get(customer.created_by_id)  # type: ignore[arg-type]
        if customer.created_by_id else None,
        updated_at=customer.updated_at,
        updated_by=names.get(customer.updated_by_id)  # type: ignore[arg-type]
        if customer.updated_by_id else None,
        last_reviewed_at=customer.last_reviewed_at, review_due=due,
        review_overdue=today > due,
        deleted_at=customer.deleted_at,
        deleted_by=names.get(customer.deleted_by_id)  # type: ignore[arg-type]
        if customer.deleted_by_id else None,
        version=customer.version,
        can_edit=live and actor.can(Perm.EDIT_CUSTOMERS),
        can_reveal_contact=actor.can(Perm.REVEAL_CONTACT)
        and bool(customer.mobile or customer.email
                 or masking.phone_protected(customer.phone, customer.customer_type)),
        can_reveal_id_number=actor.can(Perm.REVEAL_ID_NUMBER) and id_number is not None,
        can_delete=actor.can(Perm.DELETE_CUSTOMERS),
    )


def reveal(session: Session, actor: Actor, customer_id: int, field: str) -> str | None:
    """The full 手机号 / 邮箱 / 固定电话 (REVEAL_CONTACT) or 证件号码 (REVEAL_ID_NUMBER); audited
    as ``customer.reveal`` with the field. Trainers never, clerks never the 证件号码."""
    perm = REVEAL_PERMS.get(field)
    if perm is None:
        raise RecordError("records.error.reveal_field", field=field)
    actor.require(perm)
    customer = _visible(session, actor, customer_id)
    if field == "id_number":
        value = crypto.decrypt(customer.id_number_enc) if customer.id_number_enc else None
    elif field == "phone":
        value = masking.mask_field("phone", customer.phone, full=True)
    else:
        value = getattr(customer, field)
    if value is not None:
        audit.record(session, actor, "customer.reveal", "customer", customer.id,
                     detail={"field": field})
    return value


# ---- review, delete, restore ------------------------------------------------------------------


def mark_reviewed(session: Session, actor: Actor, customer_id: int) -> datetime:
    """Stamp the record as checked (核查) now; audited. Returns the time stamped."""
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = _live(session, customer_id)
    before = customer.last_reviewed_at
    customer.last_reviewed_at = clock.now()
    session.flush()
    audit.record(session, actor, "customer.review", "customer", customer.id,
                 changes=audit.diff({"last_reviewed_at": before},
                                    {"last_reviewed_at": customer.last_reviewed_at}),
                 detail={"version": customer.version})
    return customer.last_reviewed_at


def delete_customer(session: Session, actor: Actor, customer_id: int) -> bool:
    """Soft-delete (administrators): hidden from lists and duplicate checks, restorable.
    False if it was already deleted."""
    actor.require(Perm.DELETE_CUSTOMERS)
    customer = _get(session, customer_id)
    if customer.deleted_at is not None:
        return False
    customer.deleted_at = clock.now()
    customer.deleted_by_id = actor.user_id
    session.flush()
    audit.record(session, actor, "customer.delete", "customer", customer.id,
                 changes=audit.diff({"deleted_at": None}, {"deleted_at": customer.deleted_at}),
                 detail={"version": customer.version, "customer_no": customer.customer_no})
    return True


def restore_customer(session: Session, actor: Actor, customer_id: int, *,
                     today: date | None = None) -> bool:
    """Undo a soft delete (administrators). Refused with ``DuplicateCustomer`` if a live
    customer has since taken its 手机号, 邮箱 or 证件号码. False if it was not deleted."""
    actor.require(Perm.DELETE_CUSTOMERS)
    customer = _get(session, customer_id)
    if customer.deleted_at is None:
        return False
    values = _full_values(session, customer)
    duplicates = find_duplicates(session, values, exclude_id=customer.id)
    if duplicates:
        raise DuplicateCustomer(duplicates)
    before = customer.deleted_at
    customer.deleted_at = None
    customer.deleted_by_id = None
    session.flush()
    tiers.recompute_ids(session, [customer.id], today)
    audit.record(session, actor, "customer.restore", "customer", customer.id,
                 changes=audit.diff({"deleted_at": before}, {"deleted_at": None}),
                 detail={"version": customer.version})
    return True


# ---- bulk assignment --------------------------------------------------------------------------


def bulk_assign_manager(session: Session, actor: Actor, customer_ids: Iterable[int],
                        manager_id: int | None) -> int:
    """Make ``manager_id`` (an active user, or None for nobody) the account manager of these
    live customers; one audit row with the count, the ids and each previous manager.
    Returns how many customers changed."""
    actor.require(Perm.EDIT_CUSTOMERS)
    manager = None
    if manager_id is not None:
        manager = session.get(User, manager_id)
        if manager is None or not manager.active:
            raise RecordError("records.error.manager_unknown")
    ids = sorted(set(customer_ids))
    current: dict[int, int | None] = {}
    for part in _chunks(ids):
        current.update(session.execute(select(Customer.id, Customer.account_manager_id).where(
            Customer.id.in_(part), Customer.deleted_at.is_(None))).all())
    affected = sorted(cid for cid, mid in current.items() if mid != manager_id)
    if affected:
        table = Customer.__table__
        stamp = clock.now()
        for part in _chunks(affected):
            session.execute(update(table).where(table.c.id.in_(part)).values(
                account_manager_id=manager_id, version=table.c.version + 1,
                updated_at=stamp, updated_by_id=actor.user_id))
        wanted = set(affected)
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Customer) and obj.id in wanted:
                session.expire(obj, ["account_manager_id", "account_manager", "version",
                                     "updated_at", "updated_by_id"])
    usernames = dict(session.execute(select(User.id, User.username).where(
        User.id.in_({m for m in current.values() if m is not None}))).all())
    audit.record(session, actor, "customer.bulk_assign", "customer", None,
                 changes={"account_manager": [None, manager.username if manager else None]},
                 detail={"count": len(affected), "ids": affected, "requested": len(ids),
                         "previous": {str(cid): usernames.get(current[cid])  # type: ignore[arg-type]
                                      for cid in affected}})
    return len(affected)


# ---- change history ---------------------------------------------------------------------------


def _entries(row: AuditEntry, customer_id: int, settings: Settings) -> list[ChangeEntry]:
    """One audit row as per-field entries, 手机号 / 邮箱 / 证件号码 masked whatever was stored."""
    changes = dict(row.changes or {})
    if row.action == "customer.bulk_assign" and "account_manager" in changes:
        previous = (row.detail or {}).get("previous", {}).get(str(customer_id))
        changes["account_manager"] = [previous, changes["account_manager"][1]]
    if not changes:
        return [ChangeEntry(row.id, row.at, row.user_id, row.username, row.action, None,
                            None, None)]
    return [ChangeEntry(row.id, row.at, row.user_id, row.username, row.action, key,
                        mask_value(key, pair[0], settings) if pair else None,
                        mask_value(key, pair[1], settings) if pair else None)
            for key, pair in sorted(changes.items())]


def _own_rows(session: Session, customer_id: int):  # noqa: ANN202 - a SQLAlchemy Select
    return select(AuditEntry).where(
        AuditEntry.entity == "customer", AuditEntry.entity_id == str(customer_id),
        AuditEntry.action.not_in(_NOT_CHANGES))


def _bulk_rows(session: Session, customer_id: int, after_id: int = 0) -> list[AuditEntry]:
    """Bulk audit rows (one per bulk action) that include this customer. The text match is
    only a pre-filter; the ids list decides."""
    rows = session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(BULK_ACTIONS), AuditEntry.id > after_id,
        cast(AuditEntry.detail, String).like(f"%{customer_id}%")).order_by(AuditEntry.id))
    return [r for r in rows if customer_id in (r.detail or {}).get("ids", [])]


@dataclass(frozen=True)
class HistoryPage:
    """A page of the 变更记录: entries newest first; ``total`` counts audited actions."""

    entries: list[ChangeEntry]
    total: int


def change_history(session: Session, actor: Actor, customer_id: int, *, limit: int = 50,
                   offset: int = 0) -> HistoryPage:
    """Who changed which field from what to what, and when, from the audit log (reveals are
    not changes and are left out). Paged by audited action, newest first."""
    customer = _visible(session, actor, customer_id)
    settings = get_settings()
    own = _own_rows(session, customer.id)
    own_total = session.scalar(select(func.count()).select_from(own.subquery())) or 0
    newest = list(session.scalars(own.order_by(AuditEntry.id.desc()).limit(offset + limit)))
    bulk = _bulk_rows(session, customer.id)
    rows = sorted(newest + bulk, key=lambda r: r.id, reverse=True)[offset:offset + limit]
    entries = [e for row in rows for e in _entries(row, customer.id, settings)]
    return HistoryPage(entries=entries, total=own_total + len(bulk))


def changes_since(session: Session, customer_id: int, version: int) -> list[ChangeEntry]:
    """What was changed after ``version`` (oldest first): audited actions on this customer
    that produced a later version, and bulk actions after the one that produced ``version``."""
    settings = get_settings()
    rows = list(session.scalars(_own_rows(session, customer_id).order_by(AuditEntry.id)))
    later = [r for r in rows if int((r.detail or {}).get("version") or 0) > version]
    anchor = max((r.id for r in rows if 0 < int((r.detail or {}).get("version") or 0)
                  <= version), default=0)
    picked = sorted(later + _bulk_rows(session, customer_id, anchor), key=lambda r: r.id)
    return [e for row in picked for e in _entries(row, customer_id, settings)]


# ---- timeline ---------------------------------------------------------------------------------

TIMELINE_KINDS: Final = ("order", "interaction", "follow_up", "complaint", "survey", "renewal",
                         "contract", "tier_change")
_KIND_RANK: Final = {kind: rank for rank, kind in enumerate(TIMELINE_KINDS)}


@dataclass(frozen=True)
class TimelineItem:
    """One event of the 时间线. ``when`` is aware; date-only records (``all_day``) sit at
    00:00 China time. Title and detail render per language via ``title`` / ``detail_text``."""

    kind: str
    when: datetime
    all_day: bool
    record_id: int
    title_key: str
    title_params: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None
    detail_key: str | None = None
    quantity: int | None = None
    """An order's quantity, and below the amount of an order, contract or decided renewal: in
    their own columns, since a table cuts a long event text and the figures with it."""
    amount: Decimal | None = None

    @property
    def amount_text(self) -> str:
        """The amount as the 时间线 shows it (``12,345.50``), empty when the event has none."""
        return "" if self.amount is None else _money(self.amount)

    def title(self, lang: str = "zh") -> str:
        params = {k: label(v, lang) if isinstance(v, str) else ("—" if v is None else v)
                  for k, v in self.title_params.items()}
        return t(self.title_key, lang, **params)

    def detail_text(self, lang: str = "zh") -> str:
        if self.detail_key is not None:
            return t(self.detail_key, lang)
        return self.detail or ""


@dataclass(frozen=True)
class TimelinePage:
    items: list[TimelineItem]
    total: int


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _join(*parts: str | None) -> str | None:
    text = " / ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def _timeline_sources(customer_id: int) -> list[tuple[str, Any, Any, Any]]:
    """Per kind: (kind, entity, sort column, customer filter)."""
    followup_when = func.coalesce(FollowUp.done_date, FollowUp.planned_date)
    return [
        ("order", Order, Order.order_date, Order.customer_id == customer_id),
        ("interaction", Interaction, Interaction.occurred_at,
         Interaction.customer_id == customer_id),
        ("follow_up", FollowUp, followup_when, FollowUp.customer_id == customer_id),
        ("complaint", Complaint, Complaint.received_at, Complaint.customer_id == customer_id),
        ("survey", Survey, Survey.survey_date, Survey.customer_id == customer_id),
        ("renewal", Renewal, Renewal.due_date, Renewal.customer_id == customer_id),
        ("contract", Contract, Contract.start_date, Contract.customer_id == customer_id),
        ("tier_change", TierChange, TierChange.changed_at,
         TierChange.customer_id == customer_id),
    ]


def _item(kind: str, row: Any) -> TimelineItem:
    if kind == "order":
        return TimelineItem(kind, _local_midnight(row.order_date), True, row.id,
                            "records.timeline.order",
                            {"order_no": row.order_no, "product": row.product,
                             "quantity": row.quantity, "amount": _money(row.amount)},
                            detail=row.payment_method, quantity=row.quantity, amount=row.amount)
    if kind == "interaction":
        return TimelineItem(kind, row.occurred_at, False, row.id, "records.timeline.interaction",
                            {"method": row.method}, detail=row.content)
    if kind == "follow_up":
        done = row.done_date is not None
        return TimelineItem(kind, _local_midnight(row.done_date or row.planned_date), True,
                            row.id, "records.timeline.follow_up_done" if done
                            else "records.timeline.follow_up_planned",
                            {"method": row.method, "purpose": row.purpose or ""},
                            detail=_join(row.result, row.feedback, row.content))
    if kind == "complaint":
        return TimelineItem(kind, row.received_at, False, row.id, "records.timeline.complaint",
                            {"complaint_type": row.complaint_type, "status": row.status},
                            detail=row.description)
    if kind == "survey":
        return TimelineItem(kind, _local_midnight(row.survey_date), True, row.id,
                            "records.timeline.survey",
                            {"score": row.score,
                             "label": SATISFACTION_LABELS.get(row.score, str(row.score))},
                            detail=row.comment)
    if kind == "renewal":
        return TimelineItem(kind, _local_midnight(row.due_date), True, row.id,
                            "records.timeline.renewal" if row.amount is not None
                            else "records.timeline.renewal_open",
                            {"due_date": row.due_date.isoformat(), "outcome": row.outcome,
                             "amount": _money(row.amount)},
                            detail=row.reason, amount=row.amount)
    if kind == "contract":
        return TimelineItem(kind, _local_midnight(row.start_date), True, row.id,
                            "records.timeline.contract_renewal" if row.previous_contract_id
                            else "records.timeline.contract",
                            {"contract_no": row.contract_no,
                             "start_date": row.start_date.isoformat(),
                             "end_date": row.end_date.isoformat(), "amount": _money(row.amount)},
                            amount=row.amount)
    return TimelineItem(kind, row.changed_at, False, row.id, "records.timeline.tier_change",
                        {"from_tier": row.from_tier, "to_tier": row.to_tier},
                        detail=row.reason, detail_key=tiers.stored_reason_key(row.reason))


def timeline(session: Session, actor: Actor, customer_id: int, *, limit: int = 50,
             offset: int = 0) -> TimelinePage:
    """Orders, contacts, follow-ups, complaints, surveys, renewals and tier changes of one
    customer in one list, newest first, paged. Each kind is read newest first up to
    ``offset + limit`` rows, then merged, so a page costs a few indexed queries."""
    customer = _visible(session, actor, customer_id)
    items: list[TimelineItem] = []
    total = 0
    for kind, entity, when, where in _timeline_sources(customer.id):
        total += session.scalar(select(func.count()).select_from(entity).where(where)) or 0
        rows = session.scalars(select(entity).where(where)
                               .order_by(when.desc(), entity.id.desc())
                               .limit(offset + limit))
        items.extend(_item(kind, row) for row in rows)
    items.sort(key=lambda i: (i.when, -_KIND_RANK[i.kind], i.record_id), reverse=True)
    return TimelinePage(items=items[offset:offset + limit], total=total)
