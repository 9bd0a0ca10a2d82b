"""What can be imported: the customer record and the records kept per customer, each with its
columns (header, English label, import synonyms, type, rules) in template order.

The customer columns come from ``core.fields`` (the spec's table); the record kinds
(orders, complaints, surveys, follow-ups, renewals) are defined here from the models' fields.
A record row names its customer by 客户编号 or 手机号; 客户名称 may stand beside them for the
reader's sake and is not checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from core.fields import FIELD_BY_KEY, FIELDS, allowed_values, match_header
from core.vocab import (
    COMPLAINT_TYPES,
    SATISFACTION_LABELS,
    ComplaintChannel,
    ComplaintStatus,
    PaymentMethod,
    RenewalOutcome,
    VisitMethod,
)
from services.excel.issues import Label
from services.privacy.consent_terms import CACHE_COLUMN, IMPORT_HEADERS, Purpose

REASONS_HEADER: Final = "错误原因"
"""Header of the reasons column in the rejected-rows workbook; ignored silently on import, so
the fixed file can go straight back in."""


@dataclass(frozen=True)
class Column:
    """One column of an import kind.

    ``type`` says how a record column's cell is read: ``text``, ``date``, ``datetime``,
    ``money``, ``int``, ``choice`` (one of ``choices``, or an alias), ``user`` (an active user's
    username or display name), ``score`` (1-5 or its label), ``ref`` (客户编号 / 手机号, checked
    by the validation module) or ``info`` (shown, not checked). Customer columns are checked by
    ``services.customers.validation`` and use ``type`` only for the template.
    """

    key: str
    header: str
    label_en: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    type: str = "text"
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    width: int = 14
    text_format: bool = False
    note: str = ""
    example: object = None

    @property
    def label(self) -> Label:
        return Label(self.header, self.label_en)

    def alias_map(self) -> dict[str, str]:
        return {a.casefold(): v for a, v in self.aliases}


@dataclass(frozen=True)
class ImportKind:
    """An importable kind: its name, the data sheet's name, its columns in template order."""

    name: str
    sheet: str
    label: Label
    columns: tuple[Column, ...]
    intro: str = ""
    key_columns: tuple[str, ...] = field(default_factory=tuple)
    """Columns that make a record the same record (re-importing the file changes nothing)."""

    @property
    def is_customers(self) -> bool:
        return self.name == "customers"

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def match_header(self, text: object) -> str | None:
        """The column key a header stands for (header, key, English label or a synonym)."""
        if self.is_customers:
            return match_header(text) or _CONSENT_INDEX.get(header_form(str(text or "")))
        if text is None:
            return None
        return _record_index(self.name).get(header_form(str(text)))


_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")


