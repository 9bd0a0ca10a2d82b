"""Issue 13 point 6: data keys bound to their database; refusal on a mismatch; rotate-keys.

With another CRM_ENCRYPTION_KEY every profile with a 证件号码 and every export failed with
"cannot decrypt", with another CRM_HASH_KEY duplicate 证件号码 silently stopped being found, and
a missing secrets.toml made new keys appear for a database full of ciphertexts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from core import clock
from core.settings import PROJECT_ROOT
from core.vocab import Role
from db.models import AuditEntry, Customer, ImportHold, ImportRun
from services import customers as cr
from services.access import crypto, keys, rotation
from services.access.secrets import get_secrets, load_secrets
from services.excel import undo_import
from services.system.database_facts import delete_fact, get_fact
from tests.customers.test_customer_records import raw, rid
from tests.support.app import logged_in
from tests.support.excel import HEADER, customer_row, xlsx
from tests.support.factories import actor_for, make_user

ID_A, ID_B, ID_C = rid(101), rid(202), rid(303)


def manage(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "CRM_DATABASE_URL": url, **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=full,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture
def stored(db, people_actor):
    """Two customers with a 证件号码, and an import that changed one of them (its undo keeps
    the old ciphertext and hash)."""
    clerk = people_actor
    a = cr.create_customer(db, clerk, raw(name="甲", mobile="13800000001", id_number=ID_A))
    b = cr.create_customer(db, clerk, raw(name="乙", mobile="13800000002", id_number=ID_B))
    db.commit()
    return {"a": a, "b": b}


@pytest.fixture
def people_actor(db):
    return actor_for(make_user(db, "clerk1", Role.CLERK))


@pytest.fixture
def manager(db):
    actor = actor_for(make_user(db, "mgr1", Role.MANAGER))
    db.commit()  # no write transaction left open while the commands run
    return actor


def _update_file(tmp_path: Path) -> Path:
    path = tmp_path / "update.xlsx"
    path.write_bytes(xlsx([HEADER, customer_row(name="乙", mobile="13800000002",
                                                id_number=ID_C)]))
    return path


def _use_keys(monkeypatch: pytest.MonkeyPatch, encryption_key: str, hash_key: str) -> None:
    monkeypatch.setenv("CRM_ENCRYPTION_KEY", encryption_key)
    monkeypatch.setenv("CRM_HASH_KEY", hash_key)
    get_secrets.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_secrets():
    get_secrets.cache_clear()
    yield
    get_secrets.cache_clear()


def _forget_fingerprints(engine) -> None:
    """As a database migrated from before fingerprints existed."""
    with engine.begin() as conn:
        for fact in keys.FACT_KEYS.values():
            delete_fact(conn, fact)


# --- refusal on a mismatch ------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["CRM_ENCRYPTION_KEY", "CRM_HASH_KEY"])
def test_a_command_refuses_other_keys_and_says_what_to_do(stored, database_url, tmp_path,
                                                          variable) -> None:
    other = Fernet.generate_key().decode() if variable == "CRM_ENCRYPTION_KEY" \
        else "other-hash-" + uuid.uuid4().hex
    out = tmp_path / "all.xlsx"
    proc = manage(database_url, "export-customers", str(out), **{variable: other})
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert variable in proc.stderr and "rotate-keys" in proc.stderr
    assert "secrets.toml" in proc.stderr
    assert not out.exists()
    # ... and the import, whose duplicate check would silently miss every 证件号码.
    proc = manage(database_url, "import-customers", str(_update_file(tmp_path)), "--json",
                  **{variable: other})
    assert proc.returncode == 3, proc.stdout + proc.stderr


def test_the_app_refuses_other_keys_before_the_login(stored, monkeypatch) -> None:
    _use_keys(monkeypatch, os.environ["CRM_ENCRYPTION_KEY"], "other-hash-" + uuid.uuid4().hex)
    at = logged_in(Role.ADMIN).run()
    assert not at.exception, at.exception
    assert any("CRM_HASH_KEY" in e.value and "rotate-keys" in e.value for e in at.error)
    assert not at.text_input and not at.button  # neither the login form nor any page
    assert "甲" not in " ".join(str(m.value) for m in at.markdown)


def test_right_keys_pass_and_first_use_records_fingerprints(stored, engine) -> None:
    assert keys.ensure_keys(engine) is not None
    with engine.connect() as conn:
        stored_fp = get_fact(conn, "encryption_key_fp")
    assert stored_fp == keys.fingerprint("encryption_key", os.environ["CRM_ENCRYPTION_KEY"])
    assert os.environ["CRM_ENCRYPTION_KEY"] not in stored_fp


def test_a_database_from_before_fingerprints_is_checked_on_its_data(stored, engine,
                                                                    monkeypatch) -> None:
    _forget_fingerprints(engine)
    _use_keys(monkeypatch, os.environ["CRM_ENCRYPTION_KEY"], "other-hash-" + uuid.uuid4().hex)
    with pytest.raises(keys.KeysRefused) as info:
        keys.ensure_keys(engine)
    assert info.value.code == "unverified_hash_key"
    with engine.connect() as conn:
        assert get_fact(conn, "hash_key_fp") is None  # the wrong key was not adopted


# --- no key generation for a database with data ---------------------------------------------


def test_no_keys_are_generated_for_a_database_with_data(stored, engine, tmp_path) -> None:
    path = tmp_path / "secrets.toml"
    with pytest.raises(keys.KeysRefused) as info:
        keys.ensure_keys(engine, path=path, env={})
    assert info.value.code == "missing"
    assert "CRM_ENCRYPTION_KEY" in info.value.message("en")
    assert not path.exists()  # nothing written, not even a cookie key
    with pytest.raises(keys.KeysRefused):  # still refused the second time
        keys.ensure_keys(engine, path=path, env={})


def test_keys_are_generated_for_an_empty_database(real_database, tmp_path) -> None:
    engine = real_database
    _forget_fingerprints(engine)
    path = tmp_path / "secrets.toml"
    made = keys.ensure_keys(engine, path=path, env={})
    assert made is not None and load_secrets(path, env={}) == made
    with engine.connect() as conn:
        assert get_fact(conn, "hash_key_fp") == keys.fingerprint("hash_key", made.hash_key)
    # The file lost afterwards: the database remembers, so nothing new is generated.
    path.unlink()
    with pytest.raises(keys.KeysRefused):
        keys.ensure_keys(engine, path=path, env={})


# --- rotation -------------------------------------------------------------------------------


def test_rotate_keys_round_trip(stored, manager, database_url, engine, db, tmp_path,
                                monkeypatch) -> None:
    changed = manage(database_url, "import-customers", str(_update_file(tmp_path)),
                     "--on-duplicate", "update", "--json")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    import_id = db.scalar(select(ImportRun.id))
    held = f'{{"rows": [[2, ["丙", "{ID_A}"]]]}}'
    db.add(ImportHold(created_at=clock.now(), user_id=None, username="cli", file_name="h.xlsx",
                      on_duplicate="skip", rows=1, payload=crypto.encrypt(held), status="open"))
    db.commit()
    old_enc, old_hash = os.environ["CRM_ENCRYPTION_KEY"], os.environ["CRM_HASH_KEY"]
    new_enc, new_hash = Fernet.generate_key().decode(), "new-hash-" + uuid.uuid4().hex
    before = {c.id: (c.id_number_enc, c.id_number_hash) for c in db.scalars(select(Customer))}

    proc = manage(database_url, "rotate-keys", CRM_NEW_ENCRYPTION_KEY=new_enc,
                  CRM_NEW_HASH_KEY=new_hash)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "CRM_ENCRYPTION_KEY" in proc.stdout  # keys from the environment: told to change it

    # The old keys are refused now, by the app's check and by any command.
    with pytest.raises(keys.KeysRefused):
        keys.ensure_keys(engine)
    assert manage(database_url, "export-customers", str(tmp_path / "x.xlsx")).returncode == 3

    _use_keys(monkeypatch, new_enc, new_hash)
    assert keys.ensure_keys(engine) is not None
    # The audit chain, keyed by a key derived from the hash key, was relinked with it.
    verified = manage(database_url, "verify-audit", CRM_ENCRYPTION_KEY=new_enc,
                      CRM_HASH_KEY=new_hash)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    db.expire_all()
    after = {c.id: (c.id_number_enc, c.id_number_hash) for c in db.scalars(select(Customer))}
    assert all(after[i][0] != before[i][0] and after[i][1] != before[i][1] for i in before)
    # Profiles decrypt, and a duplicate 证件号码 is still found.
    assert cr.reveal(db, manager, stored["a"], "id_number") == ID_A
    dups = cr.find_duplicates(db, {"id_number": ID_A})
    assert [d.customer_id for d in dups] == [stored["a"]]
    assert cr.find_duplicates(db, {"id_number": ID_C})
    # The import's undo restores the old 证件号码 under the new keys.
    result = undo_import(db, manager, import_id)
    db.commit()
    assert result.done and result.reverted == 1
    assert cr.reveal(db, manager, stored["b"], "id_number") == ID_B
    assert [d.customer_id for d in cr.find_duplicates(db, {"id_number": ID_B})] == [stored["b"]]
    # Rows held back from an import (services.access.holds) are readable under the new key too.
    assert crypto.decrypt(db.scalar(select(ImportHold.payload))) == held
    # Audited, without the keys.
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "keys.rotate")).one()
    assert entry.detail["counts"]["customers"] == 2
    assert entry.detail["counts"]["import_holds"] == 1
    assert entry.detail["counts"]["audit_chain"] >= 3  # the creations and the import
    assert new_enc not in str(entry.detail) and old_enc not in str(entry.detail)
    assert old_hash not in str(entry.detail) and new_hash not in str(entry.detail)


def test_rotation_is_one_transaction_with_registered_steps(stored, engine, db) -> None:
    calls: list[int] = []

    def failing(conn, rot) -> int:
        calls.append(1)
        raise RuntimeError("step failed")

    before = {c.id: c.id_number_enc for c in db.scalars(select(Customer))}
    rotation.register_rotation("zz_test_failing", failing)
    try:
        with pytest.raises(RuntimeError), engine.begin() as conn:
            keys.rotate_keys(conn, get_secrets(), Fernet.generate_key().decode(),
                             "new-hash-" + uuid.uuid4().hex)
    finally:
        rotation.unregister_rotation("zz_test_failing")
    assert calls == [1]
    db.expire_all()
    assert {c.id: c.id_number_enc for c in db.scalars(select(Customer))} == before
    keys.ensure_keys(engine)  # the old fingerprints are still the database's


def test_rotate_keys_writes_a_secrets_file_it_read(stored, database_url, tmp_path,
                                                   monkeypatch) -> None:
    path = tmp_path / "secrets.toml"
    old_enc, old_hash = os.environ["CRM_ENCRYPTION_KEY"], os.environ["CRM_HASH_KEY"]
    path.write_text(f'cookie_key = "c{"x" * 40}"\nencryption_key = "{old_enc}"\n'
                    f'hash_key = "{old_hash}"\n')
    env = {k: v for k, v in os.environ.items()
           if k not in ("CRM_ENCRYPTION_KEY", "CRM_HASH_KEY", "CRM_COOKIE_KEY")}
    new_hash = "new-hash-" + uuid.uuid4().hex
    proc = subprocess.run([sys.executable, "manage.py", "rotate-keys"], cwd=PROJECT_ROOT,
                          env={**env, "CRM_DATABASE_URL": database_url,
                               "CRM_SECRETS_FILE": str(path), "CRM_NEW_HASH_KEY": new_hash},
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    written = load_secrets(path, env={})
    assert written.hash_key == new_hash and written.encryption_key == old_enc
    assert written.cookie_key == "c" + "x" * 40
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    _use_keys(monkeypatch, old_enc, new_hash)


def test_rotate_keys_refuses_bad_new_keys(stored, database_url) -> None:
    assert manage(database_url, "rotate-keys").returncode == 2
    proc = manage(database_url, "rotate-keys", CRM_NEW_ENCRYPTION_KEY="not-a-fernet-key")
    assert proc.returncode == 2 and "Fernet" in proc.stderr
