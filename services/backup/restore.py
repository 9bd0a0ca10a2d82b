"""``manage.py restore IN_DIR``: a backup back into an EMPTY database, checked before use.

Refused, with a message that says what to do, when: the manifest is missing or not ours; a
file's SHA-256 differs from the manifest (damaged or partial copy); the backup is of the other
kind of database or of a newer schema than this code knows; the configured data keys are not
the backup's (their fingerprints differ: every 证件号码 would be unreadable); the target holds
any data; or, once restored, a table's row count differs from the manifest, the fingerprints
stored in the data differ, or the audit log's hash chain does not verify up to the manifest's
head. SQLite checks all of that on a private copy before the target is touched; PostgreSQL
checks the restored target and empties it again on a refusal. Afterwards the schema is
upgraded to this code's head and what is derived is rebuilt (search index, review-day counts).
"""

from __future__ import annotations

import hmac
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from core.i18n import t
from db.migrate import alembic_config, upgrade
from services.access import audit, audit_chain
from services.access.keys import ENV_NAMES, SHOWN, fingerprint
from services.access.roles import Actor
from services.access.secrets import DATA_KEYS, Secrets
from services.backup import pg_tools, sqlite_copy
from services.backup.facts import non_empty_tables, read_facts
from services.backup.manifest import (
    PG_FILE,
    SQLITE_FILE,
    Manifest,
    ManifestError,
    keys_file_of,
    sha256_of,
)
from services.customers import review_days, search_index

DATA_FILES = {"sqlite": SQLITE_FILE, "postgresql": PG_FILE}


class RestoreRefused(Exception):
    """The backup is not restored; ``message`` says why and what to do."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str) -> str:
        return t(f"backup.refused.{self.code}", lang, **self.params)


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    seconds: float
    search_grams: int
    review_days: int


# ---- checks before anything is written --------------------------------------------------------

def _read_manifest(in_dir: Path) -> Manifest:
    if not in_dir.is_dir():
        raise RestoreRefused("no_directory", path=str(in_dir))
    try:
        return Manifest.read(in_dir)
    except ManifestError as exc:
        raise RestoreRefused(f"manifest_{exc.code}", **exc.params) from None


def _check_files(in_dir: Path, manifest: Manifest, backend: str) -> Path:
    if manifest.backend != backend:
        raise RestoreRefused("backend", backup=manifest.backend, target=backend)
    data = DATA_FILES[backend]
    if data not in manifest.files:
        raise RestoreRefused("manifest_unreadable", path=str(in_dir / "manifest.json"),
                             detail=f"no {data}")
    for name, expected in sorted(manifest.files.items()):
        path = in_dir / name
        if not path.is_file():
            raise RestoreRefused("file_missing", file=name)
        if not hmac.compare_digest(sha256_of(path), expected):
            raise RestoreRefused("checksum", file=name)
    return in_dir / data


def _check_revision(manifest: Manifest) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    stored = [r for r in manifest.schema_revision.split(",") if r]
    if not stored or any(r not in known for r in stored):
        raise RestoreRefused("revision", revision=manifest.schema_revision or "-")


def check_keys(manifest: Manifest, keys: Secrets | None, in_dir: Path) -> None:
    """The configured keys must be the ones the backup's data was written with."""
    hint = str(keys_file_of(in_dir))
    if keys is None:
        raise RestoreRefused("keys_missing", keys_file=hint)
    for name in DATA_KEYS:
        stored = manifest.key_fingerprints.get(name, "")
        current = fingerprint(name, getattr(keys, name))
        if not hmac.compare_digest(stored, current):
            raise RestoreRefused("keys_mismatch", variable=ENV_NAMES[name],
                                 stored=stored[:SHOWN] or "-", current=current[:SHOWN],
                                 keys_file=hint)


def _check_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        full = non_empty_tables(conn)
    if full:
        first = sorted(full, key=lambda name: (name not in ("customers", "users"), name))
        listed = ", ".join(f"{name} {full[name]}" for name in first[:6])
        raise RestoreRefused("not_empty", tables=listed)


# ---- checks of the restored data ------------------------------------------------------------

def verify_restored(conn: Connection, manifest: Manifest, keys: Secrets) -> None:
    facts = read_facts(conn)
    for name in sorted(set(manifest.tables) | set(facts.tables)):
        expected, found = manifest.tables.get(name), facts.tables.get(name)
        if expected != found:
            raise RestoreRefused("counts", table=name, expected="-" if expected is None
                                 else expected, found="-" if found is None else found)
    if facts.key_fingerprints != manifest.key_fingerprints:
        raise RestoreRefused("data_fingerprints")
    verdict = audit_chain.verify(conn, audit_chain.derive_key(keys.hash_key))
    if not verdict.ok:
        raise RestoreRefused("audit_chain", problem=verdict.problem, seq=verdict.seq,
                             entry=verdict.entry_id)
    if facts.audit_head != manifest.audit_head:
        raise RestoreRefused("audit_head", expected=manifest.audit_head.get("seq"),
                             found=facts.audit_head.get("seq"))


# ---- installing -----------------------------------------------------------------------------

