"""login_locks: lock failed logins per account and client address, not per account

A lock kept in the ``users`` row let anyone keep any account (``admin``) locked by typing
wrong passwords for it. ``login_locks`` counts failures per (account, client address); the
three counting columns of ``users`` go.

SQLite drops the columns with its own ``ALTER TABLE ... DROP COLUMN`` (3.35+), not by
copying ``users``, which seventeen foreign keys point at.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-05 12:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0011'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_USER_COLUMNS = ('failed_attempts', 'last_failed_at', 'locked_until')


def upgrade() -> None:
    op.create_table(
        'login_locks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('failed_attempts', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_login_locks_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_locks')),
        sa.UniqueConstraint('user_id', 'client', name=op.f('uq_login_locks_user_id_client')),
    )
    op.create_index(op.f('ix_login_locks_locked_until'), 'login_locks', ['locked_until'],
                    unique=False)
    for column in _USER_COLUMNS:
        op.drop_column('users', column)


def downgrade() -> None:
    op.add_column('users', sa.Column('failed_attempts', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.add_column('users', sa.Column('last_failed_at', db.types.UTCDateTime(timezone=True),
                                     nullable=True))
    op.add_column('users', sa.Column('locked_until', db.types.UTCDateTime(timezone=True),
                                     nullable=True))
    op.drop_index(op.f('ix_login_locks_locked_until'), table_name='login_locks')
    op.drop_table('login_locks')
