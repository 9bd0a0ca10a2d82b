"""The customer record's fields in the spec's order: headers, labels, import synonyms, choices.

One table drives the Excel template (headers, drop-downs), the export (header order), the import
(header matching) and the message labels, so a field cannot be spelt two ways in two places.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from core.regions import PROVINCE_CHOICES
from core.vocab import CustomerType, Gender, Source, Tier

DEFAULT_INDUSTRIES: Final[tuple[str, ...]] = ("金融", "科技", "教育", "医疗", "制造", "零售",
                                              "政府", "其他")


@dataclass(frozen=True)
class FieldSpec:
    """One column of the customer record.

    ``choices`` lists the allowed stored values of a closed field (for industry: the default
    list; the configured one comes from settings, see ``allowed_values``). ``synonyms`` are
    extra header spellings accepted on import, besides the header, the key and ``label_en``.
    """

    key: str
    header: str
    label_en: str
    synonyms: tuple[str, ...] = ()
    closed: bool = False
    choices: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None


FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("customer_no", "客户编号", "Customer No.",
              ("客户号", "客户代码", "客户编码", "编号", "customer number", "customer code",
               "customer id"),
              max_length=32),
    FieldSpec("name", "客户名称", "Name",
              ("姓名", "客户名", "客户姓名", "名称", "名字", "customer name", "full name"),
              required=True, max_length=100),
    FieldSpec("customer_type", "客户类型", "Customer type",
              ("类型", "客户类别", "type"),
              closed=True, choices=tuple(CustomerType)),
    FieldSpec("gender", "性别", "Gender", ("sex",),
              closed=True, choices=tuple(Gender)),
    FieldSpec("mobile", "手机号", "Mobile",
              ("手机", "手机号码", "移动电话", "联系电话", "mobile phone", "mobile number",
               "cell", "cellphone", "cell phone")),
    FieldSpec("phone", "固定电话", "Phone",
              ("座机", "固话", "电话", "电话号码", "办公电话", "telephone", "tel", "landline")),
    FieldSpec("email", "邮箱", "Email",
              ("电子邮件", "电子邮箱", "邮件", "邮箱地址", "e-mail", "mail", "email address")),
    FieldSpec("id_number", "证件号码", "ID number",
              ("证件号", "身份证", "身份证号", "身份证号码", "统一社会信用代码", "信用代码",
               "证件编号", "id no", "id card", "id card number")),
    FieldSpec("company", "公司名称", "Company",
              ("公司", "单位", "单位名称", "工作单位", "企业名称", "company name"),
              max_length=200),
    FieldSpec("title", "职位", "Title", ("职务", "岗位", "job title", "position"),
              max_length=50),
    FieldSpec("industry", "行业", "Industry", ("所属行业",),
              closed=True, choices=DEFAULT_INDUSTRIES),
    FieldSpec("province", "省份", "Province", ("省", "所在省份", "省/直辖市"),
              closed=True, choices=PROVINCE_CHOICES),
    FieldSpec("city", "城市", "City", ("市", "所在城市"), max_length=50),
    FieldSpec("address", "详细地址", "Address", ("地址", "联系地址", "通讯地址", "street address"),
              max_length=200),
    FieldSpec("tier", "客户等级", "Tier",
              ("等级", "会员等级", "客户级别", "级别", "level", "grade"),
              closed=True, choices=tuple(Tier)),
    FieldSpec("tags", "标签", "Tags", ("客户标签", "tag", "labels")),
    FieldSpec("account_manager", "客户经理", "Account manager",
              ("负责人", "业务员", "销售", "客户负责人", "owner", "manager", "sales rep")),
    FieldSpec("source", "来源渠道", "Source", ("来源", "渠道", "客户来源", "channel"),
              closed=True, choices=tuple(Source)),
    FieldSpec("notes", "备注", "Notes",
              ("备注信息", "说明", "note", "remark", "remarks", "comment", "comments", "memo"),
              max_length=2000),
)

FIELD_KEYS: Final[tuple[str, ...]] = tuple(f.key for f in FIELDS)
HEADERS: Final[tuple[str, ...]] = tuple(f.header for f in FIELDS)
FIELD_BY_KEY: Final[dict[str, FieldSpec]] = {f.key: f for f in FIELDS}
CLOSED_FIELDS: Final[tuple[str, ...]] = tuple(f.key for f in FIELDS if f.closed)

_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")


def _header_form(text: str) -> str:
    """Comparable form of a header: width- and case-folded, notes in brackets and all
    punctuation and spaces dropped, so "E-mail", "email" and "手机号（必填）*" all match."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _BRACKETED.sub("", text)
    return "".join(c for c in text if c.isalnum())


def _build_header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS:
        for spelling in (spec.header, spec.key, spec.label_en, *spec.synonyms):
            form = _header_form(spelling)
            if index.setdefault(form, spec.key) != spec.key:
                raise RuntimeError(f"header {spelling!r} claimed by two fields")
    return index


_HEADER_INDEX: Final[dict[str, str]] = _build_header_index()


def match_header(text: object) -> str | None:
    """The field key an import header stands for, or None for a column we do not know."""
    if text is None:
        return None
    form = _header_form(str(text))
    return _HEADER_INDEX.get(form) if form else None


def allowed_values(key: str, industries: Sequence[str] | None = None) -> tuple[str, ...]:
    """The values of a closed field for a drop-down; industry uses the configured list."""
    if key == "industry" and industries is not None:
        return tuple(industries)
    return FIELD_BY_KEY[key].choices
