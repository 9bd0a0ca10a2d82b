"""database_facts: what this database is, stored in itself

A key/value table: ``demo`` is set only by ``manage.py seed-demo`` (a demo database, which
trainers may edit and reset); ``encryption_key_fp`` / ``hash_key_fp`` are fingerprints of the
keys its 证件号码 ciphertexts and keyed hashes were written with, checked at every start.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "database_facts",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_database_facts")),
    )


def downgrade() -> None:
    op.drop_table("database_facts")
