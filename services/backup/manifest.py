"""The manifest of a backup: what it holds and how to tell it arrived whole.

``manifest.json`` sits in the backup directory beside the database copy. It names the time,
the schema revision, the row count of every table and the SHA-256 of every file, as read in
the same snapshot the copy was made from, so that ``restore`` can check the copy against it.
It also records the data keys' fingerprints (never the keys) and the audit chain's head: a
restore under other keys, or of a chain cut short, is refused before anything is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "crm-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
KEYS_SUFFIX = ".keys.toml"
"""The keys file is ``<backup directory name>.keys.toml`` beside the directory, not in it:
the directory can be copied off-site as it is while the keys go elsewhere."""


class ManifestError(ValueError):
    """The manifest is missing, unreadable or not one of ours (``code`` is an i18n suffix)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601, UTC
    backend: str  # "sqlite" | "postgresql"
    server_version: str
    schema_revision: str
    tables: dict[str, int]
    files: dict[str, str]  # file name -> sha256 hex
    key_fingerprints: dict[str, str]  # data key name -> fingerprint (services.access.keys)
    audit_head: dict[str, Any]  # {"seq": int, "hash": str}
    seconds: float = 0.0
    format: str = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ManifestError("missing", path=str(path)) from None
        except (OSError, ValueError) as exc:
            raise ManifestError("unreadable", path=str(path), detail=str(exc)) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ManifestError("format", path=str(path), found=str(
                data.get("format") if isinstance(data, dict) else type(data).__name__))
        try:
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except TypeError as exc:
            raise ManifestError("unreadable", path=str(path), detail=str(exc)) from None

    def write(self, directory: Path) -> None:
        write_atomic(directory / MANIFEST, self.to_json().encode("utf-8"))


def sha256_of(path: Path, chunk: int = 4 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a small file whole or not at all (a crash leaves no half file behind)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def keys_file_of(directory: Path) -> Path:
    return directory.with_name(directory.name + KEYS_SUFFIX)


__all__ = ["FORMAT", "KEYS_SUFFIX", "MANIFEST", "PG_FILE", "SQLITE_FILE", "Manifest",
           "ManifestError", "keys_file_of", "sha256_of", "write_atomic"]
