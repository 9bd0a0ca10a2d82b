"""Point 16 on PostgreSQL: the README's GRANT/REVOKE block gives the app a role that can write
audit entries (and link them) but cannot truncate, alter, rewrite or delete the audit log."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.settings import PROJECT_ROOT
from db.engine import make_engine
from services.access import audit, audit_chain


def _readme_sql() -> str:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The audit log: tamper-evident"):]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_app_role_can_audit_but_not_tamper(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL roles")
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
            audit.record(session, None, "test.as_app", username=role)
            session.commit()
        for statement in ("TRUNCATE audit_log CASCADE", "TRUNCATE audit_chain",
                          "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                          "DROP TRIGGER audit_log_append_only ON audit_log",
                          "UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log",
                          "DELETE FROM audit_chain", "UPDATE audit_chain SET hash = 'x'",
                          "DELETE FROM audit_chain_head"):
            with pytest.raises(DBAPIError, match="permission denied|must be owner"), \
                    app.begin() as conn:
                conn.execute(text(statement))
        with app.connect() as conn:
            assert audit_chain.verify(conn).ok
    finally:
        app.dispose()
        with engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
