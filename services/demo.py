"""Deterministic zh_CN demo data: users, customers and two years of their records.

Why it is built this way:

- **Same seed and day, same data.** Every value comes from ``random.Random`` seeded per chunk
  from ``(seed, chunk)`` and from Faker pools seeded once; nothing reads the clock except the
  audit row. (Only the 证件号码 ciphertext differs between runs: Fernet picks a fresh IV.)
- **A million customers in minutes.** Faker is called a few thousand times to build pools, not
  per row; rows are plain tuples with ids assigned here, written in chunks of 10 000 customers
  with ``executemany`` on SQLite and ``COPY`` on PostgreSQL, in one transaction. From
  ``PARALLEL_MIN_CUSTOMERS`` on, a child process generates the next chunk while this one
  writes, which uses both cores of a small server.
- **Believable.** Tiers and lifecycle stages are not drawn at random: they are computed by
  ``services.customers.tier_rules`` from the orders and contacts generated for each customer, so a
  钻石 customer really has the orders to show for it.
"""

from __future__ import annotations

import itertools
import marshal
import math
import pickle
import random
import secrets
import struct
import subprocess
import sys
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from faker import Faker
from sqlalchemy import Connection, Engine, bindparam, insert, select, text
from sqlalchemy.orm import Session

from core import clock
from core.regions import CODE_BY_PROVINCE, MAJOR_CITIES, PROVINCES
from core.settings import Settings, get_settings
from core.vocab import COMPLAINT_TYPES, Lifecycle, Role, Tier
from db.copy import copy_in
from db.models import Customer, NumberCounter, Tag, User
from services.access import audit, crypto
from services.access.passwords import hash_password
from services.access.roles import Actor, Perm, PermissionDenied
from services.customers import review_days
from services.customers import tier_rules as tiering
from services.customers.idcodes import make_credit_code, make_resident_id
from services.customers.search_index import rebuild_search_index
from services.records import renewal_targets
from services.system import database_facts

ProgressFn = Callable[[str, int, int], None]

CHUNK_CUSTOMERS = 10_000
"""Customers generated and written per step: bounds memory to a few hundred MB at any N."""


class DemoDataPresent(RuntimeError):
    """The database already has customers; seeding would mix demo data into them."""


class DemoAccount(NamedTuple):
    username: str
    password: str
    role: str
    display_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin-demo", Role.ADMIN.value, "王敏"),
    DemoAccount("manager", "manager-demo", Role.MANAGER.value, "李强"),
    DemoAccount("clerk", "clerk-demo", Role.CLERK.value, "张丽"),
    DemoAccount("trainer", "trainer-demo", Role.TRAINER.value, "陈老师"),
)
"""One login per role, documented in README; passwords are public, so demo databases only."""

ACCOUNT_MANAGERS: tuple[tuple[str, str], ...] = (
    ("am01", "刘洋"), ("am02", "赵静"), ("am03", "孙伟"),
    ("am04", "周婷"), ("am05", "吴磊"), ("am06", "郑芳"),
)
"""Account-manager users (role clerk) with unknown random passwords: owners, not logins."""

DEMO_TAGS: tuple[str, ...] = (
    "重点客户", "VIP", "价格敏感", "新品偏好", "高潜力", "老客户推荐", "线上活跃", "需要回访",
    "投诉敏感", "决策人", "长期合作", "团购客户", "节日促销", "对公客户", "流失预警",
)

# Tables holding customer data, children first (the order to empty them in).
CUSTOMER_TABLES: tuple[str, ...] = (
    "churn_scores", "churn_state", "surveys", "renewals", "contracts", "follow_ups",
    "complaint_events", "complaints", "interactions", "orders", "tier_changes",
    "consent_ledger", "customer_tags", "customer_search_grams", "customers", "tags",
    "sequences",
    "import_holds", "imports", "renewal_targets",
)
# Tables written by the seeder, parents first; also the keys of ``SeedReport.counts``.
SEEDED_TABLES: tuple[str, ...] = (
    "customers", "customer_tags", "tier_changes", "orders", "interactions", "follow_ups",
    "complaints", "surveys", "contracts", "renewals", "consent_ledger",
)


@dataclass
class SeedReport:
    """What one seeding run wrote (rows per table) and how long it took."""

    seed: int
    today: date
    counts: dict[str, int] = field(default_factory=dict)
    users_created: int = 0
    tags: int = 0
    reset: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{self.counts.get(t, 0):,} {t.replace('_', ' ')}" for t in SEEDED_TABLES]
        return (", ".join(parts) + f"; {self.tags} tags, {self.users_created} new users"
                + f" (seed {self.seed}, today {self.today.isoformat()})")


# ---- vocabularies ---------------------------------------------------------------------------

# Rough population (millions) of each division: where customers live. Taiwan is kept small (a
# mainland customer base) and every division has a floor so all 34 appear in a few thousand.
_POPULATION: dict[str, float] = {
    "北京市": 21.9, "天津市": 13.9, "河北省": 74.6, "山西省": 34.9, "内蒙古自治区": 24.0,
    "辽宁省": 42.6, "吉林省": 24.1, "黑龙江省": 31.9, "上海市": 24.9, "江苏省": 84.7,
    "浙江省": 64.6, "安徽省": 61.0, "福建省": 41.5, "江西省": 45.2, "山东省": 101.5,
    "河南省": 99.4, "湖北省": 57.8, "湖南省": 66.4, "广东省": 126.0, "广西壮族自治区": 50.1,
    "海南省": 10.1, "重庆市": 32.1, "四川省": 83.7, "贵州省": 38.6, "云南省": 47.2,
    "西藏自治区": 3.6, "陕西省": 39.5, "甘肃省": 25.0, "青海省": 5.9, "宁夏回族自治区": 7.2,
    "新疆维吾尔自治区": 25.9, "台湾省": 3.0, "香港特别行政区": 7.5, "澳门特别行政区": 3.0,
}

_AREA_CODES: dict[str, str] = {
    "北京市": "010", "天津市": "022", "石家庄市": "0311", "太原市": "0351", "呼和浩特市": "0471",
    "沈阳市": "024", "大连市": "0411", "长春市": "0431", "哈尔滨市": "0451", "上海市": "021",
    "南京市": "025", "苏州市": "0512", "无锡市": "0510", "杭州市": "0571", "宁波市": "0574",
    "合肥市": "0551", "福州市": "0591", "厦门市": "0592", "南昌市": "0791", "济南市": "0531",
    "青岛市": "0532", "郑州市": "0371", "武汉市": "027", "长沙市": "0731", "广州市": "020",
    "深圳市": "0755", "东莞市": "0769", "佛山市": "0757", "南宁市": "0771", "海口市": "0898",
    "重庆市": "023", "成都市": "028", "贵阳市": "0851", "昆明市": "0871", "拉萨市": "0891",
    "西安市": "029", "兰州市": "0931", "西宁市": "0971", "银川市": "0951", "乌鲁木齐市": "0991",
}

_MOBILE_PREFIXES: tuple[str, ...] = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
    "178", "182", "183", "184", "187", "188", "198", "130", "131", "132", "145", "155", "156",
    "166", "175", "176", "185", "186", "133", "149", "153", "173", "177", "180", "181", "189",
    "191", "199",
)

_FREE_MAIL: tuple[tuple[str, float], ...] = (
    ("163.com", 20), ("126.com", 8), ("sina.com", 4), ("sohu.com", 2), ("foxmail.com", 5),
    ("gmail.com", 3), ("outlook.com", 3), ("yeah.net", 2), ("139.com", 5), ("aliyun.com", 3),
)

_TYPE_WEIGHTS = (("个人", 75.0), ("企业", 20.0), ("机构", 5.0))

_INDUSTRY_WEIGHTS: dict[str, dict[str, float]] = {
    "个人": {"金融": 12, "科技": 18, "教育": 12, "医疗": 10, "制造": 15, "零售": 15, "政府": 6,
             "其他": 12},
    "企业": {"金融": 10, "科技": 25, "教育": 6, "医疗": 8, "制造": 25, "零售": 18, "政府": 0,
             "其他": 8},
    "机构": {"金融": 6, "科技": 8, "教育": 30, "医疗": 25, "制造": 2, "零售": 2, "政府": 22,
             "其他": 5},
}

_INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "金融": ("投资", "资产管理", "融资租赁", "保险代理", "金融信息服务"),
    "科技": ("科技", "信息技术", "网络科技", "软件", "智能科技", "电子"),
    "教育": ("教育科技", "培训", "文化传播"),
    "医疗": ("医药", "医疗器械", "生物科技", "健康管理"),
    "制造": ("机械", "精密制造", "新材料", "汽车配件", "电气", "化工"),
    "零售": ("商贸", "百货", "连锁超市", "电子商务", "贸易"),
    "政府": ("城市建设投资", "公共服务"),
    "其他": ("物流", "餐饮管理", "建筑工程", "物业管理", "广告"),
}

_COMPANY_SUFFIXES = (("有限公司", 70.0), ("股份有限公司", 15.0), ("有限责任公司", 10.0),
                     ("集团有限公司", 5.0))

_INSTITUTION_NAMES: dict[str, tuple[str, ...]] = {
    "教育": ("{city}第{n}中学", "{city}实验小学", "{city}职业技术学院", "{city}第{n}幼儿园",
             "{prov}师范大学", "{city}开放大学"),
    "医疗": ("{city}第{n}人民医院", "{city}中医院", "{city}妇幼保健院", "{city}疾病预防控制中心",
             "{city}口腔医院"),
    "政府": ("{city}市场监督管理局", "{city}教育局", "{city}卫生健康委员会",
             "{city}人力资源和社会保障局", "{city}交通运输局", "{city}自然资源和规划局",
             "{city}政务服务中心"),
    "金融": ("{city}住房公积金管理中心", "{city}社会保险事业管理中心", "{prov}金融发展研究院"),
    "科技": ("{prov}科学技术研究院", "{city}科技创新服务中心", "{prov}计算技术研究所"),
    "制造": ("{city}产品质量检验研究院", "{city}计量测试所"),
    "零售": ("{city}消费者协会", "{city}商业联合会"),
    "其他": ("{city}图书馆", "{city}博物馆", "{city}红十字会", "{city}慈善总会"),
}

