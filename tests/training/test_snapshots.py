"""Issue 17 "Snapshots": a trainer saves the demo database as a named snapshot and restores it
through services.backup; the live demo database is emptied first (a non-demo database is
refused, a damaged snapshot leaves it as it was). SQLite and PostgreSQL (databases of their
own, as tests/backup/test_backup_restore.py makes them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import AuditEntry, Customer
from services.access import audit_chain
from services.access.roles import PermissionDenied, cli_actor
from services.access.secrets import get_secrets
from services.backup import RestoreRefused, keys_file_of
from services.backup.manifest import PG_FILE, SQLITE_FILE
from services.system import database_facts
from services.training import (
    SnapshotRefused,
    list_snapshots,
    restore_snapshot,
    save_snapshot,
)
from tests.backup.test_backup_restore import manage, new_database, ok, source  # noqa: F401

DEMO = cli_actor(True)


def first_customer(engine) -> tuple[int, str]:
    with engine.connect() as conn:
        row = conn.execute(select(Customer.id, Customer.name).order_by(Customer.id)).first()
    return int(row[0]), str(row[1])


def count(engine, model) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_save_change_restore(source: str, tmp_path: Path) -> None:  # noqa: F811
    engine = make_engine(source)
    root = tmp_path / "snaps"
    customers = count(engine, Customer)
    snap = save_snapshot(engine, "第一课", get_secrets(), DEMO, root=root)
    assert snap.customers == customers
    assert not keys_file_of(snap.directory).exists()  # no spare copy of the data keys
    assert [s.name for s in list_snapshots(root)] == ["第一课"]
    cid, name = first_customer(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE customers SET name = :n WHERE id = :i"),
                     {"n": "改过的名字", "i": cid})
        conn.execute(text("DELETE FROM customer_tags"))
    entries_before = count(engine, AuditEntry)

    done = restore_snapshot(engine, "第一课", get_secrets(), DEMO, root=root)

    assert done.customers == customers and done.seconds < 60
    assert first_customer(engine) == (cid, name)
    assert count(engine, Customer) == customers
    with Session(engine) as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "training.snapshot_restore"
        assert last.detail["snapshot"] == "第一课"
        assert last.detail["dropped_entries"] == done.dropped_audit_entries >= 1
        assert count(engine, AuditEntry) < entries_before + 2
    with engine.connect() as conn:
        assert audit_chain.verify(conn).ok
    engine.dispose()


def test_refused_on_a_database_that_is_not_demo(source: str, new_database, tmp_path: Path  # noqa: F811
                                                 ) -> None:
    root = tmp_path / "snaps"
    demo = make_engine(source)
    save_snapshot(demo, "课前", get_secrets(), DEMO, root=root)
    real = make_engine(new_database())
    with real.begin() as conn:
        database_facts.delete_fact(conn, database_facts.DEMO)  # tests' prepare stamps it
        conn.execute(text("INSERT INTO users (username, display_name, password_hash, role, "
                          "active, created_at, updated_at) VALUES ('keep', 'keep', 'x', "
                          "'admin', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    with pytest.raises(PermissionDenied):
        save_snapshot(real, "x", get_secrets(), cli_actor(False), root=root)
    with pytest.raises(PermissionDenied):  # even an actor claiming demo rights
        restore_snapshot(real, "课前", get_secrets(), DEMO, root=root)
    with real.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM users WHERE username = 'keep'")) == 1
    demo.dispose()
    real.dispose()


def test_damaged_snapshot_leaves_the_demo_database(source: str, tmp_path: Path) -> None:  # noqa: F811
    engine = make_engine(source)
    root = tmp_path / "snaps"
    snap = save_snapshot(engine, "a", get_secrets(), DEMO, root=root)
    data = snap.directory / (SQLITE_FILE if engine.dialect.name == "sqlite" else PG_FILE)
    with data.open("ab") as fh:
        fh.write(b"x")
    customers = count(engine, Customer)
    with pytest.raises(RestoreRefused) as refused:
        restore_snapshot(engine, "a", get_secrets(), DEMO, root=root)
    assert refused.value.code == "checksum"
    assert count(engine, Customer) == customers
    with pytest.raises(SnapshotRefused):
        restore_snapshot(engine, "../a", get_secrets(), DEMO, root=root)
    with pytest.raises(SnapshotRefused):
        restore_snapshot(engine, "none", get_secrets(), DEMO, root=root)
    engine.dispose()


def test_command_line(source: str, tmp_path: Path) -> None:  # noqa: F811
    config = tmp_path / "config.toml"
    config.write_text(f'[training]\nsnapshot_dir = "{tmp_path / "cli-snaps"}"\n',
                      encoding="utf-8")
    env = {"CRM_CONFIG": str(config)}
    assert "snapshot" in ok(manage(source, "snapshot", "--help")).stdout
    assert "No snapshots" in ok(manage(source, "snapshot", "list", env=env)).stdout
    ok(manage(source, "snapshot", "save", "day1", env=env))
    assert ok(manage(source, "snapshot", "list", env=env)).stdout.startswith("day1\t")
    restored = ok(manage(source, "snapshot", "restore", "day1", env=env))
    assert "day1" in restored.stdout
    refused = manage(source, "snapshot", "restore", "nope", env=env)
    assert refused.returncode == 1 and "nope" in refused.stderr
    engine = make_engine(source)
    with engine.connect() as conn:
        actions = conn.execute(select(AuditEntry.action, AuditEntry.username)
                               .where(AuditEntry.action.like("training.%"))).all()
    assert ("training.snapshot_restore", "cli") in actions
    engine.dispose()


def test_restore_keeps_accounts_classes_and_progress(source: str, tmp_path: Path  # noqa: F811
                                                     ) -> None:
    """A trainer restoring on 首页 locks nobody out: every account as it is now (passwords
    too), every class and the course rows stay, as the class reset keeps them; a trainer made
    after the snapshot restores it (the restore's audit entries name them)."""
    from datetime import timedelta

    from core.clock import now, today
    from core.settings import load_settings
    from core.vocab import Role
    from db.models import CourseProgress, TrainingClass, User
    from services.access.auth import verify_login
    from services.access.passwords import hash_password
    from services.training import create_class
    from tests.support.factories import actor_for, make_user

    engine = make_engine(source)
    root = tmp_path / "snaps"
    save_snapshot(engine, "课前", get_secrets(), DEMO, root=root)
    with Session(engine) as session:  # after the snapshot: a new trainer, a changed password
        late = make_user(session, "late-trainer", Role.TRAINER, password="late-pass-1")
        session.execute(update(User).where(User.username == "admin").values(
            password_hash=hash_password("changed-pass-1")))
        session.commit()
        late_actor = actor_for(late)
    sheet = create_class(engine, late_actor, "一班", 1, today() + timedelta(days=3),
                         get_secrets(), snapshot_root=root)
    with Session(engine) as session:
        uid = session.scalar(select(User.id).where(User.username == sheet.logins[0].username))
        session.add(CourseProgress(user_id=uid, chapter="overview", exercise="e1",
                                   done_at=now()))
        session.commit()

    restore_snapshot(engine, "课前", get_secrets(), late_actor, root=root)

    def login(username: str, password: str) -> bool:
        with Session(engine) as session:
            result = verify_login(session, username, password, load_settings())
            session.commit()
        return result.ok

    assert login("late-trainer", "late-pass-1")
    assert login("admin", "changed-pass-1")
    assert login(sheet.logins[0].username, sheet.logins[0].password)
    with Session(engine) as session:
        assert session.scalar(select(TrainingClass.name)) == "一班"
        assert session.scalar(select(func.count()).select_from(CourseProgress).where(
            CourseProgress.user_id == uid)) == 1
        named = dict(session.execute(select(AuditEntry.action, AuditEntry.user_id).where(
            AuditEntry.action.in_(["backup.restore", "training.snapshot_restore"]))).all())
        assert named == {"backup.restore": late_actor.user_id,
                         "training.snapshot_restore": late_actor.user_id}
    with engine.connect() as conn:
        assert audit_chain.verify(conn).ok
    engine.dispose()
