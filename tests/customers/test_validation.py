"""Every rule of the spec's field table (customer-record.md, "Fields"), with the exact stored
forms, plus property tests: accepted spellings normalise to one value, normalising twice changes
nothing, and the fast paths agree with phonenumbers / email-validator."""

from __future__ import annotations

import random
import re
import string
from datetime import date, timedelta
from decimal import Decimal

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.fields import (
    CLOSED_FIELDS,
    DEFAULT_INDUSTRIES,
    FIELD_BY_KEY,
    FIELD_KEYS,
    FIELDS,
    HEADERS,
    allowed_values,
    match_header,
)
from core.i18n import t
from core.i18n.validation import MESSAGES
from core.regions import PROVINCE_CHOICES, PROVINCES, SHORT_NAME
from core.vocab import CustomerType, Gender, Source, Tier
from services.access.masking import format_phone
from services.customers import validation as v
from services.customers.idcodes import make_credit_code, make_resident_id, resident_check_char
from services.customers.validation import (
    CustomerInput,
    FieldError,
    FieldValidationError,
    ValidationContext,
    check_field,
    validate_customer,
)

TODAY = date(2026, 5, 20)
USERS = {"alice": 1, "王经理": 2, "wang.li": 3}
CTX = ValidationContext(industries=DEFAULT_INDUSTRIES, users=USERS, today=TODAY)

VALID_ID = "11010519491231002X"
VALID_CREDIT = "91350100M000100Y43"


def error_of(func, *args: object) -> FieldError:
    """The FieldError a normaliser raises (the test fails if it accepts the value)."""
    with pytest.raises(FieldValidationError) as info:
        func(*args)
    return info.value.error


def resident(body17: str) -> str:
    return body17 + resident_check_char(body17)


# ---- the field table ------------------------------------------------------------------------


def test_fields_in_spec_order() -> None:
    assert HEADERS == ("客户编号", "客户名称", "客户类型", "性别", "手机号", "固定电话", "邮箱",
                       "证件号码", "公司名称", "职位", "行业", "省份", "城市", "详细地址",
                       "客户等级", "标签", "客户经理", "来源渠道", "备注")
    assert FIELD_KEYS == ("customer_no", "name", "customer_type", "gender", "mobile", "phone",
                          "email", "id_number", "company", "title", "industry", "province",
                          "city", "address", "tier", "tags", "account_manager", "source",
                          "notes")


def test_closed_fields_and_their_values() -> None:
    assert set(CLOSED_FIELDS) == {"customer_type", "gender", "industry", "province", "tier",
                                  "source"}
    assert allowed_values("customer_type") == ("个人", "企业", "机构")
    assert allowed_values("gender") == ("男", "女")
    assert allowed_values("tier") == ("白银", "黄金", "铂金", "钻石")
    assert allowed_values("source") == ("表单", "电话", "在线", "拜访", "转介绍", "其他")
    assert allowed_values("province") == PROVINCE_CHOICES
    assert len(allowed_values("province")) == 35
    assert allowed_values("industry") == ("金融", "科技", "教育", "医疗", "制造", "零售", "政府",
                                          "其他")
    assert allowed_values("industry", ["能源", "物流"]) == ("能源", "物流")


def test_lengths_in_the_table() -> None:
    limits = {k: FIELD_BY_KEY[k].max_length for k in
              ("customer_no", "name", "company", "title", "city", "address", "notes")}
    assert limits == {"customer_no": 32, "name": 100, "company": 200, "title": 50, "city": 50,
                      "address": 200, "notes": 2000}
    assert [f.key for f in FIELDS if f.required] == ["name"]


@pytest.mark.parametrize(("header", "key"), [
    *[(f.header, f.key) for f in FIELDS],
    *[(f.key, f.key) for f in FIELDS],
    *[(f.key.upper(), f.key) for f in FIELDS],
    *[(f.label_en, f.key) for f in FIELDS],
    ("姓名", "name"), ("客户名称", "name"), ("name", "name"), ("Name", "name"),
    ("手机", "mobile"), ("手机号", "mobile"), ("联系电话", "mobile"), ("mobile", "mobile"),
    ("MOBILE", "mobile"), ("手机号码", "mobile"),
    ("电子邮件", "email"), ("邮箱", "email"), ("Email", "email"), ("email", "email"),
    ("E-mail", "email"), ("电话", "phone"), ("座机", "phone"), ("身份证号", "id_number"),
    ("统一社会信用代码", "id_number"), ("Customer No.", "customer_no"), ("编号", "customer_no"),
    ("地址", "address"), ("等级", "tier"), ("来源", "source"), ("负责人", "account_manager"),
    ("Account Manager", "account_manager"), ("account-manager", "account_manager"),
    (" 手机号 ", "mobile"), ("*客户名称", "name"), ("客户名称（必填）", "name"),
    ("手机号(选填)", "mobile"), ("ＥＭＡＩＬ", "email"),
])
def test_match_header(header: str, key: str) -> None:
    assert match_header(header) == key


@pytest.mark.parametrize("header", ["序号", "", "   ", "备注2x", "客户 编号 2", "id", "微信", None])
def test_unknown_headers(header: str | None) -> None:
    assert match_header(header) is None


# ---- messages -------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_field_has_a_label_in_both_languages() -> None:
    for f in FIELDS:
        assert t(f"field.{f.key}", "zh") == f.header
        assert t(f"field.{f.key}", "en") == f.label_en
    assert t("field.mobile", "zh") == "手机号"
    assert t("field.mobile", "en") == "Mobile"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_messages_exist_in_both_languages_with_the_same_placeholders(key: str) -> None:
    zh, en = MESSAGES[key]
    assert zh.strip() and en.strip()
    assert zh != en or key.startswith("field.")
    assert set(_PLACEHOLDER.findall(zh)) == set(_PLACEHOLDER.findall(en))
    if key.startswith("validation."):
        assert "{field}" in zh


