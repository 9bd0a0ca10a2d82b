"""Messages of helper class2's training follow-ups (issue 17): the trainee's role in the
sidebar, and which class a snapshot belongs to on the 首页."""

MESSAGES = {
    # moved from training.py: a restore keeps the accounts, classes and progress now
    "training.page.help": (
        "把当前演示数据保存为命名快照，之后随时恢复：客户及其记录、操作日志回到保存时的状态；"
        "账号（含密码）、培训班级和学员的课程进度保持现状。每个新班级都会保存一个起始快照，"
        "班级结束后自动删除。",
        "Save the current demo data as a named snapshot and restore it at any time: customers, "
        "their records and the audit log go back to how they were; accounts (passwords "
        "included), training classes and trainees' course progress stay as they are. Each new "
        "class saves a starting snapshot, removed once the class has ended."),
    "role.trainee": ("学员", "Trainee"),
    "training.page.of_class": ("{option} · 班级：{classes}", "{option} · class: {classes}"),
    "training.page.class_state": ("{name}（{state}）", "{name} ({state})"),
    "training.page.delete": ("删除快照", "Delete snapshot"),
    "training.page.delete_confirm": (
        "删除快照后无法恢复。仍在进行的班级所用的快照不能删除。",
        "A deleted snapshot cannot be brought back. The snapshot of a class still running "
        "cannot be deleted."),
    "training.page.deleted": ("快照 {name} 已删除。", "Snapshot {name} deleted."),
    "training.snapshot.refused.in_use": (
        "快照 {name} 是进行中班级（{classes}）的起始快照，不能删除。",
        "Snapshot {name} is the starting snapshot of a running class ({classes}) and cannot "
        "be deleted."),
    # audit detail labels
    "auditlog.field.classes": ("所属班级", "Classes"),
    "auditlog.field.kept_users": ("保留的账号数", "Accounts kept"),
}
