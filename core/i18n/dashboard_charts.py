"""Wording of the dashboard chart pages (满意度, 续约, 投诉, 客户构成, 客户经理)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # navigation
    "nav.dash_satisfaction": ("满意度分析", "Satisfaction"),
    "nav.dash_renewals": ("续约分析", "Renewal analysis"),
    "nav.dash_complaints": ("投诉分析", "Complaint analysis"),
    "nav.dash_composition": ("客户构成", "Customer mix"),
    "nav.dash_account_managers": ("客户经理业绩", "Account managers"),
    # shared
    "charts.showing": ("统计期间：{period}", "Period shown: {period}"),
    "charts.no_data": ("暂无数据", "No data"),
    "charts.empty_db": (
        "还没有客户数据，图表暂时无法显示。请先在“新建客户”页录入，或通过“导入导出”批量导入；"
        "培训环境可在首页一键加载演示数据。",
        "There are no customers yet, so there is nothing to chart. Add customers (New "
        "customer) or import them (Import / export) first; on a training database, load the "
        "demo data from the home page."),
    "charts.empty_filter": (
        "所选期间和筛选条件下没有记录。请换一个期间（例如“年”），或清除部分筛选条件。",
        "No records for this period and these filters. Try another period (for example "
        "Year) or clear some filters."),
    "charts.click_hint": ("提示：点击柱形或地图上的省份，可在客户查询中查看对应客户。",
                          "Tip: click a bar or a province on the map to open those customers "
                          "in the customer lookup."),
    "charts.unassigned": ("未分配", "Unassigned"),
    "charts.unknown": ("未填写", "Not given"),
    "charts.total": ("合计", "Total"),
    "charts.customers": ("客户数", "Customers"),
    "charts.new_customers": ("新增客户", "New customers"),
    "charts.surveys": ("调查数", "Surveys"),
    "charts.complaints": ("投诉数", "Complaints"),
    "charts.contracts": ("合同数", "Contracts"),
    "charts.average_score": ("平均满意度", "Average score"),
    "charts.share_satisfied": ("满意率", "Share satisfied"),
    "charts.share_satisfied_axis": ("满意率（满意 + 非常满意）", "Satisfied (4-5)"),
    "charts.avg_and_n": ("均分 {avg} · {n} 份", "avg {avg} · {n} surveys"),
    "charts.no_value": ("—", "—"),
    "charts.target": ("目标", "Target"),
    "charts.vs_target": ("{diff} 个百分点（对比目标）", "{diff} pts vs target"),
    "charts.renewal_rate": ("续约率", "Renewal rate"),
    "charts.renewal_amount": ("续约金额", "Renewed amount"),
    "charts.renewal_decided": ("已续约 / 已决定", "Renewed / decided"),
    "charts.renewed_of": ("{renewed} / {decided}", "{renewed} / {decided}"),
    "charts.renewal_counts": (
        "已续约 %{customdata[0]:,} / 已决定 %{customdata[1]:,}<br>跟进中 %{customdata[2]:,}",
        "Renewed %{customdata[0]:,} of %{customdata[1]:,} decided<br>"
        "Following up %{customdata[2]:,}"),
    "charts.complaints_received": ("收到投诉", "Complaints received"),
    "charts.complaints_axis": ("投诉数", "Complaints"),
    "charts.median_hours": ("处理时长中位数（小时）", "Median resolution (hours)"),
    "charts.hours_axis": ("小时", "Hours"),
    # 满意度
    "charts.sat.distribution": ("满意度分布", "Satisfaction levels"),
    "charts.sat.distribution.help": ("期间内全部满意度调查，按五个等级统计。",
                                     "All surveys of the period, by level."),
    "charts.sat.trend": ("月度满意度趋势", "Monthly satisfaction"),
    "charts.sat.trend.help": (
        "柱形：满意率（评分 4–5 的占比）；折线：平均分（1–5）。至少显示最近 12 个月。",
        "Bars: share satisfied (scores 4-5); line: average score (1-5). At least the last "
        "12 months."),
    "charts.sat.by_tier": ("按客户等级", "By tier"),
    "charts.sat.by_manager": ("按客户经理", "By account manager"),
    # 续约
    "charts.ren.trend": ("月度续约率与目标", "Monthly renewal rate against target"),
    "charts.ren.trend.help": (
        "续约率 = 已续约 ÷（已续约 + 未续约），按续约到期月份统计；跟进中的不计入。"
        "绿色达到目标，红色低于目标；虚线为目标（月目标，缺省时取季度或年度目标）。",
        "Renewal rate = renewed ÷ (renewed + not renewed), by the month renewals are due; "
        "those still being followed up are left out. Green meets the target, red falls "
        "short; the dashed line is the target (monthly, else the quarter's or year's)."),
    "charts.ren.upcoming": ("未来 6 个月到期合同", "Contracts expiring in the next 6 months"),
    "charts.ren.upcoming.help": ("按到期月份和续约进展统计，从今天算起，不受统计期间影响。",
                                 "By month of expiry and renewal progress, from today "
                                 "(whatever the period)."),
    "charts.ren.no_record": ("尚未跟进", "Not yet followed up"),
    "charts.ren.reasons": ("未续约原因", "Reasons for not renewing"),
    "charts.ren.reasons.help": ("期间内到期且未续约的记录，按填写的原因统计。",
                                "Renewals due in the period and not renewed, by the reason "
                                "given."),
    "charts.ren.no_reason": ("未填写原因", "No reason given"),
    "charts.ren.other_reasons": ("其他原因", "Other reasons"),
    # 投诉
    "charts.cmp.by_channel": ("按投诉渠道", "By channel"),
    "charts.cmp.by_type": ("按投诉类型", "By type"),
    "charts.cmp.by_status": ("按处理状态", "By status"),
    "charts.cmp.by_status.help": ("期间内收到的投诉目前所处的状态。",
                                  "Where the complaints received in the period stand now."),
    "charts.cmp.trend": ("月度投诉量与处理时长", "Complaints and resolution time per month"),
    "charts.cmp.trend.help": (
        "柱形：当月收到的投诉数；折线：当月解决的投诉处理时长中位数（小时）。",
        "Bars: complaints received in the month; line: median resolution time of the "
        "complaints resolved in the month (hours)."),
    "charts.cmp.overdue_now": ("当前超时投诉（>{hours} 小时）", "Overdue now (>{hours} h)"),
    "charts.cmp.overdue": ("超时未处理投诉", "Overdue complaints"),
    "charts.cmp.overdue.help": ("尚未解决且已超过 {hours} 小时的投诉，最早的在前"
                                "（当前状态，不受统计期间影响）。",
                                "Not yet resolved and older than {hours} hours, oldest first "
                                "(now, whatever the period)."),
    "charts.cmp.none_overdue": ("没有超时投诉。", "No overdue complaints."),
    "charts.cmp.more_overdue": ("仅显示最早的 {shown} 条，共 {total} 条。",
                                "Showing the oldest {shown} of {total}."),
    # 客户构成
    "charts.comp.total": ("客户总数（期末）", "Customers (end of period)"),
    "charts.comp.new_in_period": ("期间新增客户", "New in the period"),
    "charts.comp.provinces": ("覆盖省份", "Provinces covered"),
    "charts.comp.map": ("客户地域分布", "Customers by province"),
    "charts.comp.map.help": ("颜色越深客户越多；将鼠标移到省份上查看数量。",
                             "Darker means more customers; hover a province for its count."),
    "charts.comp.top_provinces": ("客户最多的省份", "Top provinces"),
    "charts.comp.tier": ("按客户等级", "By tier"),
    "charts.comp.type": ("按客户类型", "By customer type"),
    "charts.comp.lifecycle": ("按生命周期阶段", "By lifecycle stage"),
    "charts.comp.lifecycle.help": ("等级与阶段为客户当前的值。",
                                   "Tier and stage are the customers' current values."),
    "charts.comp.industry": ("按行业", "By industry"),
    "charts.comp.new": ("每月新增客户", "New customers per month"),
    "charts.comp.new.help": ("按建档时间统计；点击某月查看当月新建的客户。",
                             "By date of entry; click a month to see its new customers."),
    # 客户经理
    "charts.am.table": ("客户经理业绩一览", "Account managers at a glance"),
    "charts.am.table.help": (
        "按客户当前所属的客户经理统计，期间及筛选条件同上。",
        "By the customers' current account manager, for the period and filters above."),
    "charts.am.conversion.help": (
        "转化率：期间内新建的客户中，截至期末已有至少一笔订单的占比（潜在 → 成交客户）。",
        "Conversion: of the customers created in the period, the share with at least one "
        "order by the end of the period (prospect → customer)."),
    "charts.am.renewal.help": ("续约率 = 已续约 ÷（已续约 + 未续约），按到期日在期间内的续约记录。",
                               "Renewed ÷ (renewed + not renewed), renewals due in the "
                               "period."),
    "charts.am.overdue.help": ("计划日期在期末（或今天）之前、到期末仍未完成的回访。",
                               "Visits planned before the end of the period (or today) and "
                               "not done by then."),
    "charts.am.select_hint": ("选中一行，可在客户查询中查看该客户经理的客户。",
                              "Select a row to open that manager's customers in the lookup."),
    "charts.am.sales": ("销售额（按客户经理）", "Sales by account manager"),
    "charts.col.manager": ("客户经理", "Account manager"),
    "charts.col.customers": ("客户数", "Customers"),
    "charts.col.new": ("新增客户", "New"),
    "charts.col.conversion": ("转化率", "Conversion"),
    "charts.col.surveys": ("调查数", "Surveys"),
    "charts.col.satisfaction": ("平均满意度", "Avg score"),
    "charts.col.satisfied": ("满意率", "Satisfied"),
    "charts.col.renewal": ("续约率", "Renewal rate"),
    "charts.col.sales": ("销售额（元）", "Sales (CNY)"),
    "charts.col.orders": ("订单数", "Orders"),
    "charts.col.visits_done": ("已完成回访", "Visits done"),
    "charts.col.visits_overdue": ("逾期回访", "Visits overdue"),
    "charts.col.open": ("档案", "Record"),
    "charts.col.open_text": ("打开", "Open"),
    "charts.col.customer_no": ("客户编号", "Customer no."),
    "charts.col.customer": ("客户", "Customer"),
    "charts.col.channel": ("渠道", "Channel"),
    "charts.col.type": ("类型", "Type"),
    "charts.col.status": ("状态", "Status"),
    "charts.col.received": ("收到时间", "Received"),
    "charts.col.days": ("已等待（天）", "Days open"),
    "charts.col.handler": ("处理人", "Handler"),
    # the KPI report's chart sheets (services.analysis.chart_report)
    "charts.report.sheet.sat_tier": ("满意度-按客户等级", "Satisfaction by tier"),
    "charts.report.sheet.sat_manager": ("满意度-按客户经理", "Satisfaction by manager"),
    "charts.report.sheet.upcoming": ("未来到期合同", "Upcoming expiries"),
    "charts.report.sheet.complaints": ("投诉分布", "Complaints by group"),
    "charts.report.level": ("满意度等级", "Level"),
    "charts.report.score": ("分值", "Score"),
    "charts.report.share": ("占比（%）", "Share (%)"),
    "charts.report.month": ("月份", "Month"),
    "charts.report.satisfied_pct": ("满意率（%）", "Satisfied (%)"),
    "charts.report.tier": ("客户等级", "Tier"),
    "charts.report.renewed": ("已续约", "Renewed"),
    "charts.report.not_renewed": ("未续约", "Not renewed"),
    "charts.report.pending": ("跟进中", "Following up"),
    "charts.report.rate_pct": ("续约率（%）", "Renewal rate (%)"),
    "charts.report.target_pct": ("目标（%）", "Target (%)"),
    "charts.report.progress": ("续约进展", "Progress"),
    "charts.report.reason": ("原因", "Reason"),
    "charts.report.dimension": ("维度", "Dimension"),
    "charts.report.value": ("取值", "Value"),
    "charts.report.resolved": ("当月解决", "Resolved in the month"),
    "charts.report.conversion_pct": ("转化率（%）", "Conversion (%)"),
}
