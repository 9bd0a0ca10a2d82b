"""imports: history of Excel imports (who, when, file, counts, what was written) for undo

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 08:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('imports',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('on_duplicate', sa.String(length=10), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('blank', sa.Integer(), nullable=False),
    sa.Column('inserted_ids', sa.JSON(), nullable=True),
    sa.Column('updates', sa.JSON(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('undone_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind in ('customers', 'orders', 'complaints', 'surveys', 'follow_ups', 'renewals')", name=op.f('ck_imports_kind')),
    sa.CheckConstraint("on_duplicate in ('skip', 'update')", name=op.f('ck_imports_on_duplicate')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_imports_undone_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_imports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports'))
    )
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_imports_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_imports_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imports_user_id'))
        batch_op.drop_index(batch_op.f('ix_imports_kind'))
        batch_op.drop_index(batch_op.f('ix_imports_created_at'))

    op.drop_table('imports')
