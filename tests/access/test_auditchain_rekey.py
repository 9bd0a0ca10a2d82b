"""Key rotation relinks the audit chain: after ``rekey`` it verifies under the new hash key
only, in one transaction with the triggers standing; a chain already broken is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from services.access import audit, audit_chain
from services.access.secrets import get_secrets


def _write(engine: Engine, n: int) -> None:
    for i in range(n):
        with Session(engine) as session:
            audit.record(session, None, "test.rekey", "thing", i, detail={"i": i},
                         username="tester")
            session.commit()


def test_rekey_relinks_under_the_new_key(engine: Engine, settings) -> None:
    _write(engine, 7)
    old = get_secrets().hash_key
    new = "rotated-" + old
    with engine.begin() as conn:
        assert audit_chain.rekey(conn, old, new) == 7
    with engine.connect() as conn:
        assert audit_chain.verify(conn, audit_chain.derive_key(new)).ok
        verdict = audit_chain.verify(conn, audit_chain.derive_key(old))
        assert verdict.problem == "auditchain.verify.entry_changed"


def test_rekey_of_an_empty_log(engine: Engine, settings) -> None:
    with engine.begin() as conn:
        assert audit_chain.rekey(conn, "a", "b") == 0
    with engine.connect() as conn:
        assert audit_chain.verify(conn, audit_chain.derive_key("b")).ok


def test_rekey_refuses_a_broken_chain(engine: Engine, settings) -> None:
    _write(engine, 3)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER ALL"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET action = 'tampered' WHERE id = 2"))
    old = get_secrets().hash_key
    with pytest.raises(ValueError, match="broken"), engine.begin() as conn:
        audit_chain.rekey(conn, old, "new")
    with engine.connect() as conn:  # nothing was relinked
        assert audit_chain.verify(conn).entry_id == 2