_PERSON_TITLES = ("经理", "工程师", "教师", "医生", "会计", "销售主管", "行政专员", "设计师",
                  "项目经理", "部门总监", "采购专员", "人力资源专员", "律师", "护士", "程序员",
                  "公务员", "财务主管", "店长", "研究员", "个体经营者")
_CONTACT_TITLES = ("采购经理", "行政主管", "总经理", "信息中心主任", "办公室主任", "财务总监",
                   "设备科科长", "后勤处处长", "项目负责人")

_SOURCES_PERSON = (("表单", 25.0), ("电话", 20.0), ("在线", 28.0), ("拜访", 5.0),
                   ("转介绍", 14.0), ("其他", 8.0))
_SOURCES_ORG = (("表单", 10.0), ("电话", 25.0), ("在线", 10.0), ("拜访", 35.0), ("转介绍", 15.0),
                ("其他", 5.0))
_CONSENT_CHANNEL_BY_SOURCE = {"表单": "表单", "电话": "电话", "在线": "在线", "拜访": "拜访"}
_CONSENT_NOTES = {"表单": "纸质授权书已签署存档", "电话": "电话录音确认", "在线": "线上勾选同意",
                  "拜访": "拜访时当面签署授权书", "其他": "客户书面确认"}
_PERSON_NOTES = ("偏好工作日下午联系", "希望通过微信沟通", "需开具增值税普通发票",
                 "老客户介绍，注意维护", "对价格较为敏感", "关注新品发布", "周末不便接听电话",
                 "家中有老人，关注健康类产品")
_ORG_NOTES = ("需开具增值税专用发票", "采购需走招投标流程", "付款周期较长，约 60 天",
              "年底集中采购", "对接人近期有变动", "需提供资质文件")

# (product, list price in yuan)
_CONSUMER_PRODUCTS: tuple[tuple[str, int], ...] = (
    ("智能手表 S3", 1299), ("无线降噪耳机", 899), ("家用净水器", 2599), ("空气净化器", 1899),
    ("扫地机器人", 2299), ("电动牙刷礼盒", 299), ("保温杯套装", 159), ("明前龙井礼盒", 688),
    ("有机大米 10kg", 129), ("坚果礼盒", 199), ("年度会员服务", 365), ("延保服务（两年）", 399),
    ("智能门锁", 1599), ("按摩椅", 8999), ("咖啡机", 3299), ("护肤品套装", 799),
    ("儿童学习平板", 1999), ("蓝牙音箱", 499), ("电饭煲", 699), ("体检套餐", 1288),
    ("旅行箱 24 寸", 599), ("家用投影仪", 3999), ("羽绒服", 1099), ("跑步机", 4599),
)
_BUSINESS_PRODUCTS: tuple[tuple[str, int], ...] = (
    ("企业云服务器（年）", 36000), ("办公软件授权（50 用户）", 24000),
    ("数据分析平台订阅（年）", 58000), ("网络安全审计服务", 45000), ("办公电脑", 5999),
    ("激光打印机", 3200), ("会议平板 86 寸", 19800), ("ERP 实施服务", 120000),
    ("员工培训课程包", 15000), ("工业传感器套件", 8600), ("设备维保服务（年）", 30000),
    ("企业邮箱（100 账户）", 9800), ("定制礼品采购", 12000), ("监控系统安装", 26000),
    ("呼叫中心坐席（年）", 18000), ("财务软件授权", 16800), ("机架式服务器", 42000),
    ("UPS 电源", 7800), ("办公家具套装", 22000), ("技术咨询（人天）", 3000),
)

_PAYMENTS_PERSON = (("微信支付", 35.0), ("支付宝", 35.0), ("银行卡", 20.0), ("现金", 5.0),
                    ("银行转账", 5.0))
_PAYMENTS_ORG = (("银行转账", 80.0), ("银行卡", 10.0), ("支付宝", 5.0), ("微信支付", 5.0))

_INTERACTIONS: dict[str, tuple[str, ...]] = {
    "电话": ("电话沟通采购需求，客户表示下月有追加计划", "电话确认发货时间及收货地址",
             "致电了解产品使用情况，客户反馈良好", "电话介绍新品及优惠活动，客户有兴趣",
             "客户来电咨询发票开具事宜，已解答", "电话回访售后维修进度",
             "沟通续约意向，客户需内部审批", "电话提醒客户合同即将到期"),
    "邮件": ("发送季度对账单，请客户核对", "邮件发送产品报价单及方案",
             "邮件回复客户关于技术参数的询问", "发送新品目录及价格表", "邮件确认合同条款修改意见"),
    "短信": ("短信通知订单已发货", "发送会员积分到期提醒", "短信推送节日优惠活动",
             "短信提醒客户预约的上门服务时间"),
    "拜访": ("上门拜访客户负责人，了解年度采购计划", "拜访客户并现场演示新产品",
             "陪同技术人员上门解决安装问题", "拜访客户商讨合作框架协议"),
    "在线": ("在线客服解答产品使用问题", "微信沟通订单配送细节", "在线发送电子合同供客户确认",
             "企业微信群内答复客户咨询"),
}
_METHODS_PERSON = (("电话", 40.0), ("在线", 25.0), ("短信", 15.0), ("邮件", 12.0), ("拜访", 8.0))
_METHODS_ORG = (("电话", 35.0), ("邮件", 25.0), ("拜访", 20.0), ("在线", 15.0), ("短信", 5.0))

_VISIT_METHODS = (("电话", 50.0), ("在线问卷", 15.0), ("短信", 13.0), ("上门", 12.0),
                  ("邮件", 10.0))
_FOLLOW_PURPOSES = ("售后回访", "满意度回访", "续约沟通", "新品推荐", "节日问候",
                    "使用情况了解", "回款确认")
_FOLLOW_CONTENT = ("询问产品使用情况及改进建议", "介绍新品及会员权益", "确认上次问题是否已解决",
                   "沟通下一阶段合作计划", "提醒合同续签事宜")
_FOLLOW_FEEDBACK = ("产品使用正常，无问题", "希望加快配送速度", "对服务满意",
                    "价格偏高，考虑比较其他品牌", "有追加采购意向", "暂无新需求",
                    "建议增加售后网点")
_FOLLOW_RESULTS = ("客户满意", "有购买意向", "需再次跟进", "已解决客户疑问", "客户暂无需求",
                   "已安排技术支持", "客户同意续约")
_WINBACK = "流失挽回回访"

_COMPLAINT_CHANNELS = (("电话", 45.0), ("在线客服", 30.0), ("邮件", 15.0), ("反馈表", 10.0))
_COMPLAINT_TYPE_WEIGHTS: dict[str, float] = {
    "产品质量": 28, "服务态度": 15, "物流配送": 25, "价格收费": 12, "售后维修": 14, "其他": 6,
}
_COMPLAINT_TEXT: dict[str, tuple[str, ...]] = {
    "产品质量": ("收到的产品外包装破损，内部零件松动", "使用两周后出现故障，无法正常开机",
                 "产品实际性能与宣传不符", "同批次产品存在明显色差"),
    "服务态度": ("客服人员回复不耐烦，问题未得到解答", "上门服务人员迟到且态度冷淡",
                 "多次致电无人接听"),
    "物流配送": ("订单超过承诺时间五天仍未送达", "快递未经同意放在驿站", "配送过程中货物损坏",
                 "发错货，型号与订单不符"),
    "价格收费": ("账单中出现未告知的服务费", "同款产品价格高于活动页面标价",
                 "退款金额与实付金额不一致"),
    "售后维修": ("维修后同一问题再次出现", "维修周期过长，超过两周未修好",
                 "保修期内被要求支付维修费"),
    "其他": ("发票信息开具错误", "会员积分未按规则到账", "资料变更申请迟迟未处理"),
}
_COMPLAINT_SOLUTIONS: dict[str, tuple[str, ...]] = {
    "产品质量": ("为客户更换新品并致歉", "办理退货退款", "安排技术人员上门检测更换部件"),
    "服务态度": ("对相关人员进行批评教育，并向客户致歉", "更换对接人员，主管回访致歉"),
    "物流配送": ("补发正确型号商品", "协调物流加急配送并赠送优惠券", "按破损情况赔付"),
    "价格收费": ("退还差价并说明计费规则", "取消不合理收费项目"),
    "售后维修": ("更换整机", "延长保修期一年并免费维修"),
    "其他": ("重新开具发票", "补录积分并致歉", "当日完成资料变更"),
}
_HANDLING_STEPS = ("受理登记，转交相关部门", "联系客户核实情况", "协调相关部门处理",
                   "制定解决方案并与客户确认", "回访确认客户满意")

_SURVEY_CHANNELS = (("短信", 30.0), ("在线问卷", 30.0), ("电话回访", 25.0), ("邮件", 10.0),
                    ("微信", 5.0))
