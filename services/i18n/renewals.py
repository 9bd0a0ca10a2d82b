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
}