def test_message_names_the_field_and_says_what_is_expected() -> None:
    error = check_field("mobile", "1381234", CTX)[1]
    assert error == FieldError("mobile", "validation.mobile.invalid", {"value": "1381234"})
    assert error.message("zh").startswith(
        "手机号：“1381234” 不是有效的手机号码，应为 11 位中国大陆手机号（如 13812345678）"
        "或带国家码的号码")
    assert error.message("en").startswith("Mobile: “1381234” is not a valid mobile number")
    assert error.message() == error.message("zh")


def test_list_params_are_joined_per_language() -> None:
    error = check_field("industry", "农业", CTX)[1]
    assert error is not None
    assert "应为以下之一：金融、科技、教育、医疗、制造、零售、政府、其他" in error.message("zh")
    assert "金融, 科技, 教育, 医疗, 制造, 零售, 政府, 其他" in error.message("en")


def test_long_values_are_cut_in_messages() -> None:
    error = error_of(v.normalize_province, "火星" * 100)
    assert len(str(error.params["value"])) == 40
    assert str(error.params["value"]).endswith("…")


def test_exception_carries_the_error() -> None:
    with pytest.raises(FieldValidationError) as info:
        v.normalize_email("nope")
    assert isinstance(info.value, ValueError)
    assert info.value.error.field == "email"
    assert "Email" in str(info.value)


# ---- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("", None), ("   ", None), ("\u3000\t\n", None), (float("nan"), None),
    (Decimal("NaN"), None), (" a ", "a"), (13812345678.0, "13812345678"),
    (13812345678, "13812345678"), (Decimal("13812345678.00"), "13812345678"), (1.5, "1.5"),
    (0, "0"), (True, "True"),
])
def test_cell_text(value: object, expected: str | None) -> None:
    assert v.cell_text(value) == expected


def test_pandas_missing_values_are_blank() -> None:
    class NAType:  # what pandas.NA looks like to us, without importing pandas
        def __bool__(self) -> bool:
            raise TypeError("boolean value of NA is ambiguous")

    assert v.cell_text(NAType()) is None


# ---- 客户编号 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("", None), ("  ", None), (float("nan"), None),
    ("C2026000123", "C2026000123"), ("c2026000123", "C2026000123"), (" AB-12 ", "AB-12"),
    ("X" * 32, "X" * 32), ("1", "1"), (123.0, "123"), (2026, "2026"), ("-", "-"),
])
def test_customer_no(value: object, expected: str | None) -> None:
    assert v.normalize_customer_no(value) == expected


@pytest.mark.parametrize("value", ["X" * 33, "C 2026", "C_2026", "编号1", "C2026.1", "Ｃ2026",
                                   "C2026/1", 1.5])
def test_customer_no_rejected(value: object) -> None:
    error = error_of(v.normalize_customer_no, value)
    assert (error.field, error.key) == ("customer_no", "validation.customer_no.invalid")


# ---- 客户名称 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("张三", "张三"), ("  张三  ", "张三"), ("张  三", "张 三"), ("张\u3000\u3000三", "张 三"),
    ("Li\t \nLei", "Li Lei"), ("某某 科技   有限公司", "某某 科技 有限公司"),
    ("名" * 100, "名" * 100), (12345, "12345"),
])
def test_name(value: object, expected: str) -> None:
    assert v.normalize_name(value) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", float("nan")])
def test_name_required(value: object) -> None:
    error = error_of(v.normalize_name, value)
    assert error == FieldError("name", "validation.required", {})
    assert error.message("zh") == "客户名称：必填，不能为空"


def test_name_too_long_counted_after_collapsing() -> None:
    assert v.normalize_name(" " + "名" * 50 + "   " + "名" * 49 + " ") == \
        "名" * 50 + " " + "名" * 49
    error = error_of(v.normalize_name, "名" * 101)
    assert error == FieldError("name", "validation.too_long", {"length": 101, "max": 100})
    assert error.message("zh") == "客户名称：共 101 个字符，最多 100 个字符"


# ---- 客户类型 / 性别 / 客户等级 / 来源渠道 ------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("个人", CustomerType.PERSONAL), ("企业", CustomerType.ENTERPRISE),
    ("机构", CustomerType.INSTITUTION), ("personal", CustomerType.PERSONAL),
    ("Personal", CustomerType.PERSONAL), ("PERSONAL", CustomerType.PERSONAL),
    ("enterprise", CustomerType.ENTERPRISE), ("ENTERPRISE", CustomerType.ENTERPRISE),
    ("institution", CustomerType.INSTITUTION), ("InStItUtIoN", CustomerType.INSTITUTION),
    (" 企业 ", CustomerType.ENTERPRISE), (None, CustomerType.PERSONAL),
    ("", CustomerType.PERSONAL), ("  ", CustomerType.PERSONAL),
    (CustomerType.INSTITUTION, CustomerType.INSTITUTION),
])
def test_customer_type(value: object, expected: CustomerType) -> None:
    assert v.normalize_customer_type(value) is expected


@pytest.mark.parametrize("value", ["公司", "个体", "company", "person", "individual", "1"])
def test_customer_type_rejected(value: str) -> None:
    error = error_of(v.normalize_customer_type, value)
    assert (error.field, error.key) == ("customer_type", "validation.customer_type.invalid")