def header_form(text: str) -> str:
    """Comparable form of a header, as ``core.fields`` compares them: width- and
    case-folded, bracketed notes and punctuation dropped (``手机号（必填）*`` -> ``手机号``)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _BRACKETED.sub("", text)
    return "".join(c for c in text if c.isalnum())


def is_reasons_header(text: object) -> bool:
    return text is not None and header_form(str(text)) == header_form(REASONS_HEADER)


# ---- customers --------------------------------------------------------------------------------

EXAMPLE_MARKER: Final = "示例行：导入前请删除本行"
"""Written in the example row of every template; a row that still holds it is refused on import
(``services.excel.rows``), so the example never becomes a real customer or record."""
_MARKER_FORM: Final = "".join(unicodedata.normalize("NFKC", EXAMPLE_MARKER).split())
_MARKER_HEAD: Final = EXAMPLE_MARKER[:3]


def holds_example_marker(value: object) -> bool:
    """Whether a cell holds the template's example-row marker, also with other spaces or a
    half-width colon (cheap for the usual cell: only text containing 示例行 is normalised)."""
    if not isinstance(value, str) or _MARKER_HEAD not in value:
        return False
    return _MARKER_FORM in "".join(unicodedata.normalize("NFKC", value).split())

_CUSTOMER_NOTES: Final[dict[str, tuple[str, object, int, bool]]] = {
    # key: (instruction, example, width, text format)
    "customer_no": ("留空则由系统编号（C + 年份 + 6 位序号）；填写已有客户的编号即指该客户；"
                    "新编号须为 1–32 位字母、数字或 -。", "", 14, True),
    "name": ("必填，最多 100 个字符；多余空格会被合并。", "张三", 16, False),
    "customer_type": ("个人、企业 或 机构（也可填 personal / enterprise / institution），"
                      "留空即为 个人。", "个人", 10, False),
    "gender": ("男 或 女（也可填 male / female / M / F），可留空。", "男", 6, False),
    "mobile": ("中国大陆 11 位手机号；境外号码请带国家码（如 +85291234567）。"
               "手机号、固定电话、邮箱至少填写一项。", "13812345678", 14, True),
    "phone": ("带区号的固定电话（如 010-62123456）或手机号。", "010-62123456", 16, True),
    "email": ("如 name@example.com，保存为小写。", "zhangsan@example.com", 24, False),
    "id_number": ("个人填 18 位居民身份证号码；企业、机构填 18 位统一社会信用代码。"
                  "请保持本列为文本格式，否则 Excel 会丢失 15 位以后的数字。",
                  "11010519491231002X", 22, True),
    "company": ("最多 200 个字符。", "北京示例科技有限公司", 22, False),
    "title": ("最多 50 个字符。", "经理", 10, False),
    "industry": ("只能填写系统设置中的行业（见下拉列表）。", "科技", 8, False),
    "province": ("省级行政区全称或简称（如 广东省、广东、北京），境外填 国外。", "北京市", 12,
                 False),
    "city": ("最多 50 个字符。", "北京", 10, False),
    "address": ("最多 200 个字符。", "海淀区中关村大街 1 号", 28, False),
    "tier": ("白银、黄金、铂金 或 钻石。留空则按等级规则计算；填写即为手动等级（记录设置人）。",
             "", 8, False),
    "tags": ("多个标签用逗号、顿号、分号或 | 分隔；每个标签最多 20 个字符。", "重点客户，VIP",
             16, False),
    "account_manager": ("在用用户的用户名或显示名；不认识的名字会被拒绝。", "", 12, False),
    "source": ("表单、电话、在线、拜访、转介绍 或 其他，可留空。", "电话", 10, False),
    "notes": ("最多 2000 个字符，按原样保存。", EXAMPLE_MARKER, 30, False),
}


def _customer_columns() -> tuple[Column, ...]:
    cols = []
    for spec in FIELDS:
        note, example, width, text_format = _CUSTOMER_NOTES[spec.key]
        cols.append(Column(
            key=spec.key, header=spec.header, label_en=spec.label_en, synonyms=spec.synonyms,
            required=spec.required, type="choice" if spec.closed else "text",
            max_length=spec.max_length, choices=spec.choices, width=width,
            text_format=text_format, note=note, example=example))
    return (*cols, *_consent_columns())


_CONSENT_NOTES: Final = {
    Purpose.SERVICE: "客户是否同意为服务目的（订单、投诉、续约的联系）使用其个人信息："
                     "是、否 或留空。留空则不改变已记录的授权；填写则记入授权历史（渠道：导入）。",
    Purpose.MARKETING: "客户是否同意接收营销信息：是、否 或留空。留空则不改变已记录的授权；"
                       "填写则记入授权历史（渠道：导入）。营销导出只含此项为 是 的客户。",
}
_CONSENT_SYNONYMS: Final = {
    Purpose.SERVICE: ("服务同意", "服务授权状态", "service consent"),
    Purpose.MARKETING: ("营销同意", "营销授权状态", "marketing consent"),
}


def _consent_columns() -> tuple[Column, ...]:
    """服务授权 / 营销授权 after the record's fields (data-protection.md "Consent")."""
    return tuple(Column(
        key=CACHE_COLUMN[p], header=IMPORT_HEADERS[p],
        label_en="Service consent" if p is Purpose.SERVICE else "Marketing consent",
        synonyms=_CONSENT_SYNONYMS[p], type="choice", choices=("是", "否"), width=10,
        note=_CONSENT_NOTES[p], example="是") for p in Purpose)


