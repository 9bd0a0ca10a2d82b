"""The keys protecting 证件号码, bound to the database they protect.

A fingerprint of each data key (an HMAC under the key, never the key) is stored in the
database (``database_facts``). The app and every command check it before doing anything: with
another key every profile with a 证件号码 fails with "cannot decrypt" and duplicates silently
stop being found, so a mismatch refuses to start, saying what to do. Data keys are generated
only for an empty database; ``rotate_keys`` re-encrypts and re-hashes everything in one
transaction, including what other modules registered with ``register_rotation``.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Connection, Engine, bindparam, exists, inspect, select, update
from sqlalchemy.exc import IntegrityError

from core.i18n import t
from db.models import Customer, ImportRun
from services.access.rotation import (
    Rotation,
    keyed_hmac,
    register_rotation,
    steps,
)
from services.access.secrets import (
    DATA_KEYS,
    MissingKeys,
    Secrets,
    get_secrets,
    load_secrets,
    secrets_path,
)
from services.system import database_facts

FACT_KEYS = {"encryption_key": "encryption_key_fp", "hash_key": "hash_key_fp"}
"""database_facts key of each data key's fingerprint."""
ENV_NAMES = {"encryption_key": "CRM_ENCRYPTION_KEY", "hash_key": "CRM_HASH_KEY"}
SHOWN = 12  # hex digits of a fingerprint shown in messages


def fingerprint(name: str, key: str) -> str:
    """HMAC-SHA256 of a fixed label under the key: identifies the key, reveals nothing of it."""
    return hmac.new(key.encode(), f"crm key fingerprint: {name}".encode(),
                    hashlib.sha256).hexdigest()


