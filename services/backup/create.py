"""``manage.py backup OUT_DIR``: a consistent copy of the running database with its manifest,
and the data keys in a separate file beside it; ``--keep N`` removes the oldest beyond N.

Layout (``OUT_DIR/crm-20261205-162500``)::

    OUT_DIR/crm-20261205-162500/manifest.json
    OUT_DIR/crm-20261205-162500/database.sqlite3     (or database.pgdump)
    OUT_DIR/crm-20261205-162500.keys.toml            (mode 0600: store it apart)

The directory is written under a hidden name and renamed when complete, so a backup that
failed half way is never taken for one (nor counted by ``--keep``).
"""

from __future__ import annotations

import contextlib
import hmac
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from services.access import audit
from services.access.keys import fingerprint
from services.access.roles import Actor
from services.access.secrets import DATA_KEYS, Secrets
from services.backup import pg_tools, sqlite_copy
from services.backup.facts import Facts, read_facts
from services.backup.manifest import (
    PG_FILE,
    SQLITE_FILE,
    Manifest,
    ManifestError,
    keys_file_of,
    sha256_of,
    write_atomic,
)

NAME = re.compile(r"^crm-\d{8}-\d{6}(-\d+)?$")


class BackupFailed(RuntimeError):
    """The backup could not be made (``code`` is an i18n suffix of ``backup.failed.*``)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    keys_file: Path
    manifest: Manifest
    removed: tuple[Path, ...]


def _new_directory(out_dir: Path, now: datetime) -> Path:
    base = f"crm-{now:%Y%m%d-%H%M%S}"
    name, n = base, 1
    while (out_dir / name).exists() or keys_file_of(out_dir / name).exists():
        n += 1
        name = f"{base}-{n}"
    return out_dir / name


def _keys_text(keys: Secrets, name: str) -> str:
    return ("# 客户档案 data keys of backup " + name + ". Store this file APART from the backup\n"
            "# (another medium, a password manager): the backup without it cannot be read,\n"
            "# and whoever holds both can read every 证件号码. To restore, put these two lines\n"
            "# into .streamlit/secrets.toml (or CRM_ENCRYPTION_KEY / CRM_HASH_KEY).\n"
            + "".join(f'{k} = "{getattr(keys, k)}"\n' for k in DATA_KEYS))


def _check_fingerprints(facts: Facts, keys: Secrets) -> None:
    """The keys written beside the copy must be the ones its data was written with (a
    rotation between the key check and the snapshot would otherwise go unseen)."""
    for name in DATA_KEYS:
        stored = facts.key_fingerprints.get(name)
        if stored is None or not hmac.compare_digest(stored, fingerprint(name,
                                                                         getattr(keys, name))):
            raise BackupFailed("keys_changed", key=name)


def _sqlite_copy(engine: Engine, work: Path) -> tuple[Facts, str]:
    copy = work / SQLITE_FILE
    sqlite_copy.online_copy(sqlite_copy.database_path(str(engine.url)), copy)
    with sqlite_copy.plain_engine(copy) as plain, plain.connect() as conn:
        facts = read_facts(conn)
        version = str(conn.exec_driver_sql("SELECT sqlite_version()").scalar())
    return facts, version


def _pg_dump(engine: Engine, work: Path) -> tuple[Facts, str]:
    """Counts, facts and dump from ONE snapshot: it is exported from a repeatable-read
    transaction that stays open while ``pg_dump --snapshot`` reads it."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.execute(text("SET TRANSACTION READ ONLY"))
        snapshot = str(conn.scalar(text("SELECT pg_export_snapshot()")))
        schema = str(conn.scalar(text("SELECT current_schema()")))
        major, version = pg_tools.server_major(conn), pg_tools.server_version(conn)
        facts = read_facts(conn)
        pg_tools.dump(engine.url, major, snapshot, schema, work / PG_FILE)
        conn.rollback()
    return facts, version


def create_backup(engine: Engine, out_dir: Path, keys: Secrets, *, keep: int | None = None,
                  clock: Callable[[], datetime] | None = None) -> BackupResult:
    """Back up the database of ``engine`` into a new directory under ``out_dir``; ``keys`` are
    the data keys in use (written to the keys file after checking them against the copy)."""
    started = time.perf_counter()
    now = (clock or (lambda: datetime.now(UTC)))()
    out_dir.mkdir(parents=True, exist_ok=True)
    final = _new_directory(out_dir, now)
    work = out_dir / f".{final.name}.partial"
    work.mkdir()
    keys_file = keys_file_of(final)
    try:
        backend = engine.dialect.name
        if backend == "sqlite":
            facts, version = _sqlite_copy(engine, work)
        elif backend == "postgresql":
            facts, version = _pg_dump(engine, work)
        else:  # pragma: no cover - the app supports these two
            raise BackupFailed("backend", backend=backend)
        _check_fingerprints(facts, keys)
        files = {p.name: sha256_of(p) for p in sorted(work.iterdir())}
        manifest = Manifest(
            created_at=now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            backend=backend, server_version=version, schema_revision=facts.schema_revision,
            tables=facts.tables, files=files, key_fingerprints=facts.key_fingerprints,
            audit_head=facts.audit_head, seconds=round(time.perf_counter() - started, 3))
        manifest.write(work)
        write_atomic(keys_file, _keys_text(keys, final.name).encode("utf-8"), mode=0o600)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if not final.exists():
            with contextlib.suppress(FileNotFoundError):
                keys_file.unlink()
        raise
    removed = prune(out_dir, keep) if keep is not None else ()
    return BackupResult(final, keys_file, manifest, removed)


def backup(engine: Engine, out_dir: Path, keys: Secrets, actor: Actor, *,
           keep: int | None = None, reason: str = "command") -> BackupResult:
    """``create_backup``, then an audit entry in the live database (after the copy, so the
    backup does not hold its own entry): what, how long, how many old backups went."""
    result = create_backup(engine, out_dir, keys, keep=keep)
    with Session(engine) as session:
        audit.record(session, actor, "backup.create", detail={
            "backup": result.directory.name, "reason": reason,
            "customers": result.manifest.tables.get("customers", 0),
            "seconds": result.manifest.seconds, "removed": len(result.removed)})
        session.commit()
    return result


def backups_in(out_dir: Path) -> list[tuple[str, Path]]:
    """The complete backups in ``out_dir`` (a manifest of ours), oldest first."""
    found: list[tuple[str, Path]] = []
    if not out_dir.is_dir():
        return found
    for path in out_dir.iterdir():
        if not (path.is_dir() and NAME.match(path.name)):
            continue
        try:
            found.append((Manifest.read(path).created_at, path))
        except ManifestError:
            continue  # not one of ours, or damaged: never removed automatically
    return sorted(found, key=lambda item: (item[0], _suffix(item[1].name)))


def _suffix(name: str) -> int:
    """crm-20261205-162500-3 -> 3 (two backups within one second)."""
    parts = name.split("-")
    return int(parts[3]) if len(parts) > 3 else 1


def prune(out_dir: Path, keep: int) -> tuple[Path, ...]:
    """Remove the oldest backups (directory and keys file) beyond the newest ``keep``."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    backups = backups_in(out_dir)
    gone = [path for _, path in backups[:max(0, len(backups) - keep)]]
    for path in gone:
        shutil.rmtree(path)
        with contextlib.suppress(FileNotFoundError):
            keys_file_of(path).unlink()
    return tuple(gone)


__all__ = ["BackupFailed", "BackupResult", "backup", "backups_in", "create_backup", "prune"]
