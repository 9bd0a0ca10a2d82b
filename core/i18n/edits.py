"""Messages of concurrent edits: a lost race, and the edit form's conflicts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "edits.concurrent": (
        "未保存：该记录刚刚被他人同时修改。请刷新页面查看最新内容后再试一次。",
        "Not saved: someone changed this record at the same moment. Reload the page to see "
        "the latest values and try again.",
    ),
    "edits.stale": (
        "保存未成功：您打开表单后，他人也修改了下列字段，且与您的修改不同（当前版本 {current}）。"
        "您的修改仍保留在表单中，其他字段未受影响：",
        "Not saved: after you opened the form, someone else also changed the fields below, "
        "to other values (now version {current}). Your edits are still in the form; other "
        "fields are not affected:",
    ),
    "edits.stale.now": ("「{field}」现在是：{value}", "“{field}” is now: {value}"),
}
