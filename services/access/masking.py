"""Masking of 手机号, 邮箱 and 证件号码 before they reach a page or a file (spec: Masking).

Masking is applied to stored (normalised) values, but must stay safe on anything else too: a
short, odd or legacy value is masked harder, never shown in full: when the usual ends would
leave too little hidden, each end shows a quarter of the length at most.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Final, TypeVar

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import Settings, get_settings
from core.vocab import CustomerType
from db.bulk import chunks
from db.models import Tag, customer_tags
from services.access.roles import Actor

_STAR = "*"

PROTECTED_FIELDS: Final = ("mobile", "phone", "email", "id_number")
"""Fields never shown in full without the reveal right (固定电话 only when protected)."""

_MAINLAND_MOBILE_E164: Final = re.compile(r"\+861[3-9]\d{9}")
_MOBILE_KINDS: Final = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE,
                                  PhoneNumberType.PAGER, PhoneNumberType.PERSONAL_NUMBER})


def _mask_ends(text: str, keep_prefix: int, keep_suffix: int, min_hidden: int) -> str:
    """Keep the ends, or only a quarter of the length at each end when fewer than
    ``min_hidden`` characters would stay hidden."""
    n = len(text)
    if n - keep_prefix - keep_suffix < min_hidden:
        keep_prefix = min(keep_prefix, n // 4)
        keep_suffix = min(keep_suffix, n // 4)
    tail = text[n - keep_suffix:] if keep_suffix else ""
    return text[:keep_prefix] + _STAR * (n - keep_prefix - keep_suffix) + tail


def mask_mobile(value: str | None, *, keep_prefix: int = 3, keep_suffix: int = 4) -> str | None:
    """``13812345678`` -> ``138****5678``; ``+85291234567`` -> ``+852****4567``.

    A leading ``+`` is kept (it is not information) and the digits after it are masked. The
    spec's 3 + 4 hides only four of eleven digits, so that is allowed from 11 characters on;
    anything shorter keeps at least half hidden.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return ""
    plus = "+" if text.startswith("+") else ""
    body = text[len(plus):]
    min_hidden = 4 if len(body) >= 11 else (len(body) + 1) // 2
    return plus + _mask_ends(body, keep_prefix, keep_suffix, min_hidden)


def mask_email(value: str | None) -> str | None:
    """``zhang.san@example.cn`` -> ``z***@example.cn``: first character, fixed ``***``, domain.

    The number of stars does not depend on the local part, so its length is not revealed; a
    one-character local part is hidden completely. Without ``@`` the value is masked whole.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return text[0] + "***" if len(text) > 3 else "***"
    first = local[0] if len(local) > 1 else ""
    return f"{first}***@{domain}"


def mask_id_number(value: str | None, *, keep_prefix: int = 4,
                   keep_suffix: int = 4) -> str | None:
    """``110105194912310021`` -> ``1101**********0021``: first 4 and last 4 of 18.

    The birth date (characters 7-14 of a resident ID) always falls in the hidden part. A
    shorter value shows a quarter of its length at each end at most.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return ""
    keep_prefix = min(keep_prefix, 6)  # never into the birth date (characters 7-14)
    keep_suffix = min(keep_suffix, 4)
    if 15 <= len(text) < 18:  # an old 15-digit ID keeps its YYMMDD in characters 7-12
        keep_suffix = min(keep_suffix, len(text) - 12)
    return _mask_ends(text, keep_prefix, keep_suffix, (len(text) + 1) // 2)


@lru_cache(maxsize=4096)
def _is_mobile(stored: str) -> bool:
    """Whether a stored 固定电话 (E.164) is a mobile number; anything unparsable counts as
    one, so a doubtful value is masked rather than shown."""
    if _MAINLAND_MOBILE_E164.fullmatch(stored):
        return True
    try:
        number = phonenumbers.parse(stored, "CN")
    except NumberParseException:
        return True
    return phonenumbers.number_type(number) in _MOBILE_KINDS \
        or phonenumbers.number_type(number) == PhoneNumberType.UNKNOWN


def phone_protected(stored: str | None, customer_type: str | None) -> bool:
    """Spec: a 固定电话 follows the 手机号 rule (and right to reveal) when it belongs to a 个人
    customer or is a mobile number. Without the customer type it is treated as protected."""
    if not stored:
        return False
    if customer_type is None or customer_type == CustomerType.PERSONAL.value:
        return True
    return _is_mobile(stored)


def _mask_phone(stored: str, settings: Settings) -> str:
    """A protected 固定电话 masked like a mobile: mainland numbers on their national digits
    (``138****5678``, ``010****5678``), others on their E.164 form (``+852****4567``)."""
    text = stored.strip()
    if text.startswith("+86"):
        national = text[3:]
        text = national if _MAINLAND_MOBILE_E164.fullmatch(text) else "0" + national
    return mask_mobile(text, keep_prefix=settings.mobile_keep_prefix,
                       keep_suffix=settings.mobile_keep_suffix) or ""


def mask_field(field: str, value: Any, *, customer_type: str | None = None,
               full: bool = False, settings: Settings | None = None) -> Any:
    """THE masking rule, for every path (screen, form, list, timeline, export, import preview):
    the value of ``field`` as a viewer sees it. ``full`` only for a viewer allowed to see it
    (an audited reveal or a full export); a 固定电话 is formatted for display either way and
    masked when protected (see ``phone_protected``); other fields pass unchanged."""
    if value is None or not isinstance(value, str):
        return value
    if field not in PROTECTED_FIELDS:
        return value

    if field == "phone":
        if full or not phone_protected(value, customer_type):
            return format_phone(value)
        return _mask_phone(value, settings or get_settings())
    if full:
        return value
    settings = settings or get_settings()
    if field == "mobile":
        return mask_mobile(value, keep_prefix=settings.mobile_keep_prefix,
                           keep_suffix=settings.mobile_keep_suffix)
    if field == "email":
        return mask_email(value)
    return mask_id_number(value, keep_prefix=settings.id_keep_prefix,
                          keep_suffix=settings.id_keep_suffix)

@lru_cache(maxsize=4096)
def format_phone(value: str | None) -> str | None:
    """A stored number for display: mainland numbers in national format (``010 1234 5678``),
    others in international format (``+852 9123 4567``); anything unparsable as it is."""
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, "CN")
    except NumberParseException:
        return value
    fmt = PhoneNumberFormat.NATIONAL if number.country_code == 86 else \
        PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, fmt)


