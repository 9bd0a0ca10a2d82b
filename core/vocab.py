"""Closed vocabularies of the domain, stored as their Chinese values.

The stored value is the canonical Chinese term of the spec (what the Excel export writes); the
English label shown in the English UI comes from the message catalog (``enum.<Class>.<value>``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CLERK = "clerk"
    TRAINER = "trainer"


class CustomerType(StrEnum):
    PERSONAL = "个人"
    ENTERPRISE = "企业"
    INSTITUTION = "机构"


class Gender(StrEnum):
    MALE = "男"
    FEMALE = "女"


class Tier(StrEnum):
    SILVER = "白银"
    GOLD = "黄金"
    PLATINUM = "铂金"
    DIAMOND = "钻石"


TIER_ORDER: tuple[Tier, ...] = (Tier.SILVER, Tier.GOLD, Tier.PLATINUM, Tier.DIAMOND)


class TierSource(StrEnum):
    RULE = "rule"
    MANUAL = "manual"


class Lifecycle(StrEnum):
    PROSPECT = "潜在"
    NEW = "新客户"
    STABLE = "稳定"
    LOYAL = "老客户"
    CHURNED = "流失"


class ValueSegment(StrEnum):
    HIGH = "高价值"
    POTENTIAL = "潜在"
    ORDINARY = "普通"


class Source(StrEnum):
    FORM = "表单"
    PHONE = "电话"
    ONLINE = "在线"
    VISIT = "拜访"
    REFERRAL = "转介绍"
    OTHER = "其他"


class InteractionMethod(StrEnum):
    PHONE = "电话"
    EMAIL = "邮件"
    SMS = "短信"
    VISIT = "拜访"
    ONLINE = "在线"


class VisitMethod(StrEnum):
    PHONE = "电话"
    EMAIL = "邮件"
    SMS = "短信"
    ONSITE = "上门"
    QUESTIONNAIRE = "在线问卷"


class ComplaintChannel(StrEnum):
    PHONE = "电话"
    EMAIL = "邮件"
    ONLINE_CHAT = "在线客服"
    FEEDBACK_FORM = "反馈表"


class ComplaintStatus(StrEnum):
    OPEN = "待处理"
    IN_PROGRESS = "处理中"
    RESOLVED = "已解决"
    CLOSED = "已关闭"


class PaymentMethod(StrEnum):
    TRANSFER = "银行转账"
    ALIPAY = "支付宝"
    WECHAT = "微信支付"
    CARD = "银行卡"
    CASH = "现金"


class RenewalOutcome(StrEnum):
    RENEWED = "已续约"
    NOT_RENEWED = "未续约"
    IN_PROGRESS = "跟进中"


SATISFACTION_LABELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "一般",
    2: "不满意",
    1: "非常不满意",
}

COMPLAINT_TYPES: tuple[str, ...] = (
    "产品质量", "服务态度", "物流配送", "价格收费", "售后维修", "其他",
)


def resolution_minutes(received_at: datetime | None, resolved_at: datetime | None) -> int | None:
    """A complaint's resolution time, always computed from its two timestamps, never typed."""
    if received_at is None or resolved_at is None:
        return None
    return max(0, round((resolved_at - received_at).total_seconds() / 60))
