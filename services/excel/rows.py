"""Checking one spreadsheet row: pure functions of the cells, no database.

Customer rows go through ``services.customers.validation.validate_customer`` (the form's own rules
and messages). Record rows (orders, complaints ...) are read column by column here; their customer
reference (客户编号 / 手机号) goes through the validation module too. Which customer, contract
or earlier row a row matches is decided later, set-based, in ``customers_import`` and
``records_import``.

Why pure and picklable: a large workbook is parsed and its rows checked in a child process
(``services.excel.reader``), so a checker is plain data plus these functions, and a checked
row crosses the pipe as plain tuples (``to_wire``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, Final

from core.clock import LOCAL_TZ
from core.fields import FIELD_KEYS
from core.i18n import has, t
from core.money import InvalidMoney, parse_money
from services.access import crypto
from services.customers.search_index import GramPositions, gram_positions
from services.customers.validation import (
    HARD_CONTROL,
    FieldError,
    FieldValidationError,
    ValidationContext,
    cell_text,
    control_char_name,
    is_blank_row,
    normalize_customer_no,
    normalize_mobile,
    validate_customer,
)
from services.excel.issues import Issue
from services.excel.kinds import Column, ImportKind, get_kind, holds_example_marker
from services.privacy.consent_terms import CONSENT_KEYS, IMPORT_HEADERS, PURPOSE_OF, parse_flag

SENSITIVE: Final = ("mobile", "email", "id_number", "phone")
"""Fields a masked export hides (固定电话 only when it holds a mobile number)."""
INT_MAX: Final = 2**31 - 1
_SHOWN_MAX: Final = 40
_EXCEL_EPOCH: Final = date(1899, 12, 30)


def shown(value: object) -> str:
    """A cell as quoted in a message: long values cut so a message stays one line."""
    text = cell_text(value) or ""
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX - 1] + "…"


# ---- keyed hash ---------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _hash_key(secret: str) -> bytes | None:
    """The HMAC key, if ``crypto.keyed_hash`` is the plain HMAC-SHA256 it documents (checked on
    a probe value); None means "call crypto.keyed_hash for every value"."""
    key = secret.encode()
    probe = "probe-13812345678"
    if hmac.new(key, probe.encode(), hashlib.sha256).hexdigest() == crypto.keyed_hash(probe):
        return key
    return None


def keyed_hash(value: str) -> str:
    """``crypto.keyed_hash`` without re-reading the secrets per value (100,000 rows)."""
    from services.access.secrets import get_secrets

    key = _hash_key(get_secrets().hash_key)
    if key is None:
        return crypto.keyed_hash(value)
    return hmac.digest(key, value.encode(), "sha256").hex()


# ---- customers ----------------------------------------------------------------------------------

_ENUM_KEYS: Final = ("customer_type", "gender", "tier", "source")
_MASK_RUN: Final = re.compile(r"\*{3,}")


def has_value(value: Any) -> bool:
    """``cell_text(value) is not None``, with a shortcut for the usual string cells."""
    if type(value) is str:
        return bool(value) and not value.isspace()
    return cell_text(value) is not None


def is_blank(cells: Sequence[Any]) -> bool:
    """The validation module's ``is_blank_row`` over every cell of the row (unknown columns
    too), answered without building a mapping when a cell plainly holds text."""
    for value in cells:
        if type(value) is str:
            if value and not value.isspace():
                return False
        elif value is not None:
            break
    return is_blank_row(dict(enumerate(cells)))


@dataclass(frozen=True)
class Deferred:
    """Something about a row that a match with an existing customer may settle.

    ``contact``: no 手机号 / 固定电话 / 邮箱, fine when the customer has one. ``masked``: a
    masked value (``138****5678``): the matched customer's own value as an export shows it
    means "keep", as in the edit form; ``error`` is set when validation refused the value,
    None when it passed (``z***@example.cn`` is a valid address), and then the value is not
    used to find duplicates. ``manager``: a deactivated user who already is the matched
    customer's account manager (an export names them).
    """

    reason: str
    field: str | None
    error: FieldError | None = None
    hint: Any = None


GIVEN_KEYS: Final = (*FIELD_KEYS, *CONSENT_KEYS)
"""Columns a customer row may fill: the record's fields, then 服务授权 / 营销授权."""
VALUE_KEYS: Final = tuple("account_manager_id" if k == "account_manager" else k
                          for k in GIVEN_KEYS)
