"""Messages of the data-key checks and of ``manage.py rotate-keys`` (services.access.keys)."""

MESSAGES = {
    "keys.refused.mismatch_encryption_key": (
        "无法启动：加密密钥与此数据库不符。数据库中的证件号码是用另一把 {variable} 加密的"
        "（数据库记录的密钥指纹 {stored}…，当前密钥指纹 {current}…），用当前密钥既读不出证件号码，"
        "导出也会失败。请恢复原来的 .streamlit/secrets.toml（或备份旁单独保存的密钥文件 "
        "crm-….keys.toml）或设置正确的 "
        "{variable}；如需更换密钥，请用原密钥运行 manage.py rotate-keys。",
        "Cannot start: the encryption key does not match this database. Its 证件号码 were "
        "encrypted with another {variable} (fingerprint recorded in the database {stored}…, of "
        "the current key {current}…): with the current key no 证件号码 can be read and exports "
        "fail. Restore the original .streamlit/secrets.toml (or the keys file kept apart "
        "from a backup, crm-….keys.toml) or set the right {variable}; to change keys, run "
        "manage.py rotate-keys with "
        "the original key in place.",
    ),
    "keys.refused.mismatch_hash_key": (
        "无法启动：哈希密钥与此数据库不符。数据库中的证件号码哈希是用另一把 {variable} 计算的"
        "（数据库记录的密钥指纹 {stored}…，当前密钥指纹 {current}…），用当前密钥将再也查不出重复的"
        "证件号码。请恢复原来的 .streamlit/secrets.toml（或备份旁单独保存的密钥文件 "
        "crm-….keys.toml）或设置正确的 "
        "{variable}；如需更换密钥，请用原密钥运行 manage.py rotate-keys。",
        "Cannot start: the hash key does not match this database. Its 证件号码 hashes were made "
        "with another {variable} (fingerprint recorded in the database {stored}…, of the current "
        "key {current}…): with the current key duplicate 证件号码 would silently stop being "
        "found. Restore the original .streamlit/secrets.toml (or the keys file kept apart "
        "from a backup, crm-….keys.toml) or set the right {variable}; to change keys, run "
        "manage.py rotate-keys with "
        "the original key in place.",
    ),
    "keys.refused.unverified_encryption_key": (
        "无法启动：当前的 {variable} 解不开数据库中已存的证件号码，它不是加密这些数据的密钥。"
        "请恢复原来的 .streamlit/secrets.toml 或设置正确的 {variable}。",
        "Cannot start: the current {variable} cannot decrypt the 证件号码 stored in this "
        "database, so it is not the key they were encrypted with. Restore the original "
        ".streamlit/secrets.toml or set the right {variable}.",
    ),
    "keys.refused.unverified_hash_key": (
        "无法启动：当前的 {variable} 算出的证件号码哈希与数据库中已存的不同，"
        "重复的证件号码将查不出来。"
        "请恢复原来的 .streamlit/secrets.toml 或设置正确的 {variable}。",
        "Cannot start: the current {variable} gives other 证件号码 hashes than those stored in "
        "this database, so duplicates would not be found. Restore the original "
        ".streamlit/secrets.toml or set the right {variable}.",
    ),
    "keys.refused.missing": (
        "无法启动：找不到密钥 {variables}（环境变量或 {path}），而此数据库已有数据。"
        "不会为它生成新密钥：新密钥读不出已加密的证件号码，也查不出重复。"
        "请把原来的 secrets.toml（或备份旁单独保存的密钥文件 crm-….keys.toml）放回 {path}，"
        "或设置环境变量 {variables}。",
        "Cannot start: the keys {variables} are missing (environment or {path}) while this "
        "database already holds data. No new keys are generated for it: they could not read "
        "the encrypted 证件号码 nor find duplicates. Put the original secrets.toml (or the keys "
        "file kept apart from a backup, crm-….keys.toml) back at {path}, or set the "
        "environment variables {variables}.",
    ),
    "keys.rotate.no_new_keys": (
        "请在环境变量 CRM_NEW_ENCRYPTION_KEY（Fernet 密钥）和/或 "
        "CRM_NEW_HASH_KEY（至少 32 个字符）中"
        "给出新密钥；未给出的那把保持不变。",
        "Give the new key(s) in the environment: CRM_NEW_ENCRYPTION_KEY (a Fernet key) and/or "
        "CRM_NEW_HASH_KEY (at least 32 characters); a key not given stays as it is.",
    ),
    "keys.rotate.bad_encryption_key": (
        "CRM_NEW_ENCRYPTION_KEY 不是有效的 Fernet 密钥（32 字节的 URL-safe base64）。",
        "CRM_NEW_ENCRYPTION_KEY is not a valid Fernet key (32 bytes, URL-safe base64).",
    ),
    "keys.rotate.short_hash_key": (
        "CRM_NEW_HASH_KEY 太短：至少 32 个字符。",
        "CRM_NEW_HASH_KEY is too short: at least 32 characters.",
    ),
    "keys.rotate.failed": (
        "密钥更换失败，数据库未作任何改动：{detail}",
        "Key rotation failed; nothing in the database was changed: {detail}",
    ),
    "keys.rotate.done": (
        "已用新密钥重新加密并重新计算哈希（{counts}），数据库已记录新密钥的指纹。",
        "Re-encrypted and re-hashed under the new keys ({counts}); the database records the "
        "new keys' fingerprints.",
    ),
    "keys.rotate.file_written": (
        "新密钥已写入 {path}。请立即备份这个文件；在此之前做的数据库备份仍需要旧密钥。",
        "The new keys were written to {path}. Back this file up now; database backups made "
        "before now still need the old keys.",
    ),
    "keys.rotate.set_env": (
        "旧密钥来自环境变量：请把 {variables} 改为新值（即 CRM_NEW_* 中给出的值）"
        "后再启动应用和命令。",
        "The old keys came from the environment: set {variables} to the new values (those "
        "given in CRM_NEW_*) before starting the app or any command.",
    ),
}
