"""Messages of the case datasets (issue 17: 电商, 金融, 医疗) and of the sensitive-record mask."""

MESSAGES: dict[str, tuple[str, str]] = {
    "cases.dataset.general": ("通用", "General"),
    "cases.dataset.retail": ("电商（网店）", "Retail (online shop)"),
    "cases.dataset.finance": ("金融（银行网点）", "Finance (bank branch)"),
    "cases.dataset.healthcare": ("医疗（诊所）", "Healthcare (clinic)"),
    "cases.dataset.help.general": (
        "各行业客户的综合样例：个人、企业与机构，订单、回访、投诉、满意度与合同续约。",
        "Customers of every industry: persons, companies and institutions, with orders, "
        "visits, complaints, surveys and contract renewals."),
    "cases.dataset.help.retail": (
        "网店：以个人买家为主，订单多而小、复购多；退货记为投诉（在线客服等渠道），商品评价记为满意度调查。",
        "An online shop: mostly individual buyers, many small orders and repeat buyers; returns "
        "recorded as complaints (online chat and other channels), product reviews as "
        "satisfaction surveys."),
    "cases.dataset.help.finance": (
        "银行网点：每位客户一个风险等级标签（风险等级R1…R5），理财、基金、保险与贷款产品，"
        "合同为理财期限并有续约，客户经理负责维护。",
        "A bank branch: one risk-grade tag per customer (风险等级R1…R5), wealth-management, "
        "fund, insurance and loan products, contracts as wealth-management terms with renewals, "
        "looked after by account managers."),
    "cases.dataset.help.healthcare": (
        "诊所：患者（个人）的就诊、治疗后回访、投诉与就医满意度；每位患者带“健康信息”标签，"
        "其备注与记录文字对学员隐藏。",
        "A clinic: patients (persons) with visits, follow-up after treatment, complaints and "
        "surveys of care; every patient carries the 健康信息 (health information) tag, and "
        "their notes and record texts are hidden from trainees."),
    "cases.home.current": ("当前演示数据：{dataset}", "Current demo data: {dataset}"),
    "cases.home.done": (
        "演示数据已重置为「{dataset}」：{customers} 位客户，{orders} 笔交易，{complaints} 条投诉。",
        "Demo data reset to {dataset}: {customers} customers, {orders} orders, "
        "{complaints} complaints."),
    "cases.home.pick": ("重置为哪套案例数据", "Reset to which case dataset"),
    "cases.sensitive.hidden": (
        "此客户的档案含健康信息（敏感）：学员看到的备注与各项记录的文字均已隐藏（******），"
        "完整号码也不显示。",
        "This record holds health information (sensitive): for trainees, its notes and the "
        "texts of its records are hidden (******), and full numbers are never shown."),
}
