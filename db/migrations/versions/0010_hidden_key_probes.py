"""hidden_key_probes and import_holds: limit look-ups through keys a role may not see

``hidden_key_probes`` counts, per user and hour, the 手机号 / 邮箱 / 证件号码 values a user
without the right to see them in full submitted (import, search, form check) and the actions
that found a customer through one (``services.access.probes``). ``import_holds`` keeps the import rows
held back for that reason until a manager or an administrator imports or discards them.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-05 12:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0010'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'hidden_key_probes',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind in ('contact', 'id', 'match')",
                           name=op.f('ck_hidden_key_probes_kind')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hidden_key_probes')),
    )
    op.create_index('ix_hidden_key_probes_user_id_kind_at', 'hidden_key_probes',
                    ['user_id', 'kind', 'at'], unique=False)
    op.create_table(
        'import_holds',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=50), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('on_duplicate', sa.String(length=10), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('resolved_at', db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('import_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=True),
        sa.CheckConstraint("status in ('open', 'imported', 'discarded')",
                           name=op.f('ck_import_holds_status')),
        sa.CheckConstraint("on_duplicate in ('skip', 'update')",
                           name=op.f('ck_import_holds_on_duplicate')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_import_holds_user_id_users')),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'],
                                name=op.f('fk_import_holds_resolved_by_id_users')),
        sa.ForeignKeyConstraint(['import_id'], ['imports.id'],
                                name=op.f('fk_import_holds_import_id_imports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_holds')),
    )
    op.create_index(op.f('ix_import_holds_created_at'), 'import_holds', ['created_at'],
                    unique=False)
    op.create_index(op.f('ix_import_holds_status'), 'import_holds', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_holds_status'), table_name='import_holds')
    op.drop_index(op.f('ix_import_holds_created_at'), table_name='import_holds')
    op.drop_table('import_holds')
    op.drop_index('ix_hidden_key_probes_user_id_kind_at', table_name='hidden_key_probes')
    op.drop_table('hidden_key_probes')