# ---- sensitive records (issue 17: health data of the 医疗 case) ------------------------------

SENSITIVE_TAGS: Final = ("健康信息",)
"""Tags that mark a customer's record as sensitive (health data): for a trainee, every free
text of that customer and of its records is shown as ``HIDDEN_TEXT``, on every path."""

HIDDEN_TEXT: Final = "******"
"""What a trainee sees instead of a sensitive free text: stars, like a masked number, so that
it reads the same in both languages, on screen, in a form and in a download."""

SENSITIVE_TEXTS: Final[dict[str, tuple[str, ...]]] = {
    "customer": ("notes",),
    "order": ("product",),
    "interaction": ("content",),
    "follow_up": ("purpose", "content", "feedback", "result"),
    "complaint": ("description", "handling_steps", "solution"),
    "complaint_event": ("note",),
    "survey": ("comment",),
    "renewal": ("reason",),
}
"""The free texts of each kind of record: what a sensitive mark hides from a trainee."""

_V = TypeVar("_V")


def hides_sensitive(actor: Actor) -> bool:
    """Whether ``actor`` sees sensitive free texts hidden: trainees (never the full texts, as
    never the full numbers); everyone else works with the record as it is."""
    return actor.trainee


def sensitive_ids(session: Session, customer_ids: Iterable[int | None]) -> set[int]:
    """The customers among ``customer_ids`` that carry a sensitive tag."""
    ids = sorted({i for i in customer_ids if i is not None})
    found: set[int] = set()
    for chunk in chunks(ids):
        found.update(session.scalars(
            select(customer_tags.c.customer_id)
            .join(Tag, Tag.id == customer_tags.c.tag_id)
            .where(Tag.name.in_(SENSITIVE_TAGS), customer_tags.c.customer_id.in_(chunk))))
    return found


def hidden_ids(session: Session, actor: Actor, customer_ids: Iterable[int | None]) -> set[int]:
    """The customers whose free texts ``actor`` must see hidden (none for most actors, with
    no query)."""
    return sensitive_ids(session, customer_ids) if hides_sensitive(actor) else set()


def hides(session: Session, actor: Actor, customer_id: int | None) -> bool:
    """Whether ``actor`` must see the free texts of this customer's records hidden."""
    return customer_id in hidden_ids(session, actor, (customer_id,))


def hide_text(value: Any) -> Any:
    """A free text as hidden: ``HIDDEN_TEXT`` when there is one, an empty value as it is (an
    absent text gives nothing away)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return value
    return HIDDEN_TEXT


def hide_record(record: _V, kind: str, hidden: bool = True) -> _V:
    """``record`` (a dataclass or a mapping) with the free texts of ``kind`` hidden when
    ``hidden``; the one rule for every path that shows, fills in or writes out a record."""
    if not hidden:
        return record
    names = SENSITIVE_TEXTS[kind]
    if isinstance(record, Mapping):
        return type(record)({k: hide_text(v) if k in names else v  # type: ignore[call-arg]
                             for k, v in record.items()})
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        present = {f.name for f in dataclasses.fields(record)}
        return dataclasses.replace(record, **{  # type: ignore[type-var]
            n: hide_text(getattr(record, n)) for n in names if n in present})
    raise TypeError(f"cannot hide the texts of {type(record).__name__}")


def removable_tags(actor: Actor, names: Iterable[str]) -> list[str]:
    """The tags of ``names`` this actor may take off a customer: a trainee never a sensitive
    one (without it the texts it hides would show)."""
    if not hides_sensitive(actor):
        return list(names)
    marks = {t.casefold() for t in SENSITIVE_TAGS}
    return [n for n in names if n.casefold() not in marks]


def is_text_key(key: str | None) -> bool:
    """Whether an audited change key (``notes``, ``interaction.content`` ...) names a free
    text: its old and new values are hidden from a trainee like the text itself."""
    if not key:
        return False
    kind, _, name = key.rpartition(".")
    kind = {"": "customer", "visit": "follow_up"}.get(kind, kind)  # the audit's prefixes
    return name in SENSITIVE_TEXTS.get(kind, ())


def keep_hidden(submitted: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """A submitted form with each ``HIDDEN_TEXT`` (a hidden text sent back unchanged by a
    trainee) replaced by the stored value: the placeholder is never written over a record."""
    return {k: stored.get(k) if isinstance(v, str) and v.strip() == HIDDEN_TEXT and k in stored
            else v for k, v in submitted.items()}