@pytest.mark.parametrize(("value", "expected"), [
    ("男", Gender.MALE), ("女", Gender.FEMALE), ("male", Gender.MALE), ("Male", Gender.MALE),
    ("MALE", Gender.MALE), ("female", Gender.FEMALE), ("FEMALE", Gender.FEMALE),
    ("M", Gender.MALE), ("m", Gender.MALE), ("F", Gender.FEMALE), ("f", Gender.FEMALE),
    (" 女 ", Gender.FEMALE), (None, None), ("", None),
])
def test_gender(value: object, expected: Gender | None) -> None:
    assert v.normalize_gender(value) == expected


@pytest.mark.parametrize("value", ["男性", "先生", "x", "1", "man", "woman", "未知"])
def test_gender_rejected(value: str) -> None:
    assert error_of(v.normalize_gender, value).key == "validation.gender.invalid"


@pytest.mark.parametrize(("value", "expected"), [
    ("白银", Tier.SILVER), ("黄金", Tier.GOLD), ("铂金", Tier.PLATINUM), ("钻石", Tier.DIAMOND),
    ("silver", Tier.SILVER), ("Gold", Tier.GOLD), ("PLATINUM", Tier.PLATINUM),
    ("diamond", Tier.DIAMOND), (None, None), ("", None),
])
def test_tier(value: object, expected: Tier | None) -> None:
    assert v.normalize_tier(value) == expected


@pytest.mark.parametrize("value", ["青铜", "普通", "bronze", "vip", "金"])
def test_tier_rejected(value: str) -> None:
    assert error_of(v.normalize_tier, value).key == "validation.tier.invalid"


@pytest.mark.parametrize("source", list(Source))
def test_source(source: Source) -> None:
    assert v.normalize_source(source.value) is source
    assert v.normalize_source(f" {source.value} ") is source


@pytest.mark.parametrize("value", ["微信", "广告", "online", "form", "朋友介绍"])
def test_source_rejected(value: str) -> None:
    assert error_of(v.normalize_source, value).key == "validation.source.invalid"


def test_source_blank() -> None:
    assert v.normalize_source(None) is None
    assert v.normalize_source("") is None


# ---- 手机号 -----------------------------------------------------------------------------------

MOBILE_SPELLINGS = [
    "13812345678", " 13812345678 ", "138 1234 5678", "138-1234-5678", "(138) 1234-5678",
    "+8613812345678", "+86 138 1234 5678", "+86-138-1234-5678", "(+86) 138 1234 5678",
    "0086 13812345678", "0086-138-1234-5678", "008613812345678", "86-13812345678",
    "86-138-1234-5678", "１３８１２３４５６７８", "＋８６ １３８－１２３４－５６７８",
    "（138）1234 5678", "138\u30001234\u30005678", 13812345678, 13812345678.0,
    Decimal("13812345678"),
]


@pytest.mark.parametrize("value", MOBILE_SPELLINGS)
def test_mobile_spellings(value: object) -> None:
    assert v.normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(("value", "expected"), [
    ("+852 9123 4567", "+85291234567"),
    ("+85291234567", "+85291234567"),
    ("+44 7911 123456", "+447911123456"),
    ("+853 6612 3456", "+85366123456"),
    ("199 1234 5678", "19912345678"),
    ("17012345678", "17012345678"),
])
def test_mobile_stored_forms(value: str, expected: str) -> None:
    assert v.normalize_mobile(value) == expected


@pytest.mark.parametrize(("value", "key"), [
    ("1381234", "validation.mobile.invalid"),
    ("138123456789", "validation.mobile.invalid"),
    ("12345678901", "validation.mobile.invalid"),
    ("14012345678", "validation.mobile.invalid"),
    ("+86 138 1234 567", "validation.mobile.invalid"),
    ("---", "validation.mobile.invalid"),
    ("+86", "validation.mobile.invalid"),
    ("+999 1234 5678", "validation.mobile.invalid"),
    ("010-12345678", "validation.mobile.landline"),
    ("(020) 8765 4321", "validation.mobile.landline"),
    ("+852 2123 4567", "validation.mobile.landline"),
    ("138abc45678", "validation.number_chars"),
    ("1-800-FLOWERS", "validation.number_chars"),
    ("1381234567O", "validation.number_chars"),   # letter O for zero
    ("138.1234.5678", "validation.number_chars"),
    ("138 1234 5678 ext 1", "validation.number_chars"),
    ("138+12345678", "validation.number_chars"),
    ("手机13812345678", "validation.number_chars"),
])
def test_mobile_rejected(value: str, key: str) -> None:
    error = error_of(v.normalize_mobile, value)
    assert (error.field, error.key) == ("mobile", key)
    assert error.params["value"] == value


def test_mobile_landline_message_points_to_phone() -> None:
    error = error_of(v.normalize_mobile, "010-12345678")
    assert error.message("zh") == \
        "手机号：“010-12345678” 是固定电话号码，不是手机号码，请填写在“固定电话”中"


def test_mobile_blank() -> None:
    for blank in (None, "", "  ", float("nan")):
        assert v.normalize_mobile(blank) is None


# ---- 固定电话 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("010-12345678", "+861012345678"),
    ("01012345678", "+861012345678"),
    ("(010) 1234 5678", "+861012345678"),
    ("+86 10 1234 5678", "+861012345678"),
    ("0086-10-12345678", "+861012345678"),
    ("86-10-12345678", "+861012345678"),
    ("020-8765 4321", "+862087654321"),
    ("0755-2345 6789", "+8675523456789"),
    ("０２１－６２３４５６７８", "+862162345678"),
    ("13812345678", "+8613812345678"),
    (13812345678.0, "+8613812345678"),
    ("+852 2123 4567", "+85221234567"),
    ("+852 9123 4567", "+85291234567"),
    (None, None),
    ("", None),
])
def test_phone(value: object, expected: str | None) -> None:
    assert v.normalize_phone(value) == expected


