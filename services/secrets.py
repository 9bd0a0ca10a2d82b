"""Secrets: the login cookie key and the keys protecting 证件号码.

Read from the environment (``CRM_COOKIE_KEY``, ``CRM_ENCRYPTION_KEY``, ``CRM_HASH_KEY``) or from
``.streamlit/secrets.toml``. On first run, missing keys are generated into that file (git-ignored,
mode 0600). There is deliberately no fixed default: a default key is a shared key.
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

from services.settings import PROJECT_ROOT

SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
_KEYS = {"cookie_key": "CRM_COOKIE_KEY", "encryption_key": "CRM_ENCRYPTION_KEY",
         "hash_key": "CRM_HASH_KEY"}


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


def load_secrets(path: Path = SECRETS_PATH, env: dict[str, str] | None = None) -> Secrets:
    env = dict(os.environ) if env is None else env
    values = {name: env[var] for name, var in _KEYS.items() if env.get(var)}
    if len(values) < len(_KEYS):
        from_file = _read(path)
        missing = {k: v for k, v in _generate().items() if k not in from_file}
        if missing and not all(k in values for k in missing):
            existing = path.read_text() if path.exists() else ""
            _write_new(path, missing, existing)
            from_file = _read(path)
        values = {**from_file, **values}
    return Secrets(**values)


@lru_cache(maxsize=1)
def get_secrets() -> Secrets:
    return load_secrets()
