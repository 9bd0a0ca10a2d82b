"""What a trainee has done in the course and what a trainer sees of it: exercises finished
(``course_progress``), quiz attempts (``course_quiz_results``), the course's own satisfaction
survey (``course_feedback``) and the validation messages trainees met (``training_mistakes``).

Finishing an exercise, taking a quiz and rating the course are a person's acts and audited.
A validation message met is the app's observation of a trainee, not a change anyone made to
the data: it is recorded without an audit entry, like other derived rows (churn scores).
"""

from __future__ import annotations

import json
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.i18n import CATALOG, has, t
from db.models import (
    CourseFeedback,
    CourseProgress,
    CourseQuizResult,
    TrainingClass,
    TrainingMistake,
    User,
)
from services.access import audit
from services.access.roles import Actor, Perm
from services.training.course.checks import Verdict, check
from services.training.course.content import CHAPTER_IDS, chapter

MAX_COMMENT = 1000


def class_of(session: Session, actor: Actor) -> TrainingClass | None:
    """The actor's training class, if they are a trainee."""
    if actor.user_id is None:
        return None
    class_id = session.scalar(select(User.training_class_id).where(User.id == actor.user_id))
    return session.get(TrainingClass, class_id) if class_id is not None else None


def since_for(session: Session, actor: Actor, opened_at: datetime) -> datetime:
    """From when an exercise counts: a trainee's class start, else when the person opened
    the exercise (``opened_at``)."""
    found = class_of(session, actor)
    return found.created_at if found is not None else opened_at


# ---- exercises ------------------------------------------------------------------------------

def done(session: Session, actor: Actor, chapter_id: str | None = None
         ) -> dict[tuple[str, str], CourseProgress]:
    """This actor's finished exercises (of one chapter, or all), by (chapter, exercise)."""
    actor.require(Perm.COURSE)
    stmt = select(CourseProgress).where(CourseProgress.user_id == actor.user_id)
    if chapter_id is not None:
        stmt = stmt.where(CourseProgress.chapter == chapter_id)
    return {(p.chapter, p.exercise): p for p in session.scalars(stmt)}


def check_and_record(session: Session, actor: Actor, chapter_id: str, exercise_id: str, *,
                     opened_at: datetime, answer: str | None = None) -> Verdict:
    """Check the exercise; when it passes, record it done (once) with the answer given."""
    since = since_for(session, actor, opened_at)
    verdict = check(session, actor, chapter_id, exercise_id, since, answer)
    if not verdict.ok or actor.user_id is None:
        return verdict
    if session.scalar(select(CourseProgress.id).where(
            CourseProgress.user_id == actor.user_id, CourseProgress.chapter == chapter_id,
            CourseProgress.exercise == exercise_id)) is None:
        session.add(CourseProgress(user_id=actor.user_id, chapter=chapter_id,
                                   exercise=exercise_id, done_at=clock.now(),
                                   answer=(answer or None) and answer[:2000]))
        audit.record(session, actor, "course.exercise_done", "user", actor.user_id,
                     detail={"chapter": chapter_id, "exercise": exercise_id})
        session.flush()
    return verdict


# ---- quizzes --------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuizScore:
    score: int
    total: int
    attempts: int = 1


def submit_quiz(session: Session, actor: Actor, chapter_id: str,
                answers: Mapping[str, str | None]) -> QuizScore:
    """Score one attempt at a chapter's quiz and keep it (every attempt is kept)."""
    actor.require(Perm.COURSE)
    questions = chapter(chapter_id).quiz
    picked = {q.id: answers.get(q.id) for q in questions}
    score = sum(1 for q in questions if picked[q.id] == q.correct)
    session.add(CourseQuizResult(user_id=actor.user_id, chapter=chapter_id, score=score,
                                 total=len(questions), answers=json.dumps(picked),
                                 taken_at=clock.now()))
    audit.record(session, actor, "course.quiz", "user", actor.user_id,
                 detail={"chapter": chapter_id, "score": score, "total": len(questions)})
    session.flush()
    return QuizScore(score, len(questions))


def best_scores(session: Session, user_ids: Iterable[int]) -> dict[tuple[int, str], QuizScore]:
    """The best attempt per (user, chapter), with the number of attempts."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(CourseQuizResult.user_id, CourseQuizResult.chapter,
               func.max(CourseQuizResult.score), func.max(CourseQuizResult.total),
               func.count())
        .where(CourseQuizResult.user_id.in_(ids))
        .group_by(CourseQuizResult.user_id, CourseQuizResult.chapter))
    return {(int(u), c): QuizScore(int(s), int(t), int(n)) for u, c, s, t, n in rows}


def my_best(session: Session, actor: Actor, chapter_id: str) -> QuizScore | None:
    actor.require(Perm.COURSE)
    if actor.user_id is None:
        return None
    return best_scores(session, [actor.user_id]).get((actor.user_id, chapter_id))


# ---- the course's satisfaction survey -------------------------------------------------------

class FeedbackRefused(CatalogError):
    """A rating out of 1–5 or a comment too long."""


def save_feedback(session: Session, actor: Actor, rating: int | None,
                  comment: str | None) -> CourseFeedback:
    """This actor's rating of the course (one per person; a new one replaces theirs)."""
    actor.require(Perm.COURSE)
    if rating not in (1, 2, 3, 4, 5):
        raise FeedbackRefused("course.feedback.error.rating")
    text = (comment or "").strip() or None
    if text is not None and len(text) > MAX_COMMENT:
        raise FeedbackRefused("course.feedback.error.comment")
    stamp = clock.now()
    row = session.scalar(select(CourseFeedback).where(CourseFeedback.user_id == actor.user_id))
    found = class_of(session, actor)
    before = {"rating": row.rating, "comment": row.comment} if row is not None else {}
    if row is None:
        row = CourseFeedback(user_id=actor.user_id, created_at=stamp)
        session.add(row)
    row.class_id = found.id if found is not None else None
    row.rating, row.comment, row.updated_at = rating, text, stamp
    session.flush()
    audit.record(session, actor, "course.feedback", "user", actor.user_id,
                 changes=audit.diff(before, {"rating": rating, "comment": text}))
    return row