@pytest.mark.parametrize(("value", "key"), [
    ("12345", "validation.phone.invalid"),
    ("010-1234", "validation.phone.invalid"),
    ("400-812-3456", "validation.phone.invalid"),  # not a landline or a mobile
    ("010-1234567a", "validation.number_chars"),
    ("010 1234 5678 转 8001", "validation.number_chars"),
])
def test_phone_rejected(value: str, key: str) -> None:
    error = error_of(v.normalize_phone, value)
    assert (error.field, error.key) == ("phone", key)


@pytest.mark.parametrize(("stored", "shown"), [
    ("+861012345678", "010 1234 5678"),
    ("+8613812345678", "138 1234 5678"),
    ("13812345678", "138 1234 5678"),
    ("+85221234567", "+852 2123 4567"),
    ("garbage", "garbage"),
    (None, None),
    ("", ""),
])
def test_format_phone(stored: str | None, shown: str | None) -> None:
    assert format_phone(stored) == shown


# ---- 邮箱 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("zhangsan@example.cn", "zhangsan@example.cn"),
    ("  Zhang.San@Example.CN  ", "zhang.san@example.cn"),
    ("USER+tag@Mail.Company.com.cn", "user+tag@mail.company.com.cn"),
    ("a_b-c@sub-domain.example.org", "a_b-c@sub-domain.example.org"),
    ("张三@例子.中国", "张三@例子.中国"),
    (None, None),
    ("", None),
])
def test_email(value: object, expected: str | None) -> None:
    assert v.normalize_email(value) == expected


@pytest.mark.parametrize("value", ["zhangsan", "zhangsan@", "@example.cn", "a@@example.cn",
                                   "a..b@example.cn", ".a@example.cn", "a b@example.cn",
                                   "a@example", "a@localhost", "a@-example.cn",
                                   "张三 <zs@example.cn>", "a@example..cn"])
def test_email_rejected(value: str) -> None:
    error = error_of(v.normalize_email, value)
    assert (error.field, error.key) == ("email", "validation.email.invalid")
    assert "name@example.com" in error.message("zh")


# ---- 证件号码 ---------------------------------------------------------------------------------


def test_resident_id_accepted_and_x_upper_cased() -> None:
    assert v.normalize_id_number(VALID_ID, CustomerType.PERSONAL, TODAY) == VALID_ID
    assert v.normalize_id_number(VALID_ID.lower(), "个人", TODAY) == VALID_ID
    assert v.normalize_id_number(f"  {VALID_ID}  ", None, TODAY) == VALID_ID
    full_width = "１１０１０５１９４９１２３１００２ｘ"
    assert v.normalize_id_number(full_width, "personal", TODAY) == VALID_ID


def test_standard_example_born_before_1900_is_rejected() -> None:
    error = error_of(v.normalize_id_number, "440524188001010014", "个人", TODAY)
    assert error.key == "validation.id_number.resident_birth"


def test_resident_id_numeric_cell_exact_is_accepted() -> None:
    digits_only = next(code for code in (resident(f"4401031990030712{i}") for i in range(10))
                       if code[-1] != "X")
    assert v.normalize_id_number(int(digits_only), "个人", TODAY) == digits_only


def test_resident_id_county_code_is_not_checked() -> None:
    code = resident("11999919900307123")  # county 9999 does not exist
    assert v.normalize_id_number(code, "个人", TODAY) == code


@pytest.mark.parametrize("birth", [date(1900, 1, 1), TODAY, date(2000, 2, 29)])
def test_resident_birth_range_edges_accepted(birth: date) -> None:
    code = resident(f"110105{birth:%Y%m%d}123")
    assert v.normalize_id_number(code, "个人", TODAY) == code


@pytest.mark.parametrize("birth8", ["18991231", "20260521", "20990101", "19490230", "19491301",
                                    "19490000", "20010229"])
def test_resident_birth_rejected(birth8: str) -> None:
    code = resident(f"110105{birth8}123")
    error = error_of(v.normalize_id_number, code, "个人", TODAY)
    assert (error.field, error.key) == ("id_number", "validation.id_number.resident_birth")


def test_resident_birth_today_uses_the_real_date_by_default() -> None:
    tomorrow = date.today() + timedelta(days=1)
    code = resident(f"110105{tomorrow:%Y%m%d}123")
    error = error_of(v.normalize_id_number, code, "个人")
    assert error.key == "validation.id_number.resident_birth"


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "24", "30", "38", "40", "47", "49",
                                      "55", "60", "66", "70", "72", "80", "84", "91", "99"])
def test_resident_province_rejected(province: str) -> None:
    code = resident(f"{province}010519900307123")
    error = error_of(v.normalize_id_number, code, "个人", TODAY)
    assert error.key == "validation.id_number.resident_province"
    assert error.params["code"] == province


@pytest.mark.parametrize("province", ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54",
                                      "61", "65", "71", "81", "82", "83"])
def test_resident_province_accepted(province: str) -> None:
    code = resident(f"{province}010519900307123")
    assert v.normalize_id_number(code, "个人", TODAY) == code


def test_resident_checksum_rejected() -> None:
    wrong = VALID_ID[:17] + "1"
    error = error_of(v.normalize_id_number, wrong, "个人", TODAY)
    assert error.key == "validation.id_number.resident_checksum"


@pytest.mark.parametrize("value", ["11010519491231002", "11010519491231002X1", "1101051949123100AX",
                                   "11010519491231002Y", "110105 19491231 002X", "123"])
def test_resident_format_rejected(value: str) -> None:
    error = error_of(v.normalize_id_number, value, "个人", TODAY)
    assert error.key == "validation.id_number.resident_format"


def test_id_messages_mask_the_number() -> None:
    wrong = VALID_ID[:17] + "1"
    error = error_of(v.normalize_id_number, wrong, "个人", TODAY)
    assert error.params["value"] == "1101**********0021"
    assert wrong not in error.message("zh")
    assert "19491231" not in error.message("en")