"""Keys of ``validate_customer``'s values in field order, then the consent flags (True,
False, None for blank): the wire format's order."""
_GIVEN_CACHE: dict[int, frozenset[str]] = {}


_MASK_CACHE: dict[frozenset[str], int] = {}


def _given_mask(given: frozenset[str]) -> int:
    mask = _MASK_CACHE.get(given)
    if mask is None:  # a file has a handful of distinct patterns of filled columns
        mask = _MASK_CACHE[given] = sum(1 << i for i, key in enumerate(GIVEN_KEYS)
                                        if key in given)
    return mask


def _given_set(mask: int) -> frozenset[str]:
    found = _GIVEN_CACHE.get(mask)
    if found is None:
        found = _GIVEN_CACHE[mask] = frozenset(k for i, k in enumerate(GIVEN_KEYS)
                                               if mask >> i & 1)
    return found


@dataclass(slots=True)
class CheckedCustomer:
    """One non-blank customer row after validation."""

    row: int
    cells: tuple[Any, ...]
    values: dict[str, Any]
    given: frozenset[str]
    errors: list[FieldError]
    deferred: list[Deferred]
    id_hash: str | None = None
    id_enc: str | None = None

    def to_wire(self) -> tuple[Any, ...]:
        """Plain tuples for the pipe from the child process: pickling dataclasses per row
        costs more than checking the row."""
        return (self.row, self.cells, tuple(map(self.values.get, VALUE_KEYS)),
                _given_mask(self.given), self.errors or None, self.deferred or None,
                self.id_hash, self.id_enc)

    @classmethod
    def from_wire(cls, wire: tuple[Any, ...]) -> CheckedCustomer:
        row, cells, values, mask, errors, deferred, id_hash, id_enc = wire
        return cls(row, cells, dict(zip(VALUE_KEYS, values, strict=True)), _given_set(mask),
                   errors or [], deferred or [], id_hash, id_enc)


@dataclass
class CustomerChecker:
    """Validates customer rows: ``mapping`` pairs a column index with a field key.

    ``for_writing``: the rows may be written, so a valid row also gets what its insert needs
    (the encrypted 证件号码 here, the search grams in ``grams_for_writing``); a dry run skips
    that work."""

    mapping: tuple[tuple[int, str], ...]
    ctx: ValidationContext
    inactive_users: Mapping[str, int] = field(default_factory=dict)
    for_writing: bool = True

    def check(self, row: int, cells: tuple[Any, ...]) -> CheckedCustomer | None:
        if is_blank(cells):
            return None
        raw = {key: cells[i] for i, key in self.mapping}
        flags = {key: raw.pop(key) for key in CONSENT_KEYS if key in raw}
        result = validate_customer(raw, self.ctx)
        values = result.values
        for key in _ENUM_KEYS:
            value = values.get(key)
            if isinstance(value, Enum):
                values[key] = value.value
        given = {k for k, v in raw.items() if has_value(v)}
        if "notes" in given and values.get("notes") is None:
            given.discard("notes")
        errors: list[FieldError] = []
        deferred: list[Deferred] = []
        for error in result.errors:
            text = cell_text(raw.get(error.field)) if error.field else None
            if error.key == "validation.contact_required":
                deferred.append(Deferred("contact", None, error))
            elif error.field in SENSITIVE and text is not None and _MASK_RUN.search(text):
                deferred.append(Deferred("masked", error.field, error, text))
            elif error.key == "validation.account_manager.unknown" and text is not None \
                    and text.lower() in self.inactive_users:
                deferred.append(Deferred("manager", error.field, error,
                                         self.inactive_users[text.lower()]))
            else:
                errors.append(error)
        for key in SENSITIVE:
            text = cell_text(raw.get(key)) if key in given else None
            if text is not None and key in values and _MASK_RUN.search(text):
                deferred.append(Deferred("masked", key, None, text))
        for key, cell in flags.items():
            try:
                values[key] = parse_flag(cell)
            except ValueError:
                errors.append(FieldError(key, "consent.excel.invalid", {
                    "header": IMPORT_HEADERS[PURPOSE_OF[key]], "value": shown(cell)}))
                continue
            if values[key] is not None:
                given.add(key)
        marked = _example_marker_key(raw)
        if marked is not None:  # never a customer, whatever else the row holds
            errors.append(FieldError(marked, "importx.example_row"))
        checked = CheckedCustomer(row, cells, values, frozenset(given), errors, deferred)
        id_number = values.get("id_number")
        if id_number:
            checked.id_hash = keyed_hash(id_number)
            if self.for_writing and not errors:
                checked.id_enc = crypto.encrypt(id_number)
        return checked


