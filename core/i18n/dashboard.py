"""Wording of the manager dashboards: the shared filter bar, the overview KPIs, the churn
warning and the KPI report (issue 6). Chart wording lives in the charts' own module."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.dash_overview": ("经营总览", "Overview"),
    "nav.churn_warning": ("流失预警", "Churn warning"),
    # the shared filter bar (components.dashboard_filters)
    "dash.filter.kind": ("统计周期", "Period"),
    "dash.filter.kind.month": ("月", "Month"),
    "dash.filter.kind.quarter": ("季度", "Quarter"),
    "dash.filter.kind.year": ("年", "Year"),
    "dash.filter.kind.custom": ("自定义", "Custom"),
    "dash.filter.period": ("期间", "Which"),
    "dash.filter.from": ("开始日期", "From"),
    "dash.filter.to": ("结束日期", "To"),
    "dash.filter.province": ("省份", "Province"),
    "dash.filter.industry": ("行业", "Industry"),
    "dash.filter.tier": ("客户等级", "Tier"),
    "dash.filter.type": ("客户类型", "Customer type"),
    "dash.filter.manager": ("客户经理", "Account manager"),
    "dash.filter.all": ("全部", "All"),
    "dash.filter.more": ("更多筛选", "More filters"),
    "dash.filter.clear": ("清除筛选", "Clear filters"),
    "dash.period.month": ("{year}年{month}月", "{month}/{year}"),
    "dash.period.quarter": ("{year}年第{quarter}季度", "Q{quarter} {year}"),
    "dash.period.year": ("{year}年", "{year}"),
    "dash.period.range": ("{start} 至 {end}", "{start} to {end}"),
    "dash.period.to_date": ("{period}（截至 {end}）", "{period} (to {end})"),
    "dash.period.compare": ("对比上期：{previous}", "Compared with: {previous}"),

    # KPI cards (services.analysis.kpis)
    "dash.kpi.customers_total": ("客户总数", "Customers"),
    "dash.kpi.customers_new": ("新增客户", "New customers"),
    "dash.kpi.active_customers": ("活跃客户", "Active customers"),
    "dash.kpi.satisfaction_avg": ("平均满意度", "Average satisfaction"),
    "dash.kpi.satisfied_share": ("满意率", "Share satisfied"),
    "dash.kpi.renewal_rate": ("续约率", "Renewal rate"),
    "dash.kpi.renewal_amount": ("续约金额", "Renewal amount"),
    "dash.kpi.open_complaints": ("未结投诉", "Open complaints"),
    "dash.kpi.overdue_complaints": ("超时投诉", "Overdue complaints"),
    "dash.kpi.resolution_median_minutes": ("处理时长中位数", "Median resolution time"),
    "dash.kpi.churn_risk": ("流失风险客户", "Customers at churn risk"),
    "dash.kpi.help.customers_total": ("期末的客户数（不含已删除客户）。",
                                      "Customers at the end of the period (deleted ones "
                                      "excluded)."),
    "dash.kpi.help.customers_new": ("本期新建档的客户数。", "Customers created in the period."),
    "dash.kpi.help.active_customers": (
        "本期有交易、沟通记录或已完成回访的客户数。",
        "Customers with an order, a contact or a completed follow-up visit in the period."),
    "dash.kpi.help.satisfaction_avg": ("本期满意度调查的平均分（1–5 分）。",
                                       "Mean score (1–5) of the period's surveys."),
    "dash.kpi.help.satisfied_share": (
        "本期调查中“满意”和“非常满意”（4 分及以上）所占比例，共 {surveys} 份调查。",
        "Share of the period's surveys scored 满意 or 非常满意 (4 or 5); {surveys} surveys."),
    "dash.kpi.help.renewal_rate": (
        "本期到期并已有结果的续约中，已续约所占比例：已续约 {renewed} ÷（已续约 {renewed} + "
        "未续约 {not_renewed}）。跟进中 {pending} 份尚无结果，不计入。",
        "Of the renewals due in the period and decided, the share renewed: {renewed} ÷ "
        "({renewed} + {not_renewed} not renewed). {pending} still in progress are not "
        "counted."),
    "dash.kpi.help.renewal_amount": ("本期到期且已续约的合同金额合计。",
                                     "Total amount of the renewals due in the period and "
                                     "renewed."),
    "dash.kpi.help.open_complaints": ("期末（进行中的期间为此刻）尚未解决或关闭的投诉。",
                                      "Complaints not resolved or closed at the end of the "
                                      "period (now, for a period in progress)."),
    "dash.kpi.help.overdue_complaints": (
        "未结投诉中，受理已超过 {hours} 小时的。",
        "Open complaints received more than {hours} hours before."),
    "dash.kpi.help.resolution_median_minutes": (
        "本期解决的 {resolved} 件投诉从受理到解决时长的中位数（一半快于它，一半慢于它），"
        "与趋势图和投诉分析相同。",
        "Median time from receipt to resolution of the {resolved} complaints resolved in the "
        "period (half took less, half more), as on the trend chart and 投诉分析."),
    "dash.kpi.help.churn_risk": (
        "当前风险分达到 {threshold} 分的客户（按流失预警规则，与所选期间无关）。",
        "Customers whose churn risk score is {threshold} or more now (by the churn rules, "
        "whatever the period)."),
    "dash.kpi.previous": ("上期 {value}", "Previous {value}"),
    "dash.kpi.target": ("目标 {value}", "Target {value}"),
    "dash.kpi.no_target": ("未设目标", "No target set"),
    "dash.kpi.no_data": ("—", "—"),
    "dash.kpi.now": ("当前", "Now"),
    "dash.unit.pp": ("{value} 个百分点", "{value} pp"),
    "dash.unit.hours": ("{value} 小时", "{value} h"),
    # 经营总览 page
    "dash.overview.title": ("经营总览", "Business overview"),
    "dash.overview.caption": ("{period} · 与{previous}对比",
                              "{period} · compared with {previous}"),
    "dash.overview.section.customers": ("客户", "Customers"),
    "dash.overview.section.service": ("服务与续约", "Service and renewals"),
    "dash.overview.section.complaints": ("投诉与风险", "Complaints and risk"),
    "dash.overview.trends": ("趋势", "Trends"),
    "dash.overview.empty": (
        "还没有客户数据。先在“新建客户”录入客户，或在“导入导出”导入 Excel，之后这里会显示"
        "客户、满意度、续约和投诉的指标。",
        "No customer data yet. Enter customers under New customer or import an Excel file "
        "under Import/export; the KPIs of customers, satisfaction, renewals and complaints "
        "will show here."),
    "dash.overview.churn_rules": ("流失风险：各规则触发人数", "Churn risk: customers per rule"),
    "dash.overview.churn_rules.help": ("点击规则查看名单；一位客户可触发多条规则。",
                                       "Click a rule to open its list; a customer may fire "
                                       "several rules."),
    "dash.overview.churn_link": ("查看流失预警名单", "Open the churn warning list"),
    "dash.overview.more": ("详细分析", "Detailed analysis"),
    # KPI report
    "dash.report.download": ("导出指标报表", "Export KPI report"),
    "dash.report.prepare": ("生成报表", "Build the report"),
    "dash.report.building": ("正在汇总各项指标……", "Computing every table…"),
    "dash.report.help": ("每个指标表和图表一个工作表，另附所用筛选条件。",
                         "One sheet per KPI table and chart, plus the filters used."),
    "dash.report.file": ("经营指标报表.xlsx", "kpi-report.xlsx"),
    "dash.report.sheet.filters": ("筛选条件", "Filters"),
    "dash.report.sheet.kpis": ("关键指标", "KPIs"),
    "dash.report.sheet.churn_rules": ("流失预警规则", "Churn rules"),
    "dash.report.col.filter": ("条件", "Filter"),
    "dash.report.col.value": ("取值", "Value"),
    "dash.report.col.kpi": ("指标", "KPI"),
    "dash.report.col.current": ("本期", "This period"),
    "dash.report.col.previous": ("上期", "Previous period"),
    "dash.report.col.change": ("变化", "Change"),
    "dash.report.col.target": ("目标", "Target"),
    "dash.report.col.unit": ("单位", "Unit"),
    "dash.report.col.rule": ("规则", "Rule"),
    "dash.report.col.weight": ("权重", "Weight"),
    "dash.report.col.customers": ("客户数", "Customers"),
    "dash.report.range": ("日期范围", "Dates"),
    "dash.report.previous": ("对比期间", "Compared with"),
    "dash.report.generated": ("生成时间", "Generated"),
    "dash.report.unit.count": ("个", "count"),
    "dash.report.unit.percent": ("%", "%"),
    "dash.report.unit.score": ("分", "points"),
    "dash.report.unit.money": ("元", "yuan"),
    "dash.report.unit.minutes": ("小时", "hours"),
    # 流失预警 page
    "dash.churn.title": ("流失预警", "Churn warning"),
    "dash.churn.caption": (
        "风险分 = 触发规则的权重之和，达到 {threshold} 分列入名单；按风险分、近 12 个月消费"
        "排序。规则从今天往回看（数据截至 {as_of}），不受统计周期影响。",
        "Risk score = sum of the weights of the rules that fire; {threshold} or more puts a "
        "customer on the list, sorted by score, then 12-month spend. The rules look back from "
        "today (data as of {as_of}), whatever the period of the other dashboards."),
    "dash.churn.total": ("风险客户 {total} 位", "{total} customers at risk"),
    "dash.churn.rule_filter": ("只看触发此规则的客户", "Only customers for whom this rule fired"),
    "dash.churn.all_rules": ("全部规则", "All rules"),
    "dash.churn.none": ("当前筛选条件下没有流失风险客户。",
                        "No customer at churn risk for these filters."),
    "dash.churn.rule.no_order": ("久未下单", "No recent order"),
    "dash.churn.rule.contact_drop": ("联系减少", "Fewer contacts"),
    "dash.churn.rule.complaints": ("投诉", "Complaints"),
    "dash.churn.rule.satisfaction": ("满意度低或下降", "Low or falling satisfaction"),
    "dash.churn.rule.contract": ("合同将到期未续约", "Contract ending, no renewal"),
    "dash.churn.rule.help.no_order": ("超过 {days} 天没有下单", "No order for over {days} days"),
    "dash.churn.rule.help.contact_drop": (
        "近 {days} 天联系次数低于以往平均的 {ratio}",
        "Contacts in the last {days} days below {ratio} of the customer's usual"),
    "dash.churn.rule.help.complaints": (
        "有未结投诉，或 {days} 天内投诉 {repeat} 次及以上",
        "An open complaint, or {repeat}+ complaints within {days} days"),
    "dash.churn.rule.help.satisfaction": (
        "最近一次满意度 ≤ {max_score} 分，或比上次下降 ≥ {drop} 分",
        "Latest survey score ≤ {max_score}, or {drop}+ below the one before"),
    "dash.churn.rule.help.contract": (
        "合同 {days} 天内到期，且没有续约或跟进记录",
        "A contract ends within {days} days with no renewal done or in progress"),
    "dash.churn.col.customer_no": ("客户编号", "Customer no."),
    "dash.churn.col.name": ("客户名称", "Name"),
    "dash.churn.col.mobile": ("手机号", "Mobile"),
    "dash.churn.col.tier": ("等级", "Tier"),
    "dash.churn.col.province": ("省份", "Province"),
    "dash.churn.col.manager": ("客户经理", "Account manager"),
    "dash.churn.col.score": ("风险分", "Risk score"),
    "dash.churn.col.rules": ("触发规则", "Rules fired"),
    "dash.churn.col.spend": ("近12个月消费", "12-month spend"),
    "dash.churn.col.last_order": ("最近下单", "Last order"),
    "dash.churn.col.last_contact": ("最近联系", "Last contact"),
    "dash.churn.col.open": ("档案", "Profile"),
    "dash.churn.export": ("导出名单", "Export list"),
    "dash.churn.export.help.full": ("导出当前筛选下的全部风险客户（手机号完整）。",
                                    "Every customer at risk for these filters (full mobile "
                                    "numbers)."),
    "dash.churn.export.help.masked": ("导出当前筛选下的全部风险客户（手机号已脱敏）。",
                                      "Every customer at risk for these filters (mobile numbers "
                                      "masked)."),
    "dash.churn.file": ("流失预警名单.xlsx", "churn-warning.xlsx"),
    "dash.churn.sheet": ("流失预警", "Churn warning"),
    "dash.churn.page_info": ("第 {page} / {pages} 页", "Page {page} of {pages}"),
}
