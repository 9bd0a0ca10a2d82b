"""Issue 16, spec data-protection.md "Keys", the points
tests/screens/test_keys_rotation.py (issue 13)
left open: EVERY command refuses keys whose fingerprints differ from the database's (not only
the export and import), and ``rotate-keys`` re-encrypts through ``cryptography``'s MultiFernet
(``rotate``), as the spec says, in its one transaction.

Covered in tests/screens/test_keys_rotation.py: fingerprints stored, never the key
(test_right_keys_pass_and_first_use_records_fingerprints); the refusal says what to do
(test_a_command_refuses_other_keys_and_says_what_to_do, test_the_app_refuses_other_keys_before
_the_login); keys generated only for an empty database (test_no_keys_are_generated_for_a_
database_with_data, test_keys_are_generated_for_an_empty_database); one transaction
(test_rotation_is_one_transaction_with_registered_steps); fingerprints updated
(test_rotate_keys_round_trip). Restore under other keys: tests/backup/test_backup_restore.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select

import manage
from core.settings import PROJECT_ROOT
from core.vocab import Role
from db.engine import make_engine
from db.models import Customer
from services import customers as cr
from services.access import keys
from services.access.secrets import get_secrets
from tests.customers.test_customer_records import raw, rid
from tests.support.factories import actor_for, make_user

SAMPLE_ARGS: dict[str, list[str]] = {
    "init-db": [], "rotate-keys": [], "create-user": ["someone", "--role", "admin"],
    "seed-demo": ["--customers", "3", "--quiet"], "recompute-tiers": ["--quiet"],
    "refresh-churn": [], "plan-visits": [], "import-customers": ["{tmp}/in.xlsx"],
    "export-customers": ["{tmp}/out.xlsx"], "verify-audit": [],
    "erase-customer": ["C1", "--reason", "test"], "export-person": ["C1", "{tmp}/p.xlsx"],
    "backup": ["{tmp}/backups"], "template": ["{tmp}/t.xlsx"], "snapshot": ["save", "x"],
    "expire-classes": [],
}
"""Arguments that parse, for each command. ``restore`` checks the keys against the backup
instead (tests/backup/test_backup_restore.py). A new command needs a line here."""


def _commands() -> list[str]:
    parser = manage.build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return sorted(set(sub.choices) - {"restore"})


@pytest.fixture
def database_with_data(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database with the test keys' fingerprints and one customer."""
    path = tmp_path / "crm.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        clerk = actor_for(make_user(session, "clerk_k", Role.CLERK))
        cr.create_customer(session, clerk, raw(name="甲", id_number=rid(7)))
        session.commit()
    engine.dispose()
    return url


@pytest.mark.parametrize(("command", "variable"), [
    (c, ("CRM_ENCRYPTION_KEY", "CRM_HASH_KEY")[i % 2]) for i, c in enumerate(_commands())])
def test_every_command_refuses_keys_whose_fingerprints_differ(database_with_data, tmp_path,
                                                              command, variable) -> None:
    assert command in SAMPLE_ARGS, f"give the new command {command} sample arguments here"
    other = Fernet.generate_key().decode() if variable == "CRM_ENCRYPTION_KEY" \
        else "other-hash-" + uuid.uuid4().hex
    args = [a.format(tmp=tmp_path) for a in SAMPLE_ARGS[command]]
    env = {**os.environ, "CRM_DATABASE_URL": database_with_data, "CRM_LANGUAGE": "en",
           variable: other, "CRM_NEW_HASH_KEY": "new-hash-" + uuid.uuid4().hex}
    proc = subprocess.run([sys.executable, "manage.py", command, *args], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=180,
                          input="password-123456\n")
    assert proc.returncode == manage.KEYS_REFUSED, proc.stdout + proc.stderr
    assert variable in proc.stderr and "rotate-keys" in proc.stderr
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("crm.db")]


def test_every_command_has_sample_arguments() -> None:
    assert set(_commands()) == set(SAMPLE_ARGS)


# --- rotation through MultiFernet -----------------------------------------------------------


@pytest.fixture
def two_customers(db):
    clerk = actor_for(make_user(db, "clerk_r", Role.CLERK))
    ids = [cr.create_customer(db, clerk, raw(name=n, mobile=m, id_number=rid(i)))
           for n, m, i in (("甲", "13800000011", 11), ("乙", "13800000012", 12))]
    db.commit()
    return ids


@pytest.fixture(autouse=True)
def _fresh_secrets():
    get_secrets.cache_clear()
    yield
    get_secrets.cache_clear()


def test_rotate_keys_reencrypts_with_multifernet_rotate(two_customers, engine, db,
                                                        monkeypatch) -> None:
    rotated: list[bytes] = []
    real = MultiFernet.rotate

    def spy(self: MultiFernet, token: bytes) -> bytes:
        rotated.append(token)
        return real(self, token)

    monkeypatch.setattr(MultiFernet, "rotate", spy)
    old = get_secrets()
    before = {c.id: c.id_number_enc for c in db.scalars(select(Customer))}
    new_enc, new_hash = Fernet.generate_key().decode(), "new-hash-" + uuid.uuid4().hex
    with engine.begin() as conn:
        keys.rotate_keys(conn, old, new_enc, new_hash)
    assert sorted(t.decode() for t in rotated) == sorted(before.values())
    db.expire_all()
    for customer in db.scalars(select(Customer)):
        token = customer.id_number_enc.encode()
        assert Fernet(new_enc.encode()).decrypt(token).decode() in (rid(11), rid(12))
        with pytest.raises(InvalidToken):
            Fernet(old.encryption_key.encode()).decrypt(token)
    # The database now names the new keys: the old ones are refused.
    monkeypatch.setenv("CRM_ENCRYPTION_KEY", new_enc)
    monkeypatch.setenv("CRM_HASH_KEY", new_hash)
    get_secrets.cache_clear()
    assert keys.ensure_keys(engine) is not None


def test_a_token_already_under_the_new_key_is_refused(engine) -> None:
    """MultiFernet.rotate alone would accept it; a rotation that finds one was half done
    before, and stops rather than guess."""
    old = get_secrets()
    new_enc = Fernet.generate_key().decode()
    rot = keys.Rotation(old=old, new_encryption_key=new_enc, new_hash_key="h" * 40)
    under_new = Fernet(new_enc.encode()).encrypt(b"x").decode()
    with pytest.raises(ValueError):
        rot.reencrypt(under_new)
    under_old = Fernet(old.encryption_key.encode()).encrypt(b"x").decode()
    assert Fernet(new_enc.encode()).decrypt(rot.reencrypt(under_old).encode()) == b"x"
