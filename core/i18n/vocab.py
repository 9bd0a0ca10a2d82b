"""English labels of the stored Chinese vocabulary (types, tiers, stages, channels ...).

The database and the Excel files keep the Chinese value; the English UI shows these labels.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    f"vocab.{zh}": (zh, en)
    for zh, en in {
        "个人": "Individual", "企业": "Enterprise", "机构": "Institution",
        "男": "Male", "女": "Female",
        "白银": "Silver", "黄金": "Gold", "铂金": "Platinum", "钻石": "Diamond",
        "潜在": "Prospect", "新客户": "New", "稳定": "Stable", "老客户": "Loyal", "流失": "Churned",
        "高价值": "High value", "普通": "Ordinary",
        "表单": "Form", "电话": "Phone", "在线": "Online", "拜访": "Visit", "转介绍": "Referral",
        "其他": "Other", "邮件": "Email", "短信": "SMS", "上门": "On-site visit",
        "在线问卷": "Online questionnaire", "在线客服": "Online chat", "反馈表": "Feedback form",
        "待处理": "Open", "处理中": "In progress", "已解决": "Resolved", "已关闭": "Closed",
        "已续约": "Renewed", "未续约": "Not renewed", "跟进中": "Following up",
        "非常满意": "Very satisfied", "满意": "Satisfied", "一般": "Neutral",
        "不满意": "Dissatisfied", "非常不满意": "Very dissatisfied",
        "产品质量": "Product quality", "服务态度": "Service attitude", "物流配送": "Delivery",
        "价格收费": "Pricing", "售后维修": "After-sales repair",
        "银行转账": "Bank transfer", "支付宝": "Alipay", "微信支付": "WeChat Pay",
        "银行卡": "Bank card", "现金": "Cash",
        "金融": "Finance", "科技": "Technology", "教育": "Education", "医疗": "Healthcare",
        "制造": "Manufacturing", "零售": "Retail", "政府": "Government",
    }.items()
}
