"""customers: drop four indexes no query uses

Every index on ``customers`` is written by every insert; an Excel import of 100,000 customers
pays for each one (about 0.2 s on SQLite and 0.3 s on PostgreSQL per index). No query filters
or sorts by 固定电话 or value segment, and the single-column ``last_reviewed_at`` and
``deleted_at`` indexes are the leading columns of ``(last_reviewed_at, created_at)`` and
``(deleted_at, created_at)``, which serve the same queries (PostgreSQL's statistics after
every benchmark at a million customers: no scan used any of the four).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:45:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = (
    ('ix_customers_phone', ['phone']),
    ('ix_customers_value_segment', ['value_segment']),
    ('ix_customers_last_reviewed_at', ['last_reviewed_at']),
    ('ix_customers_deleted_at', ['deleted_at']),
)


def upgrade() -> None:
    for name, _columns in DROPPED:
        op.drop_index(name, table_name='customers')


def downgrade() -> None:
    for name, columns in DROPPED:
        op.create_index(name, 'customers', columns, unique=False)
