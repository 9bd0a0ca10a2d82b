"""Messages of helper class2's training follow-ups (issue 17): the trainee's role in the
sidebar, and which class a snapshot belongs to on the 首页."""

MESSAGES = {
    "role.trainee": ("学员", "Trainee"),
    "training.page.of_class": ("{option} · 班级：{classes}", "{option} · class: {classes}"),
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
}
