"""Contracts, renewals (续约管理) and renewal targets: forms, refusals, lists, page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # navigation and timeline
    "nav.renewals": ("续约管理", "Renewals"),
    "records.kind.contract": ("合同", "Contract"),
    "profile.kind.contract": ("合同", "Contract"),
    "records.timeline.contract": (
        "合同 {contract_no}：{start_date} 至 {end_date}，金额 {amount} 元",
        "Contract {contract_no}: {start_date} to {end_date}, {amount} yuan",
    ),
    "records.timeline.renewal_open": (
        "续约（合同到期 {due_date}）：{outcome}", "Renewal (contract ends {due_date}): {outcome}",
    ),
    "records.timeline.contract_renewal": (
        "续约合同 {contract_no}：{start_date} 至 {end_date}，金额 {amount} 元",
        "Renewal contract {contract_no}: {start_date} to {end_date}, {amount} yuan",
    ),
    # field labels (FieldError fields contract.*, renewal.*, target.*)
    "field.contract.contract_no": ("合同编号", "Contract No."),
    "field.contract.start_date": ("开始日期", "Start date"),
    "field.contract.end_date": ("结束日期", "End date"),
    "field.contract.amount": ("合同金额", "Amount"),
    "field.renewal.new_contract_no": ("新合同编号", "New contract No."),
    "field.renewal.new_start_date": ("新合同开始日期", "New start date"),
    "field.renewal.new_end_date": ("新合同结束日期", "New end date"),
    "field.renewal.new_amount": ("续约金额", "Renewal amount"),
    "field.renewal.decided_on": ("决定日期", "Decided on"),
    "field.renewal.reason": ("未续约原因", "Reason"),
    "field.renewal.note": ("跟进说明", "Note"),
    "field.target.period_start": ("期间", "Period"),
    "field.target.target_rate": ("目标续约率", "Target rate"),
    "field.target.target_amount": ("目标续约金额", "Target amount"),
    # refusals
    "contracts.error.not_found": (
        "找不到该合同（编号 {contract_id}），可能已被删除。",
        "No such contract (id {contract_id}); it may have been deleted.",
    ),
    "contracts.error.customer_not_found": (
        "找不到该客户，可能已被删除。", "No such customer; it may have been deleted.",
    ),
    "contracts.error.number_chars": (
        "{field}：“{value}”只能包含字母、数字和 - _ /，并以字母或数字开头",
        "{field}: “{value}” may only contain letters, digits and - _ /, starting with a "
        "letter or digit",
    ),
    "contracts.error.number_taken": (
        "{field}：合同编号“{value}”已被使用，请换一个或留空由系统生成",
        "{field}: contract number “{value}” is taken; choose another or leave it blank to "
        "have one issued",
    ),
    "contracts.error.period": (
        "{field}：不能早于开始日期 {start}",
        "{field}: cannot be before the start date {start}",
    ),
    "contracts.error.after_previous": (
        "{field}：续约合同须晚于原合同的开始日期 {start}",
        "{field}: a renewal contract must start after the previous contract's start {start}",
    ),
    "contracts.error.has_successor": (
        "合同 {contract_no} 已续约为合同 {new_contract_no}，请先删除后续合同。",
        "Contract {contract_no} was renewed as {new_contract_no}; delete that contract first.",
    ),
    "renewals.error.outcome": (
        "续约结果“{value}”无效，请选择 已续约、未续约 或 跟进中。",
        "Outcome “{value}” is not valid; choose Renewed, Not renewed or Following up.",
    ),
    "renewals.error.already_renewed": (
        "合同 {contract_no} 已续约（新合同 {new_contract_no}），不能再次续约或更改结果。"
        "如续约有误，请管理员删除新合同，原合同即恢复为“跟进中”。",
        "Contract {contract_no} is already renewed (new contract {new_contract_no}); it cannot "
        "be renewed again or changed. If the renewal was a mistake, an administrator deletes "
        "the new contract, which puts this one back to Following up.",
    ),
    "renewals.error.decided": (
        "合同 {contract_no} 的续约结果已记录为“{outcome}”。如需更改，请勾选“更正已记录的结果”。",
        "Contract {contract_no} already has the outcome “{outcome}”. To change it, tick "
        "“Correct the recorded outcome”.",
    ),
    "targets.error.kind": (
        "期间类型“{value}”无效，请选择 月、季度 或 年。",
        "Period kind “{value}” is not valid; choose month, quarter or year.",
    ),
    "targets.error.rate": (
        "{field}：“{value}”无效，请填写 0 到 100 之间的百分比（最多两位小数）",
        "{field}: “{value}” is not valid; enter a percentage from 0 to 100 (two decimals at "
        "most)",
    ),
    "targets.error.not_found": (
        "找不到该目标，可能已被删除。", "No such target; it may have been deleted.",
    ),
    # audit actions
    "records.action.contract.create": ("新增合同", "Contract added"),
    "records.action.contract.update": ("修改合同", "Contract edited"),
    "records.action.contract.delete": ("删除合同", "Contract deleted"),
    "records.action.renewal.record": ("记录续约结果", "Renewal outcome recorded"),
    "records.action.renewal.correct": ("更正续约结果", "Renewal outcome corrected"),
    "records.action.renewal.reopen": ("续约恢复为跟进中", "Renewal reopened"),
    "records.action.renewal_target.set": ("设置续约目标", "Renewal target set"),
    "records.action.renewal_target.delete": ("删除续约目标", "Renewal target deleted"),
    # list columns (page and export)
    "renewals.col.open": ("档案", "Profile"),
    "renewals.col.contract_no": ("合同编号", "Contract No."),
    "renewals.col.customer_no": ("客户编号", "Customer No."),
    "renewals.col.customer": ("客户名称", "Customer"),
    "renewals.col.mobile": ("手机号", "Mobile"),
    "renewals.col.tier": ("客户等级", "Tier"),
    "renewals.col.account_manager": ("客户经理", "Account manager"),
    "renewals.col.start_date": ("开始日期", "Start"),
    "renewals.col.end_date": ("到期日期", "Ends"),
    "renewals.col.days_left": ("剩余天数", "Days left"),
    "renewals.col.amount": ("合同金额（元）", "Amount (yuan)"),
    "renewals.col.outcome": ("续约状态", "Status"),
    "renewals.col.note": ("跟进说明", "Note"),
    "renewals.col.score": ("最近满意度", "Latest satisfaction"),
    "renewals.col.open_complaints": ("未结投诉", "Open complaints"),
    "renewals.col.risk": ("风险", "Risk"),
    "renewals.col.renewal_amount": ("续约金额（元）", "Renewal amount (yuan)"),
    "renewals.col.reason": ("原因 / 说明", "Reason / note"),
    "renewals.col.decided_at": ("决定时间", "Decided at"),
    "renewals.col.recorded_by": ("记录人", "Recorded by"),
    "renewals.col.new_contract_no": ("新合同编号", "New contract No."),
    "renewals.outcome.none": ("未记录", "Not recorded"),
    "renewals.risk.yes": ("⚠ 有风险", "⚠ At risk"),
    "renewals.sheet.due": ("即将到期合同", "Contracts due"),
    "renewals.sheet.records": ("续约记录", "Renewal records"),
    # contract dialogs
    "contracts.add": ("合同", "Contract"),
    "contracts.add.title": ("新增合同", "Add a contract"),
    "contracts.added": ("合同已保存。", "Contract saved."),
    "contracts.saved": ("合同已修改。", "Contract updated."),
    "contracts.deleted": ("合同已删除。", "Contract deleted."),
    "contracts.detail.title": ("合同与续约", "Contract and renewal"),
    "contracts.edit": ("修改合同信息", "Edit the contract"),
    "contracts.gone": (
        "该合同已不存在（可能已被删除）。",
        "This contract no longer exists (it may have been deleted).",
    ),
    "contracts.no_placeholder": ("留空则自动生成", "Leave blank to have one issued"),
    "contracts.badge.no": ("合同 {contract_no}", "Contract {contract_no}"),
    "contracts.customer_link": (
        "客户：{name}（{customer_no}）", "Customer: {name} ({customer_no})",
    ),
    "contracts.period": ("合同期限", "Term"),
    "contracts.score": ("{score} · {label}（{day}）", "{score} · {label} ({day})"),
    "contracts.period_value": ("{start} 至 {end}", "{start} to {end}"),
    "contracts.previous": ("续约自", "Renews"),
    "contracts.renewed_as": (
        "已续约为新合同 {contract_no}。", "Renewed as contract {contract_no}.",
    ),
    "contracts.read_only": (
        "您的角色只能查看合同与续约结果。", "Your role may only view contracts and renewals.",
    ),
    "renewals.record.title": ("记录续约结果", "Record the renewal outcome"),
    "renewals.record.outcome": ("续约结果", "Outcome"),
    "renewals.record.save": ("保存续约结果", "Save the outcome"),
    "renewals.recorded": ("续约结果已记录：{outcome}。", "Renewal outcome recorded: {outcome}."),
    "renewals.reason_placeholder": (
        "例如：预算削减、转投竞品、业务调整", "e.g. budget cut, moved to a competitor",
    ),
    "renewals.note_placeholder": (
        "例如：已发报价，客户审批中", "e.g. quote sent, awaiting the customer's approval",
    ),
    "renewals.note.renewed": ("备注", "Note"),
    "renewals.correct": ("更正已记录的结果", "Correct the recorded outcome"),
    "renewals.correct.help": (
        "该合同已记录为“{outcome}”。更正会覆盖原结果，并记入审计日志。",
        "This contract is recorded as “{outcome}”. A correction replaces it and is logged.",
    ),
    "renewals.already_renewed_help": (
        "该合同已续约，不能再次续约或更改结果。如续约有误，请管理员删除新合同，原合同即恢复为“跟进中”。",
        "This contract is renewed; it cannot be renewed again or changed. If the renewal was a "
        "mistake, an administrator deletes the new contract, which puts this one back to "
        "Following up.",
    ),
    # the 续约管理 page
    "renewals.title": ("续约管理", "Renewals"),
    "renewals.intro": (
        "即将到期的合同及客户风险（等级、最近满意度、未结投诉）。选中一行记录续约结果。",
        "Contracts coming up for renewal with the customer's risk (tier, latest satisfaction, "
        "open complaints). Pick a row to record the outcome.",
    ),
    "renewals.tab.due": ("即将到期", "Coming up"),
    "renewals.tab.records": ("续约记录", "Renewal records"),
    "renewals.tab.targets": ("续约目标", "Targets"),
    "renewals.filter.window": ("到期窗口（天内）", "Ending within (days)"),
    "renewals.filter.open": ("未决定（未记录或跟进中）", "Undecided (none or following up)"),
    "renewals.filter.mine": ("我的客户", "My customers"),
    "renewals.filter.overdue": ("含已到期未决定", "Include expired, undecided"),
    "renewals.filter.overdue.help": (
        "也显示最近 {days} 天内已到期、仍未决定的合同。",
        "Also show contracts that ended in the last {days} days and are still undecided.",
    ),
    "renewals.filter.due_from": ("到期日从", "Ends from"),
    "renewals.filter.due_to": ("到期日至", "Ends until"),
    "renewals.none": ("没有符合条件的合同。", "No contracts match."),
    "renewals.records.none": ("没有符合条件的续约记录。", "No renewal records match."),
    "renewals.pick_hint": (
        "⚠ 表示客户有风险（满意度 ≤ 2 或有未结投诉）。选中一行可查看合同并记录续约结果。",
        "⚠ marks a customer at risk (satisfaction ≤ 2 or an open complaint). Pick a row to see "
        "the contract and record the outcome.",
    ),
    "renewals.pick_hint.read": (
        "⚠ 表示客户有风险（满意度 ≤ 2 或有未结投诉）。选中一行可查看合同。",
        "⚠ marks a customer at risk (satisfaction ≤ 2 or an open complaint). Pick a row to see "
        "the contract.",
    ),
    "renewals.total": (
        "共 {total} 份合同（到期日 {start} 至 {end}），第 {page}/{pages} 页",
        "{total} contracts (ending {start} to {end}), page {page} of {pages}",
    ),
    "renewals.records.total": (
        "共 {total} 条续约记录，第 {page}/{pages} 页",
        "{total} renewal records, page {page} of {pages}",
    ),
    "renewals.days.left": ("还有 {n} 天", "in {n} day(s)"),
    "renewals.days.today": ("今天到期", "ends today"),
    "renewals.days.overdue": ("已过期 {n} 天", "ended {n} day(s) ago"),
    "renewals.col.risk.help": (
        "客户有风险：最近满意度 ≤ 2 或有未结投诉", "At risk: latest satisfaction ≤ 2 or an open "
        "complaint",
    ),
    "renewals.export": ("导出 Excel", "Export to Excel"),
    "renewals.export.help.full": (
        "导出当前筛选的全部行，含完整手机号；导出会记入审计日志。",
        "Exports every row of the current filter with full mobiles; the export is logged.",
    ),
    "renewals.export.help.masked": (
        "导出当前筛选的全部行，手机号脱敏；导出会记入审计日志。",
        "Exports every row of the current filter with masked mobiles; the export is logged.",
    ),
    "renewals.file.due_export": ("即将到期合同.xlsx", "contracts-due.xlsx"),
    "renewals.file.records_export": ("续约记录.xlsx", "renewal-records.xlsx"),
    # targets
    "targets.intro": (
        "每个期间（月、季度、年）一条目标：目标续约率与目标续约金额，经营看板据此对比实际。",
        "One target per period (month, quarter, year): the renewal rate and amount aimed for; "
        "the dashboards compare the actual figures with it.",
    ),
    "targets.read_only": (
        "续约目标由经理和管理员设置，您可以查看。",
        "Renewal targets are set by managers and administrators; you may view them.",
    ),
    "targets.none": ("尚未设置续约目标。", "No renewal targets set yet."),
    "targets.kind": ("期间类型", "Period kind"),
    "targets.kind.month": ("月", "Month"),
    "targets.kind.quarter": ("季度", "Quarter"),
    "targets.kind.year": ("年", "Year"),
    "targets.year": ("年份", "Year"),
    "targets.month": ("月份", "Month"),
    "targets.quarter": ("季度", "Quarter"),
    "targets.month_label": ("{month} 月", "Month {month}"),
    "targets.quarter_label": ("第 {quarter} 季度", "Q{quarter}"),
    "targets.period.month": ("{year} 年 {month} 月", "{year}-{month:02d}"),
    "targets.period.quarter": ("{year} 年第 {quarter} 季度", "{year} Q{quarter}"),
    "targets.period.year": ("{year} 年", "{year}"),
    "targets.col.kind": ("期间类型", "Kind"),
    "targets.col.period": ("期间", "Period"),
    "targets.col.rate": ("目标续约率", "Target rate"),
    "targets.col.amount": ("目标续约金额（元）", "Target amount (yuan)"),
    "targets.col.set_by": ("设置人", "Set by"),
    "targets.col.set_at": ("设置时间", "Set at"),
    "targets.set.title": ("设置续约目标", "Set a renewal target"),
    "targets.current": (
        "{period} 当前目标：续约率 {rate}%，金额 {amount} 元（{by} 设置）",
        "Current target for {period}: rate {rate}%, amount {amount} yuan (set by {by})",
    ),
    "targets.save": ("保存目标", "Save target"),
    "targets.saved": ("{period} 的续约目标已保存。", "Renewal target for {period} saved."),
    "targets.delete": ("删除此目标", "Delete this target"),
    "targets.deleted": ("{period} 的续约目标已删除。", "Renewal target for {period} deleted."),
}
