"""Messages of erasure, the copy for the person and retention (data-protection.md)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # audit log labels
    "auditlog.action.customer.erase": ("删除个人信息", "Erased personal data"),
    "auditlog.action.customer.export_person": ("导出个人信息副本", "Copy for the person"),
    "auditlog.field.entries": ("清除的审计记录", "Audit entries scrubbed"),
    # refusals
    "erasure.error.reason_required": ("请填写删除原因。", "Give a reason for the erasure."),
    "erasure.error.reason_too_long": ("删除原因最多 {max} 个字符。",
                                      "The reason may be at most {max} characters."),
    "erasure.error.not_found": ("没有这个客户。", "No such customer."),
    "erasure.error.already": ("客户 {customer_no} 的个人信息已经删除。",
                              "The personal data of customer {customer_no} is erased already."),
    "erasure.error.confirm": ("请输入客户编号 {customer_no} 以确认。",
                              "Type the customer number {customer_no} to confirm."),
    # command line
    "erasure.cli.not_found": ("没有客户编号为 {customer_no} 的客户。",
                              "No customer with the number {customer_no}."),
    "erasure.cli.done": (
        "已删除客户 {customer_no} 的个人信息：{records} 条记录的文字、{entries} 条审计记录、"
        "{imports} 次导入的覆盖值、{held} 行暂存导入。",
        "Erased the personal data of customer {customer_no}: the text of {records} records, "
        "{entries} audit entries, the overwritten values of {imports} imports, {held} held "
        "import rows."),
    "erasure.cli.wal_busy": (
        "注意：另一个连接正在读取数据库，WAL 文件未能清空。请停止应用：最后一个连接关闭时，"
        "SQLite 会把 WAL 写回数据库文件并删除它。",
        "Note: another connection is reading the database, so the WAL could not be emptied. "
        "Stop the app: when the last connection closes, SQLite writes the WAL back into the "
        "database file and removes it."),
    # profile action
    "erasure.page.expander": ("删除个人信息（不可恢复）", "Erase personal data (irreversible)"),
    "erasure.page.explain": (
        "姓名改为“已删除客户+客户编号”，手机号、固定电话、邮箱、证件号码、地址、备注、性别、"
        "公司、职位、指名此人的标签以及其记录中的文字全部清除，审计日志和导入历史中的这些值"
        "也一并清除。订单、金额、日期、等级、评分等非个人数据保留，统计不受影响。此操作不可撤销。",
        "The name becomes 已删除客户 + the customer number; mobile, landline, email, ID number, "
        "address, notes, gender, company, title, tags naming the person and the text of their "
        "records are cleared, and so are these values in the audit log and import history. "
        "Orders, amounts, dates, tier, scores and other non-personal facts stay, so the figures "
        "stay right. This cannot be undone."),
    "erasure.page.reason": ("删除原因", "Reason"),
    "erasure.page.confirm": ("输入客户编号 {customer_no} 以确认",
                             "Type the customer number {customer_no} to confirm"),
    "erasure.page.button": ("删除个人信息", "Erase personal data"),
    "erasure.page.done": ("已删除客户 {customer_no} 的个人信息。",
                          "The personal data of customer {customer_no} is erased."),
    "erasure.page.erased": ("此客户的个人信息已删除。",
                            "This customer's personal data has been erased."),
    # the copy for the person
    "person.sheet.cover": ("封面", "Cover"),
    "person.sheet.customer": ("客户信息", "Customer"),
    "person.sheet.orders": ("交易记录", "Orders"),
    "person.sheet.contacts": ("沟通记录", "Contacts"),
    "person.sheet.visits": ("回访记录", "Visits"),
    "person.sheet.complaints": ("投诉", "Complaints"),
    "person.sheet.complaint_steps": ("投诉处理步骤", "Complaint steps"),
    "person.sheet.surveys": ("满意度调查", "Surveys"),
    "person.sheet.contracts": ("合同", "Contracts"),
    "person.sheet.renewals": ("续约", "Renewals"),
    "person.sheet.consent": ("授权记录", "Consent ledger"),
    "person.sheet.tier_history": ("等级变更", "Tier history"),
    "person.header.field": ("字段", "Field"),
    "person.header.value": ("内容", "Value"),
    "person.cover.title": ("个人信息副本", "Copy of personal information"),
    "person.cover.law": (
        "依据《个人信息保护法》第四十五条，本文件包含本系统保存的该客户的全部信息。",
        "Under Art. 45 of the Personal Information Protection Law, this file holds everything "
        "this system keeps about the customer."),
    "person.cover.customer_no": ("客户编号", "Customer number"),
    "person.cover.made_at": ("生成时间", "Made at"),
    "person.cover.made_by": ("生成人", "Made by"),
    "person.error.not_found": ("没有这个客户。", "No such customer."),
    "person.cli.done": ("已写入客户 {customer_no} 的个人信息副本：{path}（{rows} 行）",
                        "Wrote the copy for customer {customer_no}: {path} ({rows} rows)"),
    "person.page.file": ("{customer_no}-个人信息副本.xlsx", "{customer_no}-personal-data.xlsx"),
    "person.page.button": ("下载个人信息副本", "Download the copy for the person"),
    "person.page.help": (
        "包含此客户的全部字段和全部记录（完整值，含证件号码），供客户依法查阅；下载会记入审计日志。",
        "Every field and record of this customer in full (ID number included), for the "
        "person's right of access; the download is audited."),
    # column labels of the copy for the person
    "person.col.id": ("内部编号", "Internal id"),
    "person.col.mobile_last4": ("手机号后四位", "Mobile last 4"),
    "person.col.tier_set_by_id": ("等级设定人", "Tier set by"),
    "person.col.value_segment": ("价值分层", "Value segment"),
    "person.col.account_manager_id": ("客户经理", "Account manager"),
    "person.col.first_order_at": ("首次下单", "First order"),
    "person.col.last_order_at": ("最近下单", "Last order"),
    "person.col.last_contact_at": ("最近沟通", "Last contact"),
    "person.col.created_at": ("创建时间", "Created at"),
    "person.col.created_by_id": ("创建人", "Created by"),
    "person.col.updated_at": ("修改时间", "Updated at"),
    "person.col.updated_by_id": ("修改人", "Updated by"),
    "person.col.deleted_by_id": ("删除人", "Deleted by"),
    "person.col.user_id": ("记录人", "Recorded by"),
    "person.col.planned_date": ("计划日期", "Planned date"),
    "person.col.done_date": ("完成日期", "Done date"),
    "person.col.method": ("方式", "Method"),
    "person.col.purpose": ("目的", "Purpose"),
    "person.col.content": ("内容", "Content"),
    "person.col.feedback": ("客户反馈", "Feedback"),
    "person.col.result": ("结果", "Result"),
    "person.col.next_date": ("下次日期", "Next date"),
    "person.col.assignee_id": ("负责人", "Assignee"),
    "person.col.done_by_id": ("完成人", "Done by"),
    "person.col.handler_id": ("处理人", "Handler"),
    "person.col.status": ("状态", "Status"),
    "person.col.handling_steps": ("处理过程", "Handling steps"),
    "person.col.resolved_at": ("解决时间", "Resolved at"),
    "person.col.resolution_minutes": ("处理时长（分钟）", "Resolution (minutes)"),
    "person.col.closed_at": ("关闭时间", "Closed at"),
    "person.col.at": ("时间", "At"),
    "person.col.from_status": ("原状态", "From status"),
    "person.col.to_status": ("新状态", "To status"),
    "person.col.previous_contract_id": ("上一合同", "Previous contract"),
    "person.col.contract_id": ("合同", "Contract"),
    "person.col.due_date": ("到期日", "Due date"),
    "person.col.decided_at": ("决定时间", "Decided at"),
    "person.col.amount": ("金额", "Amount"),
    "person.col.new_contract_id": ("新合同", "New contract"),
    "person.col.granted": ("授权", "Granted"),
    "person.col.from_tier": ("原等级", "From tier"),
    "person.col.to_tier": ("新等级", "To tier"),
    "person.col.changed_at": ("变更时间", "Changed at"),
    "person.col.source": ("来源", "Source"),
    # retention
    "nav.retention": ("保存期限", "Retention"),
    "retention.title": ("保存期限：超过保存期限的客户", "Retention: customers past retention"),
    "retention.rule": (
        "{years} 年内（{day} 以来）没有订单、沟通、完成的回访、投诉，也没有有效合同的客户。"
        "不会自动删除：由管理员逐个或批量删除，每次删除都记入审计日志。",
        "Customers with no order, contact, visit done, complaint or live contract in {years} "
        "years (since {day}). Nothing is erased by itself: an administrator erases them, one "
        "by one or in bulk, each erasure audited."),
    "retention.none": ("没有超过 {years} 年保存期限的客户。",
                       "No customer is past the {years}-year retention."),
    "retention.page": ("页码（共 {pages} 页）", "Page (of {pages})"),
    "retention.count": ("共 {total} 位客户超过保存期限。", "{total} customers past retention."),
    "retention.col.no": ("客户编号", "Customer no."),
    "retention.col.name": ("客户名称", "Name"),
    "retention.col.created": ("创建日期", "Created"),
    "retention.col.deleted": ("已删除", "Deleted"),
    "retention.col.reason": ("原因", "Reason"),
    "retention.col.open": ("档案", "Profile"),
    "retention.reason.never": ("自创建（{day}）以来没有任何订单、沟通、回访、投诉或合同",
                               "no order, contact, visit, complaint or contract since it was "
                               "created ({day})"),
    "retention.reason.last": ("最后一次活动：{kind}，{day}", "last activity: {kind}, {day}"),
    "retention.kind.order": ("订单", "order"),
    "retention.kind.contact": ("沟通", "contact"),
    "retention.kind.visit": ("回访", "visit"),
    "retention.kind.complaint": ("投诉", "complaint"),
    "retention.kind.contract": ("合同到期", "contract ended"),
    "retention.erase": ("删除个人信息", "Erase personal data"),
    "retention.scope": ("删除哪些客户", "Erase which customers"),
    "retention.scope.chosen": ("表中选中的 {chosen} 位", "the {chosen} chosen in the table"),
    "retention.scope.all": ("全部 {total} 位", "all {total}"),
    "retention.confirm": ("输入要删除的客户数量以确认", "Type the number of customers to confirm"),
    "retention.error.none_chosen": ("请先在表中选择客户。", "Choose customers in the table first."),
    "retention.error.confirm": ("请输入 {n} 以确认删除 {n} 位客户。",
                                "Type {n} to confirm erasing {n} customers."),
    "retention.done": ("已删除 {n} 位客户的个人信息；{skipped} 位已不再超过保存期限，未删除。",
                       "Erased the personal data of {n} customers; {skipped} no longer past "
                       "retention were left."),
    "retention.note": (
        "删除后客户编号和非个人数据（订单金额、日期、等级、评分等）保留，统计不受影响。",
        "After erasure the customer number and non-personal facts (amounts, dates, tier, "
        "scores) stay, so the figures stay right."),
}
