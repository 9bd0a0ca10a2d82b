"""Issue 16, spec data-protection.md "Backups": ``manage.py backup`` while another process
writes, ``restore`` into a fresh database, exports before and after identical; restore refuses
a non-empty database, a manifest whose counts or checksums do not match, and keys whose
fingerprints differ; ``--keep N``.

A plain file copy of the live WAL database once missed the five newest customers. Each test
runs on SQLite and, with CRM_TEST_POSTGRES_URL, on PostgreSQL in databases of its own (a
pg_dump archive restores into a database, not into another test's schema).
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.settings import PROJECT_ROOT
from db.engine import get_engine, make_engine
from db.models import AuditEntry
from services.access.roles import cli_actor
from services.access.secrets import get_secrets
from services.backup import Manifest, backups_in, keys_file_of
from services.backup.facts import non_empty_tables
from services.customers.search_index import check_search_index
from services.records import complaints
from tests.conftest import BACKENDS, PG_URL, prepare

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def manage(url: str, *args: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "CRM_DATABASE_URL": url, "CRM_LANGUAGE": "en", **(env or {})}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=full,
                          capture_output=True, text=True, timeout=300)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(params=BACKENDS)
def new_database(request: pytest.FixtureRequest, tmp_path: Path
                 ) -> Iterator[Callable[..., str]]:
    """``make(migrated=True)``: the URL of a new database (SQLite: a new file; PostgreSQL: a
    database of its own), migrated with the test keys recorded, or not even created."""
    backend = request.param
    made: list[str] = []

    def make(migrated: bool = True) -> str:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'db{len(made)}.db'}"
        else:
            name = "bk_" + uuid.uuid4().hex[:12]
            admin = make_engine(PG_URL).execution_options(  # type: ignore[arg-type]
                isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            admin.dispose()
            url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        made.append(url)
        if migrated:
            engine = make_engine(url)
            prepare(engine)
            engine.dispose()
        return url

    yield make
    get_engine.cache_clear()
    if backend == "postgresql":
        admin = make_engine(PG_URL).execution_options(  # type: ignore[arg-type]
            isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for url in made:
                conn.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} "
                                  "WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def source(new_database: Callable[..., str]) -> str:
    """A demo database with customers and their records."""
    url = new_database()
    ok(manage(url, "seed-demo", "--customers", "120", "--seed", "5", "--quiet"))
    return url


def only_backup(out: Path) -> Path:
    (directory,) = [path for _, path in backups_in(out)]
    return directory


def customer_rows(url: str, tmp_path: Path) -> list[tuple]:
    out = tmp_path / f"export-{uuid.uuid4().hex[:6]}.xlsx"
    ok(manage(url, "export-customers", str(out)))
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def complaint_rows(url: str) -> list[tuple]:
    """The complaint queue's export (every status) as the admin sees it."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            data = complaints.export_queue_xlsx(
                session, cli_actor(True), complaints.ComplaintQuery(statuses=()), "zh",
                now=NOW)
            session.rollback()  # the export's audit entry is not part of the comparison
    finally:
        engine.dispose()
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def empty(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return not non_empty_tables(conn)
    finally:
        engine.dispose()


def wait_for(progress: Path, at_least: int, writer: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = int(progress.read_text() or 0) if progress.exists() else 0
        if done >= at_least:
            return done
        assert writer.poll() is None, writer.communicate()
        time.sleep(0.05)
    raise AssertionError(f"the writer did not reach {at_least} customers")


# --- backup while another process writes; restore; identical exports ----------------------


def test_backup_while_another_process_writes_restores_identically(source, new_database,
                                                                  tmp_path) -> None:
    before = customer_rows(source, tmp_path)
    progress, stop = tmp_path / "written", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.support.backup_writer", source, str(progress), str(stop)],
        cwd=PROJECT_ROOT, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        wait_for(progress, 5, writer)
        out = tmp_path / "backups"
        proc = ok(manage(source, "backup", str(out)))
        backed_up_after = int(progress.read_text())
        wait_for(progress, backed_up_after + 5, writer)
    finally:
        stop.touch()
        _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    directory = only_backup(out)
    manifest = Manifest.read(directory)
    assert str(directory) in proc.stdout and str(keys_file_of(directory)) in proc.stdout

    target = new_database(migrated=False)  # a new file / a new, never initialised database
    restored = ok(manage(target, "restore", str(directory)))
    assert "Restored" in restored.stdout

    # The copy is one consistent moment: some of the writer's customers, none torn.
    after = customer_rows(source, tmp_path)
    copy = customer_rows(target, tmp_path)
    assert len(before) < len(copy) < len(after)
    assert copy == after[:len(copy)]  # the same rows, cell for cell, as the source's export
    assert manifest.tables["customers"] == len(copy) - 1  # minus the header row
    assert complaint_rows(target) == complaint_rows(source)
    # The audit chain verifies, the search index is complete, and the restore is audited.
    ok(manage(target, "verify-audit"))
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            assert check_search_index(conn) == (0, 0)
        with Session(engine) as session:
            entry = session.scalars(select(AuditEntry)
                                    .where(AuditEntry.action == "backup.restore")).one()
            assert entry.detail["backup"] == directory.name
            assert entry.username == "cli"
    finally:
        engine.dispose()
    engine = make_engine(source)
    try:
        with Session(engine) as session:
            made = session.scalars(select(AuditEntry)
                                   .where(AuditEntry.action == "backup.create")).one()
            assert made.detail["customers"] == manifest.tables["customers"]
    finally:
        engine.dispose()


def test_manifest_and_separate_keys_file(source, tmp_path) -> None:
    out = tmp_path / "backups"
    ok(manage(source, "backup", str(out)))
    directory = only_backup(out)
    manifest = Manifest.read(directory)
    assert manifest.schema_revision and manifest.created_at.endswith("Z")
    assert manifest.tables["customers"] == 120 and manifest.tables["alembic_version"] == 1
    assert set(manifest.files) == {"database.sqlite3" if source.startswith("sqlite")
                                   else "database.pgdump"}
    assert manifest.audit_head["seq"] >= 1
    keys_file = keys_file_of(directory)
    assert keys_file.parent == out and keys_file.exists()  # beside the backup, not in it
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    secrets = get_secrets()
    body = keys_file.read_text()
    assert secrets.encryption_key in body and secrets.hash_key in body
    for path in directory.iterdir():  # no key in the backup directory itself
        data = path.read_bytes()
        assert secrets.encryption_key.encode() not in data
        assert secrets.hash_key.encode() not in data
    assert "--keep" in ok(manage(source, "backup", "--help")).stdout
    assert "empty" in ok(manage(source, "restore", "--help")).stdout


# --- refusals ---------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(source, new_database, tmp_path) -> None:
    out = tmp_path / "backups"
    ok(manage(source, "backup", str(out)))
    directory = only_backup(out)
    proc = manage(source, "restore", str(directory))  # into the database it came from
    assert proc.returncode == 1 and "not empty" in proc.stderr and "customers 120" in proc.stderr
    target = new_database()
    engine = make_engine(target)
    with engine.begin() as conn:  # one user is data: an admin set this database up already
        conn.execute(text("INSERT INTO users (username, display_name, role, password_hash, "
                          "active, created_at, updated_at) VALUES ('a', 'a', 'admin', 'x', "
                          "true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    engine.dispose()
    proc = manage(target, "restore", str(directory))
    assert proc.returncode == 1 and "users 1" in proc.stderr, proc.stderr
    assert len(customer_rows(target, tmp_path)) == 1  # the header: nothing was restored


def test_restore_refuses_counts_and_checksums_that_do_not_match(source, new_database,
                                                                tmp_path) -> None:
    out = tmp_path / "backups"
    ok(manage(source, "backup", str(out)))
    directory = only_backup(out)
    path = directory / "manifest.json"
    original = path.read_text()
    data = json.loads(original)
    data["tables"]["customers"] += 1
    path.write_text(json.dumps(data))
    target = new_database()
    proc = manage(target, "restore", str(directory))
    assert proc.returncode == 1, proc.stdout
    assert "row count of table customers" in proc.stderr and "manifest 121" in proc.stderr
    assert empty(target)
    # A damaged data file: refused before anything is written.
    path.write_text(original)
    (name,) = data["files"]
    with open(directory / name, "r+b") as fh:
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 0xFF]))
    proc = manage(target, "restore", str(directory))
    assert proc.returncode == 1 and f"checksum of {name}" in proc.stderr
    assert empty(target)
    (directory / "manifest.json").unlink()
    proc = manage(target, "restore", str(directory))
    assert proc.returncode == 1 and "manifest" in proc.stderr


@pytest.mark.parametrize("variable", ["CRM_ENCRYPTION_KEY", "CRM_HASH_KEY"])
def test_restore_refuses_keys_whose_fingerprints_differ(source, new_database, tmp_path,
                                                        variable) -> None:
    out = tmp_path / "backups"
    ok(manage(source, "backup", str(out)))
    directory = only_backup(out)
    target = new_database(migrated=False)
    other = Fernet.generate_key().decode() if variable == "CRM_ENCRYPTION_KEY" \
        else "other-hash-" + uuid.uuid4().hex
    proc = manage(target, "restore", str(directory), env={variable: other})
    assert proc.returncode == 1, proc.stdout
    assert variable in proc.stderr and "fingerprint" in proc.stderr
    assert str(keys_file_of(directory)) in proc.stderr  # says where the right keys are
    assert not make_url(target).database or empty_or_absent(target)
    # The way the message points to: the backup's keys file as the secrets file.
    env = {k: v for k, v in os.environ.items()
           if k not in ("CRM_ENCRYPTION_KEY", "CRM_HASH_KEY")}
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(keys_file_of(directory).read_text())
    full = {**env, "CRM_DATABASE_URL": target, "CRM_SECRETS_FILE": str(secrets)}
    proc = subprocess.run([sys.executable, "manage.py", "restore", str(directory)],
                          cwd=PROJECT_ROOT, env=full, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def empty_or_absent(url: str) -> bool:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        if not path.exists():
            return True
    return empty(url)


# --- --keep N -------------------------------------------------------------------------------


def test_keep_removes_the_oldest_beyond_n(source, tmp_path) -> None:
    out = tmp_path / "backups"
    (out / "notes").mkdir(parents=True)  # not a backup: never removed
    (out / "crm-20200101-000000").mkdir()  # looks like one, has no manifest: kept too
    made = []
    for _ in range(3):
        proc = ok(manage(source, "backup", str(out), "--keep", "2"))
        made.append(only_newest(out))
        assert proc.stdout
    kept = [path for _, path in backups_in(out)]
    assert kept == made[1:]
    assert not made[0].exists() and not keys_file_of(made[0]).exists()
    assert all(keys_file_of(path).exists() for path in kept)
    assert (out / "notes").is_dir() and (out / "crm-20200101-000000").is_dir()
    assert manage(source, "backup", str(out), "--keep", "0").returncode == 2


def only_newest(out: Path) -> Path:
    return backups_in(out)[-1][1]
