"""Classes of trainees (issue 17, helper "class"): the 班级管理 page, the login sheet, the
trainee's login refusals, ``manage.py expire-classes`` and the audit labels."""

MESSAGES: dict[str, tuple[str, str]] = {
    # navigation
    "nav.section.training": ("培训", "Training"),
    "nav.classes": ("班级管理", "Classes"),
    # login refusals of a trainee (shown only after the right password)
    "login.trainee.class_ended": (
        "你的培训班级已结束（已到期或已关闭），账号已停用。如需继续练习，请联系培训讲师。",
        "Your training class has ended (expired or closed) and this account is deactivated. "
        "Ask your trainer if you need to keep practising."),
    "login.trainee.not_demo": (
        "学员账号只能登录演示数据库，这个数据库不是演示数据库。",
        "Trainee accounts may log in only to a demo database; this database is not one."),
    # errors
    "classes.error.name_needed": ("请填写班级名称。", "Give the class a name."),
    "classes.error.name_long": ("班级名称最多 {max} 个字符。",
                                "A class name has at most {max} characters."),
    "classes.error.name_control": ("班级名称不能包含控制字符。",
                                   "A class name may not hold control characters."),
    "classes.error.name_taken": ("已有名为“{name}”的班级。",
                                 "There is already a class \"{name}\"."),
    "classes.error.count": ("学员人数须在 1 到 {max} 之间。",
                            "The number of trainees must be 1 to {max}."),
    "classes.error.expiry": ("到期日须在今天到 {max} 天之后之间。",
                             "The last day must be between today and {max} days from now."),
    "classes.error.username_taken": ("用户名 {username} 已被占用，无法创建学员账号。",
                                     "Username {username} is taken: no trainee account made."),
    "classes.error.not_found": ("没有这个班级。", "No such class."),
    "classes.error.ended": ("班级“{name}”已结束，不能再重置密码。",
                            "Class \"{name}\" has ended: its passwords cannot be reset."),
    "classes.error.closed": ("班级“{name}”已经关闭。", "Class \"{name}\" is already closed."),
    "classes.error.no_snapshot": ("班级“{name}”没有起始快照，无法重置。",
                                  "Class \"{name}\" has no starting snapshot to reset to."),
    "classes.error.dataset": ("没有名为 {dataset} 的数据集。", "There is no dataset {dataset}."),
    "classes.error.not_demo": (
        "这不是演示数据库：只有 seed-demo 创建的演示数据库才能开设培训班级。",
        "This is not a demo database: classes exist only on a database seed-demo created."),
    # states, datasets
    "classes.state.open": ("进行中", "Open"),
    "classes.state.expired": ("已到期", "Expired"),
    "classes.state.closed": ("已关闭", "Closed"),
    # the page
    "classes.title": ("班级管理", "Classes"),
    "classes.help": (
        "为一个班级一次创建学员账号（业务员权限，只在演示数据库中，看不到完整手机号和证件号），"
        "打印登录表，到期后账号自动停用；可把班级的演示数据恢复到开班时的状态。",
        "Create a class's trainee accounts in one step (clerk rights, on the demo database "
        "only, never seeing full phone or ID numbers), print their logins; the accounts are "
        "deactivated when the class expires; the class's demo data can go back to how it was "
        "when the class started."),
    "classes.create": ("新建班级", "New class"),
    "classes.name": ("班级名称", "Class name"),
    "classes.count": ("学员人数", "Number of trainees"),
    "classes.last_day": ("最后一天（当天结束后账号停用）",
                         "Last day (accounts stop at the end of it)"),
    "classes.submit": ("创建班级和学员账号", "Create the class and its accounts"),
    "classes.running": ("正在创建账号并保存起始快照……",
                        "Creating the accounts and saving the starting snapshot…"),
    "classes.created": ("班级“{name}”已创建：{count} 个学员账号。",
                        "Class \"{name}\" created: {count} trainee accounts."),
    "classes.sheet.ready": ("登录表（{name}，{count} 个账号）",
                            "Login sheet ({name}, {count} accounts)"),
    "classes.sheet.once": (
        "初始密码只在这里出现一次，不以明文保存：请现在下载并打印。之后无法再生成这张表，"
        "只能“重置学员密码”生成新表。",
        "The passwords appear here once and are not stored in clear: download and print the "
        "sheet now. It cannot be made again later; \"Reset trainee passwords\" makes a new "
        "one."),
    "classes.sheet.download": ("下载登录表（Excel，A4 打印）",
                               "Download the login sheet (Excel, prints on A4)"),
    "classes.sheet.dismiss": ("我已保存，关闭", "Saved it, close"),
    "classes.sheet.file": ("登录表-{name}.xlsx", "logins-{name}.xlsx"),
    "classes.sheet.tab": ("登录表", "Logins"),
    "classes.sheet.title": ("{name} 学员登录表", "{name}: trainee logins"),
    "classes.sheet.expires": ("账号有效期至 {when}（当天结束后停用）",
                              "Accounts valid through {when} (deactivated after that day)"),
    "classes.sheet.note": ("首次登录后可在右上角修改密码。请妥善保管，勿转借他人。",
                           "Change the password after the first login. Keep it to yourself."),
    "classes.sheet.footer": ("客户档案 培训登录表", "客户档案 training logins"),
    "classes.sheet.name": ("姓名", "Name"),
    "classes.sheet.username": ("用户名", "Username"),
    "classes.sheet.password": ("初始密码", "Initial password"),
    "classes.list": ("班级", "Classes"),
    "classes.none": ("还没有班级。", "No classes yet."),
    "classes.col.name": ("班级", "Class"),
    "classes.col.dataset": ("数据集", "Dataset"),
    "classes.col.trainees": ("学员数", "Trainees"),
    "classes.col.active": ("可登录", "Can log in"),
    "classes.col.expires": ("最后一天", "Last day"),
    "classes.col.state": ("状态", "State"),
    "classes.col.created": ("创建时间", "Created"),
    "classes.pick": ("选择班级", "Choose a class"),
    "classes.trainees": ("学员账号", "Trainee accounts"),
    "classes.trainee.active": ("可登录", "Can log in"),
    "classes.trainee.inactive": ("已停用", "Deactivated"),
    "classes.passwords": ("重置学员密码", "Reset trainee passwords"),
    "classes.passwords.confirm": (
        "为本班所有学员生成新密码，旧密码立即失效、已登录的学员需重新登录。",
        "Every trainee of the class gets a new password; the old ones stop working and "
        "logged-in trainees must log in again."),
    "classes.passwords.done": ("已为 {count} 个学员生成新密码，请下载新的登录表。",
                               "New passwords for {count} trainees: download the new sheet."),
    "classes.close": ("关闭班级", "Close the class"),
    "classes.close.confirm": ("关闭后本班学员账号立即停用，不能再登录。",
                              "Closing deactivates the class's trainee accounts at once."),
    "classes.close.done": ("班级“{name}”已关闭，{count} 个学员账号已停用。",
                           "Class \"{name}\" closed; {count} trainee accounts deactivated."),
    "classes.reset": ("重置班级", "Reset the class"),
    "classes.reset.help": (
        "演示数据回到开班时的起始快照（快照 {snapshot}）。学员账号和密码保持不变。",
        "The demo data goes back to the class's starting snapshot ({snapshot}). Trainee "
        "accounts and passwords stay as they are."),
    "classes.reset.source": ("重置到", "Reset to"),
    "classes.reset.to_snapshot": ("开班时的起始快照", "The class's starting snapshot"),
    "classes.reset.to_dataset": ("新生成的案例数据", "Freshly seeded case data"),
    "classes.reset.dataset_help": (
        "演示数据换成所选数据集的新数据（与首页“重置演示数据”相同，先自动备份）。"
        "学员账号和密码保持不变。",
        "The demo data is replaced by fresh data of the chosen dataset (as the home page's "
        "demo reset does, backed up first). Trainee accounts and passwords stay as they are."),
    "classes.reset.done_dataset": (
        "班级“{name}”已重置为新的{dataset}数据"
        "（{trainees} 个学员，进度{progress}，{seconds} 秒）。",
        "Class \"{name}\" reset to fresh {dataset} data ({trainees} trainees, progress "
        "{progress}, {seconds} s)."),
    "classes.reset.progress": ("学员的练习进度", "The trainees' progress"),
    "classes.reset.keep": ("保留进度", "Keep progress"),
    "classes.reset.clear": ("清除进度（练习、测验、评价、错误记录）",
                            "Clear progress (exercises, quizzes, feedback, mistakes)"),
    "classes.reset.confirm": (
        "当前演示数据将被清空并替换，其他人此后录入的数据也会丢失；恢复快照时操作日志也回到快照时的状态。",
        "The current demo data is emptied and replaced, what others entered since too; "
        "restoring the snapshot also takes the audit log back to it."),
    "classes.reset.running": ("正在重置……", "Resetting…"),
    "classes.reset.done": (
        "班级“{name}”已重置到快照 {snapshot}（{trainees} 个学员，进度{progress}，{seconds} 秒）。",
        "Class \"{name}\" reset to snapshot {snapshot} ({trainees} trainees, progress "
        "{progress}, {seconds} s)."),
    "classes.reset.kept": ("已保留", "kept"),
    "classes.reset.cleared": ("已清除", "cleared"),
    "classes.failed": ("未完成：{message}", "Not done: {message}"),
    # the home page of a trainee
    "home.role_intro.trainee": (
        "您是培训学员：可在演示数据中录入、查询和修改客户档案，完成课程练习。"
        "手机号和证件号始终脱敏显示。",
        "You are a trainee: enter, look up and edit customer records in the demo data and do "
        "the course's exercises. Phone and ID numbers always stay masked."),
    # admin users page
    "users.training_class": ("培训班级", "Training class"),
    # manage.py expire-classes
    "classes.cli.expired": ("班级 {name}：停用 {count} 个学员账号。",
                            "Class {name}: {count} trainee accounts deactivated."),
    "classes.cli.none": ("没有需要停用的学员账号。", "No trainee account to deactivate."),
    # audit labels
    "auditlog.action.training.class_create": ("创建培训班级", "Training class created"),
    "auditlog.action.training.class_passwords": ("重置学员密码", "Trainee passwords reset"),
    "auditlog.action.training.class_close": ("关闭培训班级", "Training class closed"),
    "auditlog.action.training.class_expire": ("停用到期班级的学员", "Expired class's trainees "
                                              "deactivated"),
    "auditlog.action.training.class_reset": ("重置培训班级", "Training class reset"),
    "auditlog.action.training.trainee_deactivate": ("停用学员账号（班级已结束）",
                                                    "Trainee deactivated (class ended)"),
    "auditlog.action.login.refused_trainee": ("学员登录被拒（班级已结束或非演示数据库）",
                                              "Trainee login refused (class ended or not a "
                                              "demo database)"),
    "auditlog.field.class": ("班级", "Class"),
    "auditlog.field.class_id": ("班级编号", "Class #"),
    "auditlog.field.trainees": ("学员数", "Trainees"),
    "auditlog.field.expires": ("最后一天", "Last day"),
    "auditlog.field.dataset": ("数据集", "Dataset"),
    "auditlog.field.progress": ("进度", "Progress"),
    "auditlog.field.cleared_rows": ("清除的进度记录", "Progress rows cleared"),
}
