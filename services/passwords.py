"""bcrypt password hashing (the format streamlit-authenticator also reads)."""

from __future__ import annotations

import bcrypt

MIN_LENGTH = 8
# Checked against when the username is unknown, so that costs the same time as a wrong password.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt()).decode()


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def check_password(password: str, password_hash: str | None) -> bool:
    """Constant-cost check: a missing hash still spends one bcrypt verification."""
    candidate = (password or "").encode()[:72]
    if not password_hash:
        bcrypt.checkpw(candidate, _DUMMY_HASH.encode())
        return False
    try:
        return bcrypt.checkpw(candidate, password_hash.encode())
    except ValueError:
        bcrypt.checkpw(candidate, _DUMMY_HASH.encode())
        return False
