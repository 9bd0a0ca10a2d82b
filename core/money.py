"""Money amounts, in one place (issue 15): amounts are ``Numeric(14, 2)`` in the database and
``Decimal`` in the code; they are parsed from what a person types or a spreadsheet holds, shown
as text, drawn in charts and number inputs as floats, and read back from database sums.

Why one module: each of these once had its own ``_money`` (a str, a float and a Decimal), with
different noise accepted and different limits.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

CENT: Final = Decimal("0.01")
MAX_MONEY: Final = Decimal("999999999999.99")
"""The largest amount a ``Numeric(14, 2)`` column holds."""

_NOISE: Final = str.maketrans("", "", ",，¥￥元 \u3000")
"""Thousands separators, currency signs and spaces, as people and spreadsheets write them."""


class InvalidMoney(ValueError):
    """Not a non-negative amount of at most ``MAX_MONEY``; the caller says so in its own words."""


def parse_money(value: object, *, exact: bool = False) -> Decimal:
    """``value`` (text as typed or read from a cell, int, float or Decimal) as an amount in
    cents. Fractions of a cent are rounded half up, or refused with ``exact=True`` (an import
    does not silently change a figure). Raises ``InvalidMoney``."""
    try:
        if value is None or isinstance(value, bool):
            raise InvalidOperation
        if isinstance(value, float):
            amount = Decimal(repr(value))
        elif isinstance(value, int | Decimal):
            amount = Decimal(value)
        else:
            amount = Decimal(str(value).translate(_NOISE))
    except (InvalidOperation, ValueError):
        raise InvalidMoney(value) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise InvalidMoney(value)
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if exact and rounded != amount:
        raise InvalidMoney(value)
    return rounded


def money_text(value: Decimal | float | None) -> str:
    """``1,234.50``, or "—" for no amount (profiles, timelines, dialogs)."""
    return "—" if value is None else f"{value:,.2f}"


def short_money(value: Decimal | float, lang: str = "zh") -> str:
    """¥4.36亿 / ¥12.3万 / ¥1,234 (zh); ¥436.2M / ¥12.3k / ¥1,234 (en): KPI cards."""
    v = float(value)
    sign, v = ("-" if v < 0 else ""), abs(v)
    if lang == "en":
        steps: tuple[tuple[float, str], ...] = ((1e9, "B"), (1e6, "M"), (1e3, "k"))
    else:
        steps = ((1e8, "亿"), (1e4, "万"))
    for size, suffix in steps:
        if v >= size:
            return f"{sign}¥{v / size:,.{2 if v / size < 10 else 1}f}{suffix}"
    return f"{sign}¥{v:,.0f}"


def money_number(value: Decimal | float | None) -> float | None:
    """A float for what takes numbers, not Decimals: charts, number inputs, export cells."""
    return None if value is None else float(value)


def summed_money(value: Decimal | float | int | None) -> Decimal:
    """A ``SUM`` read back from the database (a float on SQLite, a Decimal on PostgreSQL, None
    over no rows) as an exact Decimal: a float is taken as written, not by its binary value."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))
