"""Training (issue 17): the trainer's snapshots of the demo database and classes of trainees."""

MESSAGES: dict[str, tuple[str, str]] = {
    "training.snapshot.none": ("还没有快照。", "No snapshots yet."),
    "training.snapshot.name_needed": ("请给出快照名称 NAME。", "Give the snapshot's NAME."),
    "training.snapshot.saved": (
        "快照 {name} 已保存（{customers} 个客户）。",
        "Snapshot {name} saved ({customers} customers)."),
    "training.snapshot.restored": (
        "快照 {name} 已恢复（{customers} 个客户，{seconds:.1f} 秒）。",
        "Snapshot {name} restored ({customers} customers, {seconds:.1f} s)."),
    "training.snapshot.refused.name": (
        "快照名称“{name}”无效：只能用字母、汉字、数字、_ 和 -，最多 40 个字符。",
        "Snapshot name \"{name}\" is not valid: letters, digits, _ and - only, at most 40."),
    "training.snapshot.refused.unknown": (
        "没有名为“{name}”的快照（manage.py snapshot list 列出所有快照）。",
        "There is no snapshot named \"{name}\" (manage.py snapshot list lists them)."),
    "training.snapshot.refused.keys": (
        "未配置数据密钥（.streamlit/secrets.toml 或 CRM_ENCRYPTION_KEY / CRM_HASH_KEY），"
        "无法保存快照。",
        "No data keys are configured (.streamlit/secrets.toml or CRM_ENCRYPTION_KEY / "
        "CRM_HASH_KEY): the snapshot cannot be saved."),
    "training.snapshot.refused.not_demo": (
        "这不是演示数据库（只有 seed-demo 创建的数据库才能保存或恢复快照）。",
        "This is not a demo database (only a database seed-demo created can be saved as or "
        "replaced by a snapshot)."),
    # the page (首页, the trainer's section)
    "training.page.title": ("培训快照", "Training snapshots"),
    "training.page.name": ("快照名称", "Snapshot name"),
    "training.page.save": ("保存快照", "Save snapshot"),
    "training.page.pick": ("快照", "Snapshot"),
    "training.page.option": ("{name}（{when}，{customers} 个客户）",
                             "{name} ({when}, {customers} customers)"),
    "training.page.restore": ("恢复所选快照", "Restore the chosen snapshot"),
    "training.page.restore_confirm": (
        "当前演示数据将被清空并替换为所选快照；保存之后的操作日志也会回到快照时的状态。",
        "The current demo data is emptied and replaced by the chosen snapshot; the audit log "
        "too goes back to the snapshot."),
    "training.page.running": ("正在处理……", "Working…"),
    "training.page.saved": ("快照 {name} 已保存（{customers} 个客户）。",
                            "Snapshot {name} saved ({customers} customers)."),
    "training.page.restored": ("快照 {name} 已恢复（{customers} 个客户，{seconds} 秒）。",
                               "Snapshot {name} restored ({customers} customers, {seconds} s)."),
    "training.page.failed": ("未完成：{message}", "Not done: {message}"),
    # audit labels
    "auditlog.action.training.snapshot_save": ("保存培训快照", "Training snapshot saved"),
    "auditlog.action.training.snapshot_restore": ("恢复培训快照", "Training snapshot restored"),
    "auditlog.action.training.snapshot_delete": ("删除培训快照", "Training snapshot deleted"),
    "auditlog.field.snapshot": ("快照", "Snapshot"),
    "auditlog.field.dropped_entries": ("回退的日志条数", "Log entries rolled back"),
}
