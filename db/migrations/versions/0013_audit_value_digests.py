"""audit value digests: the chain covers a digest of each entry's personal values, so an
erasure can scrub them and every link still checks

``audit_log`` gains ``salt`` (random, per entry) and ``erased_by`` (the erasure entry that
scrubbed it); ``audit_chain`` gains ``digest`` = SHA-256(salt, changes, detail). Existing
entries get a salt and the whole chain is recomputed under the new scheme (see
``services.access.audit_chain``), after checking it under the old one: a chain that is already broken
is refused, so the migration never launders tampering. Entries of a log that had no chain yet
(a database from before 0009) are linked here.

``audit_log`` stays append-only but for one update: an erasure's (values scrubbed, salt
cleared, ``erased_by`` set). Deletes stay refused.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 16:40:00
"""
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
BATCH = 5000
_SAME = ("id", "at", "user_id", "username", "action", "entity", "entity_id")

_SQLITE_ERASURE_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN NOT ("
    "NEW.erased_by IS NOT NULL AND NEW.salt IS NULL "
    "AND (OLD.erased_by IS NULL OR NEW.erased_by = OLD.erased_by) AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _SAME)
    + ") BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")

_PG_ERASURE_ONLY = (
    "CREATE FUNCTION audit_log_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.erased_by IS NOT NULL AND NEW.salt IS NULL "
    "AND (OLD.erased_by IS NULL OR NEW.erased_by = OLD.erased_by) AND "
    + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _SAME)
    + " THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'audit_log is append-only'; END $$")


# ---- the scheme of 0009, frozen here to check the chain before recomputing it ---------------

def _v1_entry_bytes(row: Sequence[Any]) -> bytes:
    import json

    entry_id, at, user_id, username, action, entity, entity_id, changes, detail = row[:9]
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds") if isinstance(at, datetime) \
        else at
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(
        [int(entry_id), stamp, user_id, username, action, entity, entity_id,
         None if changes == "null" else changes,
         None if detail == "null" else detail]).encode()


def _v1_hash(key: bytes, previous: str, seq: int, row: Sequence[Any]) -> str:
    import hmac

    message = b"%s\n%d\n%s" % (previous.encode(), seq, _v1_entry_bytes(row))
    return hmac.digest(key, message, "sha256").hex()


def _tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    meta = sa.MetaData()
    import db.types

    log = sa.Table("audit_log", meta, sa.Column("id", sa.BigInteger),
                   sa.Column("at", db.types.UTCDateTime(timezone=True)),
                   sa.Column("user_id", sa.Integer), sa.Column("username", sa.String),
                   sa.Column("action", sa.String), sa.Column("entity", sa.String),
                   sa.Column("entity_id", sa.String), sa.Column("changes", sa.JSON),
                   sa.Column("detail", sa.JSON), sa.Column("salt", sa.String),
                   sa.Column("erased_by", sa.BigInteger))
    chain = sa.Table("audit_chain", meta, sa.Column("seq", sa.BigInteger),
                     sa.Column("entry_id", sa.BigInteger), sa.Column("hash", sa.String),
                     sa.Column("digest", sa.String))
    head = sa.Table("audit_chain_head", meta, sa.Column("id", sa.Integer),
                    sa.Column("seq", sa.BigInteger), sa.Column("hash", sa.String))
    return log, chain, head


def _rows(conn: sa.Connection, log: sa.Table, chain: sa.Table, *, linked: bool,
          with_salt: bool) -> list[tuple[Any, ...]]:
    """Entries in chain order (linked) or id order (unlinked), JSON as stored text."""
    cols = [sa.cast(log.c[n], sa.Text) if n in ("changes", "detail") else log.c[n]
            for n in (*_SAME, "changes", "detail")]
    if with_salt:
        cols.append(log.c.salt)
    if linked:
        stmt = (sa.select(chain.c.seq, chain.c.hash, *cols)
                .select_from(chain.join(log, log.c.id == chain.c.entry_id))
                .order_by(chain.c.seq))
    else:
        stmt = (sa.select(*cols).where(log.c.id.not_in(sa.select(chain.c.entry_id)))
                .order_by(log.c.id))
    return [tuple(r) for r in conn.execute(stmt)]


