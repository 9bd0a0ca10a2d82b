"""What the course keeps: exercises recorded done once (audited), quiz attempts scored and the
best shown, the course's satisfaction survey, the validation messages trainees met, and the
trainer's view of a class."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import now
from db.models import AuditEntry, CourseProgress, CourseQuizResult, TrainingMistake
from services.access.roles import PermissionDenied
from services.customers import mark_reviewed
from services.training.course import (
    FeedbackRefused,
    chapter,
    check_and_record,
    class_view,
    done,
    feedback_summary,
    my_best,
    record_mistakes,
    save_feedback,
    submit_quiz,
)
from services.training.course.progress import Mistake
from tests.support.course import CourseClass, make_class
from tests.support.factories import actor_for, make_customer, make_user


@pytest.fixture
def course(db: Session) -> CourseClass:
    return make_class(db)


def _audits(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_passed_check_is_recorded_once_and_audited(db: Session, course: CourseClass) -> None:
    trainee = course.actor(0)
    opened = now() + timedelta(hours=1)  # a trainee's exercises count from the class start
    verdict = check_and_record(db, trainee, "query", "review", opened_at=opened)
    assert not verdict.ok and done(db, trainee) == {}
    mark_reviewed(db, trainee, make_customer(db).id)
    db.commit()
    assert check_and_record(db, trainee, "query", "review", opened_at=opened).ok
    assert check_and_record(db, trainee, "query", "review", opened_at=opened).ok
    db.commit()
    assert list(done(db, trainee)) == [("query", "review")]
    assert db.scalar(select(func.count()).select_from(CourseProgress)) == 1
    assert [e.detail for e in _audits(db, "course.exercise_done")] == [
        {"chapter": "query", "exercise": "review"}]
    assert done(db, course.actor(1)) == {}


def test_a_question_keeps_its_answer(db: Session, course: CourseClass) -> None:
    trainee = course.actor(0)
    assert not check_and_record(db, trainee, "security", "trainer_phone", opened_at=now(),
                                answer="b").ok
    assert check_and_record(db, trainee, "security", "trainer_phone", opened_at=now(),
                            answer="a").ok
    db.commit()
    assert done(db, trainee)[("security", "trainer_phone")].answer == "a"


def test_outside_a_class_exercises_count_from_opening(db: Session, course: CourseClass) -> None:
    trainer = course.trainer_actor
    mark_reviewed(db, trainer, make_customer(db).id)
    db.commit()
    assert not check_and_record(db, trainer, "query", "review",
                                opened_at=now() + timedelta(seconds=5)).ok
    assert check_and_record(db, trainer, "query", "review",
                            opened_at=now() - timedelta(minutes=5)).ok


def test_quiz_scoring_keeps_every_attempt_and_shows_the_best(db: Session,
                                                             course: CourseClass) -> None:
    trainee = course.actor(0)
    quiz = chapter("security").quiz
    right = {q.id: q.correct for q in quiz}
    wrong = {q.id: next(o for o in q.options if o != q.correct) for q in quiz}
    assert my_best(db, trainee, "security") is None
    half = {**wrong, quiz[0].id: quiz[0].correct, quiz[1].id: quiz[1].correct}
    assert (submit_quiz(db, trainee, "security", half).score, len(quiz)) == (2, 4)
    assert submit_quiz(db, trainee, "security", right).score == 4
    assert submit_quiz(db, trainee, "security", {}).score == 0
    db.commit()
    best = my_best(db, trainee, "security")
    assert best is not None and (best.score, best.total, best.attempts) == (4, 4, 3)
    assert db.scalar(select(func.count()).select_from(CourseQuizResult)) == 3
    assert len(_audits(db, "course.quiz")) == 3
    assert my_best(db, course.actor(1), "security") is None


def test_every_quiz_has_three_to_five_questions_with_a_right_option() -> None:
    from services.training.course import CHAPTERS

    for ch in CHAPTERS:
        assert 3 <= len(ch.quiz) <= 5
        assert 3 <= len(ch.exercises) <= 6
        assert all(q.correct in q.options for q in ch.quiz)


def test_feedback_one_per_trainee_changeable(db: Session, course: CourseClass) -> None:
    a, b = course.actor(0), course.actor(1)
    save_feedback(db, a, 2, "太快")
    save_feedback(db, b, 5, None)
    save_feedback(db, a, 4, "  好多了  ")
    db.commit()
    summary = feedback_summary(db, course.trainer_actor, course.klass.id)
    assert summary.counts == (1, 1, 0, 0, 0) and summary.total == 2
    assert summary.average == 4.5
    assert [(r, c) for _, r, c in summary.comments] == [(4, "好多了")]
    assert len(_audits(db, "course.feedback")) == 3
    with pytest.raises(FeedbackRefused):
        save_feedback(db, a, 6, None)
    with pytest.raises(FeedbackRefused):
        save_feedback(db, a, 3, "长" * 1001)
    with pytest.raises(PermissionDenied):
        feedback_summary(db, a)


def test_mistakes_are_kept_for_trainees_only(db: Session, course: CourseClass) -> None:
    clerk = actor_for(make_user(db, "plain_clerk", "clerk"))
    met = [("validation.mobile.invalid", "mobile"), ("validation.required", "name")]
    assert record_mistakes(db, clerk, met) == 0
    assert record_mistakes(db, course.trainer_actor, met) == 0
    assert record_mistakes(db, course.actor(0), met) == 2
    assert record_mistakes(db, course.actor(1), met[:1]) == 1
    db.commit()
    rows = db.scalars(select(TrainingMistake)).all()
    assert {r.class_id for r in rows} == {course.klass.id}
    view = class_view(db, course.trainer_actor, course.klass.id)
    assert view.mistakes[0] == Mistake("validation.mobile.invalid", "mobile", 2, 2)
    assert view.mistakes[1].times == 1


def test_mistake_text_leaves_the_values_out() -> None:
    text = Mistake("validation.industry.invalid", "industry", 1, 1).text("zh")
    assert "行业" in text and "{" not in text


def test_class_view_shows_who_finished_what_and_their_best_scores(
        db: Session, course: CourseClass) -> None:
    other = make_class(db, name="二班", trainer=course.trainer, prefix="外")
    a = course.actor(0)
    check_and_record(db, a, "security", "trainer_phone", opened_at=now(), answer="a")
    submit_quiz(db, a, "security", {q.id: q.correct for q in chapter("security").quiz})
    check_and_record(db, other.actor(0), "security", "trainer_phone", opened_at=now(),
                     answer="a")
    db.commit()
    view = class_view(db, course.trainer_actor, course.klass.id)
    assert [p.username for p in view.trainees] == [u.username for u in course.trainees]
    assert list(view.done) == [course.trainees[0].id]
    assert ("security", "trainer_phone") in view.done[course.trainees[0].id]
    assert view.quizzes[(course.trainees[0].id, "security")].score == 4
    everyone = class_view(db, course.trainer_actor)
    assert len(everyone.trainees) == 4 and len(everyone.done) == 2
    with pytest.raises(PermissionDenied):
        class_view(db, a)
