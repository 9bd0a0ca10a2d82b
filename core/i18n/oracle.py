"""Wording of look-ups through keys a role may not see in full (services.access.probes, holds)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "oracle.refused.matches": (
        "已拒绝：一小时内最多 {limit} 次操作可通过您无权查看完整内容的手机号、邮箱或证件号码匹配到"
        "已有客户，您已达到上限。此次操作已记入审计日志。请稍后再试，或请经理、管理员处理。",
        "Refused: at most {limit} actions per hour may find existing customers through a "
        "mobile, email or ID number you may not see in full, and you have reached that limit. "
        "This was recorded in the audit log. Try again later or ask a manager or an "
        "administrator.",
    ),
    "oracle.refused.values.contact": (
        "已拒绝：一小时内最多可提交 {limit} 个不同的完整手机号或邮箱（您无权查看其完整内容），"
        "此次操作会超过该上限，未做任何匹配。此次操作已记入审计日志。请分批在稍后进行，"
        "或请经理、管理员导入。",
        "Refused: at most {limit} different full mobiles or emails (which you may not see in "
        "full) may be submitted per hour, and this action would exceed that; nothing was "
        "matched. This was recorded in the audit log. Split the work over time or ask a "
        "manager or an administrator to import it.",
    ),
    "oracle.refused.values.id": (
        "已拒绝：一小时内最多可提交 {limit} 个不同的证件号码（您无权查看其完整内容），"
        "此次操作会超过该上限，未做任何匹配。此次操作已记入审计日志。请分批在稍后进行，"
        "或请经理、管理员导入。",
        "Refused: at most {limit} different ID numbers (which you may not see in full) may be "
        "submitted per hour, and this action would exceed that; nothing was matched. This was "
        "recorded in the audit log. Split the work over time or ask a manager or an "
        "administrator to import it.",
    ),
    "oracle.records.customer_no_required": (
        "请填写客户编号：您的角色无权查看完整手机号，不能用手机号指定客户",
        "Give the customer no.: your role may not see full mobiles, so a mobile cannot name "
        "the customer",
    ),
    "oracle.duplicate.hidden": (
        "已有客户的{fields}与此相同（您无权查看该客户的完整{fields}，不显示是哪位客户；"
        "请联系经理或管理员）",
        "An existing customer has the same {fields} (you may not see it in full, so the "
        "customer is not named; ask a manager or an administrator)",
    ),
    "oracle.hold.not_found": (
        "待核对的导入行（第 {id} 组）不存在或已处理。",
        "Held import rows (group {id}) do not exist or were already handled.",
    ),
    "excel.status.held": ("待核对", "Held for review"),
    "oracle.io.summary.held": ("待核对", "Held"),
    "oracle.io.held_notice": (
        "{n} 行与已有客户的某个您无权查看完整内容的字段（手机号、邮箱或证件号码）相同："
        "这些行不会导入，也不逐行列出，导入后交由经理或管理员核对。",
        "{n} rows match existing customers through a field you may not see in full (mobile, "
        "email or ID number): they are not imported and not listed row by row; once you "
        "import, a manager or an administrator reviews them.",
    ),
    "oracle.io.tab.held": ("待核对", "Held rows"),
    "oracle.io.held.none": ("没有待核对的导入行。", "No held import rows."),
    "oracle.io.held.help": (
        "这些行在导入时与已有客户的手机号、邮箱或证件号码相同，而导入者无权查看这些字段的完整内容。"
        "请核对后以您的身份导入（按导入者选择的重复处理方式），或丢弃。查看会记入审计日志。",
        "These rows matched existing customers through a mobile, email or ID number the "
        "uploader may not see in full. Review them, then import them as yourself (with the "
        "uploader's choice of skip or update), or discard them. Viewing them is audited.",
    ),
    "oracle.io.held.col.when": ("时间", "When"),
    "oracle.io.held.col.who": ("导入者", "Uploaded by"),
    "oracle.io.held.col.file": ("文件", "File"),
    "oracle.io.held.col.mode": ("重复处理", "On duplicate"),
    "oracle.io.held.col.rows": ("行数", "Rows"),
    "oracle.io.held.pick": ("选择一组", "Choose a group"),
    "oracle.io.held.show": ("显示这些行", "Show the rows"),
    "oracle.io.held.import": ("导入这 {n} 行", "Import these {n} rows"),
    "oracle.io.held.discard": ("丢弃这 {n} 行", "Discard these {n} rows"),
    "oracle.io.held.imported": (
        "已导入：新增 {inserted}，更新 {updated}，重复 {duplicates}，有误 {rejected}。",
        "Imported: {inserted} new, {updated} updated, {duplicates} duplicates, {rejected} "
        "rejected.",
    ),
    "oracle.io.held.discarded": ("已丢弃。", "Discarded."),
    "oracle.audit.flagged_only": ("只看标记的条目", "Flagged entries only"),
}
