"""The course's outline (issue 17): seven chapters, each with its exercises and its quiz.

Only ids and the shape live here; every text is in the catalog (``core/i18n/course.py``):
``course.<chapter>.title|goals|explain``, ``course.ex.<chapter>.<exercise>.task|hint`` (and
``.opt.<option>`` for a choice), ``course.quiz.<chapter>.<question>.text|opt.<option>``.
How an exercise is checked is in ``services.training.course.checks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    ACTION = "action"   # done on the live app; checked from the database
    CHOICE = "choice"   # a question answered by picking one option
    ANSWER = "answer"   # a question answered with text (customer numbers, a count)


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: Kind
    options: tuple[str, ...] = ()
    page: str | None = None
    """The page where it is done (a link next to the task)."""


@dataclass(frozen=True)
class Question:
    id: str
    options: tuple[str, ...]
    correct: str


@dataclass(frozen=True)
class Chapter:
    id: str
    exercises: tuple[Exercise, ...]
    quiz: tuple[Question, ...]

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)


NEW = "screens/customers/new.py"
LIST = "screens/customers/list.py"
FOLLOW_UPS = "screens/service/follow_ups.py"
COMPLAINTS = "screens/service/complaints.py"
RENEWALS = "screens/service/renewals.py"

A, B, C, D = "a", "b", "c", "d"

CHAPTERS: tuple[Chapter, ...] = (
    Chapter("overview", (
        Exercise("org_type", Kind.CHOICE, (A, B, C)),
        Exercise("tier_rule", Kind.CHOICE, ("白银", "黄金", "铂金", "钻石")),
        Exercise("finance_firms", Kind.ANSWER, page=LIST),
        Exercise("set_industry", Kind.ACTION, page=LIST),
    ), (
        Question("types", (A, B, C), B),
        Question("tiers", (A, B, C), C),
        Question("value", (A, B, C), A),
    )),
    Chapter("collect", (
        Exercise("org_customer", Kind.ACTION, page=NEW),
        Exercise("person_complete", Kind.ACTION, page=NEW),
        Exercise("consent_service", Kind.ACTION, page=NEW),
        Exercise("minimal", Kind.CHOICE, (A, B, C)),
    ), (
        Question("required", (A, B, C), C),
        Question("mobile", (A, B, C), A),
        Question("consent", (A, B, C), B),
        Question("credit_code", (A, B, C), C),
    )),
    Chapter("profile", (
        Exercise("add_order", Kind.ACTION, page=LIST),
        Exercise("add_contact", Kind.ACTION, page=LIST),
        Exercise("fix_address", Kind.ACTION, page=LIST),
        Exercise("duplicate", Kind.CHOICE, (A, B, C)),
    ), (
        Question("layers", (A, B, C), A),
        Question("one_profile", (A, B, C), B),
        Question("concurrent", (A, B, C), C),
    )),
    Chapter("query", (
        Exercise("gd_platinum_open", Kind.ANSWER, page=LIST),
        Exercise("churned_people", Kind.ANSWER, page=LIST),
        Exercise("review", Kind.ACTION, page=LIST),
    ), (
        Question("keys", (A, B, C), A),
        Question("tail", (A, B, C), B),
        Question("hidden", (A, B, C), C),
    )),
    Chapter("analysis", (
        Exercise("visit_top_risk", Kind.ACTION),
        Exercise("risk_score", Kind.CHOICE, (A, B, C, D)),
        Exercise("lifecycle", Kind.CHOICE, ("新客户", "稳定", "老客户", "流失")),
        Exercise("renewal", Kind.ACTION, page=RENEWALS),
    ), (
        Question("churn_list", (A, B, C), B),
        Question("renewal_rate", (A, B, C), A),
        Question("kpi", (A, B, C), C),
    )),
    Chapter("service", (
        Exercise("record_visit", Kind.ACTION, page=FOLLOW_UPS),
        Exercise("complaint_resolve", Kind.ACTION, page=COMPLAINTS),
        Exercise("survey", Kind.ACTION, page=LIST),
        Exercise("auto_visits", Kind.CHOICE, (A, B, C)),
    ), (
        Question("complaint_flow", (A, B, C), A),
        Question("overdue", (A, B, C), B),
        Question("scale", (A, B, C), C),
    )),
    Chapter("security", (
        Exercise("trainer_phone", Kind.CHOICE, (A, B, C)),
        Exercise("masked_export", Kind.ACTION, page=LIST),
        Exercise("audit_reader", Kind.CHOICE, (A, B, C)),
        Exercise("person_copy", Kind.CHOICE, (A, B, C)),
        Exercise("backup_keys", Kind.CHOICE, (A, B, C)),
    ), (
        Question("encrypted", (A, B, C), B),
        Question("reveal", (A, B, C), A),
        Question("erasure", (A, B, C), C),
        Question("audit_chain", (A, B, C), A),
    )),
)

CHAPTER_IDS: tuple[str, ...] = tuple(c.id for c in CHAPTERS)


def chapter(chapter_id: str) -> Chapter:
    for ch in CHAPTERS:
        if ch.id == chapter_id:
            return ch
    raise KeyError(chapter_id)


__all__ = ["CHAPTERS", "CHAPTER_IDS", "Chapter", "Exercise", "Kind", "Question", "chapter"]
