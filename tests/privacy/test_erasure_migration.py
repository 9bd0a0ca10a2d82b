"""Migration 0013 (audit value digests): a chain linked under the old scheme is checked, then
recomputed over salted digests; a chain already broken is refused, not laundered; downgrading
recomputes the old scheme (scrubbed entries included)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

import manage
from core.vocab import Role
from db.migrate import downgrade, upgrade
from services import customers as customer_records
from services.access import audit
from services.privacy.erasure import erase_customer
from tests.support.factories import actor_for, make_user


def _entries(engine: Engine) -> None:
    with Session(engine) as session:
        admin = actor_for(make_user(session, "admin", role=Role.ADMIN))
        session.commit()
        for i in range(3):
            audit.record(session, admin, "test.action", "thing", i, changes={"n": [i, i + 1]},
                         username="admin")
            session.commit()
        cid = customer_records.create_customer(session, admin, {"name": "诸葛明远",
                                                               "mobile": "13812123434"})
        session.commit()
        erase_customer(session, admin, cid, "客户要求")
        session.commit()


def test_old_chain_is_rechained(engine: Engine, settings, capsys) -> None:
    _entries(engine)
    downgrade(engine, "0012")  # the old scheme, recomputed over the entries as they are
    upgrade(engine)
    assert manage.main(["verify-audit"]) == 0, capsys.readouterr()


def test_broken_old_chain_is_refused(engine: Engine, settings) -> None:
    _entries(engine)
    downgrade(engine, "0012")
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER ALL"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET username = 'mallory' WHERE id = 2"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER ALL"))
    with pytest.raises(RuntimeError, match="audit chain is broken at link 2"):
        upgrade(engine)
