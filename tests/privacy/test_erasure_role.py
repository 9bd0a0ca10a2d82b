"""PostgreSQL: under the README's app role (no UPDATE on the audit log but the erasure's four
columns), an erasure runs and the chain verifies; rewriting an entry's action stays refused."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.vocab import Role
from db.engine import make_engine
from services import customers as customer_records
from services.access import audit_chain
from services.privacy.erasure import erase_customer
from tests.access.test_auditchain_role import _readme_sql
from tests.support.factories import actor_for, make_user


def test_app_role_can_erase(engine: Engine, db: Session) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL roles")
    admin = actor_for(make_user(db, "admin", role=Role.ADMIN))
    db.commit()
    cid = customer_records.create_customer(db, admin, {"name": "上官婉清", "mobile": "13811112222",
                                                       "notes": "备注里的私事"})
    db.commit()
    db.close()
    schema = engine.url.query["options"].split("=")[-1]  # type: ignore[union-attr]
    role = "crm_app_" + uuid.uuid4().hex[:8]
    sql = (_readme_sql().replace("crm_app", role).replace("SCHEMA public", f"SCHEMA {schema}")
           .replace("'change-me'", "'pw'"))
    with engine.begin() as conn:
        lines = "\n".join(line.split("--")[0] for line in sql.splitlines())
        for statement in filter(None, (s.strip() for s in lines.split(";"))):
            conn.execute(text(statement))
    url = make_url(str(engine.url)).set(username=role, password="pw")
    app = make_engine(url.render_as_string(hide_password=False))
    try:
        with Session(app) as session:
            erase_customer(session, admin, cid, "客户要求")
            session.commit()
        with app.connect() as conn:
            assert audit_chain.verify(conn).ok
        with pytest.raises(DBAPIError, match="permission denied"), app.begin() as conn:
            conn.execute(text("UPDATE audit_log SET action = 'x'"))
        with pytest.raises(DBAPIError, match="append-only"), app.begin() as conn:
            conn.execute(text("UPDATE audit_log SET detail = NULL"))
    finally:
        app.dispose()
        with engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
