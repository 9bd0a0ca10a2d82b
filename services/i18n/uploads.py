"""Wording of the upload checks added for issue 13 (active content in a workbook)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "uploads.refused.active_content": (
        "该工作簿包含 ActiveX 控件或嵌入的 OLE 对象，出于安全考虑不予导入。请把数据复制到新的"
        " Excel 工作簿（*.xlsx）中，不带控件和嵌入对象，再导入。",
        "This workbook contains ActiveX controls or embedded (OLE) objects and is refused for "
        "safety. Copy the data into a new “Excel Workbook (*.xlsx)” without controls or "
        "embedded objects and import that.",
    ),
}
