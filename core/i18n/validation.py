"""Field labels and validation messages of the customer record.

Labels come from the field table so a header is spelt in one place. Every message names the field
(``{field}``, filled with its label) and says what is expected, so a row of an import report
can be fixed without reading the spec.
"""

from core.fields import FIELDS

_LABELS: dict[str, tuple[str, str]] = {f"field.{f.key}": (f.header, f.label_en) for f in FIELDS}

_MESSAGES: dict[str, tuple[str, str]] = {
    "field.contact": ("联系方式", "Contact"),
    "validation.required": (
        "{field}：必填，不能为空",
        "{field}: required, must not be blank",
    ),
    "validation.too_long": (
        "{field}：共 {length} 个字符，最多 {max} 个字符",
        "{field}: {length} characters, at most {max} allowed",
    ),
    "validation.contact_required": (
        "{field}：手机号、固定电话、邮箱至少填写一项",
        "{field}: fill in at least one of Mobile, Phone or Email",
    ),
    "validation.customer_no.invalid": (
        "{field}：“{value}” 无效，应为 1–32 位字母、数字或 -（留空则由系统编号）",
        "{field}: “{value}” is not valid; expected 1–32 letters, digits or - "
        "(leave blank to have one issued)",
    ),
    "validation.customer_type.invalid": (
        "{field}：“{value}” 无效，应为 个人、企业 或 机构（也可填 personal、enterprise、"
        "institution），留空即为 个人",
        "{field}: “{value}” is not valid; expected 个人 (personal), 企业 (enterprise) or "
        "机构 (institution); blank means 个人",
    ),
    "validation.gender.invalid": (
        "{field}：“{value}” 无效，应为 男 或 女（也可填 male、female、M、F），或留空",
        "{field}: “{value}” is not valid; expected 男 (male, M) or 女 (female, F), or blank",
    ),
    "validation.number_chars": (
        "{field}：“{value}” 含有字母或其他不允许的字符，号码只能包含数字、空格、-、括号，"
        "以及开头的 + 国家码",
        "{field}: “{value}” contains letters or other characters that are not allowed; a "
        "number may contain only digits, spaces, -, parentheses and a leading + country code",
    ),
    "validation.mobile.invalid": (
        "{field}：“{value}” 不是有效的手机号码，应为 11 位中国大陆手机号（如 13812345678）"
        "或带国家码的号码（如 +85291234567）",
        "{field}: “{value}” is not a valid mobile number; expected an 11-digit mainland China "
        "mobile number (e.g. 13812345678) or a number with its country code (e.g. +85291234567)",
    ),
    "validation.mobile.landline": (
        "{field}：“{value}” 是固定电话号码，不是手机号码，请填写在“固定电话”中",
        "{field}: “{value}” is a landline number, not a mobile number; put it under Phone",
    ),
    "validation.phone.invalid": (
        "{field}：“{value}” 不是有效的电话号码，应为带区号的固定电话（如 010-12345678）"
        "或手机号码，境外号码请带国家码（如 +85221234567）",
        "{field}: “{value}” is not a valid phone number; expected a landline with its area code "
        "(e.g. 010-12345678) or a mobile number, with the country code for numbers outside "
        "mainland China (e.g. +85221234567)",
    ),
    "validation.email.invalid": (
        "{field}：“{value}” 不是有效的邮箱地址，应形如 name@example.com",
        "{field}: “{value}” is not a valid email address; expected something like "
        "name@example.com",
    ),
    "validation.id_number.resident_format": (
        "{field}：“{value}” 不是有效的居民身份证号码，个人客户应填写 18 位身份证号码"
        "（17 位数字加 1 位数字或 X）",
        "{field}: “{value}” is not a valid resident ID number; for a personal customer expected "
        "18 characters (17 digits and a final digit or X)",
    ),
    "validation.id_number.resident_province": (
        "{field}：“{value}” 的前两位 {code} 不是有效的省级行政区代码（应为 11–65 的省份代码、71，"
        "或港澳台居民居住证的 81、82、83）",
        "{field}: the first two digits of “{value}”, {code}, are not a provincial division code "
        "(expected a province code from 11 to 65, 71, or 81, 82, 83 for the residence permits "
        "of Hong Kong, Macao and Taiwan residents)",
    ),
    "validation.id_number.resident_birth": (
        "{field}：“{value}” 中的出生日期无效，应为 1900-01-01 至今天之间的真实日期",
        "{field}: the birth date in “{value}” is not valid; expected a real date between "
        "1900-01-01 and today",
    ),
    "validation.id_number.resident_checksum": (
        "{field}：“{value}” 的校验码（最后一位）不正确，请逐位核对号码",
        "{field}: the check character (last character) of “{value}” is wrong; please check "
        "the number digit by digit",
    ),
    "validation.id_number.looks_like_credit_code": (
        "{field}：“{value}” 是统一社会信用代码，但客户类型为 个人；个人客户应填写 18 位居民身份证"
        "号码，企业或机构客户请先修改客户类型",
        "{field}: “{value}” is a unified social credit code but the customer type is 个人 "
        "(personal); enter an 18-character resident ID, or change the customer type",
    ),
    "validation.id_number.credit_format": (
        "{field}：“{value}” 不是有效的统一社会信用代码，企业或机构客户应填写 18 位代码"
        "（数字或大写字母，不含 I、O、Z、S、V）",
        "{field}: “{value}” is not a valid unified social credit code; for an enterprise or "
        "institution expected 18 digits or capital letters (without I, O, Z, S, V)",
    ),
    "validation.id_number.credit_checksum": (
        "{field}：统一社会信用代码“{value}”的校验码（最后一位）不正确，请逐位核对",
        "{field}: the check character (last character) of the unified social credit code "
        "“{value}” is wrong; please check it character by character",
    ),
    "validation.id_number.looks_like_resident_id": (
        "{field}：“{value}” 是居民身份证号码，但客户类型为 {customer_type}；企业或机构客户应填写"
        " 18 位统一社会信用代码，个人客户请先修改客户类型",
        "{field}: “{value}” is a resident ID number but the customer type is {customer_type}; "
        "enter an 18-character unified social credit code, or change the customer type",
    ),
    "validation.id_number.numeric_cell": (
        "{field}：该单元格被 Excel 存成了数字（{value}），超过 15 位的数字已丢失；请把该列设为"
        "文本格式后重新填写",
        "{field}: Excel stored this cell as a number ({value}) and lost the digits beyond "
        "the 15th; format the column as text and enter the number again",
    ),
    "validation.industry.invalid": (
        "{field}：“{value}” 不在可选行业中，应为以下之一：{allowed}",
        "{field}: “{value}” is not one of the configured industries; expected one of: "
        "{allowed}",
    ),
    "validation.province.invalid": (
        "{field}：“{value}” 不是有效的省份，应为省级行政区的全称或简称（如 广东省、广东、北京、"
        "内蒙古），境外填 国外",
        "{field}: “{value}” is not a valid province; expected the full or short name of a "
        "provincial-level division (e.g. 广东省, 广东, 北京, 内蒙古), or 国外 for abroad",
    ),
    "validation.tier.invalid": (
        "{field}：“{value}” 无效，应为 白银、黄金、铂金 或 钻石（也可填 silver、gold、"
        "platinum、diamond），留空则按等级规则计算",
        "{field}: “{value}” is not valid; expected 白银 (silver), 黄金 (gold), 铂金 (platinum) "
        "or 钻石 (diamond); blank means computed by the tier rules",
    ),
    "validation.tags.too_long": (
        "{field}：标签“{value}”共 {length} 个字符，每个标签最多 {max} 个字符",
        "{field}: the tag “{value}” has {length} characters, at most {max} allowed per tag",
    ),
    "validation.account_manager.unknown": (
        "{field}：“{value}” 不是系统中的在用用户，应填写在用用户的用户名或显示名",
        "{field}: “{value}” is not an active user; expected the username or display name of an "
        "active user",
    ),
    "validation.source.invalid": (
        "{field}：“{value}” 无效，应为 表单、电话、在线、拜访、转介绍 或 其他，或留空",
        "{field}: “{value}” is not valid; expected 表单 (form), 电话 (phone), 在线 (online), "
        "拜访 (visit), 转介绍 (referral) or 其他 (other), or blank",
    ),
}

MESSAGES: dict[str, tuple[str, str]] = {**_LABELS, **_MESSAGES}