def test_resident_id_that_excel_turned_into_a_float() -> None:
    mangled = float(VALID_ID[:17] + "1")  # what a numeric cell gives back: digits lost
    error = error_of(v.normalize_id_number, mangled, "个人", TODAY)
    assert error.key == "validation.id_number.numeric_cell"


def test_credit_code_given_for_a_person() -> None:
    error = error_of(v.normalize_id_number, VALID_CREDIT, "个人", TODAY)
    assert error.key == "validation.id_number.looks_like_credit_code"


@pytest.mark.parametrize("ctype", ["企业", "机构", "enterprise", "Institution",
                                   CustomerType.ENTERPRISE])
def test_credit_code_accepted(ctype: object) -> None:
    assert v.normalize_id_number(VALID_CREDIT, ctype, TODAY) == VALID_CREDIT
    assert v.normalize_id_number(VALID_CREDIT.lower(), ctype, TODAY) == VALID_CREDIT


@pytest.mark.parametrize(("value", "key"), [
    ("91350100M000100Y42", "validation.id_number.credit_checksum"),
    ("91350100M000100Y4", "validation.id_number.credit_format"),
    ("91350100I000100Y43", "validation.id_number.credit_format"),
    ("91350100M000100Y43X", "validation.id_number.credit_format"),
    (VALID_ID, "validation.id_number.looks_like_resident_id"),
])
def test_credit_code_rejected(value: str, key: str) -> None:
    error = error_of(v.normalize_id_number, value, "企业", TODAY)
    assert (error.field, error.key) == ("id_number", key)


def test_resident_id_for_an_institution_names_the_type() -> None:
    error = error_of(v.normalize_id_number, VALID_ID, "机构", TODAY)
    assert error.params["customer_type"] == "机构"
    assert "客户类型为 机构" in error.message("zh")


def test_id_number_blank() -> None:
    assert v.normalize_id_number(None, "个人", TODAY) is None
    assert v.normalize_id_number("  ", "企业", TODAY) is None


# ---- text fields ----------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "func", "limit"), [
    ("company", v.normalize_company, 200),
    ("title", v.normalize_title, 50),
    ("city", v.normalize_city, 50),
    ("address", v.normalize_address, 200),
])
def test_text_lengths(key: str, func, limit: int) -> None:
    assert func("字" * limit) == "字" * limit
    assert func(f"  {'字' * limit}  ") == "字" * limit
    assert func(None) is None
    assert func("   ") is None
    error = error_of(func, "字" * (limit + 1))
    assert error == FieldError(key, "validation.too_long", {"length": limit + 1, "max": limit})


def test_notes_kept_exactly() -> None:
    text = "  第一行\n  第二行  \t"
    assert v.normalize_notes(text) == text
    assert v.normalize_notes("x" * 2000) == "x" * 2000
    assert v.normalize_notes(None) is None
    assert v.normalize_notes("") is None
    assert v.normalize_notes(" \n ") is None
    assert v.normalize_notes(12.0) == "12"
    error = error_of(v.normalize_notes, "x" * 2001)
    assert error == FieldError("notes", "validation.too_long", {"length": 2001, "max": 2000})


# ---- 行业 / 省份 -------------------------------------------------------------------------------


@pytest.mark.parametrize("industry", DEFAULT_INDUSTRIES)
def test_default_industries(industry: str) -> None:
    assert v.normalize_industry(industry, DEFAULT_INDUSTRIES) == industry
    assert v.normalize_industry(f" {industry} ", DEFAULT_INDUSTRIES) == industry


def test_configured_industries() -> None:
    configured = ["能源", "Logistics"]
    assert v.normalize_industry("能源", configured) == "能源"
    assert v.normalize_industry("logistics", configured) == "Logistics"
    assert v.normalize_industry(None, configured) is None
    error = error_of(v.normalize_industry, "金融", configured)
    assert error.key == "validation.industry.invalid"
    assert error.params["allowed"] == ("能源", "Logistics")
    assert error.message("zh") == "行业：“金融” 不在可选行业中，应为以下之一：能源、Logistics"


@pytest.mark.parametrize(("value", "expected"), [
    ("广东", "广东省"), ("广东省", "广东省"), ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("北京", "北京市"), ("北京市", "北京市"), ("上海", "上海市"), ("重庆", "重庆市"),
    ("天津", "天津市"), ("西藏", "西藏自治区"), ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"), ("香港", "香港特别行政区"), ("澳门", "澳门特别行政区"),
    ("台湾", "台湾省"), ("黑龙江", "黑龙江省"), ("海外", "国外"), ("国外", "国外"),
    (" 广东 ", "广东省"), ("香港特区", "香港特别行政区"), ("广西自治区", "广西壮族自治区"),
    (None, None), ("", None),
])
def test_province(value: object, expected: str | None) -> None:
    assert v.normalize_province(value) == expected


@pytest.mark.parametrize("full", PROVINCES)
def test_province_short_forms(full: str) -> None:
    assert v.normalize_province(SHORT_NAME[full]) == full
    assert v.normalize_province(full) == full


@pytest.mark.parametrize("value", ["广东省深圳市", "深圳", "Guangdong", "粤", "火星", "中国",
                                   "广", "东省", "国内"])
def test_province_rejected(value: str) -> None:
    error = error_of(v.normalize_province, value)
    assert (error.field, error.key) == ("province", "validation.province.invalid")