_CONSENT_INDEX: Final = {header_form(s): c.key for c in _consent_columns()
                         for s in (c.header, c.key, c.label_en, *c.synonyms)}


CUSTOMERS: Final = ImportKind(
    name="customers", sheet="客户", label=Label("客户", "Customers"),
    columns=_customer_columns(),
    intro="每行一位客户。客户编号、手机号、邮箱或证件号码与已有客户（或本文件前面的行）相同的，"
          "视为同一客户：按导入时的选择跳过或更新（更新时，文件中非空的单元格覆盖已有内容）。",
)


def customer_choices(key: str, industries: Sequence[str] | None = None) -> tuple[str, ...]:
    """Drop-down values of a closed customer column (industry: the configured list)."""
    return allowed_values(key, industries)


# ---- records ----------------------------------------------------------------------------------

def _ref_columns() -> tuple[Column, ...]:
    number, mobile, name = (FIELD_BY_KEY[k] for k in ("customer_no", "mobile", "name"))
    return (
        Column("customer_no", number.header, number.label_en, number.synonyms, type="ref",
               width=14, text_format=True,
               note="客户编号与手机号至少填写一项，用于找到已有客户（已删除的客户除外）。",
               example="C2026000001"),
        Column("mobile", mobile.header, mobile.label_en, mobile.synonyms, type="ref", width=14,
               text_format=True, note="客户的手机号；两者都填时必须是同一位客户。",
               example=""),
        Column("customer_name", name.header, name.label_en, name.synonyms, type="info",
               width=14, note="仅供核对，不参与匹配。", example=f"张三（{EXAMPLE_MARKER}）"),
    )


