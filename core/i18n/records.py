"""Wording of the customer-record services: entry and edit errors, duplicates, the profile's
timeline and change history, tags and tiers."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors of services.customers
    "records.error.not_found": (
        "找不到该客户（编号 {customer_id}），可能已被删除。",
        "No such customer (id {customer_id}); it may have been deleted.",
    ),
    "records.error.invalid": (
        "有 {count} 处需要修正，请查看标出的字段。",
        "{count} problem(s) to fix: see the marked fields.",
    ),
    "records.error.duplicate": (
        "已存在相同的客户（{count} 条），不能重复建档。请打开已有客户档案。",
        "This customer already exists ({count} record(s)) and cannot be entered twice. Open "
        "the existing record instead.",
    ),
    "records.duplicate.match": (
        "{name}（{customer_no}）：{fields} 相同",
        "{name} ({customer_no}): same {fields}",
    ),
    "records.warning.similar": (
        "已有 {count} 位同名且公司相近的客户，请确认不是同一客户后再保存。",
        "{count} customer(s) with the same name and a similar company exist. Check that this "
        "is not the same customer, then save again.",
    ),
    "records.similar.match": (
        "{name}（{customer_no}），公司：{company}",
        "{name} ({customer_no}), company: {company}",
    ),
    "records.error.stale": (
        "保存前该客户档案已被他人修改（您编辑的是第 {expected} 版，当前为第 {current} 版）。"
        "您填写的内容仍保留，请对照最新内容后再保存。",
        "Someone changed this record after you opened it (you edited version {expected}, it "
        "is now version {current}). Your input is kept; compare it with the latest values "
        "and save again.",
    ),
    "records.error.customer_no_deleted": (
        "{field}：{value} 已属于一位已删除的客户，不能重复使用（可请管理员恢复该客户）",
        "{field}: {value} belongs to a deleted customer and cannot be reused (an "
        "administrator can restore that customer)",
    ),
    "records.error.reveal_field": (
        "不能查看字段 {field} 的完整内容。",
        "The field {field} cannot be revealed.",
    ),
    "records.error.manager_unknown": (
        "客户经理必须是一位已启用的用户。",
        "The account manager must be an active user.",
    ),
    # profile
    "records.review_due": ("核查到期日", "Review due"),
    "records.review_overdue": ("核查已逾期", "Review overdue"),
    "records.masked_hint": (
        "联系方式已脱敏显示，查看完整内容会被记录。",
        "Contact details are masked; revealing a full value is logged.",
    ),
    "records.field.last_reviewed_at": ("最近核查", "Last reviewed"),
    "records.field.deleted_at": ("删除时间", "Deleted at"),
    "records.field.tier_source": ("等级来源", "Tier source"),
    "records.field.tier_reason": ("等级原因", "Tier reason"),
    # audited actions (变更记录)
    "records.action.customer.create": ("新建客户", "Created"),
    "records.action.customer.update": ("修改客户", "Edited"),
    "records.action.customer.review": ("核查", "Reviewed"),
    "records.action.customer.delete": ("删除客户", "Deleted"),
    "records.action.customer.restore": ("恢复客户", "Restored"),
    "records.action.customer.tags": ("修改标签", "Tags changed"),
    "records.action.customer.bulk_tag": ("批量添加标签", "Tags added in bulk"),
    "records.action.customer.bulk_untag": ("批量移除标签", "Tags removed in bulk"),
    "records.action.customer.bulk_assign": ("批量分配客户经理", "Account manager assigned in bulk"),
    "records.action.customer.tier": ("手动设置等级", "Tier set by hand"),
    "records.action.customer.tier_cleared": ("取消手动等级", "Manual tier removed"),
    "records.action.customer.reveal": ("查看完整信息", "Full value revealed"),
    "records.action.tag.rename": ("重命名标签", "Tag renamed"),
    "records.action.tag.merge": ("合并标签", "Tags merged"),
    "records.action.tiers.recompute": ("重新计算客户等级", "Tiers recomputed"),
    # timeline (时间线)
    "records.kind.order": ("交易", "Order"),
    "records.kind.interaction": ("沟通", "Contact"),
    "records.kind.follow_up": ("回访", "Follow-up"),
    "records.kind.complaint": ("投诉", "Complaint"),
    "records.kind.survey": ("满意度调查", "Survey"),
    "records.kind.renewal": ("续约", "Renewal"),
    "records.kind.tier_change": ("等级变更", "Tier change"),
    "records.timeline.order": (
        "订单 {order_no}：{product} × {quantity}，金额 {amount} 元",
        "Order {order_no}: {product} × {quantity}, {amount} yuan",
    ),
    "records.timeline.interaction": ("{method}沟通", "Contact by {method}"),
    "records.timeline.follow_up_done": (
        "回访（{method}）{purpose}", "Follow-up ({method}) {purpose}",
    ),
    "records.timeline.follow_up_planned": (
        "计划回访（{method}）{purpose}", "Planned follow-up ({method}) {purpose}",
    ),
    "records.timeline.complaint": (
        "投诉：{complaint_type}（{status}）", "Complaint: {complaint_type} ({status})",
    ),
    "records.timeline.survey": (
        "满意度调查：{score} 分（{label}）", "Satisfaction survey: {score} ({label})",
    ),
    "records.timeline.renewal": (
        "续约（合同到期 {due_date}）：{outcome}，金额 {amount} 元",
        "Renewal (contract ends {due_date}): {outcome}, {amount} yuan",
    ),
    "records.timeline.tier_change": (
        "客户等级 {from_tier} → {to_tier}", "Tier {from_tier} → {to_tier}",
    ),
    "records.timeline.empty": ("暂无记录。", "Nothing recorded yet."),
    # tags
    "tags.error.customer_not_found": (
        "找不到该客户，可能已被删除。", "No such customer; it may have been deleted.",
    ),
    "tags.error.none_given": ("请至少填写一个标签。", "Enter at least one tag."),
    "tags.error.not_found": ("找不到该标签。", "No such tag."),
    "tags.error.one_name": (
        "请填写一个标签名称（不能包含逗号、顿号、分号或竖线）。",
        "Enter one tag name (without commas, semicolons or |).",
    ),
    "tags.error.exists": (
        "已有名为“{name}”的标签；如需合并，请使用“合并标签”。",
        "A tag named “{name}” exists; use “Merge tags” to combine them.",
    ),
    "tags.error.merge_nothing": (
        "请选择至少一个要并入目标标签的其他标签。",
        "Choose at least one other tag to merge into the target.",
    ),
    # tiers
    "tiers.reason.rule": (
        "按近12个月消费自动评级", "Set by the rules from the last 12 months' spend",
    ),
    "tiers.reason.cleared": (
        "取消手动等级，恢复按规则评级", "Manual tier removed; the rules decide again",
    ),
    "tiers.source.rule": ("按规则", "By the rules"),
    "tiers.source.manual": ("手动设置", "Set by hand"),
    "tiers.check.spend": ("近12个月消费", "Spend, last 12 months"),
    "tiers.check.orders": ("近12个月订单数", "Orders, last 12 months"),
    "tiers.check.tenure": ("客户年限", "Years as a customer"),
    "tiers.error.not_found": (
        "找不到该客户，可能已被删除。", "No such customer; it may have been deleted.",
    ),
    "tiers.error.invalid_tier": (
        "“{value}” 不是有效的客户等级，应为 白银、黄金、铂金 或 钻石。",
        "“{value}” is not a tier; expected 白银 (silver), 黄金 (gold), 铂金 (platinum) or "
        "钻石 (diamond).",
    ),
    "tiers.error.reason_required": (
        "手动设置等级时必须填写原因。", "A manual tier needs a reason.",
    ),
    "tiers.error.reason_too_long": (
        "原因最多 {max} 个字符。", "The reason has at most {max} characters.",
    ),
}
