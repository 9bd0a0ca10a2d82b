"""The one validation of a customer record (spec: customer-record.md, "Fields").

The entry form, the Excel import and the command line all call this module, so a value one of
them refuses, the others refuse with the same message. Each field has a ``normalize_*`` function
that returns the stored form (None for blank) or raises ``FieldValidationError`` carrying a
``FieldError``; ``check_field`` wraps them for a form that checks one field at a time, and
``validate_customer`` checks a whole record and collects every error.

Input may come straight from a spreadsheet reader: numbers (``13812345678.0``), NaN for empty
cells and full-width characters are expected. It must stay fast (an import validates 100,000
rows), so the common shapes of phone numbers and e-mail addresses take a shortcut that gives the
same answer as the full ``phonenumbers`` / ``email-validator`` call (the tests check this).
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Final, NamedTuple, NoReturn

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from core.fields import FIELD_BY_KEY, FIELD_KEYS
from core.i18n import t
from core.regions import canonical_province
from core.vocab import CustomerType, Gender, Source, Tier
from services.access.masking import mask_id_number
from services.customers.idcodes import (
    RESIDENT_ID_AREA_PREFIXES,
    is_credit_code_shape,
    is_valid_credit_code,
    is_valid_resident_checksum,
    resident_birth_date,
)

MIN_BIRTH_DATE: Final = date(1900, 1, 1)
TAG_MAX_LENGTH: Final = 20
_VALUE_DISPLAY_MAX: Final = 40


# ---- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    """One problem with a record: the field (None for a rule across fields), a message key of
    the catalog and its parameters. Rendered late so each reader gets their own language."""

    field: str | None
    key: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)
    label: str | None = None
    """Catalog key of the name the message gives the field, when it is not the field's own
    (an enterprise's 证件号码 is its 统一社会信用代码, and the form asks for it by that name)."""

    def message(self, lang: str = "zh") -> str:
        label = t(self.label or f"field.{self.field or 'contact'}", lang)
        sep = ", " if lang == "en" else "、"
        params = {k: sep.join(map(str, v)) if isinstance(v, (list, tuple)) else v
                  for k, v in self.params.items()}
        return t(self.key, lang, field=label, **params)


class FieldValidationError(ValueError):
    """Raised by the ``normalize_*`` functions; ``error`` says what is wrong and how to fix it."""

    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message("en"))
        self.error = error


def _fail(field: str | None, key: str, **params: object) -> NoReturn:
    raise FieldValidationError(FieldError(field, key, params))


def _shown(text: str) -> str:
    """The value as quoted in a message: long values cut, so a message stays one line."""
    return text if len(text) <= _VALUE_DISPLAY_MAX else text[:_VALUE_DISPLAY_MAX - 1] + "…"


def quoted(value: object) -> str:
    """A typed value as messages quote it (trimmed, long values cut), for the one who typed it."""
    return _shown(str(value).strip())


# ---- cells ----------------------------------------------------------------------------------


