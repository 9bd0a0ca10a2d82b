"""Messages of the lists helper of issue 14: customer list export and opening, audit log."""

MESSAGES: dict[str, tuple[str, str]] = {
    "lists.export.open": ("导出 Excel", "Export to Excel"),
    "lists.export.scope": ("导出范围", "What to export"),
    "lists.export.scope.result": ("当前查询结果（{n} 位客户，所有页）",
                                  "This result ({n} customers, all pages)"),
    "lists.export.scope.all": ("全部客户（{n} 位，不论查询条件）",
                               "Every customer ({n}, whatever the filters)"),
    "lists.export.help.full": ("导出完整信息。导出会记入审计日志。",
                               "Full values are exported. Exports are audited."),
    "lists.export.help.masked": (
        "手机号、邮箱、证件号码按您的角色脱敏。导出会记入审计日志。",
        "Mobile, email and ID number are masked for your role. Exports are audited."),
    "lists.lookup.hint.edit": (
        "点击任一行打开客户档案；勾选表格左侧的方框可批量打标签或分配客户经理。",
        "Click a row to open the customer's profile; tick the boxes on the left to tag rows or "
        "assign an account manager in bulk."),
    "lists.lookup.hint.view": ("点击任一行打开客户档案。",
                               "Click a row to open the customer's profile."),
    "lists.lookup.open_cell": ("打开档案 ›", "Open ›"),
    "lists.tags.delete": ("删除标签", "Delete a tag"),
    "lists.tags.delete.help": ("只能删除没有客户使用的标签；在用的标签请先合并。",
                               "Only a tag no customer carries can be deleted; merge a tag in "
                               "use instead."),
    "lists.tags.delete.pick": ("未使用的标签", "Unused tag"),
    "lists.tags.delete.none": ("没有未使用的标签。", "No unused tag."),
    "lists.tags.deleted": ("已删除标签“{name}”。", "Tag “{name}” deleted."),
    "lists.tags.error.in_use": (
        "标签“{name}”仍有 {n} 位客户在用（含已删除的客户），不能删除；请先合并或移除。",
        "Tag “{name}” is still on {n} customers (deleted ones included) and cannot be "
        "deleted; merge or remove it first."),
    "records.action.tag.delete": ("删除标签", "Tag deleted"),
}
