"""Messages of changing one's own password and of login locks (issue 13, points 7 and 8)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "login_pw.open": ("修改密码", "Change password"),
    "login_pw.current": ("当前密码", "Current password"),
    "login_pw.new": ("新密码", "New password"),
    "login_pw.repeat": ("再次输入新密码", "New password again"),
    "login_pw.submit": ("修改密码", "Change password"),
    "login_pw.help": (
        "修改后，您在其他浏览器或设备上的登录将全部失效。",
        "Your sessions in other browsers and on other devices end when you change it.",
    ),
    "login_pw.done": (
        "密码已修改，其他设备上的登录已退出。",
        "Password changed; you were logged out on your other devices.",
    ),
    "login_pw.error.current_wrong": ("当前密码不正确。", "The current password is wrong."),
    "login_pw.error.mismatch": (
        "两次输入的新密码不一致。", "The two new passwords differ.",
    ),
    "login_lock.cell": ("{until}（{count} 个地址）", "{until} ({count} addresses)"),
}
