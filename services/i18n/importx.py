"""Messages of the import fixes of issue 14: the template's example row, formula cells without
a cached value, the import result summary, the demo reset's result."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "importx.example_row": (
        "{field}：这一行是模板自带的示例行（含“示例行：导入前请删除本行”），没有导入。"
        "请删除这一行；如果它是真实数据，请删掉这段标记后重新导入。",
        "{field}: this is the template's example row (it holds “示例行：导入前请删除本行”) and "
        "was not imported. Delete the row; if it holds real data, remove that marker and "
        "import it again.",
    ),
}
