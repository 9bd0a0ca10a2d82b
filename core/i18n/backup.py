"""Backups and restores (``manage.py backup`` / ``restore``, the demo reset's backup)."""

_KEYS_HINT_ZH = ("请把备份的密钥文件 {keys_file}（应与备份分开保存）中的 "
                 "encryption_key 和 hash_key 两行放入 .streamlit/secrets.toml，"
                 "或设置环境变量 CRM_ENCRYPTION_KEY / "
                 "CRM_HASH_KEY，然后重新运行 restore。")
_KEYS_HINT_EN = ("Put the two lines encryption_key and hash_key of the backup's keys file "
                 "{keys_file} (kept apart from the backup) into .streamlit/secrets.toml, or set "
                 "CRM_ENCRYPTION_KEY / CRM_HASH_KEY, then run restore again.")

MESSAGES: dict[str, tuple[str, str]] = {
    "backup.done": (
        "备份完成：{path}（{customers} 个客户，{seconds:.1f} 秒）。密钥单独写在 {keys}："
        "请把它与备份分开保存。",
        "Backup written: {path} ({customers} customers, {seconds:.1f} s). The keys are in a "
        "separate file, {keys}: store it apart from the backup."),
    "backup.removed": ("已删除旧备份 {path}", "Removed old backup {path}"),
    "backup.keep_invalid": ("--keep 至少为 1。", "--keep must be at least 1."),
    "backup.failed.keys_changed": (
        "备份未完成：复制期间密钥 {key} 已更换（rotate-keys 同时在运行）。请重新运行 backup。",
        "Backup not made: the key {key} changed while copying (rotate-keys ran meanwhile). "
        "Run backup again."),
    "backup.failed.tool_missing": (
        "找不到 PostgreSQL {major} 版的 {tool}（服务器版本）。请安装 postgresql-client-{major}，"
        "或用 CRM_PG_BIN_DIR 指向其 bin 目录。找到的其他版本：{found}",
        "No {tool} of PostgreSQL {major} (the server's version) was found. Install "
        "postgresql-client-{major}, or point CRM_PG_BIN_DIR at its bin directory. Other "
        "versions found: {found}"),
    "backup.failed.tool": (
        "{tool} 失败：{detail}", "{tool} failed: {detail}"),
    "backup.restore.done": (
        "已恢复备份 {path}（{created_at} 时的数据，{customers} 个客户，{seconds:.1f} 秒）；"
        "计数、校验和、审计链和密钥指纹均已核对，搜索索引和核查天数已重建。",
        "Restored backup {path} (the data of {created_at}, {customers} customers, "
        "{seconds:.1f} s); counts, checksums, audit chain and key fingerprints checked, search "
        "index and review-day counts rebuilt."),
    "backup.refused.no_directory": (
        "未恢复：{path} 不是一个目录。请给出 backup 写出的备份目录。",
        "Not restored: {path} is not a directory. Give the backup directory that backup wrote."),
    "backup.refused.manifest_missing": (
        "未恢复：缺少清单文件 {path}，这不是一份完整的备份。",
        "Not restored: the manifest {path} is missing; this is not a complete backup."),
    "backup.refused.manifest_unreadable": (
        "未恢复：清单文件 {path} 无法读取（{detail}）。",
        "Not restored: the manifest {path} cannot be read ({detail})."),
    "backup.refused.manifest_format": (
        "未恢复：{path} 不是本程序的备份清单（格式 {found}）。",
        "Not restored: {path} is not a manifest of this app's backups (format {found})."),
    "backup.refused.backend": (
        "未恢复：这是 {backup} 数据库的备份，目标数据库是 {target}。请恢复到同类数据库。",
        "Not restored: this is a backup of a {backup} database and the target is {target}. "
        "Restore it into the same kind of database."),
    "backup.refused.file_missing": (
        "未恢复：备份中缺少文件 {file}。",
        "Not restored: the file {file} of the backup is missing."),
    "backup.refused.checksum": (
        "未恢复：文件 {file} 的校验和与清单不符，备份已损坏或不完整。请使用另一份备份。",
        "Not restored: the checksum of {file} differs from the manifest; the backup is damaged "
        "or incomplete. Use another backup."),
    "backup.refused.revision": (
        "未恢复：备份的数据库结构版本 {revision} 比本程序新或未知。请用制作备份的程序版本恢复。",
        "Not restored: the backup's schema revision {revision} is newer than this code or "
        "unknown. Restore it with the version of the app that made it."),
    "backup.refused.keys_missing": (
        "未恢复：没有配置密钥。" + _KEYS_HINT_ZH,
        "Not restored: no data keys are configured. " + _KEYS_HINT_EN),
    "backup.refused.keys_mismatch": (
        "未恢复：当前的 {variable} 不是加密此备份数据的密钥（备份记录的密钥指纹 {stored}…，"
        "当前密钥指纹 {current}…），恢复后证件号码将无法读取。" + _KEYS_HINT_ZH,
        "Not restored: the current {variable} is not the key this backup's data was written "
        "with (fingerprint in the backup {stored}…, of the current key {current}…); its "
        "证件号码 would be unreadable. " + _KEYS_HINT_EN),
    "backup.refused.not_empty": (
        "未恢复：目标数据库不是空的（{tables}）。恢复只写入空数据库：请新建一个数据库"
        "（SQLite：新的文件；PostgreSQL：createdb），让 CRM_DATABASE_URL 指向它再运行 restore。",
        "Not restored: the target database is not empty ({tables}). A backup is restored into "
        "an empty database only: create a new one (SQLite: a new file; PostgreSQL: createdb), "
        "point CRM_DATABASE_URL at it and run restore again."),
    "backup.refused.counts": (
        "未恢复：表 {table} 的行数与清单不符（清单 {expected}，备份中 {found}），备份不可信。"
        "数据库仍是空的。",
        "Not restored: the row count of table {table} differs from the manifest (manifest "
        "{expected}, backup {found}); the backup cannot be trusted. The database is left "
        "empty."),
    "backup.refused.data_fingerprints": (
        "未恢复：备份数据中记录的密钥指纹与清单不符。数据库仍是空的。",
        "Not restored: the key fingerprints stored in the backup's data differ from the "
        "manifest. The database is left empty."),
    "backup.refused.audit_chain": (
        "未恢复：备份中的审计日志哈希链校验失败（{problem}，链节 {seq}，条目 {entry}）。"
        "数据库仍是空的。",
        "Not restored: the audit log's hash chain in the backup does not verify ({problem}, "
        "link {seq}, entry {entry}). The database is left empty."),
    "backup.refused.audit_head": (
        "未恢复：备份中的审计链到第 {found} 条为止，清单记录的是第 {expected} 条。"
        "数据库仍是空的。",
        "Not restored: the backup's audit chain ends at link {found}, the manifest names "
        "link {expected}. The database is left empty."),
    # audit log labels
    "auditlog.action.backup.create": ("数据备份", "Backup made"),
    "auditlog.action.backup.restore": ("从备份恢复", "Restored from backup"),
    "auditlog.field.backup": ("备份", "Backup"),
    "auditlog.field.seconds": ("耗时（秒）", "Seconds"),
    "auditlog.field.backup_time": ("备份时间", "Backup time"),
    "auditlog.field.revision": ("结构版本", "Schema revision"),
}
