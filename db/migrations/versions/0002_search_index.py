"""search index: customer_search_grams, customers.mobile_last4, filter indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:30:00.000000

Grams are unigrams and bigrams of the name and company, ASCII lower-cased, exactly as
``services.customers.search_index.customer_grams`` computes them; existing customers are indexed here
with set-based SQL (no application code, so this migration keeps working as the code changes).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"

# One row per (customer, text, position, gram length), SQLite: a recursive walk over positions.
_SQLITE_BACKFILL = """
INSERT OR IGNORE INTO customer_search_grams (gram, customer_id)
WITH RECURSIVE src(id, s) AS (
    SELECT id, lower(name) FROM customers WHERE name <> ''
    UNION ALL
    SELECT id, lower(company) FROM customers WHERE company IS NOT NULL AND company <> ''
), pos(id, s, i) AS (
    SELECT id, s, 1 FROM src
    UNION ALL
    SELECT id, s, i + 1 FROM pos WHERE i < length(s)
)
SELECT substr(s, i, k.n), id
FROM pos CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) AS k
WHERE i + k.n - 1 <= length(s)
ORDER BY 1, 2
"""

_POSTGRES_BACKFILL = f"""
INSERT INTO customer_search_grams (gram, customer_id)
SELECT DISTINCT substr(src.s, pos.i, k.n), src.id
FROM (
    SELECT id, translate(name, '{_UPPER}', '{_LOWER}') AS s FROM customers WHERE name <> ''
    UNION ALL
    SELECT id, translate(company, '{_UPPER}', '{_LOWER}') FROM customers
    WHERE company IS NOT NULL AND company <> ''
) AS src
CROSS JOIN LATERAL generate_series(1, length(src.s)) AS pos(i)
CROSS JOIN (VALUES (1), (2)) AS k(n)
WHERE pos.i + k.n - 1 <= length(src.s)
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # Room for the one-off backfill's hash aggregate and primary-key sort.
        op.execute("SET LOCAL work_mem = '256MB'")
        op.execute("SET LOCAL maintenance_work_mem = '1GB'")
    op.create_table('customer_search_grams',
    sa.Column('gram', sa.String(length=2).with_variant(sa.String(length=2, collation='C'), 'postgresql'), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    # PostgreSQL: the key is added after the backfill (one sort, not 18M B-tree inserts).
    *([] if postgres else [sa.PrimaryKeyConstraint('gram', 'customer_id', name=op.f('pk_customer_search_grams'))]),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile_last4', sa.String(length=4), nullable=True))

    # Backfill before the new indexes exist. PostgreSQL: a type change with USING rewrites the
    # table once (~40 s at 1M rows) where an UPDATE writes a new version of every row into
    # every index (~200 s).
    if postgres:
        op.execute("ALTER TABLE customers ALTER COLUMN mobile_last4 TYPE VARCHAR(4) "
                   "USING right(mobile, 4)")
        op.execute(_POSTGRES_BACKFILL)
        op.create_primary_key(op.f('pk_customer_search_grams'), 'customer_search_grams',
                              ['gram', 'customer_id'])
        # Per-gram statistics: common characters (公, 司) and rare ones differ by 10 000x.
        op.execute("ALTER TABLE customer_search_grams ALTER COLUMN gram SET STATISTICS 1000")
    else:
        op.execute("UPDATE customers SET mobile_last4 = substr(mobile, -4) "
                    "WHERE mobile IS NOT NULL")
        op.execute(_SQLITE_BACKFILL)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_mobile_last4'), ['mobile_last4'], unique=False)
        batch_op.create_index('ix_customers_province_tier_id', ['province', 'tier', 'id'], unique=False)
        batch_op.create_index('ix_customers_last_reviewed_at_created_at', ['last_reviewed_at', 'created_at'], unique=False)

    op.execute("ANALYZE customers" if postgres else "ANALYZE customers")
    op.execute("ANALYZE customer_search_grams")


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index('ix_customers_last_reviewed_at_created_at')
        batch_op.drop_index('ix_customers_province_tier_id')
        batch_op.drop_index(batch_op.f('ix_customers_mobile_last4'))
        batch_op.drop_column('mobile_last4')

    op.drop_table('customer_search_grams')
