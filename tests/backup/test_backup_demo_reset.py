"""Issue 16, spec data-protection.md "Backups": a demo reset takes a backup first, into
``backup.demo_reset_dir`` keeping the newest ``backup.demo_reset_keep`` (home page's reset
through ``services.demo.reset_demo``, and ``manage.py seed-demo --reset``)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from core.settings import PROJECT_ROOT, get_settings, load_settings
from core.vocab import Role
from db.models import AuditEntry, Customer
from services.access.roles import Actor
from services.backup import Manifest, backup_before_reset, backups_in
from services.demo import reset_demo, seed_demo


@pytest.fixture
def reset_dir(tmp_path, monkeypatch, settings):
    path = tmp_path / "demo-reset"
    monkeypatch.setenv("CRM_DEMO_RESET_BACKUP_DIR", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_the_shipped_default_is_under_data() -> None:
    shipped = load_settings(env={})
    assert shipped.demo_reset_backup_path == PROJECT_ROOT / "data" / "backups" / "demo-reset"
    assert shipped.demo_reset_backup_keep == 5


def test_a_demo_reset_backs_the_customers_up_first(engine, db, reset_dir) -> None:
    seed_demo(engine, customers=12, seed=3)
    trainer = Actor(None, "trainer", Role.TRAINER, demo_mode=True)
    reset_demo(engine, trainer, customers=4, seed=9)
    (backup_dir,) = [path for _, path in backups_in(reset_dir)]
    assert Manifest.read(backup_dir).tables["customers"] == 12  # what the reset deleted
    assert db.scalar(select(func.count()).select_from(Customer)) == 4
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "backup.create")).one()
    assert entry.detail["reason"] == "demo_reset" and entry.username == "trainer"


def test_demo_reset_backups_keep_the_newest_n(engine, reset_dir) -> None:
    seed_demo(engine, customers=3, seed=3)
    settings = replace(get_settings(), demo_reset_backup_keep=2)
    made = [backup_before_reset(engine, Actor(None, "t", Role.TRAINER, demo_mode=True),
                                settings) for _ in range(3)]
    assert [path for _, path in backups_in(reset_dir)] == [m.directory for m in made[1:]]


def test_an_empty_database_needs_no_backup(engine, reset_dir) -> None:
    assert backup_before_reset(engine, Actor(None, "t", Role.TRAINER, demo_mode=True)) is None
    assert not reset_dir.exists()


def test_seed_demo_reset_backs_up_first(database_url, reset_dir) -> None:
    env = {**os.environ, "CRM_DATABASE_URL": database_url}
    for args in (["--customers", "5"], ["--customers", "3", "--reset"]):
        proc = subprocess.run([sys.executable, "manage.py", "seed-demo", "--quiet", *args],
                              cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    (backup_dir,) = [path for _, path in backups_in(reset_dir)]
    assert Manifest.read(backup_dir).tables["customers"] == 5
