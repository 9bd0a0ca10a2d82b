"""Messages of consent (个人信息授权): the ledger, the form, the profile, the list filter, the
Excel columns and the marketing export."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # vocabulary
    "consent.purpose.服务": ("服务", "Service"),
    "consent.purpose.营销": ("营销", "Marketing"),
    "consent.purpose.help.服务": ("为客户服务：就其订单、投诉、续约与其联系。",
                                 "Serving the customer: contact about their orders, "
                                 "complaints and renewals."),
    "consent.purpose.help.营销": ("营销：推广、活动、新产品信息。",
                                 "Marketing: promotions, events, new products."),
    "consent.channel.表单": ("表单", "Form"),
    "consent.channel.电话": ("电话", "Phone"),
    "consent.channel.在线": ("在线", "Online"),
    "consent.channel.拜访": ("拜访", "Visit"),
    "consent.channel.导入": ("导入", "Import"),
    "consent.channel.其他": ("其他", "Other"),
    "consent.state.granted": ("已授权", "Granted"),
    "consent.state.withdrawn": ("已撤回", "Withdrawn"),
    "consent.state.none": ("未记录", "Not recorded"),
    "consent.entry.granted": ("授权", "Granted"),
    "consent.entry.withdrawn": ("撤回", "Withdrawn"),
    "field.consent_service": ("服务授权", "Service consent"),
    "field.consent_marketing": ("营销授权", "Marketing consent"),
    # errors
    "consent.error.not_found": ("找不到该客户（可能已被删除）。",
                                "Customer not found (it may have been deleted)."),
    "consent.error.purpose": ("未知的授权用途：{value}", "Unknown consent purpose: {value}"),
    "consent.error.channel": ("未知的授权渠道：{value}", "Unknown consent channel: {value}"),
    "consent.error.future": ("授权时间不能晚于现在。", "Consent cannot be dated in the future."),
    "consent.error.note_long": ("依据说明最多 {max} 个字符。",
                                "The evidence note may hold at most {max} characters."),
    # entry form
    "consent.form.title": ("个人信息授权", "Consent to personal information use"),
    "consent.form.title.org": ("联系人个人信息授权", "Contact person's consent"),
    "consent.form.caption": (
        "记录客户对各用途的授权；不选则不记录。",
        "Record the customer's consent per purpose; leave a purpose unset to record nothing."),
    "consent.form.caption.org": (
        "记录本单位联系人（手机号、邮箱所属的人）对各用途的授权；不选则不记录。",
        "Record the consent of this organisation's contact person (whose mobile and email "
        "these are); leave a purpose unset to record nothing."),
    "consent.form.purpose": ("{purpose}授权", "{purpose} consent"),
    "consent.form.yes": ("同意", "Granted"),
    "consent.form.no": ("不同意", "Refused"),
    "consent.form.channel": ("授权渠道", "Consent channel"),
    "consent.form.note": ("依据说明", "Evidence note"),
    "consent.form.note.placeholder": ("如：纸质授权书第 12 号、来电录音 2026-12-05",
                                      "e.g. signed form no. 12, call recording 2026-12-05"),
    # profile
    "consent.profile.tab": ("个人信息授权", "Consent"),
    "consent.profile.title": ("个人信息授权", "Consent"),
    "consent.profile.title.org": ("联系人个人信息授权", "Contact person's consent"),
    "consent.profile.state": ("{purpose}：{state}", "{purpose}: {state}"),
    "consent.profile.since": ("{when} · {channel}", "{when} · {channel}"),
    "consent.profile.withdraw": ("撤回{purpose}授权", "Withdraw {purpose} consent"),
    "consent.profile.withdraw.confirm": (
        "撤回后，该客户将不再出现在营销导出中（营销）或不再作为服务联系对象（服务）。记录会保留在授权历史中。",
        "After withdrawal the customer is left out of marketing exports (marketing) or is no "
        "longer contacted for service (service). The entry stays in the consent history."),
    "consent.profile.withdraw.do": ("确认撤回", "Withdraw"),
    "consent.profile.grant": ("记录授权", "Record consent"),
    "consent.profile.grant.purpose": ("用途", "Purpose"),
    "consent.profile.grant.do": ("记录授权", "Record grant"),
    "consent.profile.withdrawn_done": ("已撤回授权", "Consent withdrawn"),
    "consent.profile.granted_done": ("已记录授权", "Consent recorded"),
    "consent.profile.history": ("授权历史", "Consent history"),
    "consent.profile.history.none": ("尚无授权记录。", "No consent recorded yet."),
    "consent.col.when": ("时间", "When"),
    "consent.col.purpose": ("用途", "Purpose"),
    "consent.col.action": ("授权/撤回", "Granted / withdrawn"),
    "consent.col.channel": ("渠道", "Channel"),
    "consent.col.by": ("记录人", "Recorded by"),
    "consent.col.note": ("依据说明", "Evidence note"),
    # customer list
    "consent.filter.服务": ("服务授权", "Service consent"),
    "consent.filter.营销": ("营销授权", "Marketing consent"),
    "consent.col.consent_service": ("服务授权", "Service consent"),
    "consent.col.consent_marketing": ("营销授权", "Marketing consent"),
    # exports
    "consent.export.marketing": ("用于营销（仅含营销授权有效的客户）",
                                 "For marketing (only customers with marketing consent)"),
    "consent.export.marketing.help": (
        "营销用途的导出只包含当前营销授权有效的客户；未授权或已撤回的客户不会导出。",
        "A marketing export holds only customers whose marketing consent is current; those "
        "never asked or who withdrew are left out."),
    "consent.export.left_out": ("营销导出：{kept} 位客户，另有 {left} 位因无有效营销授权未导出。",
                                "Marketing export: {kept} customers; {left} left out without "
                                "current marketing consent."),
    "consent.file.marketing": ("营销客户.xlsx", "marketing_customers.xlsx"),
    # Excel
    "consent.excel.invalid": ("「{header}」只能填写 是、否 或留空：{value}",
                              "“{header}” takes 是 (yes), 否 (no) or blank: {value}"),
    "consent.excel.note": ("Excel 导入：{file}", "Excel import: {file}"),
    # audit labels
    "auditlog.action.consent.grant": ("记录授权", "Consent granted"),
    "auditlog.action.consent.withdraw": ("撤回授权", "Consent withdrawn"),
    "auditlog.field.consent_service": ("服务授权", "Service consent"),
    "auditlog.field.consent_marketing": ("营销授权", "Marketing consent"),
    "auditlog.field.purpose": ("授权用途", "Purpose"),
    "auditlog.field.channel": ("渠道", "Channel"),
    "auditlog.field.customer_no": ("客户编号", "Customer No."),
    "auditlog.field.marketing": ("营销用途", "For marketing"),
    "auditlog.field.left_out": ("未导出（无营销授权）", "Left out (no marketing consent)"),
}
