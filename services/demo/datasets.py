"""The demo datasets by name: ``general`` and the three case datasets of the course (issue 17),
电商 (an online shop), 金融 (a bank branch) and 医疗 (a clinic), as ``DemoProfile`` data read by
the general dataset's generators.

Why over ``GENERAL`` with ``replace``: a case changes what the records are about (products,
texts, tags, channels) and how customers buy; everything it does not name (names of companies,
consent wording, tier reasons ...) stays the general dataset's, so a fix there reaches every
case. The closed vocabularies (complaint types, channels, visit and contact methods, payment
methods) are the app's own: a case words its texts to fit them, never invents a value a form
could not show again.
"""

from __future__ import annotations

from dataclasses import replace

from services.demo.profiles import GENERAL, DemoProfile

# ---- 电商: an online shop ------------------------------------------------------------------------

_RETAIL_PRODUCTS: tuple[tuple[str, int], ...] = (
    ("纯棉T恤", 79), ("运动袜 5 双装", 39), ("手机壳", 29), ("数据线 1.5m", 25),
    ("洗衣凝珠 52 颗", 49), ("抽纸 24 包", 59), ("咖啡豆 500g", 89), ("坚果礼盒", 129),
    ("面膜 10 片", 99), ("蓝牙耳机", 199), ("保温杯", 89), ("儿童绘本套装", 159),
    ("猫粮 2kg", 119), ("床上四件套", 299), ("电动牙刷", 249), ("运动鞋", 399),
    ("空气炸锅", 359), ("零食大礼包", 69), ("洗发水 750ml", 65), ("收纳箱 3 个装", 79),
    ("防晒霜", 128), ("瑜伽垫", 89), ("牛仔裤", 199), ("护眼台灯", 169),
)
_RETAIL_GROUP_BUYS: tuple[tuple[str, int], ...] = (
    ("员工福利礼盒（团购）", 198), ("中秋月饼礼盒（团购）", 168), ("定制文化衫（团购）", 59),
    ("办公零食箱（团购）", 299), ("年货礼包（团购）", 388), ("定制保温杯（团购）", 79),
)