_SCORES = ((5, 45.0), (4, 35.0), (3, 12.0), (2, 5.0), (1, 3.0))
_SCORES_AFTER_COMPLAINT = ((5, 25.0), (4, 30.0), (3, 20.0), (2, 15.0), (1, 10.0))
_SURVEY_COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("服务很专业，非常满意", "响应及时，点赞", "产品质量好，会继续合作"),
    4: ("整体满意，配送可以更快", "服务不错，希望多一些优惠"),
    3: ("一般，价格偏高", "还可以，有待改进"),
    2: ("处理速度太慢", "售后沟通不顺畅"),
    1: ("问题一直没解决，很失望", "不会再购买了"),
}
_NON_RENEWAL = ("预算缩减", "选择了其他供应商", "业务调整，暂无需求", "对服务不满意",
                "价格未谈拢", "公司合并，采购集中")
_TIER_REASON = "按近12个月消费自动评级"


# ---- small helpers --------------------------------------------------------------------------

_SLOTS = 4096


class _Weighted:
    """Weighted choice from a uniform number in [0, 1) by table lookup (no search per call).

    The table has 4096 slots, so weights are honoured to about 0.02 %; a value too light to
    get a slot is refused rather than silently never chosen.
    """

    __slots__ = ("table",)

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        pairs = [(v, w) for v, w in pairs if w > 0]
        cum: list[float] = []
        acc = 0.0
        for _, w in pairs:
            acc += w
            cum.append(acc)
        self.table = [pairs[min(bisect(cum, (k + 0.5) / _SLOTS * acc), len(pairs) - 1)][0]
                      for k in range(_SLOTS)]
        missing = {v for v, _ in pairs} - set(self.table)
        if missing:
            raise ValueError(f"weights too small for the choice table: {sorted(missing)}")

    def pick(self, u: float) -> Any:
        return self.table[int(u * _SLOTS)]


@lru_cache(maxsize=8)
def _demo_hash(password: str) -> str:
    """Hash of a public demo password, once per process (tests seed many databases)."""
    return hash_password(password)


@lru_cache(maxsize=1)
def _unusable_hash() -> str:
    """Hash of a random password nobody knows: account managers own customers, not logins."""
    return hash_password(secrets.token_urlsafe(32))


def _coprime_multiplier(rng: random.Random, modulus_digits: int) -> int:
    """An odd multiplier not divisible by 5, so ``i -> i*a+b mod 10**n`` is a bijection."""
    while True:
        a = rng.randrange(10 ** (modulus_digits - 1), 10 ** modulus_digits) | 1
        if a % 5:
            return a


# ---- pools built once from Faker --------------------------------------------------------------

@dataclass(frozen=True)
class _Pools:
    surnames: list[str]
    male_given: list[str]
    female_given: list[str]
    streets: list[str]
    brands: list[str]
    logins: list[str]
    domains: list[str]


_BRAND_CHARS = ("华鑫恒泰瑞达源兴信诚博宏盛安新天利汇和通海聚嘉佳富康元德合美正隆东星光明创智联"
                "云金永昌丰茂腾飞远辉润禾致卓越君晟弘峰尚成锦宇航鼎振启益久万")
_BRAND_ENDINGS = ("公司", "电子", "软件", "信息", "计算机", "科技", "数字", "电脑")


@lru_cache(maxsize=4)
def _build_pools(seed: int) -> _Pools:
    """A few thousand Faker values, combined per row with the seeded RNG (Faker per row is slow)."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(f"pools:{seed}")
    surnames = [fake.last_name() for _ in range(3000)]
    given: dict[bool, list[str]] = {}
    for male in (True, False):
        faker_names = [fake.first_name_male() if male else fake.first_name_female()
                       for _ in range(1500)]
        chars = sorted({c for n in faker_names for c in n})
        combos = ["".join(rng.sample(chars, 2)) for _ in range(2500)]
        given[male] = faker_names + combos
    streets = sorted({s for s in (fake.street_name() for _ in range(3000)) if len(s) >= 3})
    streets += [f"{fake.city_name()}{suffix}" for suffix in ("路", "大道", "街")
                for _ in range(150)]
    # Faker has only ~80 company prefixes; add two-character trade names from common characters.
    brands = {b for b in (fake.company_prefix() for _ in range(1000))
              if 2 <= len(b) <= 4 and b.isalpha() and not b.endswith(_BRAND_ENDINGS)}
    brands |= {"".join(rng.sample(_BRAND_CHARS, 2)) for _ in range(4000)}
    brands = sorted(brands)
    logins = sorted({"".join(c for c in fake.user_name() if c.isascii() and c.isalpha())
                     for _ in range(5000)} - {""})
    domains = sorted({fake.domain_name() for _ in range(3000)})
    return _Pools(surnames, given[True], given[False], streets, brands, logins, domains)


# ---- writers --------------------------------------------------------------------------------

class _Writer:
    """Bulk-writes plain tuples into one table, in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        raise NotImplementedError


