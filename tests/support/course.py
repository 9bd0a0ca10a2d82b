"""A class of trainees for the course's tests, without the class helper's services: a trainer,
a class that began a minute ago, and trainee accounts (clerks with ``training_class_id``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from core.clock import now
from core.vocab import Role
from db.models import TrainingClass, User
from services.access.roles import Actor
from tests.support.factories import actor_for, make_user


@dataclass
class CourseClass:
    trainer: User
    klass: TrainingClass
    trainees: list[User]

    def actor(self, index: int) -> Actor:
        return actor_for(self.trainees[index])

    @property
    def trainer_actor(self) -> Actor:
        return actor_for(self.trainer)


def make_class(db: Session, *, trainees: int = 2, name: str = "一班",
               trainer: User | None = None, prefix: str = "学员") -> CourseClass:
    trainer = trainer or make_user(db, f"trainer_{name}", Role.TRAINER)
    stamp = now()
    klass = TrainingClass(name=name, dataset="general", created_by=trainer.id,
                          created_at=stamp - timedelta(minutes=1),
                          expires_at=stamp + timedelta(days=7))
    db.add(klass)
    db.flush()
    people = []
    for n in range(1, trainees + 1):
        user = make_user(db, f"{prefix}{name}{n:02d}", Role.CLERK,
                         display_name=f"{prefix}{n:02d}")
        user.training_class_id = klass.id
        people.append(user)
    db.commit()
    return CourseClass(trainer, klass, people)
