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
    "importx.warning.formula_text": (
        "{count} 个公式单元格没有保存计算结果（文件多半由程序生成，而不是在 Excel 中保存的），"
        "已按公式文本原样导入：{cells}。如需计算结果，请在 Excel 中打开该文件、保存后重新导入。",
        "{count} formula cell(s) carry no saved result (the file was probably written by a "
        "program rather than saved in Excel) and were imported as the formula's text: "
        "{cells}. For the results, open the file in Excel, save it and import it again.",
    ),
    "importx.done.summary": (
        "导入完成：新增 {inserted}，更新 {updated}，跳过（重复）{duplicates}，"
        "有误未导入 {rejected}，待核对 {held}。文件：{file}（{kind}）",
        "Import done: {inserted} new, {updated} updated, {duplicates} skipped as duplicates, "
        "{rejected} rejected (not imported), {held} held for review. File: {file} ({kind})",
    ),
    "importx.done.rejected_help": (
        "有误的 {n} 行没有导入：下载后按“错误原因”一列修改，再导入这个文件。",
        "The {n} rejected rows were not imported: download them, fix them as the reasons "
        "column says, and import that file.",
    ),
    "importx.done.close": ("关闭导入结果", "Close the import result"),
    "importx.demo.done": (
        "演示数据已重置：{customers} 位客户，{orders} 笔交易，{complaints} 条投诉。",
        "Demo data reset: {customers} customers, {orders} orders, {complaints} complaints.",
    ),
}
