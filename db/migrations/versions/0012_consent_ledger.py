"""consent_ledger: consent (个人信息授权) per purpose, every grant and withdrawal kept

data-protection.md "Consent": each customer has a consent state per purpose (服务, 营销); each
grant or withdrawal is a ledger entry (purpose, granted or withdrawn, when, channel, who, an
evidence note) and the current state is the latest entry. ``consent_ledger`` holds the
entries; ``customers.consent_service`` / ``consent_marketing`` cache the current state (True,
False, NULL: never recorded) for list filters and the marketing export.

The three earlier columns (``consent_given_at``, free-text ``consent_scope`` and
``consent_channel``; only demo data ever filled them) become ledger entries: a 服务 grant at
``consent_given_at``, and a 营销 grant too when the scope named marketing (营销) or every
channel (全部); channel 其他, recorded by 系统迁移 with the old scope and channel as the note.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 16:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ('consent_given_at', 'consent_scope', 'consent_channel')
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'consent_ledger',
        sa.Column('id', _BIG_ID, nullable=False),
        sa.Column('customer_id', _BIG_ID, nullable=False),
        sa.Column('purpose', sa.String(length=4), nullable=False),
        sa.Column('granted', sa.Boolean(), nullable=False),
        sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('channel', sa.String(length=4), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=50), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('import_id', _BIG_ID, nullable=True),
        sa.CheckConstraint("purpose in ('服务', '营销')", name=op.f('ck_consent_ledger_purpose')),
        sa.CheckConstraint("channel in ('表单', '电话', '在线', '拜访', '导入', '其他')",
                           name=op.f('ck_consent_ledger_channel')),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                                name=op.f('fk_consent_ledger_customer_id_customers'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_consent_ledger_user_id_users')),
        sa.ForeignKeyConstraint(['import_id'], ['imports.id'],
                                name=op.f('fk_consent_ledger_import_id_imports'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_ledger')),
    )
    op.create_index('ix_consent_ledger_customer_id_purpose_at', 'consent_ledger',
                    ['customer_id', 'purpose', 'at'], unique=False)
    op.create_index(op.f('ix_consent_ledger_import_id'), 'consent_ledger', ['import_id'],
                    unique=False)
    op.add_column('customers', sa.Column('consent_service', sa.Boolean(), nullable=True))
    op.add_column('customers', sa.Column('consent_marketing', sa.Boolean(), nullable=True))

    note = ("'迁移自原授权记录：' || coalesce(consent_scope, '') || ' / ' "
            "|| coalesce(consent_channel, '')")
    true = 'true' if op.get_bind().dialect.name == 'postgresql' else '1'
    marketing = "(consent_scope LIKE '%营销%' OR consent_scope LIKE '%全部%')"
    op.execute(f"""
        INSERT INTO consent_ledger (customer_id, purpose, granted, at, channel, user_id,
                                    username, note)
        SELECT id, '服务', {true}, consent_given_at, '其他', NULL, '系统迁移', {note}
        FROM customers WHERE consent_given_at IS NOT NULL
    """)
    op.execute(f"""
        INSERT INTO consent_ledger (customer_id, purpose, granted, at, channel, user_id,
                                    username, note)
        SELECT id, '营销', {true}, consent_given_at, '其他', NULL, '系统迁移', {note}
        FROM customers WHERE consent_given_at IS NOT NULL AND {marketing}
    """)
    op.execute(f"UPDATE customers SET consent_service = {true} "
               "WHERE consent_given_at IS NOT NULL")
    op.execute(f"UPDATE customers SET consent_marketing = {true} "
               f"WHERE consent_given_at IS NOT NULL AND {marketing}")
    for column in _OLD:
        op.drop_column('customers', column)


def downgrade() -> None:
    op.add_column('customers', sa.Column('consent_given_at', db.types.UTCDateTime(timezone=True),
                                         nullable=True))
    op.add_column('customers', sa.Column('consent_scope', sa.String(length=100), nullable=True))
    op.add_column('customers', sa.Column('consent_channel', sa.String(length=20),
                                         nullable=True))
    op.drop_column('customers', 'consent_marketing')
    op.drop_column('customers', 'consent_service')
    op.drop_index(op.f('ix_consent_ledger_import_id'), table_name='consent_ledger')
    op.drop_index('ix_consent_ledger_customer_id_purpose_at', table_name='consent_ledger')
    op.drop_table('consent_ledger')
