"""training: classes of trainees and their course (issue 17)

``training_classes`` (a trainer's class on a demo database: dataset, starting snapshot,
expiry, closing); ``users.training_class_id`` (a user with a class is a trainee);
``course_progress`` (exercises done), ``course_quiz_results`` (every quiz attempt),
``course_feedback`` (one 5-level rating per user) and ``training_mistakes`` (validation
messages trainees met, by key). The contract of these names: TRAINING_SCHEMA.md.

``users`` and ``training_classes`` point at each other, so the users key is added after the
classes table (on SQLite as a column constraint: SQLite cannot add a table constraint).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 01:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AT = db.types.UTCDateTime(timezone=True)
_USERS_FK = 'fk_users_training_class_id_training_classes'


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                   name=op.f(f'fk_{table}_user_id_users'))


def _class_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'],
                                   name=op.f(f'fk_{table}_class_id_training_classes'))


def upgrade() -> None:
    op.create_table(
        'training_classes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('dataset', sa.String(length=20), nullable=False),
        sa.Column('snapshot_name', sa.String(length=100), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', _AT, nullable=False),
        sa.Column('expires_at', _AT, nullable=False),
        sa.Column('closed_at', _AT, nullable=True),
        sa.CheckConstraint("dataset in ('general', 'retail', 'finance', 'healthcare')",
                           name=op.f('ck_training_classes_dataset')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                                name=op.f('fk_training_classes_created_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_training_classes')),
        sa.UniqueConstraint('name', name=op.f('uq_training_classes_name')),
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE users ADD COLUMN training_class_id INTEGER '
                   f'CONSTRAINT {_USERS_FK} REFERENCES training_classes (id)')
    else:
        op.add_column('users', sa.Column('training_class_id', sa.Integer(), nullable=True))
        op.create_foreign_key(_USERS_FK, 'users', 'training_classes',
                              ['training_class_id'], ['id'])
    op.create_index(op.f('ix_users_training_class_id'), 'users', ['training_class_id'])

    op.create_table(
        'course_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('chapter', sa.String(length=30), nullable=False),
        sa.Column('exercise', sa.String(length=50), nullable=False),
        sa.Column('done_at', _AT, nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        _user_fk('course_progress'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_progress')),
        sa.UniqueConstraint('user_id', 'chapter', 'exercise',
                            name=op.f('uq_course_progress_user_id_chapter_exercise')),
    )
    op.create_index(op.f('ix_course_progress_user_id'), 'course_progress', ['user_id'])

    op.create_table(
        'course_quiz_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('chapter', sa.String(length=30), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('answers', sa.Text(), nullable=False),
        sa.Column('taken_at', _AT, nullable=False),
        _user_fk('course_quiz_results'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_quiz_results')),
    )
    op.create_index(op.f('ix_course_quiz_results_user_id'), 'course_quiz_results',
                    ['user_id'])

    op.create_table(
        'course_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=True),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', _AT, nullable=False),
        sa.Column('updated_at', _AT, nullable=False),
        sa.CheckConstraint('rating between 1 and 5', name=op.f('ck_course_feedback_rating')),
        _user_fk('course_feedback'),
        _class_fk('course_feedback'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_feedback')),
        sa.UniqueConstraint('user_id', name=op.f('uq_course_feedback_user_id')),
    )
    op.create_index(op.f('ix_course_feedback_class_id'), 'course_feedback', ['class_id'])

    op.create_table(
        'training_mistakes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('class_id', sa.Integer(), nullable=True),
        sa.Column('message_key', sa.String(length=80), nullable=False),
        sa.Column('field', sa.String(length=50), nullable=True),
        sa.Column('created_at', _AT, nullable=False),
        _user_fk('training_mistakes'),
        _class_fk('training_mistakes'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_training_mistakes')),
    )
    op.create_index(op.f('ix_training_mistakes_user_id'), 'training_mistakes', ['user_id'])
    op.create_index('ix_training_mistakes_class_id_message_key', 'training_mistakes',
                    ['class_id', 'message_key'])


def downgrade() -> None:
    op.drop_index('ix_training_mistakes_class_id_message_key', table_name='training_mistakes')
    op.drop_index(op.f('ix_training_mistakes_user_id'), table_name='training_mistakes')
    op.drop_table('training_mistakes')
    op.drop_index(op.f('ix_course_feedback_class_id'), table_name='course_feedback')
    op.drop_table('course_feedback')
    op.drop_index(op.f('ix_course_quiz_results_user_id'), table_name='course_quiz_results')
    op.drop_table('course_quiz_results')
    op.drop_index(op.f('ix_course_progress_user_id'), table_name='course_progress')
    op.drop_table('course_progress')
    op.drop_index(op.f('ix_users_training_class_id'), table_name='users')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(_USERS_FK, 'users', type_='foreignkey')
    op.execute('ALTER TABLE users DROP COLUMN training_class_id')
    op.drop_table('training_classes')
