"""Three-way merge of a customer edit: the record as the form opened it, the form as submitted,
and the record as it is now.

Why: a save must write only what this user changed in the form. Everything else on the record
(tags added on the same page, a review, a manual tier, another user's edit) may have moved on
since the form was opened and must be kept, not overwritten with the form's old copy. Only a
field changed both in the form and on the record since is a conflict, and only when the two
new values differ; tags never conflict, the user's additions and removals are applied to the
current list.

Pure functions over spec-keyed dicts: ``services.customers`` loads the records and
applies the result.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from enum import Enum
from typing import Any, Final

from core.fields import FIELD_KEYS
from services.customers.validation import FieldValidationError, split_tags

TIER_REASON: Final = "tier_reason"
"""Not a record field of its own: a changed reason is a change of the manual tier."""


def comparable(key: str, value: Any) -> Any:
    """A value in the form two spellings of the same thing compare equal in: blank is None,
    text is trimmed, enums are their stored value, tags are an ordered set (case-insensitive)."""
    if isinstance(value, Enum):
        value = value.value
    if key == "tags":
        try:
            names = split_tags(value if value is not None else [])
        except FieldValidationError:
            return ("?", str(value))  # invalid: differs from every stored list
        return tuple(sorted({name.casefold() for name in names}))
    if isinstance(value, str):
        return value.strip() or None
    return value


def same(key: str, a: Any, b: Any) -> bool:
    return comparable(key, a) == comparable(key, b)


def changed_fields(base: Mapping[str, Any], new: Mapping[str, Any], *,
                   keys: Iterable[str] = FIELD_KEYS,
                   keep_when_blank: Collection[str] = ()) -> set[str]:
    """Keys of ``new`` whose value differs from ``base``. A key missing from ``new`` is not
    changed; one in ``keep_when_blank`` sent blank is not changed either (it means "keep")."""
    changed: set[str] = set()
    for key in keys:
        if key not in new:
            continue
        if key in keep_when_blank and comparable(key, new[key]) is None:
            continue
        if not same(key, base.get(key), new[key]):
            changed.add(key)
    return changed


def changed_by_user(opened: Mapping[str, Any], submitted: Mapping[str, Any], *,
                    opened_reason: str | None = None,
                    keep_when_blank: Collection[str] = ("customer_no",)) -> set[str]:
    """Fields the user changed in the form: submitted values that differ from the values the
    form was opened with. A masked 手机号 / 邮箱 / 证件号码 sent back as shown is unchanged
    (``opened`` holds the masked form, so the comparison is direct). A changed tier reason
    counts as a change of ``tier``."""
    changed = changed_fields(opened, submitted, keep_when_blank=keep_when_blank)
    if TIER_REASON in submitted and not same(TIER_REASON, opened_reason,
                                             submitted[TIER_REASON]):
        changed.add("tier")
    return changed


def changed_since(opened: Mapping[str, Any], current: Mapping[str, Any], *,
                  opened_fingerprints: Mapping[str, str | None],
                  current_fingerprints: Mapping[str, str | None],
                  opened_reason: str | None = None,
                  current_reason: str | None = None) -> set[str]:
    """Fields of the record that changed between opening the form and now. Masked fields are
    compared by fingerprint: two different numbers can share one masked form."""
    masked = set(opened_fingerprints) | set(current_fingerprints)
    changed = changed_fields(opened, current, keys=[k for k in FIELD_KEYS if k not in masked])
    for key in masked:
        if opened_fingerprints.get(key) != current_fingerprints.get(key):
            changed.add(key)
    if not same(TIER_REASON, opened_reason, current_reason):
        changed.add("tier")
    return changed


def merge_tags(opened: Any, submitted: Any, current: Any) -> list[str] | None:
    """The current tags plus those the user added in the form, minus those removed there.

    Why a set merge: a tag list is not one value but many; a tag another user (or this one,
    on the page) added since the form was opened is not the user's to remove by not having
    seen it. None if a list does not parse (then validation reports the submitted value).
    """
    try:
        before, after, now = (split_tags(v if v is not None else [])
                              for v in (opened, submitted, current))
    except FieldValidationError:
        return None
    added = [tag for tag in after if tag.casefold() not in {b.casefold() for b in before}]
    removed = {b.casefold() for b in before} - {a.casefold() for a in after}
    merged = [tag for tag in now if tag.casefold() not in removed]
    merged += [tag for tag in added if tag.casefold() not in {m.casefold() for m in merged}]
    return merged


def conflicts(mine: Iterable[str], theirs: Collection[str],
              equal_now: Mapping[str, bool]) -> list[str]:
    """Fields changed on both sides whose new values differ (``equal_now[key]`` says whether
    the user's value equals the record's current one), in a stable order."""
    return sorted(key for key in mine if key in theirs and not equal_now.get(key, False))
