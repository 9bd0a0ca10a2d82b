"""Password hashing: argon2id for every new hash, bcrypt hashes of older versions still read.

bcrypt refuses passwords over 72 bytes (26 Chinese characters are 78), argon2id takes any
length. A bcrypt hash is verified as before and replaced by an argon2id hash at the next
successful login (``check_and_upgrade``), so old databases move over without a reset.
"""

from __future__ import annotations

import secrets
from functools import cache

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

MIN_LENGTH = 8
# bcrypt's limit: it reads no more of a password.
_BCRYPT_MAX_BYTES = 72

_HASHER = PasswordHash((Argon2Hasher(), BcryptHasher()))


@cache
def _dummy_hash() -> str:
    """An argon2id hash nobody knows the password of, made once per process.

    Checked when the username is unknown, so that costs the same time as a wrong password.
    """
    return _HASHER.hash(secrets.token_urlsafe(24))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def check_and_upgrade(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """``(matches, new_hash)``: ``new_hash`` is set when the stored hash should be replaced.

    Constant cost: a missing or unreadable hash still spends one argon2id verification.
    """
    candidate = password or ""
    if not password_hash:
        _HASHER.verify(candidate, _dummy_hash())
        return False, None
    if BcryptHasher.identify(password_hash) and len(candidate.encode()) > _BCRYPT_MAX_BYTES:
        # bcrypt 5 made such a hash for no password over 72 bytes, and a match on the first 72
        # bytes would let a different password in: refuse, after the same amount of work.
        _HASHER.verify(candidate.encode()[:_BCRYPT_MAX_BYTES], password_hash)
        return False, None
    try:
        return _HASHER.verify_and_update(candidate, password_hash)
    except PwdlibError:
        _HASHER.verify(candidate, _dummy_hash())
        return False, None


def check_password(password: str, password_hash: str | None) -> bool:
    return check_and_upgrade(password, password_hash)[0]
