"""Protection of sensitive fields: Fernet encryption plus a keyed hash for equality lookups.

The ciphertext is random per write, so duplicates cannot be found by comparing it; the HMAC of
the normalised value is deterministic under the secret hash key and serves the duplicate check.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from services.access.secrets import get_secrets


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def encrypt(value: str) -> str:
    return _fernet(get_secrets().encryption_key).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt; a token made under another key raises ``ValueError`` rather than garbage."""
    try:
        return _fernet(get_secrets().encryption_key).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: wrong encryption key or damaged value") from exc


def keyed_hash(value: str) -> str:
    key = get_secrets().hash_key.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
