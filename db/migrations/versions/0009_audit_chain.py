"""audit chain: each audit entry linked to the one before by a keyed hash

``audit_chain`` (seq, entry_id, hash) and ``audit_chain_head`` (the last seq and hash, one row)
make the audit log tamper-evident (see ``services.access.audit_chain``). Existing entries are linked
in 0013. Triggers: links cannot be deleted or moved to another entry or seq, the head
cannot be deleted or moved back; on PostgreSQL none of the three audit tables can be TRUNCATEd.

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-05 12:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64

SQLITE_TRIGGERS = {
    "audit_chain_no_delete": "BEFORE DELETE ON audit_chain",
    "audit_chain_no_relink": "BEFORE UPDATE OF seq, entry_id ON audit_chain",
    "audit_chain_head_no_delete": "BEFORE DELETE ON audit_chain_head",
    "audit_chain_head_no_rewind": "BEFORE UPDATE ON audit_chain_head WHEN NEW.seq < OLD.seq",
}

PG_TRIGGERS = {
    "audit_chain_no_delete": "BEFORE DELETE OR UPDATE OF seq, entry_id ON audit_chain "
                             "FOR EACH ROW",
    "audit_chain_head_no_delete": "BEFORE DELETE ON audit_chain_head FOR EACH ROW",
    "audit_chain_head_no_rewind": "BEFORE UPDATE ON audit_chain_head FOR EACH ROW "
                                  "WHEN (NEW.seq < OLD.seq)",
    "audit_log_no_truncate": "BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT",
    "audit_chain_no_truncate": "BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT",
    "audit_chain_head_no_truncate": "BEFORE TRUNCATE ON audit_chain_head FOR EACH STATEMENT",
}


def upgrade() -> None:
    op.create_table(
        'audit_chain',
        sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=False, nullable=False),
        sa.Column('entry_id', sa.BigInteger(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['audit_log.id'],
                                name=op.f('fk_audit_chain_entry_id_audit_log')),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_chain')),
        sa.UniqueConstraint('entry_id', name=op.f('uq_audit_chain_entry_id')),
    )
    head = op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_head_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    conn = op.get_bind()
    # Entries that exist already are linked by 0013 (value digests), under the scheme the
    # code now computes; linking them here with today's code would need 0013's columns.
    if conn.dialect.name == "sqlite":
        for name, when in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} "
                       "BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END")
        return
    op.execute("CREATE FUNCTION audit_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN RAISE EXCEPTION 'the audit log and its chain are append-only'; END $$")
    for name, when in PG_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION audit_chain_append_only()")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, when in PG_TRIGGERS.items():
            table = when.split(" ON ")[1].split()[0]
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS audit_chain_append_only()")
    op.drop_table('audit_chain_head')
    op.drop_table('audit_chain')