def _example_marker_key(raw: Mapping[str, Any]) -> str | None:
    """The key of the first column holding the template's example-row marker, if any."""
    return next((key for key, value in raw.items() if holds_example_marker(value)), None)


# ---- records ------------------------------------------------------------------------------------

@dataclass(slots=True)
class CheckedRecord:
    """One non-blank record row: parsed values, the customer reference, the problems."""

    row: int
    cells: tuple[Any, ...]
    values: dict[str, Any]
    issues: list[Issue]

    def to_wire(self) -> tuple[Any, ...]:
        return (self.row, self.cells, self.values, self.issues or None)

    @classmethod
    def from_wire(cls, wire: tuple[Any, ...]) -> CheckedRecord:
        row, cells, values, issues = wire
        return cls(row, cells, values, issues or [])


class _Bad(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _text(col: Column, value: Any) -> str | None:
    text = cell_text(value)
    if text is not None and col.max_length is not None and len(text) > col.max_length:
        raise _Bad("validation.too_long", length=len(text), max=col.max_length)
    return text


_DATE_RE: Final = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?")
_COMPACT_DATE_RE: Final = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _excel_serial(value: float) -> datetime | None:
    if not 1 <= value < 2958466:
        return None
    whole = math.floor(value)
    seconds = round((value - whole) * 86400)
    return datetime.combine(_EXCEL_EPOCH + timedelta(days=whole), time()) + \
        timedelta(seconds=seconds)


def _when(value: Any) -> datetime | None:
    """A naive local date-time from a cell: Excel dates, text dates, serial numbers."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else \
            value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _excel_serial(float(value))
    text = cell_text(value)
    if text is None:
        return None
    m = _DATE_RE.fullmatch(text)
    try:
        if m:
            y, mo, d, hh, mm, ss = m.groups()
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        m = _COMPACT_DATE_RE.fullmatch(text)
        if m:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def _date(value: Any) -> date:
    found = _when(value)
    if found is None or found.year < 1900:
        raise _Bad("excel.value.date", value=shown(value))
    return found.date()


def _datetime(value: Any) -> datetime:
    found = _when(value)
    if found is None or found.year < 1900:
        raise _Bad("excel.value.datetime", value=shown(value))
    return found.replace(tzinfo=LOCAL_TZ)


def _money(value: Any) -> Decimal:
    """A cell's amount, refused (not rounded) with more than two decimals."""
    cell = value if isinstance(value, int | float | Decimal) else cell_text(value) or ""
    try:
        return parse_money(cell, exact=True)
    except InvalidMoney:
        raise _Bad("excel.value.money", value=shown(value)) from None


def _int(value: Any) -> int:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = cell_text(value) or ""
        if re.fullmatch(r"\d+(\.0+)?", text):
            number = int(text.split(".")[0])
    if number is None or not 1 <= number <= INT_MAX:
        raise _Bad("excel.value.integer", value=shown(value))
    return number


@lru_cache(maxsize=64)
def _choice_index(values: tuple[str, ...], aliases: tuple[tuple[str, str], ...]
                  ) -> dict[str, str]:
    """Accepted spellings of a closed column: the values, their English labels (from the
    catalog's vocabulary) and the column's aliases, all compared case-folded."""
    index = {v.casefold(): v for v in values}
    for spelling, v in (*((v, v) for v in values), *aliases):
        index.setdefault(spelling.casefold(), v)
        if has(f"vocab.{spelling}"):
            index.setdefault(t(f"vocab.{spelling}", "en").casefold(), v)
    return index


def _choice(col: Column, value: Any) -> str:
    text = cell_text(value) or ""
    found = _choice_index(col.choices, col.aliases).get(text.casefold())
    if found is None:
        raise _Bad("excel.value.choice", value=shown(value), allowed=list(col.choices))
    return found


def _score(col: Column, value: Any) -> int:
    """1-5, or a satisfaction label (非常满意 ... 非常不满意, or its English label)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise _Bad("excel.value.score", value=shown(value))
    text = cell_text(value) or ""
    found = _choice_index(("1", "2", "3", "4", "5"), col.aliases).get(text.casefold())
    if found is None:
        raise _Bad("excel.value.score", value=shown(value))
    return int(found)


@dataclass
class RecordChecker:
    """Reads record rows of ``kind``: ``mapping`` pairs a column index with a column key,
    ``headers`` gives each key the header it has in the file (for messages)."""

    kind: str
    mapping: tuple[tuple[int, str], ...]
    headers: Mapping[str, str]
    users: Mapping[str, int]

    def _kind(self) -> ImportKind:
        return get_kind(self.kind)

    def check(self, row: int, cells: tuple[Any, ...]) -> CheckedRecord | None:
        if is_blank(cells):
            return None
        kind = self._kind()
        raw = {key: cells[i] for i, key in self.mapping}
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        for col in kind.columns:
            value = raw.get(col.key)
            try:
                parsed = self._parse(col, value)
            except _Bad as bad:
                issues.append(Issue(bad.key, {"field": col.label, **bad.params}, row,
                                    self.headers.get(col.key), col.key))
                continue
            except FieldValidationError as exc:
                issues.append(Issue(exc.error.key, {}, row, self.headers.get(col.key),
                                    col.key, exc.error))
                continue
            if parsed is None and col.required:
                issues.append(Issue("validation.required", {"field": col.label}, row,
                                    self.headers.get(col.key), col.key))
            values[col.key] = parsed
        if values.get("customer_no") is None and values.get("mobile") is None \
                and not any(i.field in ("customer_no", "mobile") for i in issues):
            issues.append(Issue("excel.customer.ref_required", {}, row, None, None))
        marked = _example_marker_key(raw)
        if marked is not None:  # the template's example: never recorded
            issues.append(Issue("importx.example_row", {"field": kind.column(marked).label},
                                row, self.headers.get(marked), marked))
        return CheckedRecord(row, cells, values, issues)

    def _parse(self, col: Column, value: Any) -> Any:
        if col.type == "info" or cell_text(value) is None:
            return None
        if isinstance(value, str):
            found = HARD_CONTROL.search(value)
            if found is not None:  # the row is refused; line breaks and tabs may stay
                raise _Bad("input.control_char", char=control_char_name(found.group()))
        if col.type == "ref":
            return normalize_customer_no(value) if col.key == "customer_no" \
                else normalize_mobile(value)
        if col.type == "text":
            return _text(col, value)
        if col.type == "date":
            return _date(value)
        if col.type == "datetime":
            return _datetime(value)
        if col.type == "money":
            return _money(value)
        if col.type == "int":
            return _int(value)
        if col.type == "choice":
            return _choice(col, value)
        if col.type == "score":
            return _score(col, value)
        if col.type == "user":
            text = cell_text(value) or ""
            user_id = self.users.get(text.lower())
            if user_id is None:
                raise _Bad("validation.account_manager.unknown", value=shown(value))
            return user_id
        raise ValueError(f"unknown column type {col.type!r}")


Checker = CustomerChecker | RecordChecker


def from_wire(wire: Sequence[tuple[Any, ...]], customers: bool
              ) -> list[CheckedCustomer | CheckedRecord]:
    build = CheckedCustomer.from_wire if customers else CheckedRecord.from_wire
    return [build(w) for w in wire]


def grams_for_writing(checker: Checker, checked: Sequence[CheckedCustomer | CheckedRecord]
                      ) -> GramPositions | None:
    """The search grams of the valid customer rows of a checked chunk, by position in it, made
    where the chunk was checked (the parsing child: off the writing process's path). None
    for record rows and for rows that will not be written."""
    if not isinstance(checker, CustomerChecker) or not checker.for_writing:
        return None
    return gram_positions((None, None) if row.errors else  # type: ignore[union-attr]
                          (row.values.get("name"), row.values.get("company"))
                          for row in checked)


def check_rows(checker: Checker, rows: Sequence[tuple[int, tuple[Any, ...]]]
               ) -> tuple[list[CheckedCustomer | CheckedRecord], int]:
    """Check a chunk of (row number, cells); returns the non-blank results and the blanks."""
    out: list[CheckedCustomer | CheckedRecord] = []
    blank = 0
    for row, cells in rows:
        checked = checker.check(row, cells)
        if checked is None:
            blank += 1
        else:
            out.append(checked)
    return out, blank

