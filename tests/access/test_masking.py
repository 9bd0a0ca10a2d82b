"""Masking (spec: Roles, "Masking"): 手机号 138****5678, 邮箱 z***@example.cn, 证件号码 first 4 and
last 4. A mask must never reveal more than that, whatever the value looks like."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.access.masking import mask_email, mask_id_number, mask_mobile

mainland_mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
any_text = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)


def revealed(masked: str) -> str:
    return masked.replace("*", "").replace("+", "")


# ---- examples -------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("13812345678", "138****5678"),
    ("+85291234567", "+852****4567"),
    ("+447911123456", "+447*****3456"),
    (" 13812345678 ", "138****5678"),
    ("12345678", "12****78"),
    ("1234", "1**4"),
    ("123", "***"),
    ("", ""),
    (None, None),
])
def test_mask_mobile(value: str | None, expected: str | None) -> None:
    assert mask_mobile(value) == expected


def test_mask_mobile_keeps_configured_ends() -> None:
    assert mask_mobile("13812345678", keep_prefix=3, keep_suffix=2) == "138******78"
    # A configuration that would leave fewer than four digits hidden falls back to a quarter.
    assert mask_mobile("13812345678", keep_prefix=5, keep_suffix=4) == "13*******78"


@pytest.mark.parametrize(("value", "expected"), [
    ("zhangsan@example.cn", "z***@example.cn"),
    ("Zhang.San@Example.CN", "Z***@Example.CN"),
    ("ab@example.cn", "a***@example.cn"),
    ("z@example.cn", "***@example.cn"),  # a one-letter mailbox is not shown at all
    ("a@b@example.cn", "a***@example.cn"),
    ("no-at-sign", "n***"),
    ("abc", "***"),
    ("", ""),
    (None, None),
])
def test_mask_email(value: str | None, expected: str | None) -> None:
    assert mask_email(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("11010519491231002X", "1101**********002X"),
    ("91350100M000100Y43", "9135**********0Y43"),
    ("1101051949123", "110*******123"),
    ("12345", "1***5"),
    ("123", "***"),
    ("", ""),
    (None, None),
])
def test_mask_id_number(value: str | None, expected: str | None) -> None:
    assert mask_id_number(value) == expected


def test_mask_id_number_never_shows_the_birth_date_even_when_configured_to() -> None:
    masked = mask_id_number("11010519491231002X", keep_prefix=10, keep_suffix=8)
    assert masked is not None
    assert set(masked[6:14]) == {"*"}
    assert "19491231" not in masked


# ---- properties -----------------------------------------------------------------------------


@given(mainland_mobiles)
def test_mainland_mobile_mask_is_exactly_3_and_4(mobile: str) -> None:
    masked = mask_mobile(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]


@given(any_text)
def test_mobile_mask_reveals_at_most_seven_and_only_the_ends(value: str) -> None:
    masked = mask_mobile(value)
    assert masked is not None
    body = value[1:] if value.startswith("+") else value
    shown = revealed(masked)
    assert len(masked) == len(value)
    assert len(shown) <= 7
    if len(body) < 11:
        assert len(shown) <= len(body) // 2
    else:
        assert masked.count("*") >= 4
    # What is shown is the value's own start and end, in place.
    for i, ch in enumerate(masked):
        if ch != "*":
            assert value[i] == ch


@given(st.emails())
def test_email_mask_shows_one_character_before_the_at_sign(email: str) -> None:
    masked = mask_email(email)
    assert masked is not None
    local, _, domain = email.rpartition("@")
    masked_local, _, masked_domain = masked.rpartition("@")
    assert masked_domain == domain
    assert masked_local in ("***", local[0] + "***")
    assert len(revealed(masked_local)) <= 1


@given(st.text(min_size=1, max_size=30, alphabet="abcdefghij.").filter(lambda s: len(s) > 1))
def test_email_mask_does_not_reveal_local_part_length(local: str) -> None:
    assert mask_email(local + "@example.cn") == local[0] + "***@example.cn"


@given(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True))
def test_id_mask_of_18_characters(code: str) -> None:
    masked = mask_id_number(code)
    assert masked == code[:4] + "*" * 10 + code[-4:]


@given(any_text, st.integers(0, 20), st.integers(0, 20))
def test_id_mask_never_reveals_more_than_allowed(value: str, keep_prefix: int,
                                                 keep_suffix: int) -> None:
    masked = mask_id_number(value, keep_prefix=keep_prefix, keep_suffix=keep_suffix)
    assert masked is not None
    assert len(masked) == len(value)
    shown = masked.replace("*", "")
    assert len(shown) <= min(10, len(value) // 2)
    if len(value) >= 18:  # the birth date of a resident ID
        assert set(masked[6:14]) <= {"*"}
    elif len(value) >= 15:  # the YYMMDD of an old 15-digit ID
        assert set(masked[6:12]) <= {"*"}
    for i, ch in enumerate(masked):
        if ch != "*":
            assert value[i] == ch
