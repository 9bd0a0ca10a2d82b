"""Wording of the upload checks added for issue 13: active content in a workbook, and
sheets whose cells unpack to more text than an import may hold."""

MESSAGES: dict[str, tuple[str, str]] = {
    "uploads.refused.active_content": (
        "该工作簿包含 ActiveX 控件或嵌入的 OLE 对象，出于安全考虑不予导入。请把数据复制到新的"
        " Excel 工作簿（*.xlsx）中，不带控件和嵌入对象，再导入。",
        "This workbook contains ActiveX controls or embedded (OLE) objects and is refused for "
        "safety. Copy the data into a new “Excel Workbook (*.xlsx)” without controls or "
        "embedded objects and import that.",
    ),
    "uploads.refused.too_much_text": (
        "该工作表的单元格合计超过 {limit} 个字符（同一共享文本在每个显示它的单元格中都计一次），"
        "超出单次导入的上限，不予导入。请拆分成几个文件分别导入。",
        "The cells of this sheet hold more than {limit} characters in all (a shared text "
        "counts once for every cell that shows it), more than one import may hold, and it is "
        "refused. Split it into several files and import them one by one.",
    ),
}