class _SqliteWriter(_Writer):
    """``executemany`` of positional tuples: the fastest bulk path SQLite has."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._sql: dict[str, str] = {}

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        stmt = self._sql.get(table)
        if stmt is None:
            quote = self.conn.dialect.identifier_preparer.quote
            # Identifiers come from the model, never from input; values are bound.
            stmt = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                    f"VALUES ({', '.join('?' * len(columns))})")
            self._sql[table] = stmt
        self.conn.exec_driver_sql(stmt, rows)


class _CopyWriter(_Writer):
    """PostgreSQL ``COPY ... FROM STDIN`` through psycopg, inside the open transaction."""

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        with copy_in(self.conn, table, columns) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


# ---- the generator --------------------------------------------------------------------------

CUSTOMER_COLUMNS: tuple[str, ...] = (
    "id", "customer_no", "name", "customer_type", "gender", "mobile", "phone", "email",
    "id_number_enc", "id_number_hash", "company", "title", "industry", "province", "city",
    "address", "tier", "tier_source", "tier_set_by_id", "tier_reason", "lifecycle",
    "value_segment", "account_manager_id", "source", "notes", "consent_service",
    "consent_marketing", "first_order_at", "last_order_at", "last_contact_at",
    "created_at", "created_by_id", "updated_at", "updated_by_id", "last_reviewed_at",
    "deleted_at", "deleted_by_id", "version",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": CUSTOMER_COLUMNS,
    "customer_tags": ("customer_id", "tag_id"),
    "tier_changes": ("id", "customer_id", "from_tier", "to_tier", "source", "user_id", "reason",
                     "changed_at"),
    "orders": ("id", "customer_id", "order_no", "order_date", "product", "quantity", "amount",
               "payment_method", "created_at"),
    "interactions": ("id", "customer_id", "occurred_at", "method", "content", "user_id",
                     "created_at"),
    "follow_ups": ("id", "customer_id", "planned_date", "done_date", "method", "purpose",
                   "content", "feedback", "result", "next_date", "assignee_id", "created_at"),
    "complaints": ("id", "customer_id", "channel", "complaint_type", "description",
                   "received_at", "handler_id", "status", "handling_steps", "solution",
                   "resolved_at", "resolution_minutes", "closed_at", "created_at", "version"),
    "surveys": ("id", "customer_id", "survey_date", "score", "channel", "comment",
                "complaint_id", "created_at"),
    "contracts": ("id", "customer_id", "contract_no", "start_date", "end_date", "amount",
                  "previous_contract_id", "created_at"),
    "renewals": ("id", "contract_id", "customer_id", "due_date", "decided_at", "outcome",
                 "amount", "reason", "new_contract_id", "created_at"),
    "consent_ledger": ("id", "customer_id", "purpose", "granted", "at", "channel", "user_id",
                       "username", "note", "import_id"),
}
_ID_TABLES = tuple(t for t in SEEDED_TABLES if COLUMNS[t][0] == "id")
_LOCAL_ID_TABLES = tuple(t for t in _ID_TABLES if t != "customers")

_PHI = (math.sqrt(5) - 1) / 2
_SQRT2_FRACTION = math.sqrt(2) - 1
_SPAN_DAYS = 5 * 365 + 1          # customers were created over the last five years
_RECORD_DAYS = 730                # records cover the last two years
_GROWTH = math.log(3.0)           # the newest year signs up about three times the oldest
_BUSINESS_START = 8 * 3600 + 30 * 60
_BUSINESS_SPAN = 12 * 3600        # 08:30 - 20:30 local
_UTC_OFFSET = 8 * 3600            # China Standard Time has no daylight saving


class _Calendar:
    """When customer ``i`` of ``total`` was created, as a pure function of ``i``.

    Creation times increase with ``i`` (ids follow time) and are denser in recent years; the
    jitter inside each customer's slot comes from ``i`` and the seed, not from a running RNG,
    so any process can number any chunk's customers (C + year + sequence within the year)
    without having seen the chunks before it.
    """

    def __init__(self, seed: int, today: date, total: int) -> None:
        self.total = max(total, 1)
        self.today_ord = today.toordinal()
        self.start_ord = self.today_ord - _SPAN_DAYS
        self.base_ord = self.start_ord - 400  # day strings reach well before and after
        self.days = [date.fromordinal(o).isoformat()
                     for o in range(self.base_ord, self.today_ord + 800)]
        self.years = [date.fromordinal(o).year for o in range(self.base_ord, self.today_ord + 800)]
        self.jitter_offset = random.Random(f"calendar:{seed}").random()
        self.growth_m1 = math.exp(_GROWTH) - 1
        self.year_first = {year: self._first_index(year)
                           for year in range(self.year_of(0), self.year_of(self.total - 1) + 1)}

    def created(self, i: int) -> tuple[int, int]:
        """Local day (ordinal) and second of the day customer ``i`` was created."""
        u = (i + (self.jitter_offset + (i + 1) * _SQRT2_FRACTION) % 1.0) / self.total
        pos = math.log1p(u * self.growth_m1) / _GROWTH * _SPAN_DAYS
        day_off = int(pos)
        return (min(self.start_ord + day_off, self.today_ord - 1),
                _BUSINESS_START + int((pos - day_off) * _BUSINESS_SPAN))

    def year_of(self, i: int) -> int:
        return self.years[self.created(i)[0] - self.base_ord]

    def _first_index(self, year: int) -> int:
        """The first customer created in ``year`` or later (binary search: created() grows)."""
        lo, hi = 0, self.total
        while lo < hi:
            mid = (lo + hi) // 2
            if self.year_of(mid) < year:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def customer_no(self, i: int, year: int) -> str:
        return f"C{year}{i - self.year_first[year] + 1:06d}"

    def last_numbers(self, customers: int) -> dict[int, int]:
        """The last sequence number issued per year to customers ``0..customers-1``."""
        result = {}
        for year, first in self.year_first.items():
            following = self.year_first.get(year + 1, self.total)
            count = min(following, customers) - first
            if count > 0:
                result[year] = count
        return result


class _Generator:
    """Makes the rows of a range of customers, with ids local to the chunk (see ``_relabel``)."""

    def __init__(self, *, seed: int, today: date, total: int, settings: Settings, pools: _Pools,
                 users: dict[str, int], tag_ids: dict[str, int], first_customer_id: int,
                 postgres: bool) -> None:
        self.seed = seed
        self.today = today
        self.total = total
        self.settings = settings
        self.rules = settings.tier_rules
        self.pools = pools
        self.tag_ids = tag_ids
        self.first_customer_id = first_customer_id
        self.ids: dict[str, Callable[[], int]] = {}  # per chunk, from 0: see chunk()
        self._c_ord = self._c_sec = 0  # the customer being generated: its creation day, second
        self.calendar = _Calendar(seed, today, total)
        self.today_ord = today.toordinal()
        self.t12_ord = tiering.twelve_months_start(today).toordinal()
        self.base_ord = self.calendar.base_ord
        self.days = self.calendar.days
        self.years = self.calendar.years
        # " HH:MM:SS" in UTC for each local second of the day, with the backend's suffix.
        suffix = "+00" if postgres else ".000000"
        self.hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        self.ts_suffix = suffix
        self.utc_tail = [f" {self.hms[(s - _UTC_OFFSET) % 86400]}{suffix}" for s in range(86400)]
        self.money = _pg_money if postgres else _sqlite_money
        master = random.Random(f"demo:{seed}")
        self.mobile_a = _coprime_multiplier(master, 8)
        self.mobile_b = master.randrange(10 ** 8)
        self.mail_a = _coprime_multiplier(master, 7)
        self.mail_b = master.randrange(10 ** 7)
        self.qq_a = _coprime_multiplier(master, 9)
        self.qq_b = master.randrange(10 ** 9)
        self.phi_offset = master.random()

        self.provinces = _Weighted([(p, max(_POPULATION.get(p, 3.0), 3.0)) for p in PROVINCES])
        self.cities = {p: _Weighted([(c, 3.0 if k == 0 else 2.0 if k == 1 else 1.0)
                                     for k, c in enumerate(MAJOR_CITIES[p])])
                       for p in PROVINCES}
        self.types = _Weighted(_TYPE_WEIGHTS)
        industries = settings.industries
        self.industries = {
            t: _Weighted([(ind, _INDUSTRY_WEIGHTS[t].get(ind, 5.0)) for ind in industries])
            for t in ("个人", "企业", "机构")
        }
        self.suffixes = _Weighted(_COMPANY_SUFFIXES)
        self.free_mail = _Weighted(_FREE_MAIL)
        self.sources_person = _Weighted(_SOURCES_PERSON)
        self.sources_org = _Weighted(_SOURCES_ORG)
        self.pay_person = _Weighted(_PAYMENTS_PERSON)
        self.pay_org = _Weighted(_PAYMENTS_ORG)
        self.methods_person = _Weighted(_METHODS_PERSON)
        self.methods_org = _Weighted(_METHODS_ORG)
        self.visit_methods = _Weighted(_VISIT_METHODS)
        self.complaint_channels = _Weighted(_COMPLAINT_CHANNELS)
        self.complaint_types = _Weighted([(t, _COMPLAINT_TYPE_WEIGHTS.get(t, 5.0))
                                          for t in COMPLAINT_TYPES])
        self.survey_channels = _Weighted(_SURVEY_CHANNELS)
        self.scores = _Weighted(_SCORES)
        self.scores_complaint = _Weighted(_SCORES_AFTER_COMPLAINT)

        managers = [users[u] for u, _ in ACCOUNT_MANAGERS]
        self.owner_person = _Weighted([(u, 14.0) for u in managers]
                                      + [(users["clerk"], 12.0), (users["manager"], 4.0)])
        self.owner_org = _Weighted([(u, 13.0) for u in managers] + [(users["manager"], 22.0)])
        self.staff = managers + [users["clerk"], users["manager"]]
        self.clerk_id = users["clerk"]
        self.usernames = {uid: name for name, uid in users.items()}

    # -- formatting ----------------------------------------------------------------------------

    def ts(self, day_ord: int, local_seconds: int) -> str:
        """Timestamp text for a local day and second of day, stored as UTC."""
        return (self.days[day_ord - self.base_ord - (local_seconds < _UTC_OFFSET)]
                + self.utc_tail[local_seconds])

    def day(self, day_ord: int) -> str:
        return self.days[day_ord - self.base_ord]

    def when(self, rnd: Callable[[], float], day_ord: int) -> str:
        """A business-hours timestamp on ``day_ord``, never before the current customer's
        creation on that same day."""
        sec = _BUSINESS_START + int(rnd() * _BUSINESS_SPAN)
        if day_ord == self._c_ord and sec <= self._c_sec:
            sec = min(self._c_sec + 60 + int(rnd() * 3600), 86399)
        return self.ts(day_ord, sec)

    def _next(self, table: str) -> int:
        return self.ids[table]()

    # -- one chunk -----------------------------------------------------------------------------

    def chunk(self, start: int, stop: int) -> dict[str, list[tuple]]:
        """Rows of customers ``start``..``stop-1`` (0-based), for every seeded table.

        Customer ids are final; the other tables' ids count from 0 in each chunk, so chunks can
        be made in any order or process; ``_relabel`` shifts them in the writing process.
        """
        rng = random.Random(f"demo:{self.seed}:{start}")
        self.ids = {t: itertools.count(0).__next__ for t in _LOCAL_ID_TABLES}
        out: dict[str, list[tuple]] = {t: [] for t in SEEDED_TABLES}
        for i in range(start, stop):
            self._customer(rng, i, out)
        return out

    def _customer(self, rng: random.Random, i: int, out: dict[str, list[tuple]]) -> None:
        rnd = rng.random
        pools = self.pools
        today_ord = self.today_ord
        yest = today_ord - 1
        cid = self.first_customer_id + i

        c_ord, c_sec = self.calendar.created(i)
        created = self.ts(c_ord, c_sec)
        self._c_ord, self._c_sec = c_ord, c_sec
        year = self.years[c_ord - self.base_ord]

        ctype = self.types.pick(rnd())
        person = ctype == "个人"
        province = self.provinces.pick((self.phi_offset + i * _PHI) % 1.0)
        city = self.cities[province].pick(rnd())
        city_short = city[:-1] if city.endswith("市") and len(city) > 2 else city
        prov_code = CODE_BY_PROVINCE[province]
        industry = self.industries[ctype].pick(rnd())
        owner = (self.owner_person if person else self.owner_org).pick(rnd())
        street = pools.streets[int(rnd() * len(pools.streets))]
        mobile = (_MOBILE_PREFIXES[int(rnd() * len(_MOBILE_PREFIXES))]
                  + f"{(i * self.mobile_a + self.mobile_b) % 100_000_000:08d}")
        phone = None
        area = _AREA_CODES.get(city)

        if person:
            male = rnd() < 0.51
            gender = "男" if male else "女"
            given = pools.male_given if male else pools.female_given
            name = (pools.surnames[int(rnd() * len(pools.surnames))]
                    + given[int(rnd() * len(given))])
            age = 22 + int(48 * rnd() ** 1.4)
            birth = date.fromordinal(today_ord - age * 365 - int(rnd() * 365))
            id_code = prov_code if rnd() < 0.85 else CODE_BY_PROVINCE[
                self.provinces.pick(rnd())]
            id_number = make_resident_id(rng, id_code, birth, male=male)
            if rnd() < 0.55:
                company = self._company_name(rnd, city_short, industry)
                title = _PERSON_TITLES[int(rnd() * len(_PERSON_TITLES))]
            else:
                company = title = None
            email = self._email(rnd, i, corporate=False) if rnd() < 0.65 else None
            if area and rnd() < 0.05:
                phone = f"{area}-{self._landline(rnd)}"
            room = (1 + int(rnd() * 28)) * 100 + 1 + int(rnd() * 4)
            address = (f"{street}{1 + int(rnd() * 300)}号{1 + int(rnd() * 30)}栋"
                       f"{1 + int(rnd() * 6)}单元{room}室")
            notes = _PERSON_NOTES[int(rnd() * len(_PERSON_NOTES))] if rnd() < 0.15 else None
            consent = rnd() < 0.88
        else:
            gender = None
            if ctype == "机构":
                name = self._institution_name(rnd, province, city, industry)
            else:
                name = self._company_name(rnd, city_short, industry)
            company = name
            title = None
            id_number = make_credit_code(rng, province_code=prov_code,
                                         institution=ctype == "机构")
            email = self._email(rnd, i, corporate=True) if rnd() < 0.85 else None
            if area and rnd() < 0.75:
                phone = f"{area}-{self._landline(rnd)}"
            address = (f"{street}{1 + int(rnd() * 999)}号"
                       + (f"{pools.brands[int(rnd() * len(pools.brands))][:2]}大厦"
                          f"{2 + int(rnd() * 30)}层" if rnd() < 0.6 else ""))
            given = pools.male_given if rnd() < 0.5 else pools.female_given
            contact = (pools.surnames[int(rnd() * len(pools.surnames))]
                       + given[int(rnd() * len(given))])
            notes = f"联系人：{contact}（{_CONTACT_TITLES[int(rnd() * len(_CONTACT_TITLES))]}）"
            if rnd() < 0.3:
                notes += "；" + _ORG_NOTES[int(rnd() * len(_ORG_NOTES))]
            consent = rnd() < 0.7
        source = (self.sources_person if person else self.sources_org).pick(rnd())

        # -- activity ----------------------------------------------------------------------
        w0 = max(c_ord, today_ord - _RECORD_DAYS)
        age_days = today_ord - c_ord
        c_date = date.fromordinal(c_ord)
        tenure = tiering.tenure_years(c_date, self.today)
        r = rnd()
        if r < 0.13:
            profile = "prospect"
        elif r < 0.28 and age_days > 430:
            profile = "churned"
        elif r < 0.31 and age_days > 150:
            profile = "late"
        else:
            profile = "active"
        if profile == "churned":  # silent for a year or more
            end = min(max(w0 + 20, today_ord - 366 - int(rnd() * 300)), today_ord - 366)
        else:
            end = yest

        order_days = self._order_days(rnd, profile, c_ord, w0, end, tenure)
        cust_orders = out["orders"]
        spend_12m = 0
        orders_12m = 0
        whale = len(order_days) >= 12
        scale = (2.5 if whale else 1.0) * math.exp(rng.gauss(0.0, 0.4))
        products = _CONSUMER_PRODUCTS if person else _BUSINESS_PRODUCTS
        pay = self.pay_person if person else self.pay_org
        for k, od in enumerate(order_days):
            product, price = products[int(rnd() * len(products))]
            qty = max(1, round((1 + int(rnd() ** 3 * (3 if person else 8))) * scale))
            cents = int(price * qty * (85 + int(rnd() * 16)))  # 85-100 % of list price
            oid = self._next("orders")
            when = self.when(rnd, od)
            # Unique without a global counter: the customer's id and its order's rank.
            cust_orders.append((oid, cid, f"SO{self.day(od).replace('-', '')}{cid:07d}{k:02d}",
                                self.day(od), product, qty, self.money(cents),
                                pay.pick(rnd()), when))
            if od >= self.t12_ord:
                spend_12m += cents
                orders_12m += 1
        first_order = order_days[0] if order_days else None
        last_order = order_days[-1] if order_days else None

        contact_days = self._interactions(rnd, out, cid, owner, person, profile, w0, end)
        done_days, overdue = self._follow_ups(rnd, out, cid, owner, profile, w0, end)
        last_contact = max(contact_days + done_days, default=None)
        n_complaints, renewed = 0, False
        if order_days:
            n_complaints = self._complaints(rng, out, cid, first_order, end)
            self._surveys(rnd, out, cid, order_days, end)
        if rnd() < (0.02 if person else 0.65):
            renewed = self._contracts(rnd, out, cid, person, profile, w0)

        # -- derived fields, by the same rules the app applies ------------------------------
        spend = Decimal(spend_12m).scaleb(-2)
        tier = tiering.compute_tier(spend, orders_12m, tenure, self.rules)
        lifecycle = tiering.compute_lifecycle(
            c_date, _d(first_order), _d(last_order), _d(last_contact),
            self.today, self.settings)
        segment = tiering.compute_value_segment(tier, lifecycle, spend, self.rules)
        if tier != Tier.SILVER:
            out["tier_changes"].append((
                self._next("tier_changes"), cid, Tier.SILVER.value, tier.value, "rule", None,
                _TIER_REASON, self.ts(last_order or yest, 23 * 3600)))
        self._tags(rnd, out, cid, person, tier, segment.value, lifecycle, source,
                   n_complaints, overdue, renewed)

        last_act = max(c_ord, last_order or c_ord, last_contact or c_ord)
        # Records can arrive until 21:30; the nightly recalculation touches the row after them.
        updated = self.ts(last_act, 23 * 3600 + int(rnd() * 1800))
        reviewed = (self.ts(c_ord + 1 + int(rnd() * (yest - c_ord)), 10 * 3600)
                    if c_ord < yest and rnd() < 0.5 else None)
        service, marketing = self._consent(rnd, out, cid, owner, consent, source, c_ord, c_sec,
                                           yest)
        row = (
            cid, self.calendar.customer_no(i, year), name, ctype, gender, mobile, phone, email,
            id_number, None, company, title, industry,  # encrypted in _insert_customers
            province, city, address, tier.value, "rule", None, None, lifecycle.value,
            segment.value, owner, source, notes, service, marketing,
            self.day(first_order) if first_order else None,
            self.day(last_order) if last_order else None,
            self.day(last_contact) if last_contact else None,
            created, owner if rnd() < 0.7 else self.clerk_id, updated, owner, reviewed,
            None, None, 1,
        )
        out["customers"].append(row)

    # -- pieces --------------------------------------------------------------------------------

    def _consent(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
                 owner: int, consent: bool, source: str | None, c_ord: int, c_sec: int,
                 yest: int) -> tuple[bool | None, bool | None]:
        """The consent ledger of one customer (services.privacy.consent) and its current
        state per purpose (服务, 营销): asked at creation through the customer's own channel
        (most agree to service, about three in five to marketing), a few declining
        marketing outright; about one marketing grant in eight withdrawn later, by phone."""
        if not consent:  # never asked (older records): nothing recorded
            return None, None
        at = self.ts(c_ord, min(c_sec + 60 + int(rnd() * 600), 86399))
        kind = int(rnd() * 5)  # what was asked for and answered
        late = rnd()
        channel = _CONSENT_CHANNEL_BY_SOURCE.get(source or "", "其他")
        note = _CONSENT_NOTES[channel]
        name = self.usernames.get(owner, "admin")
        rows = out["consent_ledger"]
        rows.append((self._next("consent_ledger"), cid, "服务", True, at, channel, owner, name,
                     note, None))
        marketing: bool | None = None
        if kind in (0, 3, 4):
            marketing = True
            rows.append((self._next("consent_ledger"), cid, "营销", True, at, channel, owner,
                         name, note, None))
            if late < 0.125 and c_ord < yest:
                day = c_ord + 1 + int(late * 8 * (yest - c_ord))
                rows.append((self._next("consent_ledger"), cid, "营销", False,
                             self.ts(min(day, yest), _BUSINESS_START + int(late * 1e6) % 30000),
                             "电话", owner, name, "客户来电要求不再接收营销信息", None))
                marketing = False
        elif kind == 1:
            marketing = False
            rows.append((self._next("consent_ledger"), cid, "营销", False, at, channel, owner,
                         name, "客户不同意接收营销信息", None))
        return True, marketing

    def _company_name(self, rnd: Callable[[], float], city_short: str, industry: str) -> str:
        words = _INDUSTRY_WORDS.get(industry) or _INDUSTRY_WORDS["其他"]
        brand = self.pools.brands[int(rnd() * len(self.pools.brands))]
        return f"{city_short}{brand}{words[int(rnd() * len(words))]}{self.suffixes.pick(rnd())}"

    def _institution_name(self, rnd: Callable[[], float], province: str, city: str,
                          industry: str) -> str:
        forms = _INSTITUTION_NAMES.get(industry) or _INSTITUTION_NAMES["其他"]
        form = forms[int(rnd() * len(forms))]
        prov = province.removesuffix("省").removesuffix("市")
        for long in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区"):
            prov = prov.removesuffix(long)
        return form.format(city=city, prov=prov, n="一二三四五六七八九"[int(rnd() * 9)])

    def _landline(self, rnd: Callable[[], float]) -> str:
        """Eight digits: the length in every city the area-code table lists."""
        return f"{2 + int(rnd() * 7)}{int(rnd() * 10 ** 7):07d}"

    def _email(self, rnd: Callable[[], float], i: int, *, corporate: bool) -> str:
        """Unique by construction: the digits are a bijection of the customer's index."""
        logins = self.pools.logins
        if corporate:
            domain = self.pools.domains[int(rnd() * len(self.pools.domains))]
        elif rnd() < 0.4:
            return f"{10 ** 8 + (i * self.qq_a + self.qq_b) % 10 ** 9}@qq.com"
        else:
            domain = self.free_mail.pick(rnd())
        login = logins[int(rnd() * len(logins))]
        return f"{login}{(i * self.mail_a + self.mail_b) % 10 ** 7}@{domain}"

    def _order_days(self, rnd: Callable[[], float], profile: str, c_ord: int, w0: int,
                    end: int, tenure: float) -> list[int]:
        """Order dates (ordinals, sorted) by activity profile.

        A customer created inside the two-year window buys soon after it is created (so
        新客户 are the recently created ones); heavy buyers place most orders in the last year.
        """
        if profile == "prospect" or end < w0:
            return []
        today_ord = self.today_ord
        if profile == "late":  # an old contact whose first purchase is recent
            lo = max(w0, today_ord - 85)
            return sorted(lo + int(rnd() * (end - lo + 1)) for _ in range(1 + int(rnd() * 3)))
        if c_ord >= w0:
            first = min(c_ord + int(-math.log(1.0 - rnd()) * 20), end)
        else:
            first = w0 + int(rnd() * (end - w0 + 1) * 0.6)
        if profile == "churned":
            n_recent, n_old = 0, int(rnd() * 4)
        else:
            r = rnd()
            whale_p = 0.045 if tenure >= 2 else 0.012
            if r < whale_p:
                n_recent, n_old = 12 + int(rnd() * 9), int(rnd() * 6)
            elif r < whale_p + 0.06:
                n_recent, n_old = 5 + int(rnd() * 5), int(rnd() * 4)
            elif r < whale_p + 0.28:
                n_recent, n_old = 0, 2 + int(rnd() * 4)
            else:
                n_recent, n_old = 0, int(rnd() < 0.5)
        days = [first]
        recent_lo = max(first, self.t12_ord)
        days += [recent_lo + int(rnd() * (end - recent_lo + 1)) for _ in range(n_recent)]
        span = end - first + 1
        days += [end - int(span * rnd() ** 1.3) for _ in range(n_old)]
        return sorted(days)

    def _interactions(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
                      owner: int, person: bool, profile: str, w0: int, end: int) -> list[int]:
        if profile == "churned":
            n = 1 + int(rnd() * 2)
        elif profile == "prospect":
            n = int(rnd() * 3)
        else:
            n = 1 + int(rnd() * 3)
        methods = self.methods_person if person else self.methods_org
        rows = out["interactions"]
        days = []
        span = end - w0 + 1
        for k in range(n):
            if k == 0 and profile in ("active", "late") and rnd() < 0.85:
                lo = max(w0, self.today_ord - 180)
                d = lo + int(rnd() * (end - lo + 1))
            else:
                d = w0 + int(rnd() * span)
            method = methods.pick(rnd())
            texts = _INTERACTIONS[method]
            when = self.when(rnd, d)
            user = owner if rnd() < 0.85 else self.staff[int(rnd() * len(self.staff))]
            rows.append((self._next("interactions"), cid, when, method,
                         texts[int(rnd() * len(texts))], user, when))
            days.append(d)
        return days

    def _follow_ups(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
                    owner: int, profile: str, w0: int, end: int) -> tuple[list[int], bool]:
        """回访: done (with result), planned ahead, or overdue. Returns done days, any overdue."""
        r = rnd()
        n = 0 if r < 0.25 else 1 if r < 0.8 else 2
        rows = out["follow_ups"]
        today_ord = self.today_ord
        done_days: list[int] = []
        overdue = False
        for _ in range(n):
            k = rnd()
            purpose = _FOLLOW_PURPOSES[int(rnd() * len(_FOLLOW_PURPOSES))]
            method = self.visit_methods.pick(rnd())
            done = content = feedback = result = next_date = None
            if k < 0.65 and end >= w0:
                planned = w0 + int(rnd() * (end - w0 + 1))
                done_ord = min(planned + int(rnd() * 3), end)
                done = self.day(done_ord)
                done_days.append(done_ord)
                content = _FOLLOW_CONTENT[int(rnd() * len(_FOLLOW_CONTENT))]
                feedback = _FOLLOW_FEEDBACK[int(rnd() * len(_FOLLOW_FEEDBACK))]
                result = _FOLLOW_RESULTS[int(rnd() * len(_FOLLOW_RESULTS))]
                if rnd() < 0.4:
                    next_date = self.day(done_ord + 30 + int(rnd() * 60))
            elif k < 0.9 or profile == "churned":
                planned = today_ord + int(rnd() * 45)
                if profile == "churned":
                    purpose = _WINBACK
            else:
                planned = max(w0, today_ord - 1 - int(rnd() * 30))
                overdue = True
            made = max(min(planned - 1 - int(rnd() * 7), today_ord - 1), w0)
            rows.append((self._next("follow_ups"), cid, self.day(planned), done, method, purpose,
                         content, feedback, result, next_date, owner, self.when(rnd, made)))
        return done_days, overdue

    def _complaints(self, rng: random.Random, out: dict[str, list[tuple]], cid: int,
                    first_order: int, end: int) -> int:
        """投诉 after a purchase; resolution takes hours to days, a few stay open past due."""
        rnd = rng.random
        r = rnd()
        n = 1 if r < 0.14 else 2 if r < 0.165 else 0
        now_limit = (self.today_ord - self.base_ord) * 86400 - _UTC_OFFSET  # today 00:00 local
        rows = out["complaints"]
        for _ in range(n):
            d = first_order + int(rnd() * (end - first_order + 1))
            sec = _BUSINESS_START + int(rnd() * _BUSINESS_SPAN)
            if d == self._c_ord and sec <= self._c_sec:
                sec = min(self._c_sec + 3600, 86399)
            received_abs = (d - self.base_ord) * 86400 + sec - _UTC_OFFSET
            ctype = self.complaint_types.pick(rnd())
            texts = _COMPLAINT_TEXT.get(ctype) or _COMPLAINT_TEXT["其他"]
            handler = self.staff[int(rnd() * len(self.staff))]
            # Lognormal handling time: median about 20 hours, rarely beyond five days.
            hours = min(max(math.exp(rng.gauss(math.log(20), 0.9)), 0.5), 150.0)
            resolved_abs = received_abs + int(hours * 3600)
            closed_abs = resolved_abs + int((2 + rnd() * 70) * 3600)
            stuck = rnd() < 0.03  # forgotten: still open long after it was received
            resolved = closed = solution = minutes = None
            steps_n = 2
            if stuck or resolved_abs >= now_limit:
                status = "待处理" if rnd() < 0.4 else "处理中"
                steps_n = 0 if status == "待处理" else 2
            else:
                resolved = self._abs_ts(resolved_abs)
                minutes = round((resolved_abs - received_abs) / 60)
                solutions = _COMPLAINT_SOLUTIONS.get(ctype) or _COMPLAINT_SOLUTIONS["其他"]
                solution = solutions[int(rnd() * len(solutions))]
                steps_n = 4 + int(rnd() * 2)
                if closed_abs < now_limit and rnd() < 0.75:
                    status, closed = "已关闭", self._abs_ts(closed_abs)
                else:
                    status = "已解决"
            cmp_id = self._next("complaints")
            received = self._abs_ts(received_abs)
            steps = "；".join(_HANDLING_STEPS[:steps_n]) or None
            rows.append((cmp_id, cid, self.complaint_channels.pick(rnd()), ctype,
                         texts[int(rnd() * len(texts))], received, handler, status, steps,
                         solution, resolved, minutes, closed, received, 1))
            if resolved is not None and rnd() < 0.5:
                s_ord = self.base_ord + (resolved_abs + _UTC_OFFSET) // 86400 + 1 + int(rnd() * 3)
                if s_ord < self.today_ord:
                    score = self.scores_complaint.pick(rnd())
                    self._survey_row(rnd, out, cid, s_ord, score, cmp_id)
        return n

    def _abs_ts(self, utc_seconds: int) -> str:
        day, sec = divmod(utc_seconds, 86400)
        return f"{self.days[day]} {self.hms[sec]}{self.ts_suffix}"

    def _surveys(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
                 order_days: list[int], end: int) -> None:
        if rnd() >= 0.5:
            return
        od = order_days[int(rnd() * len(order_days))]
        s_ord = min(od + 3 + int(rnd() * 8), max(end, od))
        if s_ord >= self.today_ord:
            return
        self._survey_row(rnd, out, cid, s_ord, self.scores.pick(rnd()), None)

    def _survey_row(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
                    s_ord: int, score: int, complaint_id: int | None) -> None:
        comments = _SURVEY_COMMENTS[score]
        comment = comments[int(rnd() * len(comments))] if rnd() < 0.35 or score <= 2 else None
        out["surveys"].append((
            self._next("surveys"), cid, self.day(s_ord), score, self.survey_channels.pick(rnd()),
            comment, complaint_id, self.when(rnd, s_ord)))

    def _contracts(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
                   person: bool, profile: str, w0: int) -> bool:
        """A chain of yearly contracts with a renewal record at each end. Returns "renewed"."""
        today_ord = self.today_ord
        start = w0 + int(rnd() * 120)
        if start >= today_ord:
            return False
        amount = int((3000 + rnd() * 27000 if person else 30000 + 770000 * rnd() ** 3) * 100)
        prev: int | None = None
        renewed = False
        contracts, renewals = out["contracts"], out["renewals"]
        con_id = self._next("contracts")
        k = 0
        while True:
            term = 730 if not person and rnd() < 0.15 else 365
            stop = start + term - 1
            made = min(max(start - 1 - int(rnd() * 10), w0), today_ord - 1)
            k += 1
            contracts.append((con_id, cid, f"HT{self.years[start - self.base_ord]}{cid:07d}{k:02d}",
                              self.day(start), self.day(stop), self.money(amount), prev,
                              self.when(rnd, made)))
            if stop >= today_ord:
                if stop - today_ord <= 90:
                    renewals.append((self._next("renewals"), con_id, cid, self.day(stop), None,
                                     "跟进中", None, "已联系客户，等待答复", None,
                                     self.ts(min(stop - 60, today_ord - 1), 10 * 3600)))
                return renewed
            decided = min(stop - int(rnd() * 40), today_ord - 1)
            decided_ts = self.when(rnd, decided)
            noted = self.ts(min(stop - 60, decided), 10 * 3600)
            if profile == "churned" or rnd() < 0.22:
                renewals.append((self._next("renewals"), con_id, cid, self.day(stop),
                                 decided_ts, "未续约", None,
                                 _NON_RENEWAL[int(rnd() * len(_NON_RENEWAL))], None, noted))
                return renewed
            new_amount = int(amount * (0.9 + rnd() * 0.4))
            new_id = self._next("contracts")  # the next contract, written just after
            renewals.append((self._next("renewals"), con_id, cid, self.day(stop), decided_ts,
                             "已续约", self.money(new_amount), None, new_id, noted))
            renewed = True
            prev, amount, start, con_id = con_id, new_amount, stop + 1, new_id

    def _tags(self, rnd: Callable[[], float], out: dict[str, list[tuple]], cid: int,
              person: bool, tier: Tier, segment: str, lifecycle: Lifecycle, source: str,
              complaints: int, overdue: bool, renewed: bool) -> None:
        """Tags that follow from the record (VIP for top tiers ...) plus a few interests."""
        names = []
        if tier in (Tier.DIAMOND, Tier.PLATINUM) and rnd() < 0.7:
            names.append("VIP")
        if segment == "高价值" and rnd() < 0.5:
            names.append("重点客户")
        if segment == "潜在" and rnd() < 0.12:
            names.append("高潜力")
        if source == "转介绍" and rnd() < 0.4:
            names.append("老客户推荐")
        if source == "在线" and rnd() < 0.2:
            names.append("线上活跃")
        if overdue and rnd() < 0.5:
            names.append("需要回访")
        if complaints and rnd() < 0.35:
            names.append("投诉敏感")
        if renewed and rnd() < 0.6:
            names.append("长期合作")
        if lifecycle == Lifecycle.CHURNED and rnd() < 0.3:
            names.append("流失预警")
        if person:
            r = rnd()
            if r < 0.10:
                names.append("价格敏感")
            elif r < 0.16:
                names.append("节日促销")
            elif r < 0.19:
                names.append("团购客户")
        else:
            if rnd() < 0.25:
                names.append("对公客户")
            if rnd() < 0.2:
                names.append("决策人")
        if rnd() < 0.08:
            names.append("新品偏好")
        rows = out["customer_tags"]
        tag_ids = self.tag_ids
        for name in names:
            rows.append((cid, tag_ids[name]))


