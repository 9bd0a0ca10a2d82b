"""core.money: the one home of amounts (issue 15) — parsing what a person types or a spreadsheet
holds, showing an amount, and reading one back from a chart's data or a database sum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import money


@pytest.mark.parametrize(("value", "expected"), [
    ("1234.5", Decimal("1234.50")), (" 1,234.56 ", Decimal("1234.56")),
    ("¥1，000元", Decimal("1000.00")), ("１２３", Decimal("123.00")), ("0", Decimal("0.00")),
    (12, Decimal("12.00")), (0.1, Decimal("0.10")), (Decimal("7.5"), Decimal("7.50")),
    ("12.345", Decimal("12.35")), ("12.344", Decimal("12.34")),
    ("999999999999.99", Decimal("999999999999.99")),
])
def test_parse_money_reads_typed_and_spreadsheet_amounts(value: object, expected: Decimal
                                                         ) -> None:
    assert money.parse_money(value) == expected
    assert money.parse_money(value).as_tuple().exponent == -2


@pytest.mark.parametrize("value", [
    "-1", "abc", "", "NaN", "Infinity", "1e400", True, None, "1000000000000", "1 2x",
])
def test_parse_money_refuses_what_is_not_an_amount(value: object) -> None:
    with pytest.raises(money.InvalidMoney):
        money.parse_money(value)


def test_exact_parse_refuses_fractions_of_a_cent_instead_of_rounding() -> None:
    assert money.parse_money("12.30", exact=True) == Decimal("12.30")
    assert money.parse_money(12.3, exact=True) == Decimal("12.30")
    with pytest.raises(money.InvalidMoney):
        money.parse_money("12.345", exact=True)


def test_money_text_and_short_money() -> None:
    assert money.money_text(None) == "—"
    assert money.money_text(Decimal("1234567.5")) == "1,234,567.50"
    assert money.short_money(Decimal("436000000")) == "¥4.36亿"
    assert money.short_money(123000, "en") == "¥123.0k"
    assert money.short_money(-1234) == "-¥1,234"


def test_money_number_and_summed_money() -> None:
    assert money.money_number(None) is None
    assert money.money_number(Decimal("12.30")) == 12.3
    assert money.summed_money(None) == Decimal(0)
    assert money.summed_money(0.1) == Decimal("0.1")   # a SQLite float, exact as written
    assert money.summed_money(Decimal("5.00")) == Decimal("5.00")
    assert money.summed_money(3) == Decimal(3)