# ---- 标签 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("VIP", ["VIP"]),
    ("VIP,重要", ["VIP", "重要"]),
    ("VIP，重要、老客户;a；b|c", ["VIP", "重要", "老客户", "a", "b", "c"]),
    (" VIP , 重要 ,, ", ["VIP", "重要"]),
    ("a,a, a ,b,a", ["a", "b"]),
    ("b,a", ["b", "a"]),
    (",,，、;", []),
    ("VIP客户 一级", ["VIP客户 一级"]),
    (None, []),
    ("", []),
    (float("nan"), []),
    (2024.0, ["2024"]),
    (["a", "b,c", " a ", None], ["a", "b", "c"]),
    (("x",), ["x"]),
    ("签" * 20, ["签" * 20]),
])
def test_split_tags(value: object, expected: list[str]) -> None:
    assert v.split_tags(value) == expected


def test_tag_too_long() -> None:
    error = error_of(v.split_tags, "ok," + "签" * 21)
    assert error == FieldError("tags", "validation.tags.too_long",
                               {"value": "签" * 21, "length": 21, "max": 20})


# ---- 客户经理 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("alice", 1), ("Alice", 1), (" ALICE ", 1), ("王经理", 2), ("Wang.Li", 3), (None, None),
    ("", None),
])
def test_account_manager(value: object, expected: int | None) -> None:
    assert v.normalize_account_manager(value, USERS) == expected


@pytest.mark.parametrize("value", ["bob", "王", "alice2", "1"])
def test_account_manager_unknown(value: str) -> None:
    error = error_of(v.normalize_account_manager, value, USERS)
    assert (error.field, error.key) == ("account_manager", "validation.account_manager.unknown")


def test_account_manager_without_users() -> None:
    assert error_of(v.normalize_account_manager, "alice", {}).key == \
        "validation.account_manager.unknown"


# ---- whole records --------------------------------------------------------------------------


def test_full_record() -> None:
    raw = {
        "customer_no": "", "name": "  张  三 ", "customer_type": "Personal", "gender": "F",
        "mobile": 13812345678.0, "phone": "010-12345678", "email": " Zhang.San@Example.CN ",
        "id_number": VALID_ID.lower(), "company": " 某某科技有限公司 ", "title": "经理",
        "industry": "科技", "province": "广东", "city": "深圳市", "address": "深南大道 1 号",
        "tier": "gold", "tags": "VIP，重要、VIP", "account_manager": "Alice", "source": "转介绍",
        "notes": " 原样保存 ", "unknown column": "ignored",
    }
    result = validate_customer(raw, CTX)
    assert result.ok, result.messages()
    assert result.errors == []
    assert result.values == {
        "customer_no": None, "name": "张 三", "customer_type": CustomerType.PERSONAL,
        "gender": Gender.FEMALE, "mobile": "13812345678", "phone": "+861012345678",
        "email": "zhang.san@example.cn", "id_number": VALID_ID, "company": "某某科技有限公司",
        "title": "经理", "industry": "科技", "province": "广东省", "city": "深圳市",
        "address": "深南大道 1 号", "tier": Tier.GOLD, "tags": ["VIP", "重要"],
        "account_manager_id": 1, "source": Source.REFERRAL, "notes": " 原样保存 ",
    }
    assert isinstance(result.values["tier"], Tier)


def test_minimal_records() -> None:
    for contact in ({"mobile": "13812345678"}, {"phone": "010-12345678"},
                    {"email": "a@example.cn"}):
        result = validate_customer({"name": "李四", **contact}, CTX)
        assert result.ok, result.messages()
        assert result.values["customer_type"] is CustomerType.PERSONAL
        assert result.values["tags"] == []
        assert result.values["tier"] is None
        assert result.values["account_manager_id"] is None


@pytest.mark.parametrize("ctype", list(CustomerType))
@pytest.mark.parametrize("blank", [None, ""])
def test_blank_cells_skipped_by_the_record_check_give_what_their_checker_gives(
        ctype: CustomerType, blank: object) -> None:
    """``validate_customer`` does not call the checkers of ``BLANK_IS_NONE`` for an empty
    cell; each of them must give None for one, in any context."""
    empty = ValidationContext(industries=[], users={}, today=TODAY)
    for key in v.BLANK_IS_NONE:
        for ctx in (CTX, empty):
            assert check_field(key, blank, ctx, customer_type=ctype) == (None, None), key
    result = validate_customer({"name": "李四", "customer_type": ctype.value,
                                "mobile": "13812345678",
                                **dict.fromkeys(v.BLANK_IS_NONE - {"mobile"}, blank)}, CTX)
    assert result.ok and all(result.values[v.OUTPUT_KEYS.get(k, k)] is None
                             for k in v.BLANK_IS_NONE - {"mobile"})


def test_enterprise_record_uses_credit_code() -> None:
    result = validate_customer({"name": "某某有限公司", "customer_type": "enterprise",
                                "email": "info@example.cn", "id_number": VALID_CREDIT}, CTX)
    assert result.ok, result.messages()
    assert result.values["id_number"] == VALID_CREDIT
    rejected = validate_customer({"name": "某某有限公司", "customer_type": "企业",
                                  "email": "info@example.cn", "id_number": VALID_ID}, CTX)
    assert [e.key for e in rejected.errors] == ["validation.id_number.looks_like_resident_id"]


def test_record_needs_a_way_to_reach_the_customer() -> None:
    result = validate_customer({"name": "李四", "notes": "没有联系方式"}, CTX)
    assert not result.ok
    assert result.errors == [FieldError(None, "validation.contact_required", {})]
    assert result.errors[0].message("zh") == "联系方式：手机号、固定电话、邮箱至少填写一项"
    assert result.errors[0].message("en") == \
        "Contact: fill in at least one of Mobile, Phone or Email"


def test_invalid_contact_is_reported_once() -> None:
    result = validate_customer({"name": "李四", "mobile": "123"}, CTX)
    assert [(e.field, e.key) for e in result.errors] == [("mobile", "validation.mobile.invalid")]


