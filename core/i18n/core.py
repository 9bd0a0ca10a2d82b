"""App-wide wording: navigation, login, roles, home, lists, admin pages, vocabularies."""

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("客户档案", "Customer Records"),
    "app.tagline": ("客户信息管理系统", "Customer information management"),
    "app.demo_badge": ("演示数据库", "Demo database"),
    # navigation
    "nav.login": ("登录", "Log in"),
    "nav.section.work": ("工作台", "Workspace"),
    "nav.section.customers": ("客户", "Customers"),
    "nav.section.service": ("服务记录", "Service"),
    "nav.section.analysis": ("经营分析", "Analytics"),
    "nav.section.admin": ("系统管理", "Administration"),
    "nav.home": ("首页", "Home"),
    "nav.customers": ("客户查询", "Customer lookup"),
    "nav.users": ("用户管理", "Users"),
    "nav.audit": ("审计日志", "Audit log"),
    # login and session
    "login.form_title": ("登录客户档案", "Log in to Customer Records"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    # One answer for an unknown name, a wrong password and a locked address alike.
    "login.failed": (
        "登录失败：用户名或密码错误，或此设备连续失败 {attempts} 次后暂时无法登录"
        "（{minutes} 分钟）。请稍后再试或联系管理员。",
        "Login failed: wrong username or password, or this device is blocked for {minutes} "
        "minutes after {attempts} failed attempts. Try again later or ask an administrator.",
    ),
    "login.intro": (
        "请使用您的账户登录。演示账户见 README。",
        "Log in with your account. The demo accounts are listed in the README.",
    ),
    "login.session_ended": (
        "您的登录已失效（已注销、密码已更改或账户已停用），请重新登录。",
        "Your session has ended (logged out, password changed or account deactivated). "
        "Please log in again.",
    ),
    "auth.logout": ("退出登录", "Log out"),
    "auth.login_required": (
        "请先登录：此页面需要从应用首页登录后访问。",
        "Please log in first: open this page from the app after logging in.",
    ),
    "auth.forbidden": (
        "您的角色（{role}）无权使用此功能。",
        "Your role ({role}) may not use this function.",
    ),
    "sidebar.user": ("{name}（{role}）", "{name} ({role})"),
    "sidebar.language": ("界面语言", "Language"),
    "lang.zh": ("中文", "中文 (Chinese)"),
    "lang.en": ("English", "English"),
    # roles
    "role.admin": ("管理员", "Administrator"),
    "role.manager": ("经理", "Manager"),
    "role.clerk": ("录入员", "Clerk"),
    "role.trainer": ("培训讲师", "Trainer"),
    # home
    "home.welcome": ("您好，{name}", "Hello, {name}"),
    "home.role_intro.admin": (
        "您是管理员：可查看和维护全部客户档案，管理用户，查阅审计日志，并删除或恢复客户。",
        "You are an administrator: you can view and maintain every customer record, manage "
        "users, read the audit log, and delete or restore customers.",
    ),
    "home.role_intro.manager": (
        "您是经理：可查看和维护客户档案，查看经营指标，并查阅审计日志。",
        "You are a manager: you can view and maintain customer records, see the KPIs and read "
        "the audit log.",
    ),
    "home.role_intro.clerk": (
        "您是录入员：可录入、查询和修改客户档案。联系方式默认脱敏显示，查看完整号码会被记录。",
        "You are a clerk: you enter, look up and correct customer records. Contact details are "
        "masked; revealing a full number is logged.",
    ),
    "home.role_intro.trainer": (
        "您是培训讲师：可使用演示数据讲解客户信息管理流程。个人联系方式始终脱敏显示。",
        "You are a trainer: you teach customer information management on demo data. Personal "
        "contact details are always masked.",
    ),
    "home.can_do": ("您可以：", "What you can do:"),
    "home.demo.title": ("演示数据", "Demo data"),
    "home.demo.help": (
        "课堂演示后可一键恢复：清除全部客户及其记录，重新生成 2,000 位演示客户（账户保留）。",
        "After a class, restore the demo in one click: all customers and their records are "
        "replaced by 2,000 fresh demo customers (accounts stay).",
    ),
    "home.demo.reset": ("重置演示数据", "Reset demo data"),
    "home.demo.confirm": (
        "确定要清除全部客户数据并重新生成演示数据吗？此操作不可撤销。",
        "Delete all customer data and generate fresh demo data? This cannot be undone.",
    ),
    "home.demo.running": ("正在重新生成演示数据…", "Generating fresh demo data…"),
    "home.stats.customers": ("客户总数", "Customers"),
    "home.stats.new_30d": ("近 30 天新增", "New in 30 days"),
    "home.stats.my_customers": ("我负责的客户", "My customers"),
    "home.empty": (
        "数据库中还没有客户。管理员可运行 `python manage.py seed-demo` 载入演示数据。",
        "There are no customers yet. An administrator can load demo data with "
        "`python manage.py seed-demo`.",
    ),
    # customer list
    "customers.search": ("搜索", "Search"),
    "customers.search_placeholder": (
        "客户编号、姓名、手机号（或后四位）、邮箱、公司",
        "Customer no., name, mobile (or last 4 digits), email, company",
    ),
    "customers.filter.type": ("客户类型", "Customer type"),
    "customers.filter.industry": ("行业", "Industry"),
    "customers.filter.province": ("省份", "Province"),
    "customers.filter.tier": ("客户等级", "Tier"),
    "customers.filter.lifecycle": ("生命周期", "Lifecycle"),
    "customers.filter.manager": ("客户经理", "Account manager"),
    "customers.filter.any": ("全部", "All"),
    "customers.sort": ("排序", "Sort by"),
    "customers.sort.desc": ("降序", "Descending"),
    "customers.total": (
        "共 {total} 位客户，第 {page}/{pages} 页", "{total} customers, page {page} of {pages}",
    ),
    "customers.none": (
        "没有符合条件的客户。请检查搜索词或清除筛选条件。",
        "No customer matches. Check the search words or clear the filters.",
    ),
    "customers.clear": ("清除条件", "Clear"),
    "col.open": ("档案", "Profile"),
    "col.customer_no": ("客户编号", "Customer no."),
    "col.name": ("客户名称", "Name"),
    "col.customer_type": ("客户类型", "Type"),
    "col.mobile": ("手机号", "Mobile"),
    "col.email": ("邮箱", "Email"),
    "col.company": ("公司名称", "Company"),
    "col.industry": ("行业", "Industry"),
    "col.province": ("省份", "Province"),
    "col.city": ("城市", "City"),
    "col.tier": ("客户等级", "Tier"),
    "col.lifecycle": ("生命周期", "Lifecycle"),
    "col.account_manager": ("客户经理", "Account manager"),
    "col.created_at": ("建档时间", "Created"),
    "col.tags": ("标签", "Tags"),
    # users admin
    "users.title": ("用户管理", "Users"),
    "users.create": ("新建用户", "New user"),
    "users.username": ("用户名", "Username"),
    "users.display_name": ("显示名称", "Display name"),
    "users.role": ("角色", "Role"),
    "users.password": ("初始密码", "Initial password"),
    "users.new_password": ("新密码", "New password"),
    "users.active": ("启用", "Active"),
    "users.locked_until": ("锁定至", "Locked until"),
    "users.last_login": ("最近登录", "Last login"),
    "users.submit_create": ("创建用户", "Create user"),
    "users.created": ("已创建用户 {username}。", "User {username} created."),
    "users.select": ("选择用户", "Select a user"),
    "users.change_role": ("更改角色", "Change role"),
    "users.reset_password": ("重置密码", "Reset password"),
    "users.deactivate": ("停用账户", "Deactivate"),
    "users.activate": ("启用账户", "Activate"),
    "users.unlock": ("解除锁定", "Unlock"),
    "users.saved": ("已保存。", "Saved."),
    "users.status.active": ("启用", "active"),
    "users.status.inactive": ("已停用", "deactivated"),
    "users.error.password_short": (
        "密码至少需要 {min} 个字符。", "The password needs at least {min} characters.",
    ),
    "users.error.username_format": (
        "用户名应为 2–50 个小写字母、数字或 _ . -。",
        "A username is 2–50 lower-case letters, digits or _ . -.",
    ),
    "users.error.username_taken": (
        "用户名 {username} 已存在。", "The username {username} is taken.",
    ),
    "users.error.display_name_long": (
        "显示名称最多 50 个字符。", "A display name has at most 50 characters.",
    ),
    "users.error.not_found": ("找不到该用户。", "No such user."),
    "users.error.last_admin": (
        "不能停用或降级最后一位管理员。",
        "The last administrator cannot be deactivated or demoted.",
    ),
    "users.error.self_deactivate": (
        "不能停用自己的账户。", "You cannot deactivate your own account.",
    ),
    "users.error.language": ("不支持的语言。", "Unsupported language."),
    # audit
    "audit.title": ("审计日志", "Audit log"),
    "audit.filter.user": ("用户", "User"),
    "audit.filter.action": ("操作", "Action"),
    "audit.filter.from": ("起始日期", "From"),
    "audit.filter.to": ("截止日期", "To"),
    "audit.col.at": ("时间", "Time"),
    "audit.col.user": ("用户", "User"),
    "audit.col.action": ("操作", "Action"),
    "audit.col.entity": ("对象", "Object"),
    "audit.col.changes": ("变更内容", "Changes"),
    "audit.total": ("共 {total} 条记录", "{total} entries"),
    "audit.none": ("没有符合条件的审计记录。", "No audit entry matches."),
    # common
    "common.any": ("全部", "All"),
    "common.page": ("页码", "Page"),
    "common.yes": ("是", "yes"),
    "common.no": ("否", "no"),
    "common.error_unexpected": (
        "操作未能完成：{error}。您输入的内容未丢失，请重试或联系管理员。",
        "The action could not be completed: {error}. Nothing you entered was lost; try again "
        "or ask an administrator.",
    ),
}
