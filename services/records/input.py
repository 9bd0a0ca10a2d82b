"""Checking the input of a service record form (order, contact, visit, …) with the customer
form's standard: required fields, lengths, dates not in the future where that makes no sense,
amounts ≥ 0, counts > 0 and closed vocabularies, every problem collected with a message that
names its field.

Errors are ``FieldError``s whose field is ``<record>.<name>`` (``order.amount``): its label is
the catalog key ``field.order.amount``, so record kinds never clash over a label, and a form
puts each message under the widget of that name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from core import clock
from core.errors import CatalogError
from core.money import InvalidMoney, parse_money
from services.customers.validation import FieldError, control_char_error

MAX_COUNT: Final = 1_000_000


class InvalidRecord(CatalogError):
    """A service record breaks the form's rules; ``errors`` go next to their fields."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("records.error.invalid", count=len(errors))
        self.errors = list(errors)

    def for_field(self, name: str, lang: str = "zh") -> list[str]:
        return [e.message(lang) for e in self.errors if e.field == name]


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


class Checker:
    """Collects the errors of one record; ``values`` is the raw form input by field name."""

    def __init__(self, record: str, values: Mapping[str, Any], today: date) -> None:
        self.record = record
        self.values = values
        self.today = today
        self.errors: list[FieldError] = []

    def fail(self, name: str, key: str, **params: object) -> None:
        self.errors.append(FieldError(f"{self.record}.{name}", key, dict(params)))

    def _raw(self, name: str, required: bool) -> Any:
        value = self.values.get(name)
        if _blank(value):
            if required:
                self.fail(name, "validation.required")
            return None
        return value

    def text(self, name: str, *, required: bool = False, max_length: int = 200,
             multiline: bool = False) -> str | None:
        """Trimmed text; control characters refused (tab and line breaks kept when
        ``multiline``: the field is a text area)."""
        value = self._raw(name, required)
        if value is None:
            return None
        control = control_char_error(f"{self.record}.{name}", str(value), multiline=multiline)
        if control is not None:
            self.errors.append(control)
            return None
        text = str(value).strip()
        if len(text) > max_length:
            self.fail(name, "validation.too_long", length=len(text), max=max_length)
            return None
        return text

    def day(self, name: str, *, required: bool = False, not_future: bool = True,
            not_before: date | None = None) -> date | None:
        value = self._raw(name, required)
        if value is None:
            return None
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip())
            except ValueError:
                self.fail(name, "recinput.date.invalid", value=str(value)[:40])
                return None
        if not_future and value > self.today:
            self.fail(name, "recinput.date.future", value=value.isoformat(),
                      today=self.today.isoformat())
            return None
        if not_before is not None and value < not_before:
            self.fail(name, "recinput.date.before", value=value.isoformat(),
                      other=not_before.isoformat())
            return None
        return value

    def moment(self, name: str, *, required: bool = False, now: datetime) -> datetime | None:
        """An aware timestamp, not in the future (a minute of clock skew is allowed)."""
        value = self._raw(name, required)
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            self.fail(name, "recinput.date.invalid", value=str(value)[:40])
            return None
        if (value - now).total_seconds() > 60:
            self.fail(name, "recinput.date.future", value=clock.shown(value),
                      today=self.today.isoformat())
            return None
        return value

    def money(self, name: str, *, required: bool = False) -> Decimal | None:
        value = self._raw(name, required)
        if value is None:
            return None
        try:
            return parse_money(value)
        except InvalidMoney:
            self.fail(name, "recinput.amount.invalid", value=str(value)[:40])
            return None

    def count(self, name: str, *, required: bool = False) -> int | None:
        value = self._raw(name, required)
        if value is None:
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if (not number.is_finite() or number != number.to_integral_value() or number <= 0
                or number > MAX_COUNT):
            self.fail(name, "recinput.count.invalid", value=str(value)[:40])
            return None
        return int(number)

    def choice(self, name: str, allowed: Iterable[str], *, required: bool = False) -> str | None:
        value = self._raw(name, required)
        if value is None:
            return None
        options = list(allowed)
        text = str(value).strip()
        if text not in options:
            self.fail(name, "recinput.choice.invalid", value=text[:40], choices=options)
            return None
        return text

    def done(self) -> None:
        if self.errors:
            raise InvalidRecord(self.errors)
