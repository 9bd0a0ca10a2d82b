"""Secrets: the login cookie key and the keys protecting 证件号码.

Read from the environment (``CRM_COOKIE_KEY``, ``CRM_ENCRYPTION_KEY``, ``CRM_HASH_KEY``) or from
``.streamlit/secrets.toml`` (another file with ``CRM_SECRETS_FILE``). A missing cookie key is
generated into that file (git-ignored, mode 0600). The two data keys are generated only when
``services.access.keys.ensure_keys`` found the database empty: a new key for a database full of
ciphertexts would make them unreadable and stop duplicate 证件号码 being found. There is
deliberately no fixed default: a default key is a shared key.
"""

from __future__ import annotations

import contextlib
import os
import secrets as _random
import tempfile
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet

from core.settings import PROJECT_ROOT

SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
_KEYS = {"cookie_key": "CRM_COOKIE_KEY", "encryption_key": "CRM_ENCRYPTION_KEY",
         "hash_key": "CRM_HASH_KEY"}
DATA_KEYS = ("encryption_key", "hash_key")
"""The keys the stored data depends on (``services.access.keys`` fingerprints them)."""


class MissingKeys(Exception):
    """Data keys are absent and were not to be generated (see ``services.access.keys``)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__("missing secrets: " + ", ".join(names))
        self.names = names

    @property
    def variables(self) -> list[str]:
        return [_KEYS[n] for n in self.names]


@dataclass(frozen=True)
class Secrets:
    cookie_key: str
    encryption_key: str
    hash_key: str


def _generate() -> dict[str, str]:
    return {
        "cookie_key": _random.token_urlsafe(48),
        "encryption_key": Fernet.generate_key().decode(),
        "hash_key": _random.token_urlsafe(48),
    }


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return {k: str(v) for k, v in data.items() if k in _KEYS}


def _write_new(path: Path, values: dict[str, str], existing_text: str) -> None:
    """Write atomically; if another process created the file meanwhile, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = existing_text
    if body and not body.endswith("\n"):
        body += "\n"
    body += "".join(f'{k} = "{v}"\n' for k, v in values.items())
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secrets-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(body)
        os.chmod(tmp, 0o600)
        if existing_text:
            os.replace(tmp, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # fails if a concurrent first run won the race
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def secrets_path(env: dict[str, str] | None = None) -> Path:
    """The secrets file: ``CRM_SECRETS_FILE`` if set, else ``.streamlit/secrets.toml``."""
    env = dict(os.environ) if env is None else env
    return Path(env["CRM_SECRETS_FILE"]) if env.get("CRM_SECRETS_FILE") else SECRETS_PATH


def load_secrets(path: Path | None = None, env: dict[str, str] | None = None,
                 generate_data_keys: bool = False) -> Secrets:
    """The secrets; a missing cookie key is generated, missing data keys only if asked
    (else ``MissingKeys``)."""
    env = dict(os.environ) if env is None else env
    path = path or secrets_path(env)
    values = {name: env[var] for name, var in _KEYS.items() if env.get(var)}
    if len(values) < len(_KEYS):
        from_file = _read(path)
        absent = [k for k in DATA_KEYS if k not in values and k not in from_file]
        if absent and not generate_data_keys:
            raise MissingKeys(absent)  # before writing anything: the caller must decide
        missing = {k: v for k, v in _generate().items()
                   if k not in from_file and k not in values}
        if missing:
            existing = path.read_text() if path.exists() else ""
            _write_new(path, missing, existing)
            from_file = _read(path)
        values = {**from_file, **values}
    return Secrets(**values)


def source_of(name: str, env: dict[str, str] | None = None) -> str:
    """Where a key is read from: ``"env"`` or ``"file"`` (the environment wins)."""
    env = dict(os.environ) if env is None else env
    return "env" if env.get(_KEYS[name]) else "file"


def replace_in_file(path: Path, values: dict[str, str]) -> None:
    """Write ``values`` into the secrets file, keeping its other lines (atomic, mode 0600)."""
    lines = path.read_text().splitlines() if path.exists() else []
    kept = [line for line in lines
            if line.split("=", 1)[0].strip() not in values]
    body = "\n".join(kept + [f'{k} = "{v}"' for k, v in values.items()]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secrets-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(body)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@lru_cache(maxsize=1)
def get_secrets() -> Secrets:
    return load_secrets()
