"""A demo reset takes a backup first (spec data-protection.md "Backups").

A reset deletes every customer of the demo database; a trainer who clicked it by mistake, or
an administrator who finds the stamp on the wrong database, gets the data back with
``manage.py restore``. The backups go to ``backup.demo_reset_dir`` (default
``data/backups/demo-reset``), the newest ``backup.demo_reset_keep`` kept.
"""

from __future__ import annotations

from sqlalchemy import Engine, exists, select

from core.settings import Settings, get_settings
from db.models import Customer
from services.access.roles import Actor
from services.access.secrets import get_secrets
from services.backup.create import BackupResult, backup


def backup_before_reset(engine: Engine, actor: Actor, settings: Settings | None = None
                        ) -> BackupResult | None:
    """Back the database up before a reset; None when it holds no customer (nothing to
    lose). A failure raises, and the caller does not reset."""
    settings = settings or get_settings()
    with engine.connect() as conn:
        if not conn.scalar(select(exists().where(Customer.id.is_not(None)))):
            return None
    return backup(engine, settings.demo_reset_backup_path, get_secrets(), actor,
                  keep=settings.demo_reset_backup_keep, reason="demo_reset")


__all__ = ["backup_before_reset"]
