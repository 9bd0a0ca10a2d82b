"""Messages of the audit chain (``manage.py verify-audit``) and of audited downloads."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "auditchain.verify.ok": (
        "审计日志完整：已核对 {checked} 条记录的链接。链头：第 {seq} 个链接，哈希 {hash}",
        "audit log intact: {checked} entries' links checked. Head: link {seq}, hash {hash}"),
    "auditchain.verify.head_missing": (
        "审计链头（audit_chain_head）已被删除",
        "the audit chain head (audit_chain_head) has been deleted"),
    "auditchain.verify.link_missing": (
        "第 {seq} 个链接缺失（在审计记录 {previous} 之后）：其后的记录被删除",
        "link {seq} is missing (after audit entry {previous}): entries were deleted"),
    "auditchain.verify.entry_missing": (
        "审计记录 {entry} 已被删除（第 {seq} 个链接仍在）",
        "audit entry {entry} has been deleted (its link {seq} remains)"),
    "auditchain.verify.entry_changed": (
        "审计记录 {entry} 被改动（第 {seq} 个链接的哈希不符），或密钥不对",
        "audit entry {entry} has been changed (the hash of link {seq} does not match), "
        "or the key is not the one it was written with"),
    "auditchain.verify.tail_missing": (
        "审计记录 {previous} 之后的记录缺失：链头为第 {head} 个链接，但链只到第 {last} 个",
        "entries after audit entry {previous} are missing: the head is link {head}, "
        "but the chain ends at link {last}"),
    "auditchain.verify.unlinked": (
        "审计记录 {entry} 不在链中：它是绕过应用写入的",
        "audit entry {entry} is not in the chain: it was written around the application"),
    "auditchain.verify.failed": (
        "审计日志已被篡改（已核对 {checked} 条）。请从备份恢复并调查数据库访问。",
        "the audit log has been tampered with ({checked} entries checked). Restore from a "
        "backup and investigate database access."),
    "auditchain.none": ("（无）", "(none)"),
}