def _d(ordinal: int | None) -> date | None:
    return date.fromordinal(ordinal) if ordinal is not None else None


def _sqlite_money(cents: int) -> float:
    """SQLite keeps Numeric as REAL (what SQLAlchemy binds); two decimals read back exactly."""
    return cents / 100


def _pg_money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


# ---- the load ---------------------------------------------------------------------------------

_ID_AT = CUSTOMER_COLUMNS.index("id_number_enc")


def _insert_customers(writer: _Writer, rows: list[tuple]) -> None:
    """Every customer row goes through here (one place to hook derived data, e.g. an index).

    Rows arrive with the plain 证件号码 in ``id_number_enc`` and no hash; it is encrypted and
    hashed here, in the writing process, which has CPU to spare while the generator is busy.
    """
    encrypt, keyed_hash, at = crypto.encrypt, crypto.keyed_hash, _ID_AT
    rows = [(*row[:at], encrypt(row[at]), keyed_hash(row[at]), *row[at + 2:]) for row in rows]
    writer.write("customers", CUSTOMER_COLUMNS, rows)


def _write_chunk(writer: _Writer, rows: dict[str, list[tuple]]) -> None:
    _insert_customers(writer, rows["customers"])
    for table in SEEDED_TABLES[1:]:
        writer.write(table, COLUMNS[table], rows[table])


