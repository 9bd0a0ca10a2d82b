"""Messages of the start-up schema check, the home page links and Streamlit's own widget texts
(helper "shell", issue 14)."""

MESSAGES = {
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