def _choice_aliases(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


_ORDER_COLUMNS: Final = (
    Column("order_no", "订单编号", "Order No.", ("订单号", "单号", "订单编码", "order number",
                                                 "order id"),
           required=True, max_length=32, width=16, text_format=True,
           note="必填，最多 32 个字符；系统中唯一，已有的订单编号视为重复。",
           example="SO2026000001"),
    Column("order_date", "下单日期", "Order date", ("订单日期", "交易日期", "日期", "date"),
           required=True, type="date", width=12, note="必填，日期，如 2026-01-31。",
           example="2026-01-31"),
    Column("product", "产品", "Product", ("产品名称", "商品", "商品名称", "product name"),
           required=True, max_length=100, width=18, note="必填，最多 100 个字符。",
           example="年度咨询服务"),
    Column("quantity", "数量", "Quantity", ("qty", "件数"), required=True, type="int",
           width=8, note="必填，正整数。", example=1),
    Column("amount", "金额", "Amount", ("订单金额", "交易金额", "金额元", "total"),
           required=True, type="money", width=12,
           note="必填，单位元，不小于 0，最多两位小数。", example=12800),
    Column("payment_method", "支付方式", "Payment method", ("付款方式", "支付", "payment"),
           type="choice", choices=tuple(PaymentMethod), width=10,
           note="银行转账、支付宝、微信支付、银行卡 或 现金，可留空。", example="银行转账"),
)

_COMPLAINT_COLUMNS: Final = (
    Column("received_at", "投诉时间", "Received at", ("受理时间", "接收时间", "投诉日期",
                                                      "received"),
           required=True, type="datetime", width=18,
           note="必填，日期时间，如 2026-01-31 14:30（只填日期则为当天 0 点）。",
           example="2026-01-31 14:30"),
    Column("channel", "投诉渠道", "Channel", ("渠道", "channel"), required=True, type="choice",
           choices=tuple(ComplaintChannel), width=10,
           note="必填：电话、邮件、在线客服 或 反馈表。", example="电话"),
    Column("complaint_type", "投诉类型", "Complaint type", ("类型", "问题类型", "type"),
           required=True, type="choice", choices=COMPLAINT_TYPES, width=10,
           note="必填：" + "、".join(COMPLAINT_TYPES) + "。", example="服务态度"),
    Column("description", "投诉内容", "Description", ("内容", "描述", "问题描述", "投诉描述"),
           required=True, max_length=5000, width=30, note="必填。", example="客服回复不及时"),
    Column("status", "处理状态", "Status", ("状态", "status"), type="choice",
           choices=tuple(ComplaintStatus), width=10,
           note="待处理、处理中、已解决 或 已关闭，留空为 待处理。", example="已解决"),
    Column("handler", "处理人", "Handler", ("负责人", "handler"), type="user", width=10,
           note="在用用户的用户名或显示名，可留空。", example=""),
    Column("handling_steps", "处理过程", "Handling steps", ("处理经过", "处理记录"),
           max_length=5000, width=24, note="可留空。", example="电话回访并致歉"),
    Column("solution", "解决方案", "Solution", ("处理结果", "解决办法"), max_length=5000,
           width=24, note="可留空。", example="补发优惠券"),
    Column("resolved_at", "解决时间", "Resolved at", ("解决日期",), type="datetime", width=18,
           note="日期时间，可留空。", example="2026-02-01 10:00"),
    Column("closed_at", "关闭时间", "Closed at", ("关闭日期",), type="datetime", width=18,
           note="日期时间，可留空。", example=""),
)

_SCORE_ALIASES: Final = tuple((label, str(score)) for score, label in SATISFACTION_LABELS.items())

_SURVEY_COLUMNS: Final = (
    Column("survey_date", "调查日期", "Survey date", ("日期", "date"), required=True,
           type="date", width=12, note="必填，日期。", example="2026-01-31"),
    Column("score", "满意度", "Score", ("评分", "满意度评分", "分数", "score"), required=True,
           type="score", width=10, aliases=_SCORE_ALIASES,
           note="必填：1–5 分，或 非常满意、满意、一般、不满意、非常不满意。", example=5),
    Column("channel", "调查渠道", "Channel", ("渠道", "方式", "channel"), max_length=10,
           width=10, note="最多 10 个字符，可留空。", example="电话"),
    Column("comment", "意见", "Comment", ("评价", "反馈", "客户意见", "comment"),
           max_length=5000, width=30, note="可留空。", example="服务周到"),
)

_FOLLOW_UP_COLUMNS: Final = (
    Column("planned_date", "计划日期", "Planned date", ("计划回访日期", "回访日期", "日期"),
           required=True, type="date", width=12, note="必填，日期。", example="2026-01-31"),
    Column("method", "回访方式", "Method", ("方式", "method"), required=True, type="choice",
           choices=tuple(VisitMethod), width=10,
           note="必填：电话、邮件、短信、上门 或 在线问卷。", example="电话"),
    Column("purpose", "回访目的", "Purpose", ("目的", "purpose"), max_length=200, width=18,
           note="最多 200 个字符，可留空。", example="了解使用情况"),
    Column("done_date", "完成日期", "Done date", ("实际回访日期", "完成时间"), type="date",
           width=12, note="日期；留空表示尚未回访。", example="2026-02-01"),
    Column("content", "回访内容", "Content", ("内容", "content"), max_length=5000, width=24,
           note="可留空。", example="客户反馈良好"),
    Column("feedback", "客户反馈", "Feedback", ("反馈", "feedback"), max_length=5000, width=24,
           note="可留空。", example=""),
    Column("result", "回访结果", "Result", ("结果", "result"), max_length=200, width=16,
           note="最多 200 个字符，可留空。", example="满意"),
    Column("next_date", "下次回访日期", "Next date", ("下次回访", "下次日期"), type="date",
           width=12, note="日期，可留空。", example=""),
    Column("assignee", "负责人", "Assignee", ("回访人", "执行人", "assignee"), type="user",
           width=10, note="在用用户的用户名或显示名，可留空。", example=""),
)

_RENEWAL_COLUMNS: Final = (
    Column("contract_no", "合同编号", "Contract No.", ("合同号", "contract number"),
           required=True, max_length=32, width=16, text_format=True,
           note="必填：该客户已有合同的编号。", example="HT2025000001"),
    Column("due_date", "到期日期", "Due date", ("合同到期日", "到期日"), type="date", width=12,
           note="日期；留空取合同的到期日。", example=""),
    Column("outcome", "续约结果", "Outcome", ("结果", "续约状态", "outcome"), required=True,
           type="choice", choices=tuple(RenewalOutcome), width=10,
           note="必填：已续约、未续约 或 跟进中。", example="跟进中"),
    Column("amount", "续约金额", "Amount", ("金额", "amount"), type="money", width=12,
           note="单位元，不小于 0，最多两位小数，可留空。", example=""),
    Column("decided_at", "决定时间", "Decided at", ("确认时间", "决定日期"), type="datetime",
           width=18, note="日期时间，可留空。", example=""),
    Column("reason", "原因", "Reason", ("说明", "备注", "reason"), max_length=200, width=24,
           note="最多 200 个字符，可留空。", example="客户预算审批中"),
    Column("new_contract_no", "新合同编号", "New contract No.", ("续约合同编号",),
           max_length=32, width=16, text_format=True,
           note="续约后的新合同编号（须为该客户已有的合同），可留空。", example=""),
)


def _record_kind(name: str, sheet: str, label: Label, columns: tuple[Column, ...],
                 intro: str, key_columns: tuple[str, ...]) -> ImportKind:
    return ImportKind(name=name, sheet=sheet, label=label, columns=_ref_columns() + columns,
                      intro=intro, key_columns=key_columns)


ORDERS: Final = _record_kind(
    "orders", "交易记录", Label("交易记录", "Orders"), _ORDER_COLUMNS,
    "每行一笔交易，归入已有客户。导入后自动更新客户的首单/末单日期与等级。",
    ("order_no",))
COMPLAINTS: Final = _record_kind(
    "complaints", "投诉", Label("投诉", "Complaints"), _COMPLAINT_COLUMNS,
    "每行一条投诉，归入已有客户。同一客户、同一投诉时间、同一内容视为重复。",
    ("customer_id", "received_at", "description"))
SURVEYS: Final = _record_kind(
    "surveys", "满意度调查", Label("满意度调查", "Surveys"), _SURVEY_COLUMNS,
    "每行一次满意度调查，归入已有客户。同一客户、同一日期、同一评分与意见视为重复。",
    ("customer_id", "survey_date", "score", "comment"))
FOLLOW_UPS: Final = _record_kind(
    "follow_ups", "回访", Label("回访", "Follow-ups"), _FOLLOW_UP_COLUMNS,
    "每行一次回访，归入已有客户。同一客户、同一计划日期、同一方式与目的视为重复。",
    ("customer_id", "planned_date", "method", "purpose"))
RENEWALS: Final = _record_kind(
    "renewals", "续约", Label("续约", "Renewals"), _RENEWAL_COLUMNS,
    "每行一条续约记录，归入已有客户的已有合同。一份合同只有一条续约记录：该合同已有续约记录"
    "（或文件中已出现该合同）时视为重复。",
    ("contract_id",))

KINDS: Final[dict[str, ImportKind]] = {k.name: k for k in (CUSTOMERS, ORDERS, COMPLAINTS,
                                                           SURVEYS, FOLLOW_UPS, RENEWALS)}
RECORD_KINDS: Final = tuple(k for k in KINDS if k != "customers")

_INDEXES: dict[str, dict[str, str]] = {}


def _record_index(name: str) -> Mapping[str, str]:
    index = _INDEXES.get(name)
    if index is None:
        index = {}
        for col in KINDS[name].columns:
            for spelling in (col.header, col.key, col.label_en, *col.synonyms):
                form = header_form(spelling)
                if form and index.setdefault(form, col.key) != col.key:
                    raise RuntimeError(f"{name}: header {spelling!r} claimed by two columns")
        _INDEXES[name] = index
    return index


def get_kind(name: str) -> ImportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown import kind {name!r}; one of {', '.join(KINDS)}") from None


for _name in RECORD_KINDS:  # fail at import time, not on a user's upload
    _record_index(_name)
