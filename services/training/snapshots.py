"""A trainer's named snapshots of the demo database (issue 17), through the backups of
``services.backup``: saving is a backup into ``<snapshot_dir>/<NAME>/``; restoring empties the
live demo database, then restores the snapshot with every check ``restore`` makes.

Only a database ``seed-demo`` stamped may be saved or replaced (read from the database each
time, never from settings). A snapshot is the whole database: customers and records, users,
classes and the audit log as they were. A restore keeps the accounts, classes and course
rows as they are now (``services.training.kept``, written back before the restore's audit
entries), and takes the rest, the audit log too, back to the snapshot; the restore's own
entry (written afterwards) says how many audit entries that dropped.
The snapshot's keys file is removed: the live app's keys read it, and a spare copy of the
data keys lying in the snapshot directory would only be a risk.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core import logs
from core.clock import now
from core.settings import get_settings
from db.models import AuditEntry, TrainingClass
from services.access import audit
from services.access.roles import Actor, Perm, PermissionDenied
from services.access.secrets import Secrets
from services.backup import (
    Manifest,
    backup,
    backups_in,
    check_backup,
    empty_database,
    keys_file_of,
    restore_backup,
)
from services.system import database_facts
from services.training.kept import as_restored, read_kept, rescue, write_back
from services.training.state import class_state

NAME = re.compile(r"^[\w][\w\-]{0,39}$")
"""Letters (Chinese too), digits, ``_`` and ``-``; at most 40; never a path."""


class SnapshotRefused(Exception):
    """Not saved or not restored; ``code`` is an i18n suffix of ``training.snapshot.refused``."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Snapshot:
    name: str
    created_at: str
    customers: int
    directory: Path


@dataclass(frozen=True)
class SnapshotRestored:
    name: str
    customers: int
    seconds: float
    dropped_audit_entries: int
    cleared_rows: int = 0  # course rows left out (a class reset clearing progress)


def snapshot_root() -> Path:
    return get_settings().snapshot_path


def _checked_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise SnapshotRefused("name", name=name)
    return name


def _require_demo(engine: Engine, actor: Actor) -> None:
    """The right and the stamp, both: a snapshot restore replaces every customer."""
    actor.require(Perm.RESET_DEMO)
    with engine.connect() as conn:
        if not database_facts.is_demo_database(conn):
            raise PermissionDenied(Perm.RESET_DEMO, actor.role)


def list_snapshots(root: Path | None = None) -> list[Snapshot]:
    """Every complete snapshot, newest first."""
    root = root or snapshot_root()
    found: list[Snapshot] = []
    if not root.is_dir():
        return found
    for path in root.iterdir():
        if not (path.is_dir() and NAME.match(path.name)):
            continue
        made = backups_in(path)
        if made:
            directory = made[-1][1]
            manifest = Manifest.read(directory)
            found.append(Snapshot(path.name, manifest.created_at,
                                  manifest.tables.get("customers", 0), directory))
    return sorted(found, key=lambda s: (s.created_at, s.name), reverse=True)


def find_snapshot(name: str, root: Path | None = None) -> Snapshot:
    name = _checked_name(name)
    for snap in list_snapshots(root):
        if snap.name == name:
            return snap
    raise SnapshotRefused("unknown", name=name)


def save_snapshot(engine: Engine, name: str, keys: Secrets, actor: Actor, *,
                  root: Path | None = None) -> Snapshot:
    """Save the demo database as snapshot ``name`` (a snapshot of that name is replaced once
    the new one is complete)."""
    name = _checked_name(name)
    _require_demo(engine, actor)
    folder = (root or snapshot_root()) / name
    result = backup(engine, folder, keys, actor, keep=1, reason="snapshot")
    with contextlib.suppress(FileNotFoundError):
        keys_file_of(result.directory).unlink()
    with Session(engine) as session:
        audit.record(session, actor, "training.snapshot_save", detail={
            "snapshot": name, "customers": result.manifest.tables.get("customers", 0),
            "seconds": result.manifest.seconds})
        session.commit()
    return Snapshot(name, result.manifest.created_at,
                    result.manifest.tables.get("customers", 0), result.directory)


