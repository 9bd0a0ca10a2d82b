"""Backups (spec data-protection.md "Backups"): ``backup`` makes a consistent copy of the
running database with a manifest and a separate keys file, ``restore_backup`` puts one back
into an empty database after checking it. The modules behind this face: ``create``
(backup, ``--keep``), ``restore``, ``manifest``, ``facts`` (counts read in one snapshot),
``sqlite_copy`` (the online backup API), ``pg_tools`` (pg_dump / pg_restore), ``demo_reset``
(the backup a demo reset takes first)."""

from services.backup.create import BackupFailed, BackupResult, backup, backups_in, prune
from services.backup.demo_reset import backup_before_reset
from services.backup.manifest import Manifest, keys_file_of
from services.backup.pg_tools import ToolFailed, ToolMissing
from services.backup.restore import (
    RestoreRefused,
    RestoreResult,
    check_backup,
    empty_database,
    restore_backup,
)

__all__ = ["BackupFailed", "BackupResult", "Manifest", "RestoreRefused", "RestoreResult",
           "ToolFailed", "ToolMissing", "backup", "backup_before_reset", "backups_in",
           "check_backup", "empty_database", "keys_file_of", "prune", "restore_backup"]
