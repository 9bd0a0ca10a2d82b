"""Messages of input hygiene: control characters in text, and the database's last-line guard."""

MESSAGES: dict[str, tuple[str, str]] = {
    "input.control_char": (
        "{field}：含有不可见的控制字符 {char}，请删除后重试",
        "{field}: contains the invisible control character {char}; remove it and try again",
    ),
    "input.control_char.line_break": (
        "{field}：只能填写一行，不能含有换行或制表符（{char}）",
        "{field}: must be a single line, without line breaks or tabs ({char})",
    ),
    "input.users.display_name_control": (
        "显示名称：含有不可见的控制字符 {char}，请删除后重试",
        "Display name: contains the invisible control character {char}; remove it and try again",
    ),
    "input.guard.control_char": (
        "“{field}”含有不可见的控制字符 {char}，未保存任何内容。请删除该字符后重试。",
        "“{field}” contains the invisible control character {char}; nothing was saved. "
        "Remove it and try again.",
    ),
}