RETAIL = replace(
    GENERAL,
    name="retail",
    type_weights=(("个人", 95.0), ("企业", 5.0)),
    sources_person=(("在线", 62.0), ("转介绍", 14.0), ("表单", 8.0), ("电话", 4.0),
                    ("其他", 12.0)),
    sources_org=(("在线", 45.0), ("电话", 30.0), ("转介绍", 15.0), ("其他", 10.0)),
    consent_notes={**GENERAL.consent_notes, "在线": "注册时勾选隐私政策与会员协议"},
    person_notes=("偏好顺丰快递", "工作日白天不在家，放快递柜", "地址为公司前台代收",
                  "常在直播间下单", "会员生日月可享折扣", "曾多次申请退货，注意核实",
                  "关注母婴类商品", "只用支付宝付款"),
    org_notes=("企业团购，需开具增值税专用发票", "节日福利集中采购", "对公转账付款",
               "收货地址为公司仓库"),
    # Many small orders, most buyers come back: few reach a tier's spend, and those that do
    # by many orders rather than large ones.
    tier_mix={"钻石": 0.01, "铂金": 0.03, "黄金": 0.08},
    band_extra_orders=40,
    band_old_orders={"钻石": 12, "铂金": 8, "黄金": 6},
    occasional_orders=(2, 10),
    prospect_below=0.12,
    churned_below=0.30,
    late_below=0.34,
    first_order_days=4.0,
    quantity_spread_person=2,
    quantity_spread_org=30,
    quantity_sigma=0.3,
    consumer_products=_RETAIL_PRODUCTS,
    business_products=_RETAIL_GROUP_BUYS,
    payments_person=(("支付宝", 48.0), ("微信支付", 44.0), ("银行卡", 8.0)),
    payments_org=(("银行转账", 70.0), ("支付宝", 20.0), ("微信支付", 10.0)),
    interactions={
        "电话": ("电话确认收货地址变更", "客户来电询问退款到账时间，已说明",
                 "电话回访大件商品安装情况", "致电确认团购数量及送货时间"),
        "邮件": ("邮件发送电子发票", "邮件发送团购报价单", "发送会员权益说明邮件"),
        "短信": ("短信通知包裹已发出", "短信提醒优惠券即将过期", "短信推送大促预告",
                 "短信通知退款已原路退回"),
        "拜访": ("上门拜访团购企业行政负责人",),
        "在线": ("在线客服解答尺码问题", "在线客服处理修改订单地址",
                 "在线客服说明七天无理由退货规则", "在线客服推荐搭配商品", "在线客服核实物流异常"),
    },
    methods_person=(("在线", 58.0), ("短信", 22.0), ("电话", 14.0), ("邮件", 5.0), ("拜访", 1.0)),
    methods_org=(("电话", 40.0), ("在线", 30.0), ("邮件", 20.0), ("拜访", 10.0)),
    visit_methods=(("在线问卷", 40.0), ("短信", 30.0), ("电话", 25.0), ("邮件", 5.0)),
    follow_purposes=("收货回访", "售后回访", "退货原因了解", "会员复购提醒", "新品推荐",
                     "大促活动通知"),
    follow_content=("询问商品使用体验", "了解退货原因并记录", "提醒会员积分与优惠券",
                    "介绍新品与搭配推荐", "确认售后问题是否解决"),
    follow_feedback=("商品质量不错，会回购", "尺码偏小，希望详情页说明", "物流很快",
                     "包装有破损", "价格比其他平台略高", "暂无购买需求"),
    follow_results=("客户满意", "已发放复购优惠券", "需再次跟进", "已解决客户疑问",
                    "客户暂无需求", "已登记商品改进建议"),
    winback_purpose="沉睡会员唤醒回访",
    # Returns are recorded as complaints: more of them than in the general case.
    complaint_one_below=0.20,
    complaint_two_below=0.26,
    complaint_channels=(("在线客服", 68.0), ("电话", 17.0), ("反馈表", 10.0), ("邮件", 5.0)),
    complaint_type_weights={"产品质量": 32, "物流配送": 34, "价格收费": 12, "服务态度": 8,
                            "售后维修": 6, "其他": 8},
    complaint_text={
        "产品质量": ("申请退货：商品与描述不符", "申请退货：衣服洗后严重缩水",
                     "申请退货：收到的商品有划痕", "申请退货：尺码不合适"),
        "物流配送": ("申请退货：包裹超时五天未送达", "快递未经同意放在驿站",
                     "包裹破损，商品摔坏", "发错货，颜色与订单不符"),
        "价格收费": ("下单后第二天降价，申请退差价", "优惠券未能抵扣",
                     "退款金额少于实付金额"),
        "服务态度": ("在线客服长时间未回复", "客服答复前后不一致"),
        "售后维修": ("电器使用一个月出现故障，申请换货", "保修期内维修被要求付费"),
        "其他": ("发票抬头开错", "会员积分未到账", "修改地址申请未处理"),
    },
    complaint_solutions={
        "产品质量": ("同意七天无理由退货，已退款", "补发新品并致歉", "部分退款，客户保留商品"),
        "物流配送": ("协调快递加急并赠送优惠券", "补发商品", "按破损情况退款"),
        "价格收费": ("退还差价", "补发等额优惠券", "核对后补退差额"),
        "服务态度": ("客服主管致歉并赠送优惠券", "对客服进行培训并回访致歉"),
        "售后维修": ("为客户换新", "免费维修并延长保修"),
        "其他": ("重新开具发票", "补录积分并致歉", "当日完成地址修改"),
    },
    handling_steps=("在线受理退货/投诉申请", "核实订单与商品照片", "联系仓库或物流核查",
                    "确定退款或补发方案", "回访确认客户满意"),
    # Product reviews as satisfaction surveys: most buyers leave one, online.
    survey_share=0.75,
    survey_channels=(("在线问卷", 75.0), ("短信", 15.0), ("微信", 10.0)),
    survey_comments={
        5: ("宝贝收到了，质量很好，五星好评", "物流超快，包装仔细", "第三次回购了，一如既往的好"),
        4: ("整体不错，就是物流慢了一点", "性价比高，颜色略有色差"),
        3: ("一般，和图片有差距", "尺码偏小，勉强能穿"),
        2: ("质量一般，不会回购", "客服回复太慢"),
        1: ("收到就是坏的，退货还很麻烦", "与描述严重不符"),
    },
    # 会员年卡 for a few buyers, 团购框架协议 for most companies: renewals to follow.
    contract_share_person=0.30,
    contract_share_org=0.55,
    contract_amount_person=(88, 300),
    contract_amount_org=(20000, 180000),
    long_term_share_org=0.05,
    non_renewal_share=0.30,
    non_renewal_reasons=("会员权益使用较少", "转到其他平台购物", "预算缩减，暂停团购",
                         "对配送服务不满意", "价格未谈拢"),
    tags=("VIP", "复购客户", "高潜力", "老客户推荐", "线上活跃", "需要回访", "退货较多",
          "付费会员", "流失预警", "大促敏感", "好评达人", "直播粉丝", "团购客户", "对公客户"),
    tag_rules={
        "top_tier": ("VIP", 0.8), "high_value": ("复购客户", 0.8), "potential": ("高潜力", 0.15),
        "referral": ("老客户推荐", 0.4), "online": ("线上活跃", 0.35),
        "overdue": ("需要回访", 0.5), "complained": ("退货较多", 0.5),
        "renewed": ("付费会员", 0.9), "churned": ("流失预警", 0.4), "any": ("直播粉丝", 0.08),
    },
    person_interests=(("大促敏感", 0.16), ("好评达人", 0.24)),
    org_tags=(("团购客户", 0.9), ("对公客户", 0.3)),
)