def _drop_update_guard(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_erasure_only ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_erasure_only()")


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column('audit_log', sa.Column('salt', sa.String(length=32), nullable=True))
    op.add_column('audit_log', sa.Column('erased_by', sa.BigInteger(), nullable=True))
    op.add_column('audit_chain', sa.Column('digest', sa.String(length=64), nullable=True))
    _drop_update_guard(conn)
    if conn.execute(sa.text("SELECT 1 FROM audit_log LIMIT 1")).first() is not None:
        _rechain(conn)
    if conn.dialect.name == "sqlite":
        op.execute(_SQLITE_ERASURE_ONLY)
        return
    op.execute(_PG_ERASURE_ONLY)
    op.execute("CREATE TRIGGER audit_log_erasure_only BEFORE UPDATE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_erasure_only()")
    op.execute("CREATE TRIGGER audit_log_append_only BEFORE DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")


def _rechain(conn: sa.Connection) -> None:
    """Check the chain under the old scheme, salt every entry, recompute every link."""
    from services.access import audit_chain  # needs the hash key: only when there are entries

    key = audit_chain.current_key()
    log, chain, head = _tables()
    linked = _rows(conn, log, chain, linked=True, with_salt=False)
    previous = GENESIS
    for expected, (seq, stored, *row) in enumerate(linked, 1):
        if seq != expected or _v1_hash(key, previous, seq, row) != stored:
            raise RuntimeError(f"audit chain is broken at link {expected} (entry {row[0]}): "
                               "run manage.py verify-audit before upgrading")
        previous = stored
    top = conn.execute(sa.select(head.c.seq, head.c.hash).where(head.c.id == 1)).first()
    if top is None or int(top.seq) != len(linked) or str(top.hash) != previous:
        raise RuntimeError("audit chain head does not match its links: "
                           "run manage.py verify-audit before upgrading")
    unlinked = _rows(conn, log, chain, linked=False, with_salt=False)
    if unlinked and linked:
        raise RuntimeError(f"audit entry {unlinked[0][0]} is not linked: "
                           "run manage.py verify-audit before upgrading")
    salts = {int(r[0]): audit_chain.new_salt() for r in [*(r[2:] for r in linked), *unlinked]}
    stmt = log.update().where(log.c.id == sa.bindparam("i")).values(salt=sa.bindparam("s"))
    items = [{"i": i, "s": s} for i, s in salts.items()]
    for start in range(0, len(items), BATCH):
        conn.execute(stmt, items[start:start + BATCH])
    previous, changed = GENESIS, []
    for seq, _stored, *row in linked:
        full = (*row, salts[int(row[0])])
        digest = audit_chain.values_digest(full)
        assert digest is not None
        previous = audit_chain.link_hash(key, previous, seq, full, digest)
        changed.append({"s": seq, "h": previous, "d": digest})
    relink = (chain.update().where(chain.c.seq == sa.bindparam("s"))
              .values(hash=sa.bindparam("h"), digest=sa.bindparam("d")))
    for start in range(0, len(changed), BATCH):
        conn.execute(relink, changed[start:start + BATCH])
    conn.execute(head.update().where(head.c.id == 1).values(hash=previous))
    if unlinked:
        audit_chain.link(conn, [(*r, salts[int(r[0])]) for r in unlinked], key)


def downgrade() -> None:
    """Back to the old scheme: the chain is recomputed over the entries as they now are
    (scrubbed values included), under the old scheme."""
    conn = op.get_bind()
    _drop_update_guard(conn)
    if conn.dialect.name == "sqlite":
        op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    if conn.execute(sa.text("SELECT 1 FROM audit_chain LIMIT 1")).first() is not None:
        from services.access import audit_chain

        key = audit_chain.current_key()
        log, chain, head = _tables()
        previous, changed = GENESIS, []
        for seq, _stored, *row in _rows(conn, log, chain, linked=True, with_salt=False):
            previous = _v1_hash(key, previous, seq, row)
            changed.append({"s": seq, "h": previous})
        relink = chain.update().where(chain.c.seq == sa.bindparam("s")).values(
            hash=sa.bindparam("h"))
        for start in range(0, len(changed), BATCH):
            conn.execute(relink, changed[start:start + BATCH])
        conn.execute(head.update().where(head.c.id == 1).values(hash=previous))
    op.execute("ALTER TABLE audit_chain DROP COLUMN digest")
    op.execute("ALTER TABLE audit_log DROP COLUMN erased_by")
    op.execute("ALTER TABLE audit_log DROP COLUMN salt")