def _cell_str(value: object) -> str | None:
    """Text of a non-string cell. Integral numbers become their digits (Excel gives a mobile
    typed as a number back as ``13812345678.0``); NaN / NA (empty cells of pandas) are blank."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return None
        if value.is_finite() and value == value.to_integral_value():
            return str(int(value))
        return str(value)
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return str(value)


def cell_text(value: object) -> str | None:
    """The trimmed text of a cell or form value; None when it is blank."""
    if value is None:
        return None
    text = value if isinstance(value, str) else _cell_str(value)
    if text is None:
        return None
    text = text.strip()
    return text or None


def _is_number_cell(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


# ---- control characters ---------------------------------------------------------------------

# C0 control characters and DEL, which no one types on purpose: a NUL cannot be stored by
# PostgreSQL at all, and ESC, BEL, BS ... corrupt what later shows or exports the value.
ANY_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
# The same without tab and line breaks, which a multi-line field (notes, descriptions) keeps.
HARD_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_C0_NAMES: Final = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF",
                    "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                    "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")
MULTILINE_FIELDS: Final = frozenset({"notes"})
"""Customer fields that keep line breaks and tabs; every other text field is one line."""


def control_char_name(char: str) -> str:
    """How a message names a control character: ``U+001B (ESC)``."""
    code = ord(char)
    name = _C0_NAMES[code] if code < 0x20 else "DEL"
    return f"U+{code:04X} ({name})"


def control_char_error(field: str | None, text: str, *, multiline: bool = False
                       ) -> FieldError | None:
    """The error for the first control character ``text`` may not hold, or None.

    A single-line field refuses tab and line breaks too (they are trimmed at the ends, so
    only ones inside the value count); a multi-line field keeps them."""
    found = (HARD_CONTROL if multiline else ANY_CONTROL).search(
        text if multiline else text.strip())
    if found is None:
        return None
    char = found.group()
    key = "input.control_char.line_break" if char in "\t\n\r" else "input.control_char"
    return FieldError(field, key, {"char": control_char_name(char)})


def check_controls(field: str | None, text: str, *, multiline: bool = False) -> None:
    """Raise ``FieldValidationError`` when ``text`` holds a control character it may not."""
    error = control_char_error(field, text, multiline=multiline)
    if error is not None:
        raise FieldValidationError(error)


def printable(text: str) -> str:
    """``text`` with each control character replaced by U+FFFD: for names the user does not
    type into a field of ours (an uploaded file's name), which are kept rather than refused."""
    return ANY_CONTROL.sub("\ufffd", text)


def _value_controls(key: str, value: object) -> FieldError | None:
    """A control-character error of a raw field value (a tags list: each of its items)."""
    if isinstance(value, str):
        return control_char_error(key, value, multiline=key in MULTILINE_FIELDS)
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            if isinstance(item, str):
                error = control_char_error(key, item)
                if error is not None:
                    return error
    return None


def _check_length(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        _fail(field, "validation.too_long", length=len(text), max=limit)


def _plain_text(field: str, value: object) -> str | None:
    text = cell_text(value)
    if text is None:
        return None
    limit = FIELD_BY_KEY[field].max_length
    if limit is not None:
        _check_length(field, text, limit)
    return text


# ---- simple fields --------------------------------------------------------------------------

_CUSTOMER_NO: Final = re.compile(r"[A-Za-z0-9-]{1,32}")


def normalize_customer_no(value: object) -> str | None:
    """Blank: None (the system issues one). Otherwise 1-32 letters, digits or ``-``, upper-cased
    so that ``c2026000123`` finds ``C2026000123``."""
    text = cell_text(value)
    if text is None:
        return None
    if not _CUSTOMER_NO.fullmatch(text):
        _fail("customer_no", "validation.customer_no.invalid", value=_shown(text))
    return text.upper()


def normalize_name(value: object) -> str:
    """Required; trimmed, inner runs of whitespace (also full-width) collapsed to one space."""
    text = cell_text(value)
    if text is None:
        _fail("name", "validation.required")
    text = " ".join(text.split())
    _check_length("name", text, FIELD_BY_KEY["name"].max_length or 100)
    return text


_CUSTOMER_TYPES: Final[dict[str, CustomerType]] = {
    **{m.value: m for m in CustomerType},
    "personal": CustomerType.PERSONAL,
    "enterprise": CustomerType.ENTERPRISE,
    "institution": CustomerType.INSTITUTION,
}


def normalize_customer_type(value: object) -> CustomerType:
    """个人 / 企业 / 机构 or personal / enterprise / institution in any case; blank is 个人."""
    text = cell_text(value)
    if text is None:
        return CustomerType.PERSONAL
    found = _CUSTOMER_TYPES.get(text.lower())
    if found is None:
        _fail("customer_type", "validation.customer_type.invalid", value=_shown(text))
    return found


_GENDERS: Final[dict[str, Gender]] = {
    **{m.value: m for m in Gender},
    "male": Gender.MALE, "m": Gender.MALE,
    "female": Gender.FEMALE, "f": Gender.FEMALE,
}


def normalize_gender(value: object) -> Gender | None:
    """男 / 女, or male / female / M / F in any case; blank stays blank."""
    text = cell_text(value)
    if text is None:
        return None
    found = _GENDERS.get(text.lower())
    if found is None:
        _fail("gender", "validation.gender.invalid", value=_shown(text))
    return found


def normalize_company(value: object) -> str | None:
    """Trimmed, at most 200 characters."""
    return _plain_text("company", value)


def normalize_title(value: object) -> str | None:
    """Trimmed, at most 50 characters."""
    return _plain_text("title", value)


def normalize_city(value: object) -> str | None:
    """Trimmed, at most 50 characters."""
    return _plain_text("city", value)


def normalize_address(value: object) -> str | None:
    """Trimmed, at most 200 characters."""
    return _plain_text("address", value)


def normalize_notes(value: object) -> str | None:
    """Stored exactly as typed (no trimming), at most 2000 characters; blank is None."""
    if value is None:
        return None
    text = value if isinstance(value, str) else _cell_str(value)
    if text is None or not text.strip():
        return None
    _check_length("notes", text, FIELD_BY_KEY["notes"].max_length or 2000)
    return text


def normalize_industry(value: object, industries: Sequence[str]) -> str | None:
    """One of the configured industries (case-insensitive for Latin names), stored as
    configured; anything else is rejected with the list of allowed values."""
    text = cell_text(value)
    if text is None:
        return None
    if text in industries:
        return text
    folded = text.casefold()
    for item in industries:
        if item.casefold() == folded:
            return item
    _fail("industry", "validation.industry.invalid", value=_shown(text),
          allowed=tuple(industries))


def normalize_province(value: object) -> str | None:
    """Full name of a provincial-level division or 国外; short forms are expanded."""
    text = cell_text(value)
    if text is None:
        return None
    found = canonical_province(text)
    if found is None:
        _fail("province", "validation.province.invalid", value=_shown(text))
    return found


_TIERS: Final[dict[str, Tier]] = {
    **{m.value: m for m in Tier},
    "silver": Tier.SILVER, "gold": Tier.GOLD, "platinum": Tier.PLATINUM, "diamond": Tier.DIAMOND,
}


def normalize_tier(value: object) -> Tier | None:
    """白银 / 黄金 / 铂金 / 钻石 or the English names in any case; blank (None) means the
    tier rules decide, a value is a manual tier."""
    text = cell_text(value)
    if text is None:
        return None
    found = _TIERS.get(text.lower())
    if found is None:
        _fail("tier", "validation.tier.invalid", value=_shown(text))
    return found


_SOURCES: Final[dict[str, Source]] = {m.value: m for m in Source}


def normalize_source(value: object) -> Source | None:
    """表单 / 电话 / 在线 / 拜访 / 转介绍 / 其他, or blank."""
    text = cell_text(value)
    if text is None:
        return None
    found = _SOURCES.get(text)
    if found is None:
        _fail("source", "validation.source.invalid", value=_shown(text))
    return found


_TAG_SEPARATORS: Final = re.compile(r"[,，、;；|]")


def split_tags(value: object) -> list[str]:
    """Tags from one cell (split on , ， 、 ; ； |) or from a list of tags: trimmed, empties
    dropped, repeats removed (first occurrence kept), each at most 20 characters."""
    if isinstance(value, (set, frozenset)):
        items: Iterable[object] = sorted(map(str, value))
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        items = (value,)
    tags: list[str] = []
    for item in items:
        text = cell_text(item)
        if text is None:
            continue
        check_controls("tags", text)
        for part in _TAG_SEPARATORS.split(text):
            tag = part.strip()
            if not tag or tag in tags:
                continue
            if len(tag) > TAG_MAX_LENGTH:
                _fail("tags", "validation.tags.too_long", value=_shown(tag), length=len(tag),
                      max=TAG_MAX_LENGTH)
            tags.append(tag)
    return tags


def normalize_account_manager(value: object, users: Mapping[str, int]) -> int | None:
    """The id of the active user whose username or display name this is (any case)."""
    text = cell_text(value)
    if text is None:
        return None
    user_id = users.get(text.lower())
    if user_id is None:
        _fail("account_manager", "validation.account_manager.unknown", value=_shown(text))
    return user_id


# ---- phone numbers --------------------------------------------------------------------------


class _Number(NamedTuple):
    country_code: int
    national: str
    e164: str
    kind: int  # a PhoneNumberType


_MOBILE_KINDS: Final = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_PHONE_KINDS: Final = _MOBILE_KINDS | {PhoneNumberType.FIXED_LINE}
_PHONE_NOISE: Final = str.maketrans("", "", "()-")


def _number_key(field: str, text: str, invalid_key: str) -> str:
    """Clean a typed number into what ``phonenumbers`` parses: mainland digits (national,
    possibly with trunk ``0``), ``+86`` + digits, or ``+`` + digits for another country.

    Spaces, ``-`` and parentheses go, full-width characters become ASCII, a leading ``0086``
    or ``86-`` means ``+86``. Letters are refused outright: ``phonenumbers`` would otherwise
    read ``1-800-FLOWERS`` as digits.
    """
    cleaned = text if text.isascii() else unicodedata.normalize("NFKC", text)
    cleaned = "".join(cleaned.split()).replace("(", "").replace(")", "")
    prefix = ""
    if cleaned.startswith("+86"):
        prefix, cleaned = "+86", cleaned[3:]
    elif cleaned.startswith("0086"):
        prefix, cleaned = "+86", cleaned[4:]
    elif cleaned.startswith("86-"):
        prefix, cleaned = "+86", cleaned[3:]
    elif cleaned.startswith("+"):
        prefix, cleaned = "+", cleaned[1:]
    digits = cleaned.translate(_PHONE_NOISE)
    if not (digits.isascii() and digits.isdigit()):
        if not digits:
            _fail(field, invalid_key, value=_shown(text))
        _fail(field, "validation.number_chars", value=_shown(text))
    return prefix + digits


class _Desc(NamedTuple):
    lengths: frozenset[int]
    pattern: re.Pattern[str]


def _desc(desc: phonenumbers.PhoneNumberDesc | None) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return _Desc(frozenset(desc.possible_length), re.compile(desc.national_number_pattern))


@lru_cache(maxsize=1)
def _cn_classifier() -> tuple[_Desc | None, tuple[tuple[_Desc, int], ...], _Desc | None,
                              _Desc | None, bool]:
    """The mainland metadata of ``phonenumbers``, compiled once (its own lookup re-fetches
    and re-compiles the patterns on every call, most of a validation's cost)."""
    md = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    special = tuple(
        (d, kind) for d, kind in (
            (_desc(md.premium_rate), PhoneNumberType.PREMIUM_RATE),
            (_desc(md.toll_free), PhoneNumberType.TOLL_FREE),
            (_desc(md.shared_cost), PhoneNumberType.SHARED_COST),
            (_desc(md.voip), PhoneNumberType.VOIP),
            (_desc(md.personal_number), PhoneNumberType.PERSONAL_NUMBER),
            (_desc(md.pager), PhoneNumberType.PAGER),
            (_desc(md.uan), PhoneNumberType.UAN),
            (_desc(md.voicemail), PhoneNumberType.VOICEMAIL),
        ) if d is not None)
    return (_desc(md.general_desc), special, _desc(md.fixed_line), _desc(md.mobile),
            bool(md.same_mobile_and_fixed_line_pattern))


def _matches(national: str, desc: _Desc | None) -> bool:
    if desc is None:
        return False
    if desc.lengths and len(national) not in desc.lengths:
        return False
    return desc.pattern.fullmatch(national) is not None


def _cn_number_type(national: str) -> int:
    """``phonenumbers.number_type`` of a mainland national number, same rules and order
    (``phonenumberutil._number_type_helper``); the tests compare the two."""
    general, special, fixed, mobile, same = _cn_classifier()
    if not _matches(national, general):
        return PhoneNumberType.UNKNOWN
    for desc, kind in special:
        if _matches(national, desc):
            return kind
    if _matches(national, fixed):
        if same or _matches(national, mobile):
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        return PhoneNumberType.FIXED_LINE
    if not same and _matches(national, mobile):
        return PhoneNumberType.MOBILE
    return PhoneNumberType.UNKNOWN


def _lookup_fast(key: str) -> _Number | None:
    """Mainland numbers in their usual shapes, without ``phonenumbers.parse`` (the slow part).

    Only a positive answer is trusted; anything else goes to the full parse. Excluded are the
    shapes where parsing would strip a carrier / IP-dialling prefix (``11``, ``12``, ``179``).
    """
    digits = key[3:] if key.startswith("+86") else key
    if not digits or (key[0] == "+" and not key.startswith("+86")):
        return None
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" \
            and not digits.startswith("179"):
        national = digits
    elif 10 <= len(digits) <= 12 and digits[0] == "0" and digits[1] != "0":
        national = digits[1:]
    else:
        return None
    kind = _cn_number_type(national)
    if kind == PhoneNumberType.UNKNOWN:
        return None
    return _Number(86, national, "+86" + national, kind)


@lru_cache(maxsize=65536)
def _lookup_full(key: str) -> _Number | None:
    """``phonenumbers``' own verdict (region CN unless the key carries a country code)."""
    try:
        number = phonenumbers.parse(key, None if key.startswith("+") else "CN")
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return _Number(number.country_code, phonenumbers.national_significant_number(number),
                   phonenumbers.format_number(number, PhoneNumberFormat.E164),
                   phonenumbers.number_type(number))


def _lookup(key: str) -> _Number | None:
    return _lookup_fast(key) or _lookup_full(key)


def normalize_mobile(value: object) -> str | None:
    """A mobile number: 11 digits for the mainland (``13812345678``), E.164 otherwise
    (``+85291234567``). Landlines are refused here: they belong in 固定电话."""
    text = cell_text(value)
    if text is None:
        return None
    number = _lookup(_number_key("mobile", text, "validation.mobile.invalid"))
    if number is None:
        _fail("mobile", "validation.mobile.invalid", value=_shown(text))
    if number.kind in _MOBILE_KINDS:
        return number.national if number.country_code == 86 else number.e164
    if number.kind == PhoneNumberType.FIXED_LINE:
        _fail("mobile", "validation.mobile.landline", value=_shown(text))
    _fail("mobile", "validation.mobile.invalid", value=_shown(text))


def normalize_phone(value: object) -> str | None:
    """A landline or mobile number, stored in E.164 (``+861012345678``)."""
    text = cell_text(value)
    if text is None:
        return None
    number = _lookup(_number_key("phone", text, "validation.phone.invalid"))
    if number is None or number.kind not in _PHONE_KINDS:
        _fail("phone", "validation.phone.invalid", value=_shown(text))
    return number.e164




# ---- e-mail ---------------------------------------------------------------------------------

_EMAIL_LOCAL_SIMPLE: Final = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*")
_EMAIL_DOMAIN_SIMPLE: Final = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_MAX: Final = 254


@lru_cache(maxsize=4096)
def _email_domain(domain: str) -> tuple[str, str] | None:
    """email-validator's verdict on a domain: (normalised, ASCII) or None. Few domains
    recur across many addresses, and the domain is most of the validator's cost."""
    try:
        info = validate_email("a@" + domain, check_deliverability=False)
    except EmailNotValidError:
        return None
    return info.domain, info.ascii_domain


def _email_fast(text: str) -> str | None:
    """The normalised address when it is plain ASCII dot-atom with a known-good domain."""
    local, at, domain = text.partition("@")
    if not at or not _EMAIL_LOCAL_SIMPLE.fullmatch(local) \
            or not _EMAIL_DOMAIN_SIMPLE.fullmatch(domain):
        return None
    known = _email_domain(domain.lower())
    if known is None:
        return None
    normal, ascii_domain = known
    longest = max(len(domain), len(normal.encode()), len(ascii_domain))
    if len(local) + 1 + longest > _EMAIL_MAX:
        return None
    return f"{local}@{normal}".lower()


def normalize_email(value: object) -> str | None:
    """Syntax checked by email-validator (no DNS lookup); trimmed, stored in lower case."""
    text = cell_text(value)
    if text is None:
        return None
    fast = _email_fast(text)
    if fast is not None:
        return fast
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        _fail("email", "validation.email.invalid", value=_shown(text))


# ---- identity numbers -----------------------------------------------------------------------


def _masked(code: str) -> str:
    return mask_id_number(_shown(code)) or ""


def _resident_problem(code: str, today: date) -> tuple[str, dict[str, object]] | None:
    """Why ``code`` is not an acceptable resident ID (message key, params), or None.

    The county part (digits 3-6) is deliberately not checked: public lists are incomplete.
    """
    body = code[:17]
    if len(code) != 18 or not (body.isascii() and body.isdigit()) \
            or code[17] not in "0123456789X":
        return "validation.id_number.resident_format", {}
    if int(code[:2]) not in RESIDENT_ID_AREA_PREFIXES:
        return "validation.id_number.resident_province", {"code": code[:2]}
    birth = resident_birth_date(code)
    if birth is None or not MIN_BIRTH_DATE <= birth <= today:
        return "validation.id_number.resident_birth", {}
    if not is_valid_resident_checksum(code):
        return "validation.id_number.resident_checksum", {}
    return None


def normalize_id_number(value: object, customer_type: object = CustomerType.PERSONAL,
                        today: date | None = None) -> str | None:
    """个人: an 18-character resident ID (GB 11643), ``x`` upper-cased. 企业 / 机构: a unified
    social credit code (GB 32100), upper-cased. ``customer_type`` takes any accepted alias.

    Messages show the number masked (first and last four), as the spec masks it everywhere.
    """
    text = cell_text(value)
    if text is None:
        return None
    ctype = customer_type if isinstance(customer_type, CustomerType) else \
        normalize_customer_type(customer_type)
    code = (text if text.isascii() else unicodedata.normalize("NFKC", text)).upper()
    lost_digits = _is_number_cell(value) and len(code) > 15
    today = today or date.today()
    if ctype is CustomerType.PERSONAL:
        problem = _resident_problem(code, today)
        if problem is None:
            return code
        key, params = problem
        if lost_digits:
            key, params = "validation.id_number.numeric_cell", {}
        elif key != "validation.id_number.resident_checksum" and is_valid_credit_code(code):
            key, params = "validation.id_number.looks_like_credit_code", {}
        _fail("id_number", key, value=_masked(code), **params)
    if is_valid_credit_code(code):
        return code
    try:
        _credit_code_problem(code, ctype, lost_digits, today)
    except FieldValidationError as exc:
        raise FieldValidationError(dataclasses.replace(
            exc.error, label="forms.label.credit_code")) from None
    return None  # not reached: _credit_code_problem always raises


def _credit_code_problem(code: str, ctype: CustomerType, lost_digits: bool,
                         today: date) -> NoReturn:
    """Raise what is wrong with an enterprise's or institution's code."""
    shown = _masked(code)
    if lost_digits:
        _fail("id_number", "validation.id_number.numeric_cell", value=shown)
    if _resident_problem(code, today) is None:
        _fail("id_number", "validation.id_number.looks_like_resident_id", value=shown,
              customer_type=ctype.value)
    if is_credit_code_shape(code):
        _fail("id_number", "validation.id_number.credit_checksum", value=shown)
    _fail("id_number", "validation.id_number.credit_format", value=shown)


# ---- records --------------------------------------------------------------------------------


@dataclass
class ValidationContext:
    """What validation needs from settings and the database, passed in so it stays pure.

    ``users`` maps the lower-cased username and display name of every active user to the id;
    an empty mapping means no account manager can be matched. ``today`` defaults to the date.
    """

    industries: Sequence[str]
    users: Mapping[str, int]
    today: date | None = None


@dataclass
class CustomerInput:
    """A validated record: ``values`` holds the normalised fields that passed (spec keys, with
    ``account_manager`` as ``account_manager_id``); ``errors`` every problem found."""

    values: dict[str, object] = dataclasses.field(default_factory=dict)
    errors: list[FieldError] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, lang: str = "zh") -> list[str]:
        return [e.message(lang) for e in self.errors]


_Checker = Callable[[object, ValidationContext, CustomerType, date], object]

_CHECKERS: Final[dict[str, _Checker]] = {
    "customer_no": lambda v, c, ct, d: normalize_customer_no(v),
    "name": lambda v, c, ct, d: normalize_name(v),
    "customer_type": lambda v, c, ct, d: normalize_customer_type(v),
    "gender": lambda v, c, ct, d: normalize_gender(v),
    "mobile": lambda v, c, ct, d: normalize_mobile(v),
    "phone": lambda v, c, ct, d: normalize_phone(v),
    "email": lambda v, c, ct, d: normalize_email(v),
    "id_number": lambda v, c, ct, d: normalize_id_number(v, ct, d),
    "company": lambda v, c, ct, d: normalize_company(v),
    "title": lambda v, c, ct, d: normalize_title(v),
    "industry": lambda v, c, ct, d: normalize_industry(v, c.industries),
    "province": lambda v, c, ct, d: normalize_province(v),
    "city": lambda v, c, ct, d: normalize_city(v),
    "address": lambda v, c, ct, d: normalize_address(v),
    "tier": lambda v, c, ct, d: normalize_tier(v),
    "tags": lambda v, c, ct, d: split_tags(v),
    "account_manager": lambda v, c, ct, d: normalize_account_manager(v, c.users),
    "source": lambda v, c, ct, d: normalize_source(v),
    "notes": lambda v, c, ct, d: normalize_notes(v),
}
if tuple(_CHECKERS) != FIELD_KEYS:
    raise RuntimeError("validation needs one checker per field, in the spec's order")

OUTPUT_KEYS: Final[dict[str, str]] = {"account_manager": "account_manager_id"}
BLANK_IS_NONE: Final = frozenset(FIELD_KEYS) - {"name", "customer_type", "tags"}
"""Optional fields whose checker gives None for an empty cell, whatever the context: an import
of 100,000 rows with half its cells empty skips those calls."""
CONTACT_FIELDS: Final = ("mobile", "phone", "email")


def check_field(key: str, value: object, ctx: ValidationContext, *,
                customer_type: object = CustomerType.PERSONAL) -> tuple[object, FieldError | None]:
    """Check one field as the form does: (normalised value, None) or (None, the error).

    ``customer_type`` matters for ``id_number`` only; an invalid one is reported as its own
    error. For ``account_manager`` the value returned is the user id.
    """
    control = _value_controls(key, value)
    if control is not None:
        return None, control
    try:
        ctype = customer_type if isinstance(customer_type, CustomerType) else \
            normalize_customer_type(customer_type)
        return _CHECKERS[key](value, ctx, ctype, ctx.today or date.today()), None
    except FieldValidationError as exc:
        return None, exc.error


def validate_customer(raw: Mapping[str, object], ctx: ValidationContext) -> CustomerInput:
    """Validate a whole record given by spec keys (unknown keys are ignored).

    Every field is checked so that all problems are reported at once. 证件号码 is only checked
    against a valid 客户类型 (which one applies is otherwise unknown). Then the record rules:
    a name, and at least one of 手机号 / 固定电话 / 邮箱 filled in.
    """
    result = CustomerInput()
    values, errors = result.values, result.errors
    today = ctx.today or date.today()
    ctype: CustomerType | None = CustomerType.PERSONAL
    # One search over the row's text finds the common case (no control character at all)
    # without a check per field: an import validates 100,000 rows.
    suspect = ANY_CONTROL.search("".join(v for v in raw.values() if type(v) is str)) \
        is not None or any(isinstance(v, (list, tuple, set, frozenset)) for v in raw.values())
    for key, checker in _CHECKERS.items():
        value = raw.get(key)
        if key == "id_number" and ctype is None:
            continue
        if (value is None or value == "") and key in BLANK_IS_NONE:
            values[OUTPUT_KEYS.get(key, key)] = None  # what the checker returns for blank
            continue
        if suspect:
            control = _value_controls(key, value)
            if control is not None:
                errors.append(control)
                if key == "customer_type":
                    ctype = None
                continue
        try:
            normal = checker(value, ctx, ctype or CustomerType.PERSONAL, today)
        except FieldValidationError as exc:
            errors.append(exc.error)
            if key == "customer_type":
                ctype = None
            continue
        if key == "customer_type":
            ctype = normal  # type: ignore[assignment]
        values[OUTPUT_KEYS.get(key, key)] = normal
    if all(values.get(k) is None for k in CONTACT_FIELDS) \
            and not any(e.field in CONTACT_FIELDS for e in errors):
        errors.append(FieldError(None, "validation.contact_required"))
    return result


def is_blank_row(raw: Mapping[str, object]) -> bool:
    """A row with nothing in any cell: skipped and counted by the import, never an error."""
    for value in raw.values():
        if isinstance(value, (list, tuple, set, frozenset)):
            if any(cell_text(v) is not None for v in value):
                return False
        elif cell_text(value) is not None:
            return False
    return True
