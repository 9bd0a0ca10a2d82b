"""Issue 13 point 5: only a database that seed-demo stamped is a demo database.

A config file (``demo_mode = true``) or ``CRM_DEMO_MODE=1`` once let a trainer reset a
production database; here neither gives any demo right on a database seed-demo did not make.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from components.session import SessionUser
from core.settings import PROJECT_ROOT, get_settings, load_settings
from core.vocab import Role
from db.models import Customer
from services.access.roles import Actor, Perm, PermissionDenied
from services.demo import reset_demo, seed_demo
from services.system.database_facts import is_demo_database
from tests.support.app import logged_in
from tests.support.factories import make_customer, make_user

DEMO_RIGHTS = (Perm.RESET_DEMO, Perm.EDIT_CUSTOMERS, Perm.IMPORT)


@pytest.fixture
def demo_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every old way of saying "demo": the config file and the environment."""
    text = (PROJECT_ROOT / "config.toml").read_text()
    config = tmp_path / "config.toml"
    config.write_text(text.replace("demo_mode = false", "demo_mode = true"))
    assert "demo_mode = true" in config.read_text()
    monkeypatch.setenv("CRM_CONFIG", str(config))
    monkeypatch.setenv("CRM_DEMO_MODE", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def real_customers(real_database, db):
    trainer = make_user(db, "trainer", Role.TRAINER)
    admin = make_user(db, "admin", Role.ADMIN)
    for _ in range(3):
        make_customer(db)
    db.commit()
    return {"trainer": trainer, "admin": admin}


def _count(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Customer))


def test_shipped_config_is_not_a_demo_switch() -> None:
    with open(PROJECT_ROOT / "config.toml", "rb") as fh:
        assert tomllib.load(fh)["app"]["demo_mode"] is False
    assert not hasattr(load_settings(env={"CRM_DEMO_MODE": "1"}), "demo_mode")


def test_trainer_cannot_reset_or_edit_a_real_database_whatever_the_config(
        real_customers, demo_config, engine, db) -> None:
    trainer = real_customers["trainer"]
    actor = SessionUser(id=trainer.id, username="trainer", display_name="t",
                        role=Role.TRAINER, language=None).actor()
    for perm in DEMO_RIGHTS:
        assert not actor.can(perm), perm
    # Even an actor that claims demo rights cannot reset: reset_demo reads the stamp itself.
    forged = Actor(trainer.id, "trainer", Role.TRAINER, demo_mode=True)
    with pytest.raises(PermissionDenied):
        reset_demo(engine, forged, customers=5)
    assert _count(db) == 3


def test_home_page_offers_no_reset_on_a_real_database(real_customers, demo_config) -> None:
    for role in (Role.TRAINER, Role.ADMIN):
        at = logged_in(role).run()
        assert not at.exception, at.exception
        assert [b for b in at.button if b.key == "demo_reset"] == []
        assert "演示数据" not in " ".join(str(s.value) for s in at.subheader)


def test_home_page_offers_the_reset_on_a_seeded_database(engine, db) -> None:
    seed_demo(engine, customers=5, seed=1)
    at = logged_in(Role.TRAINER).run()
    assert not at.exception, at.exception
    assert [b for b in at.button if b.key == "demo_reset"]


def test_seed_demo_stamps_and_only_then_trainers_reset(real_database, engine, db) -> None:
    with engine.connect() as conn:
        assert not is_demo_database(conn)
    seed_demo(engine, customers=8, seed=2)
    with engine.connect() as conn:
        assert is_demo_database(conn)
    trainer = make_user(db, "t2", Role.TRAINER)
    db.commit()
    actor = SessionUser(id=trainer.id, username="t2", display_name="t", role=Role.TRAINER,
                        language=None).actor()
    assert all(actor.can(p) for p in DEMO_RIGHTS)
    reset_demo(engine, actor, customers=4, seed=3)
    assert _count(db) == 4


def test_cli_reset_refuses_a_real_database(real_customers, demo_config, database_url,
                                           db) -> None:
    env = {**os.environ, "CRM_DATABASE_URL": database_url}
    proc = subprocess.run([sys.executable, "manage.py", "seed-demo", "--reset", "--customers",
                           "5", "--quiet"], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "seed-demo" in proc.stderr
    assert _count(db) == 3
