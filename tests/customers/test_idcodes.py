"""Check characters of resident IDs (GB 11643) and credit codes (GB 32100), the generators used
for demo data, and the region table they rely on."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.regions import (
    ABROAD,
    CODE_BY_PROVINCE,
    MAJOR_CITIES,
    PROVINCE_BY_CODE,
    PROVINCE_CHOICES,
    PROVINCES,
    SHORT_NAME,
    canonical_province,
    province_for_code,
)
from services.customers.idcodes import (
    CREDIT_CHARSET,
    CREDIT_WEIGHTS,
    RESIDENT_WEIGHTS,
    credit_check_char,
    is_credit_code_shape,
    is_valid_credit_code,
    is_valid_resident_checksum,
    make_credit_code,
    make_resident_id,
    org_code_check_char,
    resident_birth_date,
    resident_check_char,
    resident_is_male,
)

SPEC_PROVINCE_CODES = {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
                       *range(50, 55), *range(61, 66), 71, 81, 82}
RESIDENT_CHARS = "0123456789X"

# Published examples: the standard's own, and real companies' public registration codes.
VALID_RESIDENT_IDS = ["11010519491231002X", "440524188001010014"]
VALID_CREDIT_CODES = [
    "91350100M000100Y43",
    "914403001922038216",
    "91440300708461136T",
    "91110000802100433B",
    "91330100716105852F",
]

province_codes = st.sampled_from(sorted(SPEC_PROVINCE_CODES))
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))
seeds = st.integers(min_value=0, max_value=2**32)


# ---- resident ID ----------------------------------------------------------------------------


def test_resident_weights_are_the_standard_table() -> None:
    assert RESIDENT_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("code", VALID_RESIDENT_IDS)
def test_published_resident_ids_are_valid(code: str) -> None:
    assert resident_check_char(code[:17]) == code[17]
    assert is_valid_resident_checksum(code)


@pytest.mark.parametrize("code", [
    "110105194912310021",   # wrong check character
    "11010519491231002x",   # lower-case x is not the stored form
    "11010519491231002",    # 17 characters
    "11010519491231002X0",  # 19 characters
    "1101051949123100AX",   # letter in the body
    "",
])
def test_bad_resident_ids_fail_the_checksum(code: str) -> None:
    assert not is_valid_resident_checksum(code)


def test_resident_check_char_needs_17_digits() -> None:
    with pytest.raises(ValueError):
        resident_check_char("1234")
    with pytest.raises(ValueError):
        resident_check_char("1101051949123100A")


def test_resident_birth_date() -> None:
    assert resident_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert resident_birth_date("110105194902300012") is None  # 30 February
    assert resident_birth_date("1101051949") is None


@given(province_codes, births, seeds, st.booleans())
def test_generated_resident_ids_are_valid(code: int, birth: date, seed: int, male: bool) -> None:
    value = make_resident_id(random.Random(seed), code, birth, male=male)
    assert len(value) == 18
    assert value[:17].isdigit()
    assert int(value[:2]) == code
    assert resident_birth_date(value) == birth
    assert resident_is_male(value) is male
    assert is_valid_resident_checksum(value)


@given(province_codes, births, seeds, st.data())
def test_any_other_resident_check_char_is_rejected(code: int, birth: date, seed: int,
                                                   data: st.DataObject) -> None:
    value = make_resident_id(random.Random(seed), code, birth)
    wrong = data.draw(st.sampled_from([c for c in RESIDENT_CHARS if c != value[17]]))
    assert not is_valid_resident_checksum(value[:17] + wrong)


@given(province_codes, births, seeds, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_detected(code: int, birth: date, seed: int, pos: int,
                                             delta: int) -> None:
    value = make_resident_id(random.Random(seed), code, birth)
    changed = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1:]
    assert not is_valid_resident_checksum(changed)


def test_make_resident_id_rejects_unknown_province() -> None:
    with pytest.raises(ValueError):
        make_resident_id(random.Random(1), 99, date(1990, 1, 1))
    with pytest.raises(ValueError):
        make_resident_id(random.Random(1), 44, date(1899, 12, 31))


def test_make_resident_id_is_reproducible() -> None:
    a = make_resident_id(random.Random(42), 44, date(1990, 3, 7))
    b = make_resident_id(random.Random(42), 44, date(1990, 3, 7))
    assert a == b
    assert a.startswith("4401") and a[6:14] == "19900307"


# ---- unified social credit code -------------------------------------------------------------


def test_credit_alphabet_and_weights() -> None:
    assert len(CREDIT_CHARSET) == 31
    assert not set("IOZSV") & set(CREDIT_CHARSET)
    assert CREDIT_WEIGHTS[:6] == (1, 3, 9, 27, 19, 26)
    assert CREDIT_WEIGHTS[-1] == 28


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_published_credit_codes_are_valid(code: str) -> None:
    assert credit_check_char(code[:17]) == code[17]
    assert is_valid_credit_code(code)
    # The organisation code inside carries its own GB 11714 check character.
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("code", [
    "91350100M000100Y42",   # wrong check character
    "91350100M000100Y4",    # 17 characters
    "91350100M000100Y433",  # 19 characters
    "91350100I000100Y43",   # I is not in the alphabet
    "91350100m000100y43",   # lower case is not the stored form
])
def test_bad_credit_codes_are_rejected(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_credit_shape() -> None:
    assert is_credit_code_shape("91350100M000100Y40")
    assert not is_credit_code_shape("91350100O000100Y40")
    with pytest.raises(ValueError):
        credit_check_char("91350100O000100Y4")


@given(seeds, st.booleans(), st.one_of(st.none(), province_codes))
def test_generated_credit_codes_are_valid(seed: int, institution: bool,
                                          province: int | None) -> None:
    code = make_credit_code(random.Random(seed), province_code=province, institution=institution)
    assert is_valid_credit_code(code)
    assert org_code_check_char(code[8:16]) == code[16]
    assert int(code[2:4]) in SPEC_PROVINCE_CODES
    if province is not None:
        assert int(code[2:4]) == province
    expected_authority = ("1", "5") if institution else ("9",)
    assert code[0] in expected_authority


@given(seeds, st.data())
def test_any_other_credit_check_char_is_rejected(seed: int, data: st.DataObject) -> None:
    code = make_credit_code(random.Random(seed))
    wrong = data.draw(st.sampled_from([c for c in CREDIT_CHARSET if c != code[17]]))
    assert not is_valid_credit_code(code[:17] + wrong)


@given(seeds, st.integers(0, 16), st.data())
def test_any_single_credit_char_change_is_detected(seed: int, pos: int,
                                                   data: st.DataObject) -> None:
    code = make_credit_code(random.Random(seed))
    other = data.draw(st.sampled_from([c for c in CREDIT_CHARSET if c != code[pos]]))
    assert not is_valid_credit_code(code[:pos] + other + code[pos + 1:])


def test_make_credit_code_rejects_unknown_province() -> None:
    with pytest.raises(ValueError):
        make_credit_code(random.Random(1), province_code=10)


# ---- regions --------------------------------------------------------------------------------


def test_the_34_divisions_and_their_codes() -> None:
    assert len(PROVINCES) == 34
    assert len(set(PROVINCES)) == 34
    assert set(PROVINCE_BY_CODE) == SPEC_PROVINCE_CODES
    assert (*PROVINCES, "国外") == PROVINCE_CHOICES
    assert ABROAD == "国外"
    for code, name in PROVINCE_BY_CODE.items():
        assert CODE_BY_PROVINCE[name] == code
        assert province_for_code(code) == name
    assert province_for_code(10) is None
    assert province_for_code(83) is None


@pytest.mark.parametrize(("code", "name"), [
    (11, "北京市"), (12, "天津市"), (15, "内蒙古自治区"), (23, "黑龙江省"), (31, "上海市"),
    (44, "广东省"), (45, "广西壮族自治区"), (50, "重庆市"), (54, "西藏自治区"),
    (64, "宁夏回族自治区"), (65, "新疆维吾尔自治区"), (71, "台湾省"), (81, "香港特别行政区"),
    (82, "澳门特别行政区"),
])
def test_known_codes(code: int, name: str) -> None:
    assert PROVINCE_BY_CODE[code] == name


@pytest.mark.parametrize("full", PROVINCES)
def test_every_full_and_short_form_is_canonical(full: str) -> None:
    assert canonical_province(full) == full
    assert canonical_province(SHORT_NAME[full]) == full
    assert SHORT_NAME[full] != full


def test_every_province_has_a_few_real_cities() -> None:
    assert set(MAJOR_CITIES) == set(PROVINCE_CHOICES)
    for province, cities in MAJOR_CITIES.items():
        assert 1 <= len(cities) <= 6, province
        assert len(set(cities)) == len(cities)
        if province not in ("北京市", "天津市", "上海市", "重庆市", "香港特别行政区",
                            "澳门特别行政区"):
            assert len(cities) >= 3, province
    assert "深圳市" in MAJOR_CITIES["广东省"]
    assert MAJOR_CITIES["北京市"] == ("北京市",)


@settings(max_examples=50)
@given(seeds)
def test_generated_ids_match_their_province(seed: int) -> None:
    rng = random.Random(seed)
    code = rng.choice(sorted(PROVINCE_BY_CODE))
    value = make_resident_id(rng, code, date(1980, 1, 1))
    assert province_for_code(int(value[:2])) == PROVINCE_BY_CODE[code]