def my_feedback(session: Session, actor: Actor) -> CourseFeedback | None:
    actor.require(Perm.COURSE)
    return session.scalar(select(CourseFeedback).where(CourseFeedback.user_id == actor.user_id))


@dataclass(frozen=True)
class FeedbackSummary:
    counts: tuple[int, int, int, int, int]
    """Ratings 5 (非常满意) … 1 (非常不满意), in that order."""
    average: float | None
    comments: list[tuple[datetime, int, str]]
    """(when, rating, comment), newest first."""

    @property
    def total(self) -> int:
        return sum(self.counts)


def feedback_summary(session: Session, actor: Actor,
                     class_id: int | None = None) -> FeedbackSummary:
    """The course's ratings (of one class, or everyone's) for the trainer."""
    actor.require(Perm.RUN_CLASS)
    stmt = select(CourseFeedback)
    if class_id is not None:
        stmt = stmt.where(CourseFeedback.class_id == class_id)
    rows = list(session.scalars(stmt.order_by(CourseFeedback.updated_at.desc())))
    by = Counter(r.rating for r in rows)
    counts = (by[5], by[4], by[3], by[2], by[1])
    average = round(sum(r.rating for r in rows) / len(rows), 2) if rows else None
    return FeedbackSummary(counts, average,  # type: ignore[arg-type]
                           [(r.updated_at, r.rating, r.comment) for r in rows if r.comment])


# ---- mistakes -------------------------------------------------------------------------------

def record_mistakes(session: Session, actor: Actor,
                    met: Iterable[tuple[str, str | None]]) -> int:
    """Keep the validation messages a trainee met, ``(message key, field)`` each; nothing for
    anyone else. Only the key and the field: never the value typed."""
    if not actor.trainee or actor.user_id is None:
        return 0
    found = class_of(session, actor)
    stamp = clock.now()
    rows = [TrainingMistake(user_id=actor.user_id, class_id=found.id if found else None,
                            message_key=key[:80], field=(name or None) and name[:50],
                            created_at=stamp) for key, name in met]
    session.add_all(rows)
    session.flush()
    return len(rows)


# ---- the trainer's view of a class ----------------------------------------------------------

@dataclass(frozen=True)
class Trainee:
    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class Mistake:
    message_key: str
    field: str | None
    times: int
    trainees: int

    def text(self, lang: str = "zh") -> str:
        """The message as trainees read it, its values left out (only the key was kept): the
        field's name filled in, any other placeholder shown as "…"."""
        if not has(self.message_key):
            return self.message_key
        zh, en = CATALOG[self.message_key]
        label_key = f"field.{self.field or 'contact'}"
        values: defaultdict[str, str] = defaultdict(lambda: "…")
        if has(label_key):
            values["field"] = t(label_key, lang)
        return string.Formatter().vformat(en if lang == "en" else zh, (), values)


@dataclass
class ClassView:
    trainees: list[Trainee]
    done: dict[int, dict[tuple[str, str], datetime]] = field(default_factory=dict)
    """Per trainee id: (chapter, exercise) → when it was finished."""
    quizzes: dict[tuple[int, str], QuizScore] = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)


def classes(session: Session, actor: Actor) -> list[TrainingClass]:
    """Every class, newest first."""
    actor.require(Perm.RUN_CLASS)
    return list(session.scalars(select(TrainingClass).order_by(TrainingClass.created_at.desc(),
                                                               TrainingClass.id.desc())))


def class_view(session: Session, actor: Actor, class_id: int | None = None, *,
               mistakes: int = 10) -> ClassView:
    """The trainees of a class (every trainee when ``class_id`` is None), what each finished
    and when, their best quiz scores, and the messages the class met most."""
    actor.require(Perm.RUN_CLASS)
    users = select(User).where(User.training_class_id.is_not(None))
    if class_id is not None:
        users = users.where(User.training_class_id == class_id)
    people = [Trainee(u.id, u.username, u.display_name)
              for u in session.scalars(users.order_by(User.username))]
    view = ClassView(people)
    ids = [p.id for p in people]
    if not ids:
        return view
    finished: dict[int, dict[tuple[str, str], datetime]] = defaultdict(dict)
    for row in session.scalars(select(CourseProgress).where(CourseProgress.user_id.in_(ids))):
        if row.chapter in CHAPTER_IDS:
            finished[row.user_id][(row.chapter, row.exercise)] = row.done_at
    view.done = dict(finished)
    view.quizzes = best_scores(session, ids)
    view.mistakes = [Mistake(key, name, int(times), int(who)) for key, name, times, who in
                     session.execute(
                         select(TrainingMistake.message_key, TrainingMistake.field,
                                func.count(), func.count(func.distinct(TrainingMistake.user_id)))
                         .where(TrainingMistake.user_id.in_(ids))
                         .group_by(TrainingMistake.message_key, TrainingMistake.field)
                         .order_by(func.count().desc(), TrainingMistake.message_key)
                         .limit(mistakes))]
    return view


__all__ = ["ClassView", "FeedbackRefused", "FeedbackSummary", "Mistake", "QuizScore",
           "Trainee", "best_scores", "check_and_record", "class_of", "class_view", "classes",
           "done", "feedback_summary", "my_best", "my_feedback", "record_mistakes",
           "save_feedback", "since_for", "submit_quiz"]
