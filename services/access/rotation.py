"""Rotating the data keys: what each rotation step gets (``Rotation``) and the steps that
modules holding keyed data register (``register_rotation``); ``services.access.keys`` runs them.

Kept below ``keys``: the registering modules import this, and ``keys`` imports them (its
``ROTATION_MODULES``), so neither imports the other back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Connection

from services.access.secrets import Secrets


def keyed_hmac(key: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``key``, as hex: fingerprints and keyed hashes."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Rotation:
    """Old and new data keys, handed to every rotation step."""

    old: Secrets
    new_encryption_key: str
    new_hash_key: str

    @cached_property
    def _old(self) -> Fernet:
        return Fernet(self.old.encryption_key.encode())

    @cached_property
    def fernets(self) -> MultiFernet:
        """``cryptography``'s MultiFernet: encrypts under the new key, decrypts under either;
        its ``rotate`` re-encrypts a token of the old key under the new one (spec: Keys)."""
        return MultiFernet([Fernet(self.new_encryption_key.encode()), self._old])

    def decrypt_old(self, token: str) -> str:
        try:
            return self._old.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("cannot decrypt under the current key: damaged value") from exc

    def encrypt_new(self, plain: str) -> str:
        return self.fernets.encrypt(plain.encode()).decode()

    def hash_new(self, plain: str) -> str:
        """The keyed hash of ``services.access.crypto.keyed_hash`` under the new hash key."""
        return keyed_hmac(self.new_hash_key, plain)

    def reencrypt(self, token: str | None) -> str | None:
        """The token under the new key (MultiFernet.rotate), refused unless the old key reads
        it: a value already under the new key would mean a second, half-done rotation."""
        if token is None:
            return None
        self.decrypt_old(token)
        return self.fernets.rotate(token.encode()).decode()


RotationStep = Callable[[Connection, Rotation], int]
"""Re-encrypt / re-hash one kind of stored data in the given transaction; returns a count."""

_STEPS: dict[str, RotationStep] = {}


def unregister_rotation(name: str) -> None:
    _STEPS.pop(name, None)


def register_rotation(name: str, step: RotationStep) -> None:
    """Let a module holding 证件号码 ciphertexts or keyed hashes (or anything keyed by the data
    keys) re-key them during ``rotate_keys``. Register at import time of a ``services`` module:
    ``rotate_keys`` imports them all first."""
    if name in _STEPS and _STEPS[name] is not step:
        raise ValueError(f"rotation step {name!r} registered twice")
    _STEPS[name] = step


def steps() -> list[tuple[str, RotationStep]]:
    """The registered steps, by name (the order they run in)."""
    return sorted(_STEPS.items())
