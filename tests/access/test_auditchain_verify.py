"""Point 16: the audit log is tamper-evident. Each test tampers the way someone with database
access would (triggers dropped or disabled first, as the owner can) and ``manage.py
verify-audit`` must name the first broken or missing link and exit 1."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

import manage
from db.models import AuditEntry
from services.access import audit


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English, so the tests can read them."""
    from core.settings import get_settings

    monkeypatch.setenv("CRM_LANGUAGE", "en")
    get_settings.cache_clear()


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from core.settings import get_settings

    get_settings.cache_clear()
    code = manage.main(["verify-audit"])
    out = capsys.readouterr()
    return code, out.out + out.err


def _entries(engine: Engine, n: int = 5) -> list[int]:
    """n audit entries, each committed on its own, through the service; their ids."""
    for i in range(n):
        with Session(engine) as session:
            audit.record(session, None, "test.action", "thing", i, changes={"n": [i, i + 1]},
                         detail={"note": f"第{i}条", "when": datetime(2026, 1, 2, tzinfo=UTC)},
                         username="tester")
            session.commit()
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))


def _unprotect(conn, table: str) -> None:
    """What an attacker with the owner's rights does first: the triggers go."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER ALL"))
        return
    names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                              "AND tbl_name = :t"), {"t": table}).scalars().all()
    for name in names:
        conn.execute(text(f'DROP TRIGGER "{name}"'))


def test_intact_log_verifies(engine: Engine, settings, capsys) -> None:
    _entries(engine)
    with engine.begin() as conn:
        audit.append(conn, [
            {"at": datetime.now(UTC), "user_id": None, "username": "cli", "action": "test.bulk",
             "entity": "customer", "entity_id": str(i), "changes": {"tags": [[], ["甲"]]},
             "detail": {"import_id": 7, 1: 2, "t": ("a", "b")}} for i in range(50)])
    with Session(engine) as session:
        audit.record_many(session, None, "test.many",
                          [("customer", i, {"x": [None, i]}, None) for i in range(20)],
                          username="tester")
        session.commit()
    code, out = _verify(capsys)
    assert code == 0, out
    assert "75 entries" in out


def test_empty_log_verifies(engine: Engine, settings, capsys) -> None:
    code, out = _verify(capsys)
    assert code == 0, out


def test_rewritten_entry_is_named(engine: Engine, settings, capsys) -> None:
    ids = _entries(engine)
    with engine.begin() as conn:
        _unprotect(conn, "audit_log")
        conn.execute(text("UPDATE audit_log SET detail = NULL WHERE id = :i"), {"i": ids[2]})
    code, out = _verify(capsys)
    assert code == 1
    assert f"audit entry {ids[2]}" in out, out


def test_deleted_middle_entry_is_named(engine: Engine, settings, capsys) -> None:
    ids = _entries(engine)
    with engine.begin() as conn:
        _unprotect(conn, "audit_log")
        _unprotect(conn, "audit_chain")
        conn.execute(text("DELETE FROM audit_chain WHERE entry_id = :i"), {"i": ids[2]})
        conn.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": ids[2]})
    code, out = _verify(capsys)
    assert code == 1
    assert f"audit entry {ids[2]}" in out or f"after audit entry {ids[1]}" in out, out


def test_deleted_entry_with_its_link_kept_is_named(engine: Engine, settings, capsys) -> None:
    ids = _entries(engine)
    with engine.begin() as conn:
        _unprotect(conn, "audit_log")
        if conn.dialect.name == "postgresql":
            _unprotect(conn, "audit_chain")  # the foreign key's triggers
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("PRAGMA foreign_keys=OFF"))
        conn.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": ids[3]})
    code, out = _verify(capsys)
    assert code == 1
    assert f"audit entry {ids[3]}" in out, out


def test_emptied_log_is_caught(engine: Engine, settings, capsys) -> None:
    """TRUNCATE on PostgreSQL, DELETE of everything after DROP TRIGGER on SQLite."""
    _entries(engine)
    with engine.begin() as conn:
        for table in ("audit_log", "audit_chain"):
            _unprotect(conn, table)
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE audit_chain, audit_log"))
        else:
            conn.execute(text("DELETE FROM audit_chain"))
            conn.execute(text("DELETE FROM audit_log"))
    code, out = _verify(capsys)
    assert code == 1, out
    assert "missing" in out, out


def test_truncate_is_refused_while_triggers_stand(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    _entries(engine, 1)
    for table in ("audit_log", "audit_chain", "audit_chain_head"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table} CASCADE"))


def test_chain_tables_refuse_delete_and_relinking(engine: Engine) -> None:
    _entries(engine, 2)
    for statement in ("DELETE FROM audit_chain", "UPDATE audit_chain SET entry_id = entry_id",
                      "DELETE FROM audit_chain_head", "UPDATE audit_chain_head SET seq = 0"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(statement))


def test_entry_written_around_the_service_is_named(engine: Engine, settings, capsys) -> None:
    ids = _entries(engine, 2)
    with engine.begin() as conn:
        conn.execute(AuditEntry.__table__.insert().values(
            at=datetime.now(UTC), username="intruder", action="test.forged"))
    _entries(engine, 1)
    with Session(engine) as session:
        forged = session.scalar(select(AuditEntry.id).where(AuditEntry.action == "test.forged"))
    assert forged == ids[-1] + 1
    code, out = _verify(capsys)
    assert code == 1
    assert f"audit entry {forged}" in out, out


def test_other_key_fails(engine: Engine, settings, capsys, monkeypatch) -> None:
    _entries(engine, 2)
    from services.access.audit_chain import derive_key, verify
    from services.access.secrets import get_secrets
    monkeypatch.setenv("CRM_HASH_KEY", "another-key")
    get_secrets.cache_clear()
    try:
        code, out = _verify(capsys)
    finally:
        monkeypatch.undo()
        get_secrets.cache_clear()
    # The command refuses first: the hash key does not fit the database (services.access.keys) ...
    assert code == manage.KEYS_REFUSED and "CRM_HASH_KEY" in out, out
    # ... and the chain itself does not verify under another key.
    with engine.connect() as conn:
        assert not verify(conn, derive_key("another-key")).ok


def test_concurrent_writers_do_not_fork_the_chain(engine: Engine, settings, capsys) -> None:
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for i in range(15):
                with Session(engine) as session:
                    audit.record(session, None, "test.race", "w", f"{w}-{i}", username="w")
                    if i % 3 == 0:
                        audit.record_many(session, None, "test.race_many",
                                          [("w", f"{w}-{i}-{j}", None, None) for j in range(3)],
                                          username="w")
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    code, out = _verify(capsys)
    assert code == 0, out
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_chain")).scalar() == 4 * 15 + 4 * 5 * 3


def test_rolled_back_entries_leave_no_link(engine: Engine, settings, capsys) -> None:
    with Session(engine) as session:
        audit.record(session, None, "test.gone", username="x")
        audit.record_many(session, None, "test.gone", [("a", 1, None, None)], username="x")
        session.flush()
        session.rollback()
        audit.record(session, None, "test.kept", username="x")
        session.commit()
    code, out = _verify(capsys)
    assert code == 0, out


def test_migration_links_existing_entries(engine: Engine, settings, capsys) -> None:
    from db.migrate import downgrade, upgrade

    downgrade(engine, "0010")
    with engine.begin() as conn:
        conn.execute(AuditEntry.__table__.insert(), [
            {"at": datetime(2026, 3, 1, 8, 0, i, 123456, tzinfo=UTC), "username": "old",
             "action": "test.before_chain", "detail": {"i": i}} for i in range(30)])
    upgrade(engine)
    code, out = _verify(capsys)
    assert code == 0, out
    assert "30 entries" in out


def test_every_audit_write_goes_through_the_service() -> None:
    """No module but services/access/audit.py builds or inserts audit rows (those would be unlinked:
    verify-audit reports them as tampering)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    direct = re.compile(r"(?<!class )AuditEntry\(|insert\(\s*AuditEntry|"
                        r"AuditEntry\.__table__\.insert|INSERT\s+INTO\s+audit_log|"
                        r"copy_in\([^)]*audit_log", re.I)
    found = []
    for path in [root / "app.py", root / "manage.py", *root.glob("services/**/*.py"),
                 *root.glob("components/**/*.py"), *root.glob("screens/**/*.py"),
                 *root.glob("db/*.py")]:
        if path == root / "services" / "access" / "audit.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if direct.search(line):
                found.append(f"{path.relative_to(root)}:{n}")
    assert found == []