# ---- 金融: a bank branch -------------------------------------------------------------------------

RISK_GRADES: tuple[str, ...] = tuple(f"风险等级R{n}" for n in range(1, 6))
"""The risk grade of a customer (R1 conservative … R5 aggressive): exactly one each."""

FINANCE = replace(
    GENERAL,
    name="finance",
    type_weights=(("个人", 86.0), ("企业", 13.0), ("机构", 1.0)),
    industry_weights={
        **GENERAL.industry_weights,
        "企业": {"金融": 4, "科技": 22, "教育": 6, "医疗": 8, "制造": 32, "零售": 20,
                 "政府": 0, "其他": 8},
    },
    sources_person=(("表单", 34.0), ("转介绍", 20.0), ("在线", 16.0), ("电话", 10.0),
                    ("拜访", 10.0), ("其他", 10.0)),
    sources_org=(("拜访", 45.0), ("转介绍", 25.0), ("表单", 15.0), ("电话", 15.0)),
    consent_notes={**GENERAL.consent_notes, "表单": "开户时签署个人信息处理授权书",
                   "在线": "手机银行线上签署授权"},
    person_notes=("风险测评已完成，有效期一年", "偏好稳健型产品", "有房贷，关注提前还款",
                  "退休客户，关注养老理财", "代发工资客户", "购买理财需双录（录音录像）",
                  "大额资金到期前一周提醒", "不接受电话营销"),
    org_notes=("对公结算账户在本行", "有流动资金贷款", "本行代发工资单位", "财务负责人近期变更",
               "年度授信额度待续批"),
    # Fewer, larger purchases; a branch's wealth customers reach the upper tiers.
    tier_mix={"钻石": 0.04, "铂金": 0.14, "黄金": 0.30},
    band_extra_orders=2,
    prospect_below=0.24,
    churned_below=0.52,
    late_below=0.58,
    first_order_days=12.0,
    quantity_spread_person=1,
    quantity_spread_org=2,
    quantity_sigma=0.5,
    consumer_products=(
        ("稳健理财 90 天", 50000), ("季季盈理财", 30000), ("货币基金申购", 10000),
        ("债券基金申购", 20000), ("指数基金定投", 2000), ("混合基金申购", 15000),
        ("养老目标基金", 10000), ("重疾险年缴保费", 8000), ("年金险年缴保费", 20000),
        ("意外险", 300), ("个人消费贷款（放款）", 50000), ("个人经营贷款（放款）", 200000),
        ("贵金属积存金", 5000), ("大额存单", 200000), ("外币理财", 30000),
    ),
    business_products=(
        ("对公结构性存款", 1000000), ("流动资金贷款（放款）", 2000000), ("票据贴现", 500000),
        ("代发工资服务（年）", 20000), ("企业年金", 300000), ("外汇套期保值", 200000),
        ("对公结算套餐（年）", 5000), ("供应链融资（放款）", 800000),
    ),
    payments_person=(("银行卡", 72.0), ("银行转账", 24.0), ("现金", 4.0)),
    payments_org=(("银行转账", 96.0), ("银行卡", 4.0)),
    interactions={
        "电话": ("致电告知理财产品到期，客户考虑续投", "电话提醒客户风险测评即将过期",
                 "客户来电咨询基金净值波动，已解释", "电话沟通房贷提前还款流程",
                 "电话邀约客户参加投资策略会"),
        "邮件": ("发送月度资产对账单", "邮件发送企业授信续批材料清单", "发送基金季度报告"),
        "短信": ("短信通知理财到期资金已到账", "短信提醒信用卡还款日", "短信推送大额存单额度"),
        "拜访": ("客户到网点办理大额存单", "上门拜访企业财务负责人，了解融资需求",
                 "网点面谈，完成资产配置建议"),
        "在线": ("手机银行在线客服解答转账限额问题", "企业微信答复理财产品风险等级问题",
                 "线上发送产品说明书供客户阅读"),
    },
    methods_person=(("电话", 40.0), ("短信", 20.0), ("在线", 20.0), ("拜访", 15.0), ("邮件", 5.0)),
    methods_org=(("拜访", 40.0), ("电话", 30.0), ("邮件", 20.0), ("在线", 10.0)),
    visit_methods=(("电话", 60.0), ("上门", 15.0), ("在线问卷", 10.0), ("短信", 10.0),
                   ("邮件", 5.0)),
    follow_purposes=("理财到期提醒", "风险测评更新", "资产配置回访", "贷后回访", "保单回访",
                     "续约沟通", "节日问候"),
    follow_content=("告知产品到期日及续投方案", "提醒客户更新风险测评", "检视持仓并建议调整配置",
                    "了解贷款资金用途及经营情况", "确认保单信息及缴费方式"),
    follow_feedback=("收益符合预期", "希望有更高收益的产品", "对客户经理服务满意",
                     "担心市场波动，想降低风险", "近期有大额资金需求", "暂无新需求"),
    follow_results=("客户同意续投", "已完成风险测评", "需再次跟进", "已调整资产配置",
                    "客户暂无需求", "已预约网点面谈"),
    winback_purpose="资金回流挽回回访",
    complaint_one_below=0.06,
    complaint_two_below=0.075,
    complaint_channels=(("电话", 55.0), ("反馈表", 20.0), ("在线客服", 20.0), ("邮件", 5.0)),
    complaint_type_weights={"价格收费": 30, "服务态度": 25, "产品质量": 20, "其他": 18,
                            "售后维修": 5, "物流配送": 2},
    complaint_text={
        "产品质量": ("理财产品实际收益低于业绩比较基准", "基金亏损，认为销售时未充分揭示风险"),
        "服务态度": ("网点排队时间过长，柜员态度冷淡", "客户经理多次未回电"),
        "物流配送": ("信用卡邮寄超过十天未收到",),
        "价格收费": ("账户管理费扣收未提前告知", "跨行转账手续费有争议", "提前还款被收取违约金"),
        "售后维修": ("ATM 吞卡，处理缓慢", "手机银行无法登录，多次反映未解决"),
        "其他": ("征信记录有误，申请更正", "未开通的短信提醒服务被扣费"),
    },
    complaint_solutions={
        "产品质量": ("向客户解释产品条款并出具收益说明", "核查销售过程，补做风险提示并致歉"),
        "服务态度": ("网点负责人致歉并优化叫号", "更换客户经理，主管回访致歉"),
        "物流配送": ("补寄信用卡并致歉",),
        "价格收费": ("退还相关费用并说明收费标准", "减免手续费"),
        "售后维修": ("当日退还吞卡", "远程协助恢复手机银行登录"),
        "其他": ("提交征信异议并已更正", "退还短信服务费并关闭服务"),
    },
    handling_steps=("受理登记，转交相关条线", "调阅业务凭证与录音录像", "与客户沟通核实",
                    "制定处理方案并报审批", "回访确认客户满意"),
    survey_share=0.4,
    survey_channels=(("短信", 40.0), ("电话回访", 40.0), ("在线问卷", 20.0)),
    survey_comments={
        5: ("客户经理专业，讲解清楚", "网点服务周到", "理财收益稳定，很放心"),
        4: ("整体满意，排队时间有点长", "服务不错，希望产品更丰富"),
        3: ("一般，收益一般", "手机银行操作复杂"),
        2: ("办理业务等待太久", "电话一直打不通"),
        1: ("亏损后无人解释，很失望", "准备转到其他银行"),
    },
    # Wealth-management terms: a yearly term, renewed or not at maturity.
    contract_share_person=0.45,
    contract_share_org=0.6,
    contract_amount_person=(50000, 950000),
    contract_amount_org=(1000000, 9000000),
    long_term_share_org=0.2,
    non_renewal_share=0.24,
    non_renewal_reasons=("资金用于购房", "转投其他银行产品", "收益率低于预期", "风险偏好变化",
                         "资金周转需要", "客户移居外地"),
    tags=(*RISK_GRADES, "VIP", "私人银行", "重点客户", "理财客户", "基金定投", "保险客户",
          "贷款客户", "代发工资", "手机银行活跃", "需要回访", "投诉敏感", "长期合作",
          "流失预警", "老客户推荐", "对公客户"),
    tag_rules={
        "top_tier": ("私人银行", 0.6), "high_value": ("重点客户", 0.5),
        "potential": ("理财客户", 0.3), "referral": ("老客户推荐", 0.4),
        "online": ("手机银行活跃", 0.5), "overdue": ("需要回访", 0.5),
        "complained": ("投诉敏感", 0.4), "renewed": ("长期合作", 0.7),
        "churned": ("流失预警", 0.4), "any": ("VIP", 0.03),
    },
    person_interests=(("基金定投", 0.15), ("保险客户", 0.27), ("代发工资", 0.40),
                      ("贷款客户", 0.50)),
    org_tags=(("对公客户", 0.9), ("代发工资", 0.3), ("贷款客户", 0.4)),
    grade_tags=tuple(zip(RISK_GRADES, (0.10, 0.35, 0.75, 0.93, 1.0), strict=True)),
)