# Columns holding ids the generator numbers per chunk, and the table each id belongs to.
_LOCAL_REFS: dict[str, tuple[tuple[int, str], ...]] = {
    table: tuple((COLUMNS[table].index(column), target) for column, target in refs)
    for table, refs in {
        "tier_changes": (("id", "tier_changes"),),
        "orders": (("id", "orders"),),
        "interactions": (("id", "interactions"),),
        "follow_ups": (("id", "follow_ups"),),
        "complaints": (("id", "complaints"),),
        "surveys": (("id", "surveys"), ("complaint_id", "complaints")),
        "contracts": (("id", "contracts"), ("previous_contract_id", "contracts")),
        "renewals": (("id", "renewals"), ("contract_id", "contracts"),
                     ("new_contract_id", "contracts")),
        "consent_ledger": (("id", "consent_ledger"),),
    }.items()
}


def _relabel(rows: dict[str, list[tuple]], next_ids: dict[str, int]) -> None:
    """Shift a chunk's local ids (from 0) to the next free ids, and advance ``next_ids``."""
    for table, refs in _LOCAL_REFS.items():
        table_rows = rows[table]
        if not table_rows:
            continue
        if len(refs) == 1:  # only its own id, in the first column
            offset = next_ids[table]
            rows[table] = [(row[0] + offset, *row[1:]) for row in table_rows]
        else:
            shifts = [(at, next_ids[target]) for at, target in refs]
            relabeled = []
            for row in table_rows:
                values = list(row)
                for at, offset in shifts:
                    if values[at] is not None:
                        values[at] += offset
                relabeled.append(tuple(values))
            rows[table] = relabeled
    for table in _LOCAL_REFS:  # after every reference used the chunk's starting ids
        next_ids[table] += len(rows[table])


