"""Messages of the start-up schema check, the home page links and Streamlit's own widget texts
(helper "shell", issue 14)."""

MESSAGES = {
    "shell.widget.choose": ("请选择", "Choose an option"),
    "shell.widget.choose_many": ("请选择（可多选）", "Choose options"),
    "shell.widget.choose_or_add": ("请选择或输入", "Choose or add an option"),
    "shell.widget.no_options": ("没有可选项", "No options to select"),
    "shell.builtin.upload": ("选择文件", "Upload"),
    "shell.builtin.limit": ("单个文件不超过 {mb} MB", "{mb}MB per file"),
    "shell.builtin.skip": ("跳到主要内容", "Skip to main content"),
    "shell.builtin.no_results": ("没有匹配的选项", "No results"),
    "shell.builtin.error": (
        "出现了意外错误，详情已记入服务器日志。请刷新页面重试；如仍出现，请联系管理员。",
        "This app has encountered an error. The details are in the server log. Reload the "
        "page to try again; if it happens again, tell your administrator.",
    ),
    "shell.map.south_china_sea": ("南海诸岛", "South China Sea Islands"),
    "shell.schema.missing": (
        "无法启动：数据库还没有建立表结构（从未迁移）。"
        "请在项目目录运行 python manage.py init-db"
        "（或 make run，它会先运行这一步），然后刷新本页。",
        "Cannot start: the database has no tables yet (it was never migrated). Run "
        "python manage.py init-db in the project folder (or make run, which runs it first), "
        "then reload this page.",
    ),
    "shell.schema.behind": (
        "无法启动：数据库的表结构比本版本的程序旧。"
        "请先备份数据库，再在项目目录运行 python manage.py init-db，然后刷新本页。",
        "Cannot start: the database schema is older than this version of the app. Back up "
        "the database, run python manage.py init-db in the project folder, then reload this "
        "page.",
    ),
    "shell.schema.unknown": (
        "无法启动：数据库的表结构来自更新版本的程序，本版本不认识它。"
        "请使用与数据库相同或更新版本的程序。",
        "Cannot start: the database schema was written by a newer version of the app that "
        "this version does not know. Run the version of the app that matches the database, "
        "or a newer one.",
    ),
}