def test_all_problems_are_reported_together() -> None:
    raw = {"name": " ", "gender": "x", "mobile": "abc", "email": "nope", "industry": "农业",
           "province": "火星", "tier": "青铜", "tags": "签" * 21, "account_manager": "bob",
           "source": "微信", "customer_no": "C 1", "company": "字" * 201}
    result = validate_customer(raw, CTX)
    assert not result.ok
    assert [e.field for e in result.errors] == [
        "customer_no", "name", "gender", "mobile", "email", "company", "industry", "province",
        "tier", "tags", "account_manager", "source"]
    assert "gender" not in result.values and "mobile" not in result.values
    assert len(result.messages("en")) == 12


def test_id_number_not_judged_against_an_invalid_type() -> None:
    result = validate_customer({"name": "李四", "mobile": "13812345678", "customer_type": "公司",
                                "id_number": VALID_CREDIT}, CTX)
    assert [e.field for e in result.errors] == ["customer_type"]
    assert "id_number" not in result.values


def test_customer_input_ok() -> None:
    assert CustomerInput().ok
    assert not CustomerInput(errors=[FieldError("name", "validation.required")]).ok


def test_is_blank_row() -> None:
    assert v.is_blank_row({})
    assert v.is_blank_row({"name": None, "mobile": "", "notes": "  ", "tags": [],
                           "phone": float("nan")})
    assert not v.is_blank_row({"name": None, "notes": "x"})
    assert not v.is_blank_row({"tags": ["a"]})
    assert not v.is_blank_row({"mobile": 0})


def test_check_field() -> None:
    assert check_field("mobile", "138 1234 5678", CTX) == ("13812345678", None)
    assert check_field("account_manager", "alice", CTX) == (1, None)
    assert check_field("id_number", VALID_CREDIT, CTX, customer_type="企业") == (VALID_CREDIT,
                                                                                 None)
    value, error = check_field("id_number", VALID_CREDIT, CTX)
    assert value is None and error is not None
    assert error.key == "validation.id_number.looks_like_credit_code"
    value, error = check_field("name", "", CTX)
    assert value is None and error == FieldError("name", "validation.required", {})


def test_form_and_import_give_the_same_message() -> None:
    """The single-field path and the whole-record path share one rule per field."""
    raw = {"name": "x", "mobile": "010-12345678", "email": "bad", "province": "火星"}
    record = validate_customer(raw, CTX)
    singles = [check_field(k, raw[k], CTX)[1] for k in ("mobile", "email", "province")]
    assert record.errors == singles


# ---- properties -----------------------------------------------------------------------------

mobiles = st.from_regex(r"1[38][0-9]{9}", fullmatch=True)
_FULL_WIDTH = str.maketrans("0123456789+-()", "０１２３４５６７８９＋－（）")


@st.composite
def spelled_mobiles(draw: st.DrawFn) -> tuple[str, object]:
    """A mainland mobile and one way a person or a spreadsheet might hand it to us."""
    number = draw(mobiles)
    kind = draw(st.sampled_from(["text", "int", "float"]))
    if kind == "int":
        return number, int(number)
    if kind == "float":
        return number, float(number)
    sep = draw(st.sampled_from(["", " ", "-", "  ", "\u3000"]))
    head = number[:3]
    if draw(st.booleans()):
        head = f"({head})"
    body = sep.join([head, number[3:7], number[7:]])
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "+86-", "(+86)", "(+86) ", "0086",
                                   "0086 ", "0086-", "86-", "86- "]))
    text = prefix + body
    if draw(st.booleans()):
        text = text.translate(_FULL_WIDTH)
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return number, pad + text + pad


@given(spelled_mobiles())
def test_every_accepted_mobile_spelling_gives_the_11_digits(case: tuple[str, object]) -> None:
    number, spelled = case
    assert v.normalize_mobile(spelled) == number


@given(mobiles, st.sampled_from(string.ascii_letters), st.integers(0, 11))
def test_any_letter_makes_a_mobile_invalid(number: str, letter: str, pos: int) -> None:
    error = error_of(v.normalize_mobile, number[:pos] + letter + number[pos:])
    assert error.key == "validation.number_chars"


@given(spelled_mobiles())
def test_mobile_normalisation_is_idempotent(case: tuple[str, object]) -> None:
    once = v.normalize_mobile(case[1])
    assert v.normalize_mobile(once) == once
    phone = v.normalize_phone(case[1])
    assert phone == "+86" + case[0]
    assert v.normalize_phone(phone) == phone


@st.composite
def digit_keys(draw: st.DrawFn) -> str:
    """Digit strings in the fast path's shapes (mobile, trunk 0 + area code), with and without
    +86, including the carrier-prefix look-alikes (179..) it must leave to phonenumbers."""
    if draw(st.booleans()):
        head = draw(st.sampled_from(["13", "14", "15", "16", "17", "179", "18", "19"]))
        digits = head + draw(st.text(alphabet=string.digits, min_size=11 - len(head),
                                     max_size=11 - len(head)))
    else:
        head = "0" + draw(st.sampled_from("123456789"))
        digits = head + draw(st.text(alphabet=string.digits, min_size=8, max_size=10))
    return ("+86" if draw(st.booleans()) else "") + digits


@settings(max_examples=500, deadline=None)
@given(digit_keys())
def test_phone_fast_path_agrees_with_phonenumbers(key: str) -> None:
    fast = v._lookup_fast(key)
    if fast is not None:
        assert fast == v._lookup_full.__wrapped__(key)


