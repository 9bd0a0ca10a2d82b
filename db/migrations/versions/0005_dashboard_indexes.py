"""dashboards: covering indexes of the KPI aggregates, churn risk snapshot

Each index lets one dashboard aggregate read a period's rows from the index alone (no table
lookup per row): the date (or instant) first, then the columns the aggregate needs.
``churn_scores``/``churn_state`` hold the customers at churn risk, kept by
``services.analysis.churn`` (derived data: rebuilt, never edited).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')

INDEXES = (
    ('ix_customers_deleted_at_created_at', 'customers', ['deleted_at', 'created_at']),
    ('ix_customers_last_order_at_id', 'customers', ['last_order_at', 'id']),
    ('ix_interactions_occurred_at_customer_id', 'interactions', ['occurred_at', 'customer_id']),
    ('ix_follow_ups_done_date_customer_id', 'follow_ups', ['done_date', 'customer_id']),
    ('ix_orders_order_date_customer_id_amount', 'orders',
     ['order_date', 'customer_id', 'amount']),
    ('ix_complaints_resolved_at_received_at_closed_at', 'complaints',
     ['resolved_at', 'received_at', 'closed_at', 'resolution_minutes', 'customer_id']),
    ('ix_surveys_survey_date_score_customer_id', 'surveys',
     ['survey_date', 'score', 'customer_id']),
    ('ix_renewals_due_date_outcome_amount', 'renewals',
     ['due_date', 'outcome', 'amount', 'customer_id']),
    # The chart pages (services.analysis.composition, complaint_charts, account_managers).
    ('ix_customers_composition', 'customers',
     ['tier', 'customer_type', 'lifecycle', 'industry', 'province', 'account_manager_id',
      'created_at', 'deleted_at', 'first_order_at']),
    ('ix_customers_id_manager', 'customers', ['id', 'account_manager_id', 'tier', 'deleted_at']),
    ('ix_complaints_received_at_cover', 'complaints',
     ['received_at', 'customer_id', 'channel', 'complaint_type', 'status']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_table(
        'churn_scores',
        sa.Column('customer_id', BigId, nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('flags', sa.Integer(), nullable=False),
        sa.Column('spend', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                                name=op.f('fk_churn_scores_customer_id_customers'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_churn_scores')),
    )
    op.create_index('ix_churn_scores_score_spend_customer_id', 'churn_scores',
                    ['score', 'spend', 'customer_id'], unique=False)
    op.create_table(
        'churn_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('rules', sa.String(length=300), nullable=False),
        sa.Column('marks', sa.JSON(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=True),
        sa.Column('rebuilt_at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('refreshed_at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_churn_state')),
    )


def downgrade() -> None:
    op.drop_table('churn_state')
    op.drop_index('ix_churn_scores_score_spend_customer_id', table_name='churn_scores')
    op.drop_table('churn_scores')
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
