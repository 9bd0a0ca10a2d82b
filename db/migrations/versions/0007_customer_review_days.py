"""customers per review day: the "review overdue" total without counting most customers

At a million customers about 720,000 are overdue for review, and counting that many index
entries takes PostgreSQL 65-80 ms, against the lookup's 50 ms. ``customer_review_days`` holds,
per UTC day, how many customers (deleted included) were last reviewed on that day, or created
on it if never reviewed. Triggers append deltas (+1 on insert, -1 and +1 when the review day
moves, -1 on delete): rows are only ever inserted, so concurrent writers never wait on a
shared counter row. ``services.customers.review_days`` sums them and compacts them into one row per day.

PostgreSQL: statement-level triggers over transition tables (one aggregate per statement, so
a COPY of 100,000 customers adds a handful of rows). SQLite has only row triggers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 13:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_DAY = "(coalesce(last_reviewed_at, created_at) AT TIME ZONE 'UTC')::date"
SQLITE_DAY = "date(coalesce({row}.last_reviewed_at, {row}.created_at))"

PG_FUNCTION = f"""
CREATE FUNCTION customer_review_days_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_review_days (day, customers)
    SELECT {PG_DAY}, count(*) FROM new_rows GROUP BY 1;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO customer_review_days (day, customers)
    SELECT {PG_DAY}, -count(*) FROM old_rows GROUP BY 1;
  ELSE
    INSERT INTO customer_review_days (day, customers)
    SELECT day, sum(n) FROM (
      SELECT {PG_DAY} AS day, -1 AS n FROM old_rows
      UNION ALL
      SELECT {PG_DAY}, 1 FROM new_rows) AS moves
    GROUP BY day HAVING sum(n) <> 0;
  END IF;
  RETURN NULL;
END
$$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER customers_review_days_insert AFTER INSERT ON customers "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION customer_review_days_track()",
    "CREATE TRIGGER customers_review_days_update AFTER UPDATE ON customers "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION customer_review_days_track()",
    "CREATE TRIGGER customers_review_days_delete AFTER DELETE ON customers "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION customer_review_days_track()",
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER customers_review_days_insert AFTER INSERT ON customers BEGIN "
    "INSERT INTO customer_review_days (day, customers) "
    f"VALUES ({SQLITE_DAY.format(row='NEW')}, 1); END",
    "CREATE TRIGGER customers_review_days_update "
    "AFTER UPDATE OF last_reviewed_at, created_at ON customers "
    f"WHEN {SQLITE_DAY.format(row='OLD')} IS NOT {SQLITE_DAY.format(row='NEW')} BEGIN "
    "INSERT INTO customer_review_days (day, customers) "
    f"VALUES ({SQLITE_DAY.format(row='OLD')}, -1), ({SQLITE_DAY.format(row='NEW')}, 1); END",
    "CREATE TRIGGER customers_review_days_delete AFTER DELETE ON customers BEGIN "
    "INSERT INTO customer_review_days (day, customers) "
    f"VALUES ({SQLITE_DAY.format(row='OLD')}, -1); END",
)
TRIGGER_NAMES = ("customers_review_days_insert", "customers_review_days_update",
                 "customers_review_days_delete")


def upgrade() -> None:
    op.create_table(
        'customer_review_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('customers', sa.Integer(), nullable=False),
    )
    op.create_index('ix_customer_review_days_day_customers', 'customer_review_days',
                    ['day', 'customers'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
        day = PG_DAY
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        day = SQLITE_DAY.format(row='customers')
    op.execute("INSERT INTO customer_review_days (day, customers) "  # noqa: S608 - constant
               f"SELECT {day}, count(*) FROM customers GROUP BY 1")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER {name}" + (" ON customers" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION customer_review_days_track()")
    op.drop_index('ix_customer_review_days_day_customers', table_name='customer_review_days')
    op.drop_table('customer_review_days')