# ---- 医疗: a clinic ---------------------------------------------------------------------------

SENSITIVE_TAG = "健康信息"
"""On every patient: the mark that hides the record's texts from trainees
(``services.access.masking.SENSITIVE_TAGS``)."""

HEALTHCARE = replace(
    GENERAL,
    name="healthcare",
    type_weights=(("个人", 100.0),),
    sources_person=(("表单", 30.0), ("电话", 25.0), ("在线", 25.0), ("转介绍", 15.0),
                    ("其他", 5.0)),
    consent_notes={**GENERAL.consent_notes, "表单": "初诊时签署个人信息及健康信息处理授权书",
                   "电话": "电话预约时录音确认授权", "在线": "线上预约时勾选健康信息处理同意"},
    person_notes=("青霉素过敏", "高血压病史，服用降压药", "糖尿病，需监测血糖",
                  "孕期，避免放射检查", "对局部麻醉药敏感", "有哮喘病史", "术后需定期复查",
                  "儿童患者，需监护人陪同"),
    # Most patients come for a visit or two; those in long treatment (implants, orthodontics,
    # rehabilitation) reach the upper tiers.
    tier_mix={"钻石": 0.01, "铂金": 0.05, "黄金": 0.20},
    band_extra_orders=6,
    prospect_below=0.12,
    churned_below=0.44,
    late_below=0.50,
    first_order_days=3.0,
    quantity_spread_person=1,
    quantity_sigma=0.1,
    consumer_products=(
        ("普通门诊挂号", 50), ("专家门诊挂号", 150), ("口腔检查", 100), ("洗牙（超声波洁治）", 300),
        ("补牙（树脂充填）", 500), ("根管治疗", 1800), ("拔牙（阻生齿）", 1200), ("种植牙", 8800),
        ("正畸复诊", 500), ("儿童涂氟", 150), ("中医推拿", 200), ("针灸理疗", 180),
        ("血常规检查", 40), ("体检套餐（基础）", 680), ("康复理疗（10 次）", 1500),
        ("B 超检查", 200),
    ),
    payments_person=(("微信支付", 40.0), ("支付宝", 25.0), ("银行卡", 20.0), ("现金", 10.0),
                     ("银行转账", 5.0)),
    interactions={
        "电话": ("电话预约复诊时间", "电话告知检查结果已出，请来院取报告",
                 "电话提醒明日就诊，请空腹", "患者来电咨询术后注意事项，已解答"),
        "邮件": ("邮件发送电子检查报告", "邮件发送体检报告解读"),
        "短信": ("短信发送就诊提醒", "短信提醒复诊时间", "短信通知疫苗接种安排"),
        "拜访": ("家庭医生上门随访老年患者", "上门为行动不便患者换药"),
        "在线": ("线上问诊：咨询术后饮食注意事项", "公众号咨询预约流程", "线上答复用药剂量问题"),
    },
    methods_person=(("电话", 45.0), ("短信", 25.0), ("在线", 22.0), ("邮件", 5.0), ("拜访", 3.0)),
    visit_methods=(("电话", 65.0), ("短信", 15.0), ("在线问卷", 10.0), ("上门", 5.0),
                   ("邮件", 5.0)),
    follow_purposes=("术后回访", "治疗后回访", "复诊提醒", "用药情况回访", "慢病随访",
                     "满意度回访"),
    follow_content=("询问术后恢复情况及有无不适", "了解用药后症状是否缓解",
                    "提醒按时复诊并携带病历", "随访血压、血糖控制情况", "指导术后口腔护理"),
    follow_feedback=("恢复良好，无明显不适", "仍有轻微疼痛", "症状已缓解", "希望缩短候诊时间",
                     "对医生讲解满意", "忘记按时服药"),
    follow_results=("恢复良好", "已预约复诊", "建议来院复查", "已解答患者疑问", "需再次回访",
                    "建议转诊上级医院"),
    winback_purpose="久未复诊患者回访",
    complaint_one_below=0.07,
    complaint_two_below=0.085,
    complaint_channels=(("电话", 45.0), ("反馈表", 25.0), ("在线客服", 25.0), ("邮件", 5.0)),
    complaint_type_weights={"服务态度": 35, "价格收费": 25, "其他": 20, "产品质量": 15,
                            "售后维修": 5, "物流配送": 1},
    complaint_text={
        "产品质量": ("补牙后一周填充物脱落", "治疗后症状未见好转"),
        "服务态度": ("护士操作时态度生硬", "医生问诊时间过短，解释不清"),
        "物流配送": ("线上开具的药品配送延迟",),
        "价格收费": ("治疗费用高于术前告知的报价", "检查项目重复收费"),
        "售后维修": ("种植牙牙冠松动，返修等待时间长", "假牙佩戴不适，多次调整未果"),
        "其他": ("预约后候诊超过一小时", "检查报告出具时间过长", "诊室环境嘈杂"),
    },
    complaint_solutions={
        "产品质量": ("免费重新充填并致歉", "安排主任医师复诊并调整治疗方案"),
        "服务态度": ("护理部约谈相关护士并向患者致歉", "科室主任致电患者解释病情"),
        "物流配送": ("改为到院取药并致歉",),
        "价格收费": ("核对费用清单并退还多收费用", "说明收费依据并出具明细"),
        "售后维修": ("优先安排返修并延长质保", "重新制作假牙"),
        "其他": ("优化预约分时段并致歉", "加急出具报告", "调整诊室安排"),
    },
    handling_steps=("受理登记，转交医务科", "调阅病历与收费记录", "与主治医生及患者沟通",
                    "制定处理方案并与患者确认", "回访确认患者满意"),
    survey_share=0.6,
    survey_channels=(("短信", 40.0), ("电话回访", 40.0), ("在线问卷", 15.0), ("微信", 5.0)),
    survey_comments={
        5: ("医生讲解病情很耐心", "护士操作轻柔，很专业", "环境干净，预约方便"),
        4: ("整体满意，候诊时间稍长", "治疗效果不错，价格略高"),
        3: ("一般，排队太久", "挂号流程有点复杂"),
        2: ("医生解释太少", "收费不够透明"),
        1: ("治疗效果差，很失望", "不会再来了"),
    },
    # 家庭医生签约 / 年度健康管理: a yearly service a patient renews or not.
    contract_share_person=0.20,
    contract_amount_person=(1200, 3600),
    non_renewal_share=0.2,
    non_renewal_reasons=("搬离服务区域", "转至其他医疗机构", "费用原因", "健康状况好转，暂不需要",
                         "对服务不满意"),
    tags=(SENSITIVE_TAG, "慢病管理", "术后随访", "过敏史", "儿童患者", "老年患者", "孕产妇",
          "VIP", "需要回访", "流失预警", "投诉敏感", "老客户推荐", "家庭医生签约", "复诊提醒",
          "线上预约"),
    tag_rules={
        "top_tier": ("VIP", 0.5), "high_value": ("慢病管理", 0.3),
        "potential": ("复诊提醒", 0.3), "referral": ("老客户推荐", 0.4),
        "online": ("线上预约", 0.5), "overdue": ("需要回访", 0.6),
        "complained": ("投诉敏感", 0.4), "renewed": ("家庭医生签约", 0.9),
        "churned": ("流失预警", 0.3),
    },
    person_interests=(("过敏史", 0.08), ("儿童患者", 0.18), ("老年患者", 0.33),
                      ("孕产妇", 0.37), ("术后随访", 0.50)),
    org_tags=(),
    grade_tags=((SENSITIVE_TAG, 1.0),),
)

PROFILES: dict[str, DemoProfile] = {p.name: p for p in (GENERAL, RETAIL, FINANCE, HEALTHCARE)}
"""The datasets by name (``seed-demo --dataset``, the trainer's reset), the default first."""

DATASETS: tuple[str, ...] = tuple(PROFILES)


def get_profile(name: str) -> DemoProfile:
    """The profile of a dataset name; ``KeyError`` names the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown demo dataset {name!r}; known: {', '.join(PROFILES)}") from None
