"""What a case dataset is made of: one ``DemoProfile`` per dataset, read by every generator.

Why one dataclass: the generators (``services.demo.customers``, ``orders`` ...) know how to make
a believable record; what the records are *about* (industries, products, tags, complaint topics,
survey wording, how often customers buy and how much, which contracts they sign) is data, so a
new case dataset (retail, finance, healthcare) is a new ``DemoProfile`` registered in
``datasets.PROFILES``, without touching a generator. ``GENERAL`` is the default dataset.

Weights are relative (``(value, weight)`` pairs); shares are probabilities (0-1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Weights = tuple[tuple[str, float], ...]
"""``(value, relative weight)`` pairs for a weighted choice."""


@dataclass(frozen=True)
class DemoProfile:
    """Everything a case dataset changes. Frozen and picklable (child processes get a copy)."""

    name: str
    # -- who the customers are ------------------------------------------------------------------
    type_weights: Weights
    industry_weights: Mapping[str, Mapping[str, float]]
    """Per customer type, the weight of each industry (an industry not named weighs 5)."""
    industry_words: Mapping[str, tuple[str, ...]]
    company_suffixes: Weights
    institution_names: Mapping[str, tuple[str, ...]]
    """Name forms of 机构 per industry, with ``{city}``, ``{prov}`` and ``{n}``."""
    person_titles: tuple[str, ...]
    contact_titles: tuple[str, ...]
    sources_person: Weights
    sources_org: Weights
    consent_channel_by_source: Mapping[str, str]
    consent_notes: Mapping[str, str]
    person_notes: tuple[str, ...]
    org_notes: tuple[str, ...]
    # -- how they buy: the tier mix, activity, frequency and size -------------------------------
    tier_mix: Mapping[str, float]
    """Share of all customers per tier above 白银 (白银 is the rest). Tiers are never drawn:
    a customer gets the buying behaviour of its band (orders in the last twelve months and
    spend from the tier's thresholds in the settings), and the app's rules compute the tier."""
    band_extra_orders: int
    """A band customer orders its tier's minimum in the last twelve months plus 0..this."""
    band_old_orders: Mapping[str, int]
    """... and 0..this-1 orders in the year before, per tier."""
    band_spend_margin: tuple[float, float]
    """Its twelve months' spend: the tier's minimum times ``low + span * u``."""
    prospect_below: float
    """Customers outside the bands: a draw below this is a prospect (no orders); below
    ``churned_below`` churned (old customers only); below ``late_below`` a late first buyer;
    else an occasional buyer (one or two orders)."""
    churned_below: float
    late_below: float
    occasional_orders: tuple[int, int]
    """Orders (least, most) of a churned or occasional buyer outside the bands; with three or
    more, keep their spend below 黄金's minimum (small products) or they count as 黄金."""
    first_order_days: float
    """Mean days from creation to the first order of a new customer."""
    quantity_spread_person: int
    quantity_spread_org: int
    quantity_sigma: float
    consumer_products: tuple[tuple[str, int], ...]
    """``(product, list price in yuan)``."""
    business_products: tuple[tuple[str, int], ...]
    payments_person: Weights
    payments_org: Weights
    # -- how they are served ----------------------------------------------------------------------
    interactions: Mapping[str, tuple[str, ...]]
    """Contact texts per method."""
    methods_person: Weights
    methods_org: Weights
    visit_methods: Weights
    follow_purposes: tuple[str, ...]
    follow_content: tuple[str, ...]
    follow_feedback: tuple[str, ...]
    follow_results: tuple[str, ...]
    winback_purpose: str
    complaint_one_below: float
    """A draw below this: one complaint; below ``complaint_two_below``: two."""
    complaint_two_below: float
    complaint_channels: Weights
    complaint_type_weights: Mapping[str, float]
    complaint_text: Mapping[str, tuple[str, ...]]
    complaint_solutions: Mapping[str, tuple[str, ...]]
    handling_steps: tuple[str, ...]
    survey_share: float
    survey_after_complaint_share: float
    survey_channels: tuple[tuple[int | str, float], ...]
    scores: tuple[tuple[int, float], ...]
    scores_after_complaint: tuple[tuple[int, float], ...]
    survey_comments: Mapping[int, tuple[str, ...]]
    # -- contracts (kinds, sizes, terms) and their renewals --------------------------------------
    contract_share_person: float
    contract_share_org: float
    contract_amount_person: tuple[int, int]
    """Yuan: ``low + span * u`` (uniform)."""
    contract_amount_org: tuple[int, int]
    """Yuan: ``low + span * u**3`` (mostly small, a few large)."""
    long_term_share_org: float
    """Organisations' contracts of two years instead of one."""
    non_renewal_share: float
    non_renewal_reasons: tuple[str, ...]
    # -- tags: names, and how likely each follows from the record --------------------------------
    tags: tuple[str, ...]
    tag_rules: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    """Rule -> (tag, share): ``top_tier``, ``high_value``, ``potential``, ``referral``,
    ``online``, ``overdue``, ``complained``, ``renewed``, ``churned``, ``any``."""
    person_interests: tuple[tuple[str, float], ...] = ()
    """One of these per person at the most: (tag, cumulative share)."""
    org_tags: tuple[tuple[str, float], ...] = ()
    """Each independently per organisation: (tag, share)."""
    tier_reason: str = "按近12个月消费自动评级"
    grade_tags: tuple[tuple[str, float], ...] = ()
    """Exactly one of these on every customer, person or organisation: (tag, cumulative
    share ending at 1), e.g. the 金融 case's risk grade or the 医疗 case's 健康信息 mark."""

    def __post_init__(self) -> None:
        named = ({t for t, _ in self.tag_rules.values()} | {t for t, _ in self.person_interests}
                 | {t for t, _ in self.org_tags} | {t for t, _ in self.grade_tags})
        if self.grade_tags and self.grade_tags[-1][1] < 1.0:
            raise ValueError(f"profile {self.name}: grade_tags must end at a share of 1")
        if not named <= set(self.tags):
            missing = sorted(named - set(self.tags))
            raise ValueError(f"profile {self.name}: tags not listed: {missing}")


# ---- general: the default dataset ------------------------------------------------------------

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

_TAGS: tuple[str, ...] = (
    "重点客户", "VIP", "价格敏感", "新品偏好", "高潜力", "老客户推荐", "线上活跃", "需要回访",
    "投诉敏感", "决策人", "长期合作", "团购客户", "节日促销", "对公客户", "流失预警",
)

GENERAL = DemoProfile(
    name="general",
    type_weights=_TYPE_WEIGHTS,
    industry_weights=_INDUSTRY_WEIGHTS,
    industry_words=_INDUSTRY_WORDS,
    company_suffixes=_COMPANY_SUFFIXES,
    institution_names=_INSTITUTION_NAMES,
    person_titles=_PERSON_TITLES,
    contact_titles=_CONTACT_TITLES,
    sources_person=_SOURCES_PERSON,
    sources_org=_SOURCES_ORG,
    consent_channel_by_source=_CONSENT_CHANNEL_BY_SOURCE,
    consent_notes=_CONSENT_NOTES,
    person_notes=_PERSON_NOTES,
    org_notes=_ORG_NOTES,
    tier_mix={"钻石": 0.05, "铂金": 0.15, "黄金": 0.30},
    band_extra_orders=0,
    band_old_orders={"钻石": 5, "铂金": 3, "黄金": 2},
    band_spend_margin=(1.05, 0.6),
    prospect_below=0.26,
    churned_below=0.56,
    late_below=0.62,
    occasional_orders=(1, 2),
    first_order_days=20.0,
    quantity_spread_person=3,
    quantity_spread_org=8,
    quantity_sigma=0.4,
    consumer_products=_CONSUMER_PRODUCTS,
    business_products=_BUSINESS_PRODUCTS,
    payments_person=_PAYMENTS_PERSON,
    payments_org=_PAYMENTS_ORG,
    interactions=_INTERACTIONS,
    methods_person=_METHODS_PERSON,
    methods_org=_METHODS_ORG,
    visit_methods=_VISIT_METHODS,
    follow_purposes=_FOLLOW_PURPOSES,
    follow_content=_FOLLOW_CONTENT,
    follow_feedback=_FOLLOW_FEEDBACK,
    follow_results=_FOLLOW_RESULTS,
    winback_purpose=_WINBACK,
    complaint_one_below=0.14,
    complaint_two_below=0.165,
    complaint_channels=_COMPLAINT_CHANNELS,
    complaint_type_weights=_COMPLAINT_TYPE_WEIGHTS,
    complaint_text=_COMPLAINT_TEXT,
    complaint_solutions=_COMPLAINT_SOLUTIONS,
    handling_steps=_HANDLING_STEPS,
    survey_share=0.5,
    survey_after_complaint_share=0.5,
    survey_channels=_SURVEY_CHANNELS,
    scores=_SCORES,
    scores_after_complaint=_SCORES_AFTER_COMPLAINT,
    survey_comments=_SURVEY_COMMENTS,
    contract_share_person=0.02,
    contract_share_org=0.65,
    contract_amount_person=(3000, 27000),
    contract_amount_org=(30000, 770000),
    long_term_share_org=0.15,
    non_renewal_share=0.22,
    non_renewal_reasons=_NON_RENEWAL,
    tags=_TAGS,
    tag_rules={
        "top_tier": ("VIP", 0.7), "high_value": ("重点客户", 0.5), "potential": ("高潜力", 0.12),
        "referral": ("老客户推荐", 0.4), "online": ("线上活跃", 0.2), "overdue": ("需要回访", 0.5),
        "complained": ("投诉敏感", 0.35), "renewed": ("长期合作", 0.6),
        "churned": ("流失预警", 0.3), "any": ("新品偏好", 0.08),
    },
    person_interests=(("价格敏感", 0.10), ("节日促销", 0.16), ("团购客户", 0.19)),
    org_tags=(("对公客户", 0.25), ("决策人", 0.2)),
)

# The case datasets built on it, and the registry by name: services.demo.datasets.