DEFER_INDEXES_MIN = 20_000
"""From this size indexes are built after the load instead of row by row."""

PARALLEL_MIN_CUSTOMERS = 20_000
"""From this size child processes generate rows while this one writes (start-up ~1 s)."""

GENERATOR_PROCESSES = 2
"""Child processes generating chunks (round robin). Two keep both cores of a small server
busy: generation is the larger half of the work and the database the other."""


@dataclass(frozen=True)
class _GenParams:
    """Everything a generator needs, picklable so that a child process can rebuild it."""

    seed: int
    today: date
    total: int
    settings: Settings
    users: dict[str, int]
    tag_ids: dict[str, int]
    first_customer_id: int
    postgres: bool
    chunk: int = CHUNK_CUSTOMERS  # part of the data: each chunk seeds its own RNG

    def generator(self) -> _Generator:
        return _Generator(seed=self.seed, today=self.today, total=self.total,
                          settings=self.settings, pools=_build_pools(self.seed),
                          users=self.users, tag_ids=self.tag_ids,
                          first_customer_id=self.first_customer_id, postgres=self.postgres)

    def ranges(self, customers: int) -> list[tuple[int, int]]:
        return [(start, min(start + self.chunk, customers))
                for start in range(0, customers, self.chunk)]


def _generate_inline(params: _GenParams,
                     customers: int) -> Iterator[tuple[int, dict[str, list]]]:
    gen = params.generator()
    for start, stop in params.ranges(customers):
        yield stop, gen.chunk(start, stop)


def _child_stdio() -> None:
    """Entry point of a generating process: parameters on stdin, chunks on stdout.

    Worker ``w`` of ``n`` makes chunks ``w, w + n, ...``. Chunks are plain tuples of str, int
    and float, so ``marshal`` carries them (twice as fast as pickle; both ends are this module,
    so the format never crosses a version), each frame preceded by its length so the reader
    takes it in one read rather than object by object.
    """
    import os

    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # a stray print must not corrupt the stream
    params, customers, worker, workers = pickle.load(sys.stdin.buffer)
    try:
        gen = params.generator()
        for start, stop in params.ranges(customers)[worker::workers]:
            _send(out, ("chunk", stop, gen.chunk(start, stop)))
    except BaseException:
        import traceback

        _send(out, ("error", traceback.format_exc(), None))
    out.close()


_FRAME = struct.Struct("<Q")