def _restore_sqlite(engine: Engine, data: Path, manifest: Manifest, keys: Secrets) -> None:
    target = sqlite_copy.database_path(str(engine.url))
    target.parent.mkdir(parents=True, exist_ok=True)
    private = target.with_name(f".{target.name}.restore-{uuid.uuid4().hex[:8]}")
    try:
        shutil.copyfile(data, private)  # the backup file is closed, not a live database
        with sqlite_copy.plain_engine(private) as plain, plain.connect() as conn:
            verify_restored(conn, manifest, keys)
        engine.dispose()
        sqlite_copy.install(private, target)
    finally:
        sqlite_copy.remove_with_sidecars(private)
    engine.dispose()


_DROPS = (
    "SELECT format('DROP VIEW IF EXISTS %I.%I CASCADE', schemaname, viewname) "
    "FROM pg_views WHERE schemaname = current_schema()",
    "SELECT format('DROP TABLE IF EXISTS %I.%I CASCADE', schemaname, tablename) "
    "FROM pg_tables WHERE schemaname = current_schema()",
    "SELECT format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', sequence_schema, sequence_name) "
    "FROM information_schema.sequences WHERE sequence_schema = current_schema()",
    "SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p "
    "WHERE p.pronamespace = current_schema()::regnamespace",
)


def _empty_pg(engine: Engine) -> None:
    """Drop every object of the target's schema (checked empty of data before): an initialised
    database's empty tables would collide with the archive's. A schema other than ``public``
    is dropped whole, as ``pg_restore`` re-creates it."""
    with engine.begin() as conn:
        schema = str(conn.scalar(text("SELECT current_schema()")))
        for query in _DROPS:
            for (statement,) in conn.execute(text(query)).all():
                conn.execute(text(statement))
        if schema != "public":
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _restore_pg(engine: Engine, data: Path, manifest: Manifest, keys: Secrets) -> None:
    with engine.connect() as conn:
        major = pg_tools.server_major(conn)
    pg_tools.find_tool("pg_restore", major)  # before the target is emptied
    _empty_pg(engine)
    try:
        pg_tools.restore(engine.url, major, data)
        with engine.connect() as conn:
            verify_restored(conn, manifest, keys)
    except BaseException:
        _empty_pg(engine)  # refused: the database is left as empty as it was
        raise


def _rebuild_derived(engine: Engine) -> tuple[int, int]:
    grams = search_index.rebuild_search_index(engine)
    with engine.begin() as conn:
        days = review_days.rebuild(conn)
    return grams, days


def check_backup(engine: Engine, in_dir: Path, keys: Secrets | None) -> Manifest:
    """Every check ``restore_backup`` makes before writing (manifest, checksums, kind of
    database, schema revision, keys), for a caller that must empty the target first (the
    trainer's snapshots): a refused backup then leaves the target as it was."""
    manifest = _read_manifest(in_dir)
    _check_files(in_dir, manifest, engine.dialect.name)
    _check_revision(manifest)
    check_keys(manifest, keys, in_dir)
    return manifest


def empty_database(engine: Engine) -> None:
    """Remove every table and row of the database of ``engine`` (the trainer's snapshots empty
    the demo database before restoring one). SQLite: an empty database written over the file
    through the backup API (the audit log's append-only triggers refuse row deletes);
    PostgreSQL: every object of the schema dropped."""
    if engine.dialect.name != "sqlite":
        _empty_pg(engine)
        return
    target = sqlite_copy.database_path(str(engine.url))
    blank = target.with_name(f".{target.name}.blank-{uuid.uuid4().hex[:8]}")
    try:
        sqlite3.connect(blank).close()
        engine.dispose()
        sqlite_copy.install(blank, target)
    finally:
        sqlite_copy.remove_with_sidecars(blank)
    engine.dispose()


def restore_backup(engine: Engine, in_dir: Path, keys: Secrets | None, actor: Actor, *,
                   before_audit: Callable[[], Actor] | None = None) -> RestoreResult:
    """Restore the backup in ``in_dir`` into the (empty) database of ``engine`` under the
    configured data ``keys`` (None: none configured), audited as ``actor``. ``before_audit``
    runs on the restored database before the audit entry and gives the actor to name there
    (the trainer's snapshots write the current accounts back first: the restoring user may
    be newer than the backup)."""
    started = time.perf_counter()
    backend = engine.dialect.name
    manifest = _read_manifest(in_dir)
    data = _check_files(in_dir, manifest, backend)
    _check_revision(manifest)
    check_keys(manifest, keys, in_dir)
    assert keys is not None
    _check_empty(engine)
    if backend == "sqlite":
        _restore_sqlite(engine, data, manifest, keys)
    else:
        _restore_pg(engine, data, manifest, keys)
    upgrade(engine)
    grams, days = _rebuild_derived(engine)
    if before_audit is not None:
        actor = before_audit()
    seconds = round(time.perf_counter() - started, 3)
    with Session(engine) as session:
        audit.record(session, actor, "backup.restore", detail={
            "backup": in_dir.name, "backup_time": manifest.created_at,
            "revision": manifest.schema_revision,
            "customers": manifest.tables.get("customers", 0), "seconds": seconds})
        session.commit()
    return RestoreResult(manifest, seconds, grams, days)


__all__ = ["RestoreRefused", "RestoreResult", "check_backup", "check_keys", "empty_database",
           "restore_backup", "verify_restored"]
