"""Wording of the 导入导出 page and the lookup's export button."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.import_export": ("导入导出", "Import & export"),
    "io.title": ("Excel 导入导出", "Excel import and export"),
    "io.tab.import": ("导入", "Import"),
    "io.tab.history": ("导入记录", "Import history"),
    "io.tab.export": ("导出", "Export"),
    "io.import.not_allowed": (
        "您的角色在此数据库上不能导入。", "Your role cannot import into this database.",
    ),
    "io.kind": ("导入内容", "What to import"),
    "io.kind_help.customers": (
        "客户档案。已有客户按客户编号、手机号、邮箱或证件号码识别为重复。",
        "Customer records. Existing customers are recognised by customer no., mobile, email "
        "or ID number.",
    ),
    "io.kind_help.orders": (
        "已有客户的交易记录，按客户编号或手机号匹配客户。",
        "Orders of existing customers, matched by customer no. or mobile.",
    ),
    "io.kind_help.complaints": (
        "已有客户的投诉记录，按客户编号或手机号匹配客户。",
        "Complaints of existing customers, matched by customer no. or mobile.",
    ),
    "io.kind_help.surveys": (
        "已有客户的满意度调查，按客户编号或手机号匹配客户。",
        "Satisfaction surveys of existing customers, matched by customer no. or mobile.",
    ),
    "io.kind_help.follow_ups": (
        "已有客户的回访记录，按客户编号或手机号匹配客户。",
        "Follow-up visits of existing customers, matched by customer no. or mobile.",
    ),
    "io.kind_help.renewals": (
        "已有客户的续约记录，按客户编号或手机号匹配客户。",
        "Renewal records of existing customers, matched by customer no. or mobile.",
    ),
    "io.template": ("下载导入模板", "Download the template"),
    "io.upload": ("上传 .xlsx 文件", "Upload an .xlsx file"),
    "io.on_duplicate": ("重复客户的处理", "Duplicates"),
    "io.on_duplicate.skip": ("跳过", "skip"),
    "io.on_duplicate.update": ("用文件内容更新", "update from the file"),
    "io.mapping.title": ("列与字段的对应", "Columns and fields"),
    "io.mapping.help": (
        "系统已按表头自动对应，如有不对可在此更正；选择“忽略”则不导入该列。",
        "Columns were matched by their headers; correct any here. “Ignore” skips a column.",
    ),
    "io.mapping.ignore": ("忽略", "Ignore"),
    "io.progress.start": ("准备中…", "Starting…"),
    "io.progress.read": ("读取 {done}/{total} 行", "Reading {done}/{total} rows"),
    "io.progress.check": ("校验 {done}/{total} 行", "Checking {done}/{total} rows"),
    "io.progress.write": ("写入 {done}/{total} 行", "Writing {done}/{total} rows"),
    "io.summary.new": ("将新增", "New"),
    "io.summary.inserted": ("新增", "Inserted"),
    "io.summary.updated": ("更新", "Updated"),
    "io.summary.duplicates": ("重复", "Duplicates"),
    "io.summary.rejected": ("有误", "Rejected"),
    "io.summary.blank": ("空行", "Blank"),
    "io.rejected.title": ("有误的行（{n}）", "Rejected rows ({n})"),
    "io.rejected.download": (
        "下载有误的行（含原因），修改后重新导入",
        "Download the rejected rows with reasons, fix and re-import them",
    ),
    "io.sample.title": ("预览：导入后的样子", "Preview: as the rows will be stored"),
    "io.col.row": ("行号", "Row"),
    "io.col.column": ("列", "Column"),
    "io.col.reason": ("原因", "Reason"),
    "io.col.status": ("结果", "Outcome"),
    "io.commit": ("确认导入 {n} 行", "Import {n} rows"),
    "io.committed": (
        "导入完成：新增 {inserted}，更新 {updated}。",
        "Imported: {inserted} new, {updated} updated.",
    ),
    "io.history.when": ("时间", "When"),
    "io.history.who": ("导入人", "By"),
    "io.history.kind": ("内容", "Kind"),
    "io.history.file": ("文件", "File"),
    "io.history.undone": ("已撤销（操作人）", "Undone by"),
    "io.history.none": ("还没有导入记录。", "No import yet."),
    "io.undo": ("撤销导入：{file}", "Undo the import of {file}"),
    "io.export.not_allowed": ("您的角色不能导出。", "Your role cannot export."),
    "io.export.help.full": (
        "导出全部客户（完整信息）。导出会记入审计日志。",
        "Exports every customer with full values. Exports are audited.",
    ),
    "io.export.help.masked": (
        "导出全部客户，手机号、邮箱、证件号码按您的角色脱敏。导出会记入审计日志。",
        "Exports every customer with mobile, email and ID number masked for your role. "
        "Exports are audited.",
    ),
    "io.export.prepare": ("生成 Excel 文件", "Prepare the Excel file"),
    "io.export.download": ("下载 Excel", "Download Excel"),
    "lookup.export": ("导出当前结果", "Export this result"),
}
