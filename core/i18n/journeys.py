"""Messages added with the browser journeys of issue 14 (editing a user's display name)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "journeys.users.rename": ("修改显示名称", "Change display name"),
    "records.action.user.display_name": ("修改用户显示名称", "User display name changed"),
    "records.field.display_name": ("显示名称", "Display name"),
}