def _send(out: Any, message: tuple) -> None:
    data = marshal.dumps(message)
    out.write(_FRAME.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(stream: Any) -> tuple:
    """One frame; ``EOFError`` when the stream ends early (the child died)."""
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        raise EOFError("generator stream ended")
    (size,) = _FRAME.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("generator stream ended inside a frame")
    return marshal.loads(data)


def _generate_in_children(params: _GenParams, customers: int,
                          workers: int) -> Iterator[tuple[int, dict[str, list]]]:
    """Chunks made by child processes while this one writes, in chunk order.

    Why processes, not threads: generation is pure Python and SQLite takes the GIL back for
    every row, so a thread makes both sides wait. Why plain subprocesses, not multiprocessing:
    spawn re-runs the caller's main module, which a script without a ``__main__`` guard (or a
    Streamlit page) cannot allow. Each pipe holds its child at most one chunk ahead.
    """
    from core.settings import PROJECT_ROOT

    ranges = params.ranges(customers)
    workers = max(1, min(workers, len(ranges)))
    children: list[subprocess.Popen[bytes]] = []
    try:
        for worker in range(workers):
            child = subprocess.Popen(
                [sys.executable, "-c", "from services.demo import _child_stdio; _child_stdio()"],
                cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            children.append(child)
            assert child.stdin is not None
            with child.stdin:
                pickle.dump((params, customers, worker, workers), child.stdin)
        for n in range(len(ranges)):
            child = children[n % workers]
            try:
                kind, a, b = _receive(child.stdout)
            except EOFError:
                raise RuntimeError(
                    f"demo generator stopped (exit code {child.wait()})") from None
            if kind != "chunk":
                raise RuntimeError(f"demo generator failed:\n{a}")
            yield a, b
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait()
            if child.stdout is not None:
                child.stdout.close()


def _has_customers(conn: Connection) -> bool:
    return conn.execute(select(Customer.id).limit(1)).first() is not None


def _delete_customer_data(conn: Connection) -> None:
    """Empty every customer table (users and the append-only audit log stay)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("TRUNCATE " + ", ".join(CUSTOMER_TABLES))
        return
    for table in CUSTOMER_TABLES:
        conn.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - constant table names


def _ensure_users(conn: Connection) -> tuple[dict[str, int], int]:
    """The demo logins and account managers, created only if absent. Returns ids, created."""
    wanted = [(a.username, a.display_name, a.role, _demo_hash(a.password))
              for a in DEMO_ACCOUNTS]
    wanted += [(u, name, Role.CLERK.value, _unusable_hash()) for u, name in ACCOUNT_MANAGERS]
    names = [w[0] for w in wanted]
    existing = set(conn.scalars(select(User.username).where(User.username.in_(names))))
    stamp = clock.now()
    missing = [dict(username=u, display_name=n, role=r, password_hash=h, active=True,
                    password_changed_at=stamp, created_at=stamp,
                    updated_at=stamp)
               for u, n, r, h in wanted if u not in existing]
    if missing:
        conn.execute(insert(User), missing)
    ids = dict(conn.execute(select(User.username, User.id).where(User.username.in_(names))).all())
    return ids, len(missing)


def _ensure_tags(conn: Connection) -> dict[str, int]:
    existing = dict(conn.execute(select(Tag.name, Tag.id)).all())
    missing = [{"name": n, "created_at": clock.now()} for n in DEMO_TAGS if n not in existing]
    if missing:
        conn.execute(insert(Tag), missing)
        existing = dict(conn.execute(select(Tag.name, Tag.id)).all())
    return {n: existing[n] for n in DEMO_TAGS}


def _next_ids(conn: Connection) -> dict[str, int]:
    result = {}
    for table in _ID_TABLES:
        top = conn.execute(text(f"SELECT max(id) FROM {table}")).scalar()  # noqa: S608
        result[table] = (top or 0) + 1
    return result


def _store_sequences(conn: Connection, year_seq: dict[int, int]) -> None:
    """``customer_no:YYYY`` = the last number issued, so new customers continue after them."""
    for year, value in sorted(year_seq.items()):
        name = f"customer_no:{year}"
        current = conn.execute(select(NumberCounter.value)
                               .where(NumberCounter.name == name)).scalar()
        if current is None:
            conn.execute(insert(NumberCounter).values(name=name, value=value))
        elif current < value:
            conn.execute(NumberCounter.__table__.update().where(NumberCounter.name == name)
                         .values(value=value))


def _finish_postgres(conn: Connection) -> None:
    """Explicit ids bypass the serial sequences: move them past the data, then gather stats."""
    for table in _ID_TABLES:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
    conn.exec_driver_sql("ANALYZE " + ", ".join(("customers", "tags", *SEEDED_TABLES[1:])))


@dataclass
class _Deferred:
    """Indexes (and on PostgreSQL foreign keys) set aside for the load, to be rebuilt after.

    Why: maintaining 17 indexes on customers row by row costs several times more than building
    them once from sorted data, and PostgreSQL checks each foreign key with a query per row
    where re-adding the constraint checks them all in one join (the PostgreSQL manual's advice
    for populating a database). Drop and rebuild happen inside the load's transaction, so the
    schema is never seen without them and a failed load rolls back to the original.
    """

    indexes: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)

    def restore(self, conn: Connection) -> None:
        for statement in self.indexes + self.foreign_keys:
            conn.exec_driver_sql(statement)


def _defer_indexes(conn: Connection, tables: Sequence[str]) -> _Deferred:
    """Drop the plain secondary indexes (and PostgreSQL foreign keys) of the empty ``tables``.

    Constraint indexes (primary keys, UNIQUE) stay: they guard the data being loaded.
    """
    deferred = _Deferred()
    quote = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "sqlite":
        found = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN :tables").bindparams(bindparam("tables", expanding=True)),
            {"tables": list(tables)}).all()
        for name, create in found:
            deferred.indexes.append(create)
            conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
        return deferred
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    found = conn.execute(text(
        "SELECT ci.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ci ON ci.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = :schema AND t.relname IN :tables AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
    ).bindparams(bindparam("tables", expanding=True)),
        {"schema": schema, "tables": list(tables)}).all()
    for name, create in found:
        deferred.indexes.append(create)
        conn.exec_driver_sql(f"DROP INDEX {quote(schema)}.{quote(name)}")
    found = conn.execute(text(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE c.contype = 'f' AND n.nspname = :schema AND t.relname IN :tables"
    ).bindparams(bindparam("tables", expanding=True)),
        {"schema": schema, "tables": list(tables)}).all()
    for table, name, definition in found:
        target = f"{quote(schema)}.{quote(table)}"
        conn.exec_driver_sql(f"ALTER TABLE {target} DROP CONSTRAINT {quote(name)}")
        deferred.foreign_keys.append(
            f"ALTER TABLE {target} ADD CONSTRAINT {quote(name)} {definition}")
    # Index builds sort in memory rather than in temporary files.
    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    return deferred


@contextmanager
def _bulk_session(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, tuned for the load and restored for the pool afterwards."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB: index pages stay hot
            conn.commit()  # end the autobegun transaction; the load gets its own
        try:
            with conn.begin():
                yield conn
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")
                conn.commit()


def seed_demo(engine: Engine, customers: int, seed: int, reset: bool = False,
              progress: ProgressFn | None = None, today: date | None = None) -> SeedReport:
    """Load ``customers`` demo customers with two years of records, in one transaction.

    Raises ``DemoDataPresent`` when customers exist and ``reset`` is false; with ``reset`` all
    customer data (not users, not the audit log) is replaced. ``today`` fixes the calendar
    (default: today in China), so the same ``seed`` and ``today`` give the same data.
    ``progress(stage, done, total)`` is called after each chunk.
    """
    if customers < 0:
        raise ValueError("customers must be zero or more")
    started = time.perf_counter()
    today = today or clock.today()
    settings = get_settings()
    report = SeedReport(seed=seed, today=today)
    notify = progress or (lambda stage, done, total: None)
    postgres = engine.dialect.name == "postgresql"
    with _bulk_session(engine) as conn:
        if _has_customers(conn):
            if not reset:
                raise DemoDataPresent("the database already has customers")
            notify("reset", 0, 1)
            _delete_customer_data(conn)
            report.reset = True
            notify("reset", 1, 1)
        users, report.users_created = _ensure_users(conn)
        tag_ids = _ensure_tags(conn)
        report.tags = len(tag_ids)
        next_ids = _next_ids(conn)
        params = _GenParams(seed=seed, today=today, total=max(customers, 1), settings=settings,
                            users=users, tag_ids=tag_ids,
                            first_customer_id=next_ids["customers"], postgres=postgres,
                            chunk=CHUNK_CUSTOMERS)
        # SQLite's per-row insert trigger would cost 50 µs a customer: suspended for the load,
        # which review_days.rebuild recounts below.
        with review_days.bulk_insert_counts(conn):
            writer: _Writer = _CopyWriter(conn) if postgres else _SqliteWriter(conn)
            deferred = (_defer_indexes(conn, SEEDED_TABLES) if customers >= DEFER_INDEXES_MIN
                        else _Deferred())
            counts = dict.fromkeys(SEEDED_TABLES, 0)
            notify("customers", 0, customers)
            chunks = (_generate_in_children(params, customers, GENERATOR_PROCESSES)
                      if customers >= PARALLEL_MIN_CUSTOMERS
                      else _generate_inline(params, customers))
            for stop, rows in chunks:
                _relabel(rows, next_ids)
                _write_chunk(writer, rows)
                for table, table_rows in rows.items():
                    counts[table] += len(table_rows)
                notify("customers", stop, customers)
        _store_sequences(conn, _Calendar(seed, today, customers).last_numbers(customers))
        if deferred.indexes or deferred.foreign_keys:
            notify("indexing", 0, 1)
            deferred.restore(conn)
            notify("indexing", 1, 1)
        # 续约目标 of every month, quarter and year of the demo's two years (and the rest of
        # this one), sized on the contracts ending in each period.
        counts["renewal_targets"] = renewal_targets.insert_demo_targets(
            conn, renewal_targets.demo_target_rows(
                conn, today - timedelta(days=_RECORD_DAYS), date(today.year, 12, 31),
                users.get("manager"), seed))
        notify("search index", 0, 1)
        rebuild_search_index(conn)  # grams and mobile_last4 of every customer, in this transaction
        review_days.rebuild(conn)  # the load ran without SQLite's insert trigger
        notify("search index", 1, 1)
        notify("finishing", 0, 1)
        if postgres:
            _finish_postgres(conn)
        elif customers >= 50_000:
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")
        report.counts = counts
        database_facts.stamp_demo(conn)  # the only way a database becomes a demo database
        audit.append(conn, [dict(
            at=clock.now(), user_id=None, username="cli",
            action="demo.reset" if report.reset else "demo.seed", entity=None, entity_id=None,
            changes=None,
            detail={"customers": customers, "seed": seed, "today": today.isoformat(),
                    "counts": counts})])
    if postgres and customers >= DEFER_INDEXES_MIN:
        _vacuum_postgres(engine)
    notify("finishing", 1, 1)
    report.seconds = time.perf_counter() - started
    return report


def _vacuum_postgres(engine: Engine) -> None:
    """Set the visibility map of the tables the lookup counts on, so that its index-only scans
    visit no table pages: what autovacuum does a little after any bulk load, done at once so
    the first searches (and the benchmark) see the steady state. VACUUM cannot run inside a
    transaction, hence after the load's commit."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM customers, customer_tags, customer_search_grams")


def reset_demo(engine: Engine, actor: Actor, customers: int = 2000, seed: int = 42
               ) -> SeedReport:
    """The trainer's one-click reset: fresh demo data, on a database ``seed-demo`` stamped.

    The stamp is read here again, whatever the actor says: a reset deletes every customer.
    """
    actor.require(Perm.RESET_DEMO)
    with engine.connect() as conn:
        demo = database_facts.is_demo_database(conn)
    if not demo:
        raise PermissionDenied(Perm.RESET_DEMO, actor.role)
    from services.backup.demo_reset import backup_before_reset

    backup_before_reset(engine, actor)  # a reset deletes every customer: a backup first
    report = seed_demo(engine, customers=customers, seed=seed, reset=True)
    with Session(engine) as session:
        audit.record(session, actor, "demo.reset_by_user", detail={"customers": customers,
                                                                    "seed": seed})
        session.commit()
    return report
