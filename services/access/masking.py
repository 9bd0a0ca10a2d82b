"""Masking of 手机号, 邮箱 and 证件号码 before they reach a page or a file (spec: Masking).

Masking is applied to stored (normalised) values, but must stay safe on anything else too: a
short, odd or legacy value is masked harder, never shown in full: when the usual ends would
leave too little hidden, each end shows a quarter of the length at most.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from core.settings import Settings, get_settings
from core.vocab import CustomerType

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