def test_phone_fast_path_is_taken_for_common_numbers() -> None:
    assert v._lookup_fast("13812345678") is not None
    assert v._lookup_fast("+8613812345678") is not None
    assert v._lookup_fast("01012345678") is not None
    assert v._lookup_fast("17912345678") is None  # IP-dialling prefix: phonenumbers decides


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=string.digits, min_size=5, max_size=12).filter(lambda s: s[0] != "0"))
def test_cn_number_type_agrees_with_phonenumbers(national: str) -> None:
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(national))
    assert v._cn_number_type(national) == phonenumbers.number_type(number)


@given(st.integers(0, 200_000))
def test_random_numbers_classified_alike(seed: int) -> None:
    rng = random.Random(seed)
    national = rng.choice(["13", "15", "17", "18", "19", "10", "20", "21", "75", "40", "80"]) + \
        "".join(rng.choice(string.digits) for _ in range(rng.randint(6, 9)))
    expected = phonenumbers.number_type(
        phonenumbers.PhoneNumber(country_code=86, national_number=int(national)))
    assert v._cn_number_type(national) == expected


_LOCAL_CHARS = string.ascii_letters + string.digits + "._+-%!#'é"
_DOMAIN_CHARS = string.ascii_letters + string.digits + ".-"


@st.composite
def email_like(draw: st.DrawFn) -> str:
    local = draw(st.text(alphabet=_LOCAL_CHARS, min_size=0, max_size=12))
    domain = draw(st.one_of(
        st.sampled_from(["example.cn", "Example.COM", "mail.163.com", "qq.com", "localhost",
                         "a.b", "xn--fiqs8s.cn", "example.test", "x.example.invalid"]),
        st.text(alphabet=_DOMAIN_CHARS, min_size=1, max_size=20)))
    return f"{local}@{domain}"


@settings(max_examples=500, deadline=None)
@given(email_like())
def test_email_fast_path_agrees_with_email_validator(text: str) -> None:
    fast = v._email_fast(text)
    try:
        full: str | None = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        full = None
    if fast is not None:
        assert fast == full
    if full is None:
        error_of(v.normalize_email, text)
    else:
        assert v.normalize_email(text) == full


@given(st.emails())
def test_email_normalisation_is_idempotent(email: str) -> None:
    try:
        once = v.normalize_email(email)
    except FieldValidationError:
        assume(False)
        return
    assert once == once.lower()
    assert v.normalize_email(once) == once


@given(st.text(max_size=120))
def test_name_normalisation_is_idempotent(text: str) -> None:
    try:
        once = v.normalize_name(text)
    except FieldValidationError as exc:
        assert exc.error.key in ("validation.required", "validation.too_long")
        return
    assert v.normalize_name(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.lists(st.text(alphabet="ab c,，、;；|", max_size=8), max_size=5))
def test_tags_normalisation_is_idempotent(parts: list[str]) -> None:
    once = v.split_tags(",".join(parts))
    assert v.split_tags(once) == once
    assert len(set(once)) == len(once)
    assert all(tag and tag == tag.strip() for tag in once)


@given(st.sampled_from([*PROVINCES, *SHORT_NAME.values(), "海外", "国外"]))
def test_province_normalisation_is_idempotent(value: str) -> None:
    once = v.normalize_province(value)
    assert once in PROVINCE_CHOICES
    assert v.normalize_province(once) == once


@given(st.sampled_from(["个人", "企业", "机构", "personal", "ENTERPRISE", "Institution"]),
       st.sampled_from(["男", "女", "male", "FEMALE", "m", "F"]),
       st.sampled_from(["白银", "黄金", "铂金", "钻石", "silver", "GOLD", "Platinum", "diamond"]))
def test_closed_values_are_idempotent(ctype: str, gender: str, tier: str) -> None:
    for func, value in ((v.normalize_customer_type, ctype), (v.normalize_gender, gender),
                        (v.normalize_tier, tier)):
        once = func(value)
        assert func(once) == once
        assert func(str(once)) == once


@given(st.sampled_from(sorted({11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                               42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81,
                               82})),
       st.dates(min_value=date(1900, 1, 1), max_value=TODAY), st.integers(0, 2**32),
       st.data())
def test_generated_resident_ids_validate_and_wrong_check_chars_do_not(
        code: int, birth: date, seed: int, data: st.DataObject) -> None:
    value = make_resident_id(random.Random(seed), code, birth)
    assert v.normalize_id_number(value, "个人", TODAY) == value
    assert v.normalize_id_number(value.lower(), "个人", TODAY) == value
    wrong = data.draw(st.sampled_from([c for c in "0123456789X" if c != value[17]]))
    error = error_of(v.normalize_id_number, value[:17] + wrong, "个人", TODAY)
    assert error.key == "validation.id_number.resident_checksum"


@given(st.integers(0, 2**32), st.booleans(), st.data())
def test_generated_credit_codes_validate_and_wrong_check_chars_do_not(
        seed: int, institution: bool, data: st.DataObject) -> None:
    code = make_credit_code(random.Random(seed), institution=institution)
    ctype = "机构" if institution else "企业"
    assert v.normalize_id_number(code, ctype, TODAY) == code
    assert v.normalize_id_number(code.lower(), ctype, TODAY) == code
    wrong = data.draw(st.sampled_from(
        [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17]]))
    error = error_of(v.normalize_id_number, code[:17] + wrong, ctype, TODAY)
    assert error.key == "validation.id_number.credit_checksum"


@given(st.integers(min_value=0, max_value=10**15))
def test_integral_cells_are_taken_as_their_digits(number: int) -> None:
    assert v.cell_text(float(number)) == str(number)
    assert v.cell_text(number) == str(number)
    assert v.cell_text(Decimal(number)) == str(number)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()))
def test_fractional_cells_keep_their_value(value: float) -> None:
    text = v.cell_text(value)
    assert text is not None
    assert float(text) == value
