"""Migration 0014 (training, issue 17): the training tables and users.training_class_id come
and go with upgrade / downgrade on both databases, a database with users and classes included;
the constraints of TRAINING_SCHEMA.md hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import now
from core.vocab import Role
from db.migrate import downgrade, upgrade
from db.models import CourseFeedback, CourseProgress, TrainingClass, User
from tests.support.factories import actor_for, make_user

TABLES = {"training_classes", "course_progress", "course_quiz_results", "course_feedback",
          "training_mistakes"}


def _class_with_trainee(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        trainer = make_user(session, "trainer", role=Role.TRAINER)
        cls = TrainingClass(name="一班", dataset="general", created_by=trainer.id,
                            created_at=now(), expires_at=now() + timedelta(days=7))
        session.add(cls)
        session.flush()
        trainee = make_user(session, "c1-01")
        trainee.training_class_id = cls.id
        session.add(CourseProgress(user_id=trainee.id, chapter="overview", exercise="e1",
                                   done_at=now()))
        session.commit()
        return cls.id, trainee.id


def test_training_tables_go_down_and_up_again_with_data(engine: Engine) -> None:
    class_id, trainee_id = _class_with_trainee(engine)
    downgrade(engine, "0013")
    found = inspect(engine)
    assert not TABLES & set(found.get_table_names())
    assert "training_class_id" not in {c["name"] for c in found.get_columns("users")}
    with engine.connect() as conn:  # the users themselves stay
        assert conn.scalar(select(User.__table__.c.username).where(
            User.__table__.c.id == trainee_id)) == "c1-01"
    upgrade(engine)
    found = inspect(engine)
    assert set(found.get_table_names()) >= TABLES
    keys = found.get_foreign_keys("users")
    assert [k["referred_table"] for k in keys if k["constrained_columns"] ==
            ["training_class_id"]] == ["training_classes"]
    with Session(engine) as session:
        assert session.get(User, trainee_id).training_class_id is None
        assert session.get(TrainingClass, class_id) is None


def test_trainee_actor_and_schema_constraints(engine: Engine) -> None:
    class_id, trainee_id = _class_with_trainee(engine)
    with Session(engine) as session:
        trainee = session.get(User, trainee_id)
        assert actor_for(trainee).trainee
        assert not actor_for(session.scalar(select(User).where(
            User.username == "trainer"))).trainee
        session.add(CourseProgress(user_id=trainee_id, chapter="overview", exercise="e1",
                                   done_at=now()))
        with pytest.raises(IntegrityError):  # one row per exercise
            session.flush()
        session.rollback()
        session.add(CourseFeedback(user_id=trainee_id, class_id=class_id, rating=6,
                                   created_at=now(), updated_at=now()))
        with pytest.raises(IntegrityError):  # the 5-level scale
            session.flush()
        session.rollback()
        trainee = session.get(User, trainee_id)
        trainee.training_class_id = class_id + 100
        with pytest.raises(IntegrityError):  # a class that exists
            session.flush()
        session.rollback()
        session.add(TrainingClass(name="一班", dataset="general", created_at=now(),
                                  expires_at=now()))
        with pytest.raises(IntegrityError):  # names are unique
            session.flush()
