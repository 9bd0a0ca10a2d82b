"""Wording of the Excel import and export (services.excel) and its command line.

Field problems of customer rows are the validation module's own messages; this catalog holds
what only a file can have: refusals, unknown columns, duplicates within the file, record
columns, the import history and undo, and the texts of the template.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # kinds
    "excel.kind.customers": ("客户", "Customers"),
    "excel.kind.orders": ("交易记录", "Orders"),
    "excel.kind.complaints": ("投诉", "Complaints"),
    "excel.kind.surveys": ("满意度调查", "Surveys"),
    "excel.kind.follow_ups": ("回访", "Follow-ups"),
    "excel.kind.renewals": ("续约", "Renewals"),
    # refusals of the whole file (exit status 2 on the command line)
    "excel.refused.empty": ("文件为空。", "The file is empty."),
    "excel.refused.too_big": (
        "文件大小为 {size} MB，超过上限 {limit} MB，请拆分后分批导入。",
        "The file is {size} MB, over the limit of {limit} MB; split it and import the parts.",
    ),
    "excel.refused.not_xlsx": (
        "该文件不是有效的 Excel 工作簿（.xlsx）。请在 Excel 中“另存为”Excel 工作簿（*.xlsx）"
        "后再导入；只修改文件扩展名是无效的。",
        "This file is not a valid Excel workbook (.xlsx). Save it in Excel as “Excel Workbook "
        "(*.xlsx)” and import that; renaming the file is not enough.",
    ),
    "excel.refused.old_format": (
        "这是旧版 .xls 文件或加了密码的工作簿，无法导入。请在 Excel 中取消密码并“另存为”"
        "Excel 工作簿（*.xlsx）后再导入。",
        "This is an old .xls file or a password-protected workbook and cannot be imported. "
        "Remove the password and save it in Excel as “Excel Workbook (*.xlsx)”.",
    ),
    "excel.refused.macro": (
        "该工作簿包含宏（VBA 或宏表），出于安全考虑不予导入。请“另存为”不含宏的 Excel 工作簿"
        "（*.xlsx）后再导入。",
        "This workbook contains macros (VBA or macro sheets) and is refused for safety. Save "
        "it as a macro-free “Excel Workbook (*.xlsx)” and import that.",
    ),
    "excel.refused.bomb": (
        "该文件解压后过大、条目过多或压缩比异常（疑似压缩炸弹），不予导入。",
        "This file is too large when unpacked, has too many parts or an abnormal compression "
        "ratio (a suspected zip bomb), and is refused.",
    ),
    "excel.refused.too_many_rows": (
        "工作表有 {rows} 行数据，超过每次导入的上限 {limit} 行，请拆分后分批导入。",
        "The sheet has {rows} data rows, over the limit of {limit} rows per import; split it "
        "and import the parts.",
    ),
    "excel.refused.too_large": (
        "工作表的使用范围过大（{rows} 行 × {columns} 列），不予导入。请只保留需要导入的数据后"
        "另存为新的工作簿。",
        "The sheet's used range is too large ({rows} rows × {columns} columns) and is refused. "
        "Keep only the data to import and save it as a new workbook.",
    ),
    "excel.refused.unreadable": (
        "无法读取该工作簿（文件损坏、过大或格式异常）。请在 Excel 中打开并“另存为”新的 .xlsx "
        "工作簿后再导入。",
        "The workbook cannot be read (damaged, too large or malformed). Open it in Excel, save "
        "it as a new .xlsx workbook and import that.",
    ),
    "excel.refused.no_sheet": (
        "该工作簿中没有工作表。", "The workbook has no worksheet.",
    ),
    "excel.refused.no_header": (
        "第 1 行应为表头（列名），但第 1 行是空的。",
        "Row 1 must hold the headers (column names), but it is empty.",
    ),
    "excel.refused.no_name_column": (
        "缺少“客户名称”列：第 1 行应为表头，且必须有“客户名称”（或“姓名”等同义列名）。",
        "The 客户名称 (name) column is missing: row 1 must hold the headers, including "
        "客户名称 (or a synonym such as 姓名 or Name).",
    ),
    "excel.refused.no_customer_ref": (
        "缺少“客户编号”或“手机号”列，无法确定每行属于哪位客户。",
        "Neither a 客户编号 (customer No.) nor a 手机号 (mobile) column was found, so the rows "
        "cannot be matched to customers.",
    ),
    "excel.refused.missing_columns": (
        "缺少必需的列：{columns}。", "Required columns are missing: {columns}.",
    ),
    "excel.refused.bad_mapping": (
        "列对应设置无效：第 {column} 列不能对应到“{target}”。",
        "Invalid column mapping: column {column} cannot be mapped to “{target}”.",
    ),
    "excel.refused.no_such_column": (
        "列对应设置无效：文件中没有列“{column}”。",
        "Invalid column mapping: the file has no column “{column}”.",
    ),
    # warnings
    "excel.warning.unknown_columns": (
        "以下列无法识别，已忽略：{columns}", "These columns were not recognised and are "
        "ignored: {columns}",
    ),
    "excel.warning.duplicate_column": (
        "列“{column}”与列“{first}”都对应“{field}”，只使用“{first}”。",
        "Columns “{column}” and “{first}” both stand for {field}; only “{first}” is used.",
    ),
    "excel.warning.no_update_for_records": (
        "{kind}导入不会修改已有记录：与已有记录重复的行都会跳过。",
        "Importing {kind} never changes existing records: rows that repeat one are skipped.",
    ),
    "excel.column.unnamed": ("第 {letter} 列（无表头）", "column {letter} (no header)"),
    # record values
    "excel.value.date": (
        "{field}：“{value}” 不是有效的日期，应形如 2026-01-31",
        "{field}: “{value}” is not a valid date; expected something like 2026-01-31",
    ),
    "excel.value.datetime": (
        "{field}：“{value}” 不是有效的日期时间，应形如 2026-01-31 14:30",
        "{field}: “{value}” is not a valid date and time; expected something like "
        "2026-01-31 14:30",
    ),
    "excel.value.money": (
        "{field}：“{value}” 不是有效的金额，应为不小于 0、最多两位小数的数字（单位：元）",
        "{field}: “{value}” is not a valid amount; expected a number of yuan, at least 0, with "
        "at most two decimals",
    ),
    "excel.value.integer": (
        "{field}：“{value}” 无效，应为正整数",
        "{field}: “{value}” is not valid; expected a whole number of at least 1",
    ),
    "excel.value.choice": (
        "{field}：“{value}” 无效，应为以下之一：{allowed}",
        "{field}: “{value}” is not valid; expected one of: {allowed}",
    ),
    "excel.value.score": (
        "{field}：“{value}” 无效，应为 1–5 分，或 非常满意、满意、一般、不满意、非常不满意",
        "{field}: “{value}” is not valid; expected a score of 1–5, or 非常满意 (very "
        "satisfied) … 非常不满意 (very dissatisfied)",
    ),
    # record customers and contracts
    "excel.customer.ref_required": (
        "客户编号、手机号至少填写一项，用于找到已有客户",
        "Fill in 客户编号 (customer No.) or 手机号 (mobile) to name an existing customer",
    ),
    "excel.customer.not_found": (
        "找不到客户：{ref}（已删除的客户不能导入记录）",
        "No such customer: {ref} (deleted customers cannot receive records)",
    ),
    "excel.customer.mismatch": (
        "客户编号 {customer_no} 与手机号 {mobile} 不是同一位客户",
        "客户编号 {customer_no} and 手机号 {mobile} belong to different customers",
    ),
    "excel.customer.ambiguous_mobile": (
        "手机号 {mobile} 对应多位客户，请改用客户编号",
        "The mobile number {mobile} belongs to several customers; use the 客户编号 instead",
    ),
    "excel.contract.not_found": (
        "{field}：找不到该客户的合同“{value}”",
        "{field}: this customer has no contract “{value}”",
    ),
    # duplicates
    "excel.duplicate.existing": (
        "与已有客户重复，已跳过：{matches}",
        "Same customer as an existing one, skipped: {matches}",
    ),
    "excel.duplicate.match": (
        "{name}（{customer_no}）：{fields} 相同", "{name} ({customer_no}): same {fields}",
    ),
    "excel.duplicate.unchanged": (
        "与已有客户 {name}（{customer_no}）一致，没有需要更新的内容",
        "Same as the existing customer {name} ({customer_no}); nothing to update",
    ),
    "excel.duplicate.row": (
        "与第 {row} 行是同一客户（{fields} 相同），已跳过",
        "Same customer as row {row} (same {fields}), skipped",
    ),
    "excel.duplicate.ambiguous": (
        "同时与多位已有客户重复，无法确定要更新哪一位：{matches}",
        "Matches several existing customers, so it is unclear which to update: {matches}",
    ),
    "excel.duplicate.number_conflict": (
        "{field}：“{value}” 与匹配到的已有客户 {name}（{customer_no}）的编号不同，不能更新",
        "{field}: “{value}” differs from the number of the matching customer {name} "
        "({customer_no}); the row cannot update it",
    ),
    "excel.duplicate.record_existing": (
        "与已有记录重复（{what}），已跳过", "Repeats an existing record ({what}), skipped",
    ),
    "excel.duplicate.record_row": (
        "与第 {row} 行重复（{what}），已跳过", "Repeats row {row} ({what}), skipped",
    ),
    "excel.status.new": ("新增", "New"),
    "excel.status.update": ("更新", "Update"),
    "excel.status.duplicate": ("重复", "Duplicate"),
    "excel.status.rejected": ("拒绝", "Rejected"),
    "excel.preview.issued_number": ("（导入时编号）", "(issued on import)"),
    # import history and undo
    "excel.error.not_found": ("找不到该导入记录。", "No such import."),
    "excel.error.undo_forbidden": (
        "只有管理员或经理可以撤销导入。", "Only an administrator or a manager can undo an import.",
    ),
    "excel.error.already_undone": ("该导入已经撤销过。", "This import has already been undone."),
    "excel.error.stale_preview": (
        "文件内容与预览不一致，请重新上传。", "The file differs from the preview; upload it again.",
    ),
    "excel.error.concurrent_change": (
        "导入期间有客户被他人修改，导入未执行，请重新导入。",
        "A customer was changed by someone else during the import; nothing was imported. "
        "Import the file again.",
    ),
    "excel.undo.blocked": (
        "有 {count} 条记录在导入后已被修改或已有后续记录，撤销未执行。",
        "{count} record(s) changed since the import (or have later records); nothing was "
        "undone.",
    ),
    "excel.undo.blocked_row": (
        "{name}（{customer_no}）：{why}", "{name} ({customer_no}): {why}",
    ),
    "excel.undo.why.changed": ("导入后已被修改", "changed since the import"),
    "excel.undo.why.records": ("导入后已有交易、沟通等记录", "has records added since"),
    "excel.undo.why.deleted": ("已被删除", "deleted since"),
    "excel.undo.done": (
        "已撤销：删除 {removed} 条新增记录，恢复 {reverted} 条被更新的记录。",
        "Undone: {removed} inserted record(s) removed, {reverted} updated record(s) restored.",
    ),
    "records.action.customer.import_update": ("导入更新", "Updated by import"),
    "records.action.customer.import_undo": ("撤销导入", "Import undone"),
    # export
    "excel.export.reasons_header": ("错误原因", "Reasons"),
    # command line
    "excel.cli.summary": (
        "新增 {inserted}，更新 {updated}，重复 {duplicates}，拒绝 {rejected}，空行 {blank}",
        "inserted {inserted}, updated {updated}, duplicates {duplicates}, rejected "
        "{rejected}, blank {blank}",
    ),
    "excel.cli.dry_run": ("（试运行，未写入数据库）", "(dry run: nothing written)"),
    "excel.cli.row_error": ("第 {row} 行 {column}：{message}", "row {row} {column}: {message}"),
    "excel.cli.exported": ("已导出 {rows} 位客户到 {path}", "exported {rows} customers to {path}"),
    "excel.cli.template": ("已写入模板 {path}", "template written to {path}"),
    "excel.cli.cannot_read": ("无法读取文件：{detail}", "Cannot read the file: {detail}"),
    "excel.cli.failed": ("导入失败：{detail}", "The import failed: {detail}"),
    # template
    "excel.template.instructions_sheet": ("填写说明", "Instructions"),
    "excel.template.lists_sheet": ("选项", "Lists"),
    "excel.template.title": ("{kind}导入模板：填写说明", "{kind} import template: instructions"),
    "excel.template.col.header": ("列名", "Column"),
    "excel.template.col.required": ("必填", "Required"),
    "excel.template.col.rule": ("填写要求", "Rules"),
    "excel.template.col.example": ("示例", "Example"),
    "excel.template.yes": ("是", "yes"),
    "excel.template.general": (
        "第 1 行是表头，请勿修改或删除；从第 2 行起每行一条数据，空行会被跳过。|"
        "列的顺序可以调整，无法识别的列会被忽略。|"
        "每次最多导入 {max_rows} 行，文件不超过 {max_mb} MB；只接受 .xlsx 工作簿（不含宏）。|"
        "导入是一个整体：要么全部写入，要么（出错时）完全不写入；有问题的行会列出原因，"
        "可下载“被拒绝的行”修改后重新导入。|"
        "同一文件重复导入不会产生重复数据。|"
        "第 2 行为示例，导入前请删除；仍含“示例行：导入前请删除本行”标记的行不会导入。",
        "Row 1 holds the headers: do not change or delete it; from row 2 on, one record per "
        "row; blank rows are skipped.|Columns may be in any order; unknown columns are ignored."
        "|At most {max_rows} rows and {max_mb} MB per import; only .xlsx workbooks without "
        "macros.|An import is all or nothing; rows with problems are listed with the reason "
        "and can be downloaded, fixed and imported again.|Importing the same file twice adds "
        "nothing twice.|Row 2 is an example: delete it before importing; a row that still "
        "holds its marker “示例行：导入前请删除本行” is not imported.",
    ),
}
