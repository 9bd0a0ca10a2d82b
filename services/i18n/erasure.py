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
        "注意：另一个连接正在读取数据库，WAL 文件未能清空；请在应用停止后再运行一次 "
        "python manage.py erase-customer 的检查点（或重启应用）。",
        "Note: another connection is reading the database, so the WAL could not be emptied; "
        "stop the app and run a checkpoint (or restart the app)."),
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
}
