"""Orders, contacts and 回访 (follow-up visits): forms, dialogs, the worklist and the planning
rules; also the profile's "add record" row and the shared record-form messages."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the profile hook ---------------------------------------------------------------------
    "profile.add_record": ("添加记录", "Add record"),
    "profile.timeline.pick_hint": (
        "选中一行可查看、修改或删除该记录。",
        "Select a row to view, edit or delete that record.",
    ),
    "profile.timeline.not_editable": (
        "“{kind}”记录不能在此修改。",
        "{kind} entries cannot be edited here.",
    ),
    "profile.timeline.open_selected": ("打开所选记录", "Open the selected record"),
    # ---- shared record-form pieces ------------------------------------------------------------
    "recform.save": ("保存", "Save"),
    "recform.none": ("（不填）", "(none)"),
    "recform.for_customer": ("客户：{name}（{customer_no}）", "Customer: {name} ({customer_no})"),
    "recform.delete": ("删除此记录", "Delete this record"),
    "recform.delete.confirm": (
        "确认删除（删除后无法恢复，操作会记入审计日志）",
        "Yes, delete it (this cannot be undone; it is logged)",
    ),
    "recinput.date.invalid": (
        "{field}：“{value}” 不是有效日期，应为 YYYY-MM-DD",
        "{field}: “{value}” is not a valid date; expected YYYY-MM-DD",
    ),
    "recinput.date.future": (
        "{field}：{value} 晚于今天（{today}），不能是将来的日期",
        "{field}: {value} is after today ({today}); it cannot be in the future",
    ),
    "recinput.date.before": (
        "{field}：{value} 早于 {other}，不能更早",
        "{field}: {value} is before {other}; it cannot be earlier",
    ),
    "recinput.date.past": (
        "{field}：{value} 早于今天（{today}），计划日期不能是过去的日期",
        "{field}: {value} is before today ({today}); a planned date cannot be in the past",
    ),
    "recinput.amount.invalid": (
        "{field}：“{value}” 无效，应为不小于 0 的金额（元，最多两位小数）",
        "{field}: “{value}” is not valid; expected an amount of at least 0 (yuan, two decimals)",
    ),
    "recinput.count.invalid": (
        "{field}：“{value}” 无效，应为大于 0 的整数",
        "{field}: “{value}” is not valid; expected a whole number greater than 0",
    ),
    "recinput.choice.invalid": (
        "{field}：“{value}” 无效，应为 {choices} 之一",
        "{field}: “{value}” is not valid; expected one of {choices}",
    ),
    "recinput.user.unknown": (
        "{field}：不是系统中的在用用户",
        "{field}: not an active user",
    ),
    # ---- orders -------------------------------------------------------------------------------
    "field.order.order_no": ("订单编号", "Order No."),
    "field.order.order_date": ("下单日期", "Order date"),
    "field.order.product": ("产品", "Product"),
    "field.order.quantity": ("数量", "Quantity"),
    "field.order.amount": ("金额（元）", "Amount (yuan)"),
    "field.order.payment_method": ("支付方式", "Payment method"),
    "orders.add": ("交易", "Order"),
    "orders.add.title": ("添加交易记录", "Add an order"),
    "orders.edit.title": ("交易记录", "Order"),
    "orders.edit.caption": ("订单 {order_no} · {name}", "Order {order_no} · {name}"),
    "orders.no_issued": ("订单编号由系统自动生成。", "The order number is issued by the app."),
    "orders.added": ("交易记录已保存", "Order saved"),
    "orders.saved": ("交易记录已修改", "Order updated"),
    "orders.deleted": ("交易记录已删除", "Order deleted"),
    "orders.error.not_found": (
        "交易记录 {order_id} 不存在或已被删除",
        "Order {order_id} does not exist or was deleted",
    ),
    "orders.error.gone": (
        "这条交易记录已不存在（可能已被删除）。",
        "This order no longer exists (it may have been deleted).",
    ),
    "records.action.order.create": ("添加交易", "Order added"),
    "records.action.order.update": ("修改交易", "Order changed"),
    "records.action.order.delete": ("删除交易", "Order deleted"),
}