def restore_snapshot(engine: Engine, name: str, keys: Secrets | None, actor: Actor, *,
                     root: Path | None = None, clear_progress_of: Iterable[int] = ()
                     ) -> SnapshotRestored:
    """Put snapshot ``name`` back into the live demo database: checked, emptied, restored;
    the accounts, classes and course rows as they are now written back (those of the user ids
    ``clear_progress_of`` left out). A failed restore writes them back too, so nobody is
    locked out."""
    started = time.perf_counter()
    snap = find_snapshot(name, root)
    _require_demo(engine, actor)
    manifest = check_backup(engine, snap.directory, keys)  # before anything is emptied
    with engine.connect() as conn:
        entries_now = int(conn.scalar(select(func.count()).select_from(AuditEntry)) or 0)
        kept = read_kept(conn)
    cleared = 0

    def write_kept() -> Actor:
        nonlocal cleared
        with engine.begin() as conn:
            cleared = write_back(conn, kept, clear_progress_of)
            return as_restored(conn, actor)

    empty_database(engine)
    try:
        restore_backup(engine, snap.directory, keys, actor, before_audit=write_kept)
    except BaseException:
        rescue(engine, kept)
        raise
    seconds = round(time.perf_counter() - started, 3)
    with Session(engine) as session:
        entries_then = int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)
        dropped = max(0, entries_now - (entries_then - 1))  # less backup.restore's own
        audit.record(session, as_restored(session.connection(), actor),
                     "training.snapshot_restore", detail={
                         "snapshot": snap.name, "customers": manifest.tables.get("customers", 0),
                         "seconds": seconds, "dropped_entries": dropped,
                         "kept_users": len(kept.users), "cleared_rows": cleared})
        session.commit()
    return SnapshotRestored(snap.name, manifest.tables.get("customers", 0), seconds, dropped,
                            cleared)


def snapshot_classes(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Which classes start from which snapshot: ``{snapshot: [(class name, state), ...]}``
    (the 首页's list names them; one an open class uses is not deleted)."""
    stamp = now()
    found: dict[str, list[tuple[str, str]]] = {}
    for cls in session.scalars(select(TrainingClass).where(
            TrainingClass.snapshot_name.is_not(None)).order_by(TrainingClass.id)):
        found.setdefault(str(cls.snapshot_name), []).append((cls.name, class_state(cls, stamp)))
    return found


def _forget(session: Session, name: str) -> list[str]:
    """The classes that started from snapshot ``name`` (all ended) no longer name it."""
    users = list(session.scalars(select(TrainingClass).where(
        TrainingClass.snapshot_name == name).order_by(TrainingClass.id)))
    for cls in users:
        cls.snapshot_name = None
    return [cls.name for cls in users]


def delete_snapshot(name: str, actor: Actor, engine: Engine, *, root: Path | None = None
                    ) -> None:
    """Remove a snapshot (its folder), refused while an open class starts from it; ended
    classes that did no longer name it."""
    _require_demo(engine, actor)
    snap = find_snapshot(name, root)
    with Session(engine) as session:
        running = [c for c, state in snapshot_classes(session).get(snap.name, [])
                   if state == "open"]
        if running:
            raise SnapshotRefused("in_use", name=snap.name, classes="、".join(running))
        classes = _forget(session, snap.name)
        shutil.rmtree(snap.directory.parent)
        audit.record(session, actor, "training.snapshot_delete",
                     detail={"snapshot": snap.name, "classes": classes})
        session.commit()


def drop_class_snapshot(session: Session, actor: Actor | None, cls: TrainingClass, *,
                        root: Path | None = None) -> bool:
    """A class ended (closed or expired): its starting snapshot is removed (audited in the
    caller's transaction) unless an open class starts from it too. A folder that cannot be
    removed is logged and left, named still; the class's end stands. True when removed."""
    name = cls.snapshot_name
    if not name:
        return False
    uses = snapshot_classes(session).get(name, [])
    if any(state == "open" for _, state in uses):
        return False
    folder = (root or snapshot_root()) / name
    if NAME.match(name) and folder.is_dir():
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            logs.error("training.snapshot.remove", exc)
            return False
    classes = _forget(session, name)
    audit.record(session, actor, "training.snapshot_delete", detail={
        "snapshot": name, "classes": classes, "reason": "class_ended"})
    return True


__all__ = ["NAME", "Snapshot", "SnapshotRefused", "SnapshotRestored", "delete_snapshot",
           "drop_class_snapshot", "find_snapshot", "list_snapshots", "restore_snapshot",
           "save_snapshot", "snapshot_classes", "snapshot_root"]
