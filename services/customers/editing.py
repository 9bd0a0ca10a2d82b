"""Editing a customer: optimistic and field by field.

The form keeps the record as it was opened; a save writes only the fields the user changed since,
merged onto the current record (``services.customers.merge``), and raises ``StaleRecord``
(writing nothing) only when someone else changed one of those same fields to another value.
Every write to a customer row bumps ``Customer.version`` (SQLAlchemy's version counter),
including tag changes, so a race lost at the database is detected and merged again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import clock
from core.errors import ConcurrentChange
from core.settings import Settings, get_settings
from core.vocab import Tier, TierSource
from db.models import (
    Customer,
    User,
)
from services.access import audit, crypto, masking
from services.access.roles import Actor, Perm
from services.customers import merge as record_merge
from services.customers import tags, tiers
from services.customers.entry import audit_changes, check_raw, full_values, raise_for, with_tier
from services.customers.errors import CustomerForm, StaleRecord
from services.customers.history import changes_since
from services.customers.visibility import SENSITIVE_FIELDS, get_row, live, mask_value


def _fingerprints(values: Mapping[str, Any]) -> dict[str, str | None]:
    """Keyed hashes of the full 手机号 / 邮箱 / 证件号码: a later save can tell whether they
    changed since the form was opened, although the form only holds them masked."""
    return {key: crypto.keyed_hash(values[key]) if values.get(key) else None
            for key in SENSITIVE_FIELDS}


def _form(session: Session, customer: Customer, settings: Settings,
          actor: Actor | None = None) -> CustomerForm:
    values = full_values(session, customer)
    fingerprints = _fingerprints(values)
    for key in SENSITIVE_FIELDS:
        values[key] = mask_value(key, values[key], settings,
                                 customer_type=customer.customer_type)
    if actor is not None:  # a sensitive record's 备注 hidden from a trainee, in the form too
        values = masking.hide_record(values, "customer",
                                     masking.hides(session, actor, customer.id))
    return CustomerForm(customer_id=customer.id, version=customer.version, values=values,
                        tier_reason=customer.tier_reason
                        if customer.tier_source == TierSource.MANUAL else None,
                        fingerprints=fingerprints)


def edit_form(session: Session, actor: Actor, customer_id: int) -> CustomerForm:
    """The values an edit form starts from, masked, with the version to send back. Keep it
    as the form's snapshot: ``update_customer`` compares the submitted form with it."""
    actor.require(Perm.EDIT_CUSTOMERS)
    return _form(session, live(session, customer_id), get_settings(), actor)


def _stale(session: Session, actor: Actor, customer_id: int, expected_version: int,
           raw: Mapping[str, Any], conflicts: Sequence[str]) -> StaleRecord:
    customer = get_row(session, customer_id)
    hidden = masking.hides(session, actor, customer_id)
    changes = [c for c in changes_since(session, customer_id, expected_version, hidden)
               if c.field in conflicts]
    return StaleRecord(customer_id, expected_version,
                       _form(session, customer, get_settings(), actor), changes, raw, conflicts)


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
        customer = live(session, customer_id)
        raw = _kept_sensitive(session, actor, customer, raw)
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
        check, current = check_raw(session, partial, customer, settings, today, actor)
        raise_for(check, accept_similar)
        assert current is not None
        values = check.values
        if not overwrite:
            clashes = record_merge.conflicts(mine, theirs, {
                key: _same_now(key, values, partial, current) for key in mine})
            if clashes:
                raise _stale(session, actor, customer_id, expected, raw, clashes)
        before = with_tier(current, customer)
        with session.no_autoflush:  # one UPDATE at the end, inside the StaleDataError guard
            _apply_edit(session, actor, customer, partial, values, current, today)
            after = with_tier({**values, "account_manager": _username(session, customer),
                                "tags": [tag.name for tag in customer.tags]}, customer)
            after.pop("account_manager_id", None)
            changes = audit_changes(before, after, settings)
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


def _kept_sensitive(session: Session, actor: Actor, customer: Customer,
                    raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """A hidden 备注 sent back keeps the stored one; and a trainee cannot take a sensitive
    tag off (that would show the texts it hides)."""
    raw = masking.keep_hidden(raw, {"notes": customer.notes})
    if "tags" in raw and masking.hides(session, actor, customer.id):
        kept = [t.name for t in customer.tags if t.name in masking.SENSITIVE_TAGS]
        raw = {**raw, "tags": [*(raw.get("tags") or []),
                               *(t for t in kept if t not in (raw.get("tags") or []))]}
    return raw


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
