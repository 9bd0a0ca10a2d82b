"""App-wide wording: navigation, login, roles, common buttons."""

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("客户档案", "Customer Records"),
    "app.tagline": ("客户信息管理系统", "Customer information management"),
}
