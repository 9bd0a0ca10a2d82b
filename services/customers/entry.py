"""Entering a customer: the 客户编号, validation, duplicates and similar names, creation.

Why here and not in the pages: the entry form, the Excel import and any later path share these
rules, and every action checks the actor's role on the server side."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from core import clock
from core.fields import FIELD_KEYS
from core.settings import Settings, get_settings
from core.vocab import Tier, TierSource
from db.models import (
    Customer,
    TierChange,
    User,
)
from services.access import audit, crypto
from services.access.roles import Actor, Perm
from services.access.users import active_users
from services.customers import numbering, tags, tiers
from services.customers.errors import (
    DuplicateCustomer,
    DuplicateMatch,
    InvalidCustomer,
    SimilarCustomer,
    SimilarMatch,
)
from services.customers.validation import (
    CustomerInput,
    FieldError,
    ValidationContext,
    quoted,
    validate_customer,
)
from services.customers.visibility import SENSITIVE_FIELDS, live, mask_value, plain

IDENTITY_FIELDS: Final = ("customer_no", "mobile", "email", "id_number")
"""Two live records sharing one of these are the same customer (spec: Duplicates)."""


_MAX_MATCHES: Final = 20


def next_customer_no(session: Session, *, year: int | None = None) -> str:
    """Issue the next 客户编号 ``C`` + year + 6 digits, in the caller's transaction."""
    return numbering.next_number(session, "customer_no", "C", Customer.customer_no, year=year)


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


def full_values(session: Session, customer: Customer) -> dict[str, Any]:
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


def check_raw(session: Session, raw: Mapping[str, Any], customer: Customer | None,
           settings: Settings, today: date | None, actor: Actor | None = None
           ) -> tuple[CustomerCheck, dict[str, Any] | None]:
    current = full_values(session, customer) if customer is not None else None
    record = _merge(current, raw, settings) if current is not None else dict(raw)
    manager = customer.account_manager if customer is not None else None
    ctx = validation_context(session, settings, also_user=manager, today=today)
    result: CustomerInput = validate_customer(record, ctx)
    values = {k: plain(v) for k, v in result.values.items()}
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
    customer = live(session, customer_id) if customer_id is not None else None
    check, _ = check_raw(session, raw, customer, settings, today, actor)
    ctype = plain(check.values.get("customer_type"))
    shown = {k: mask_value(k, v, settings, customer_type=ctype) if k in SENSITIVE_FIELDS else v
             for k, v in check.values.items()}
    return CustomerCheck(shown, check.errors, check.duplicates, check.similar)


def raise_for(check: CustomerCheck, accept_similar: bool) -> None:
    if check.errors:
        raise InvalidCustomer(check.errors)
    if check.duplicates:
        raise DuplicateCustomer(check.duplicates)
    if check.similar and not accept_similar:
        raise SimilarCustomer(check.similar)


def audit_changes(before: Mapping[str, Any], after: Mapping[str, Any],
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
                old_type = plain(before.get("customer_type"))
                new_type = plain(after.get("customer_type"))
                changes[key] = [mask_value(key, old, settings, customer_type=old_type),
                                mask_value(key, new, settings, customer_type=new_type)]
            else:
                changes[key] = audit.diff({key: old}, {key: new})[key]
    return changes


def with_tier(values: Mapping[str, Any], customer: Customer) -> dict[str, Any]:
    """Spec values plus the tier in force and its source, for the audit of a change."""
    result = dict(values)
    result["tier"] = customer.tier
    result["tier_source"] = customer.tier_source
    result["tier_reason"] = customer.tier_reason
    return result


def create_customer(session: Session, actor: Actor, raw: Mapping[str, Any], *,
                    accept_similar: bool = False, today: date | None = None) -> int:
    """Validate, check duplicates, issue the 客户编号 if blank, save, audit; the new id.

    Raises ``InvalidCustomer`` (field errors), ``DuplicateCustomer`` (an exact collision, never
    saved) or ``SimilarCustomer`` (same name and company; pass ``accept_similar=True`` to save
    anyway). ``raw`` uses the spec keys; ``tier_reason`` may accompany a manual ``tier``.
    """
    actor.require(Perm.EDIT_CUSTOMERS)
    settings = get_settings()
    check, _ = check_raw(session, raw, None, settings, today, actor)
    raise_for(check, accept_similar)
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
    after = with_tier(full_values(session, customer), customer)
    audit.record(session, actor, "customer.create", "customer", customer.id,
                 changes=audit_changes({}, after, settings),
                 detail={"version": customer.version, "customer_no": customer.customer_no})
    return customer.id