class KeysRefused(Exception):
    """The keys at hand do not fit this database; nothing may run until they do."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str) -> str:
        return t(f"keys.refused.{self.code}", lang, **self.params)


def _mismatch(name: str, stored: str, current: str) -> KeysRefused:
    return KeysRefused(f"mismatch_{name}", variable=ENV_NAMES[name], stored=stored[:SHOWN],
                       current=current[:SHOWN])


def _holds_data(conn: Connection) -> bool:
    """Whether anything may have been written under the data keys (customers or imports)."""
    return bool(conn.scalar(select(exists().where(Customer.id.is_not(None))))
                or conn.scalar(select(exists().where(ImportRun.id.is_not(None)))))


def _verify_on_sample(conn: Connection, keys: Secrets) -> None:
    """A database from before fingerprints: one stored 证件号码 shows whether the keys fit."""
    row = conn.execute(select(Customer.id_number_enc, Customer.id_number_hash)
                       .where(Customer.id_number_enc.is_not(None)).limit(1)).first()
    if row is None:
        return
    try:
        plain = Fernet(keys.encryption_key.encode()).decrypt(row.id_number_enc.encode()).decode()
    except (InvalidToken, ValueError):
        raise KeysRefused("unverified_encryption_key",
                          variable=ENV_NAMES["encryption_key"]) from None
    if keyed_hmac(keys.hash_key, plain) != row.id_number_hash:
        raise KeysRefused("unverified_hash_key", variable=ENV_NAMES["hash_key"])


def stamp_fingerprints(conn: Connection, keys: Secrets) -> None:
    for name in DATA_KEYS:
        database_facts.set_fact(conn, FACT_KEYS[name], fingerprint(name, getattr(keys, name)))


def check_keys(conn: Connection, keys: Secrets) -> None:
    """Refuse (``KeysRefused``) unless ``keys`` are the ones this database was written with;
    the first time, record their fingerprints."""
    stored = {name: database_facts.get_fact(conn, FACT_KEYS[name]) for name in DATA_KEYS}
    if all(v is None for v in stored.values()):
        if _holds_data(conn):
            _verify_on_sample(conn, keys)
        stamp_fingerprints(conn, keys)
        return
    for name in DATA_KEYS:
        current = fingerprint(name, getattr(keys, name))
        if stored[name] is None:
            database_facts.set_fact(conn, FACT_KEYS[name], current)
        elif not hmac.compare_digest(stored[name], current):
            raise _mismatch(name, stored[name], current)


_MIGRATED: set[str] = set()


def is_migrated(engine: Engine) -> bool:
    """Whether the facts table exists (remembered once true: tables are not dropped at run)."""
    url = str(engine.url)
    if url not in _MIGRATED and inspect(engine).has_table("database_facts"):
        _MIGRATED.add(url)
    return url in _MIGRATED


def ensure_keys(engine: Engine, path: Path | None = None,
                env: dict[str, str] | None = None) -> Secrets | None:
    """Check (or on first use, create and record) the data keys of this database.

    Raises ``KeysRefused`` on a mismatch, or when keys are missing for a database that already
    holds data. Returns None for a database not migrated yet (nothing can be stored in it).
    With the default ``path`` and ``env`` it checks the keys this process encrypts with
    (``get_secrets``), not a file that may have changed since.
    """
    if not is_migrated(engine):
        return None
    own = path is None and env is None
    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                try:
                    keys = get_secrets() if own else load_secrets(path, env)
                except MissingKeys as exc:
                    recorded = any(database_facts.get_fact(conn, f) for f in FACT_KEYS.values())
                    if recorded or _holds_data(conn):
                        raise KeysRefused("missing", variables=", ".join(exc.variables),
                                          path=str(path or secrets_path(env))) from None
                    keys = load_secrets(path, env, generate_data_keys=True)
                    if own:
                        get_secrets.cache_clear()
                check_keys(conn, keys)
                return keys
        except IntegrityError:  # another process recorded the fingerprints at the same time
            if attempt == 2:
                raise
    return None


# --- rotation -------------------------------------------------------------------------------


# The modules that call ``register_rotation`` at import, listed (not discovered by walking
# every package): a new holder of keyed data adds itself here.
ROTATION_MODULES: tuple[str, ...] = ("services.access.holds", "services.access.audit_chain")


def _import_services() -> None:
    for name in ROTATION_MODULES:
        importlib.import_module(name)


_BATCH = 1000


def _rotate_customers(conn: Connection, rot: Rotation) -> int:
    table = Customer.__table__
    rows = conn.execute(select(table.c.id, table.c.id_number_enc)
                        .where(table.c.id_number_enc.is_not(None))).all()
    stmt = (update(table).where(table.c.id == bindparam("b_id"))
            .values(id_number_enc=bindparam("b_enc"), id_number_hash=bindparam("b_hash")))
    for start in range(0, len(rows), _BATCH):
        batch = []
        for row in rows[start:start + _BATCH]:
            plain = rot.decrypt_old(row.id_number_enc)
            batch.append({"b_id": row.id,
                          "b_enc": rot.fernets.rotate(row.id_number_enc.encode()).decode(),
                          "b_hash": rot.hash_new(plain)})
        conn.execute(stmt, batch)
    return len(rows)


def _rotate_import_history(conn: Connection, rot: Rotation) -> int:
    """The before-values an import kept for its undo include 证件号码 ciphertexts and hashes."""
    table = ImportRun.__table__
    changed = 0
    for run_id, updates in conn.execute(select(table.c.id, table.c.updates)
                                        .where(table.c.updates.is_not(None))).all():
        touched = False
        for item in updates or []:
            before = item.get("before") or {}
            if "id_number_enc" not in before and "id_number_hash" not in before:
                continue
            token = before.get("id_number_enc")
            plain = rot.decrypt_old(token) if token else None
            if "id_number_hash" in before and before["id_number_hash"] and plain is None:
                raise ValueError(f"import {run_id}: a keyed hash without its ciphertext")
            if "id_number_enc" in before:
                before["id_number_enc"] = rot.reencrypt(token) if token else None
            if "id_number_hash" in before:
                before["id_number_hash"] = rot.hash_new(plain) if plain is not None else None
            touched = True
        if touched:
            conn.execute(update(table).where(table.c.id == run_id).values(updates=updates))
            changed += 1
    return changed


register_rotation("customers", _rotate_customers)
register_rotation("import_history", _rotate_import_history)


def new_keys_valid(encryption_key: str, hash_key: str) -> str | None:
    """Why the new keys cannot be used (a message key), or None."""
    try:
        Fernet(encryption_key.encode())
    except (ValueError, TypeError):
        return "keys.rotate.bad_encryption_key"
    if len(hash_key) < 32:
        return "keys.rotate.short_hash_key"
    return None


def rotate_keys(conn: Connection, old: Secrets, new_encryption_key: str,
                new_hash_key: str) -> dict[str, int]:
    """Re-encrypt and re-hash every stored value under the new keys, in the caller's
    transaction (all or nothing), and record the new fingerprints. Returns counts per step."""
    check_keys(conn, old)
    _import_services()
    rot = Rotation(old=old, new_encryption_key=new_encryption_key, new_hash_key=new_hash_key)
    counts = {name: step(conn, rot) for name, step in steps()}
    stamp_fingerprints(conn, Secrets(cookie_key=old.cookie_key,
                                     encryption_key=new_encryption_key, hash_key=new_hash_key))
    return counts
