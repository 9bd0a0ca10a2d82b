"""The course of issue 17 (培训模式): seven chapters with exercises checked from what a trainee
did, a quiz per chapter, the course's satisfaction survey, and the trainer's view of a class.

- ``content``: the outline (``CHAPTERS``, ``chapter``, ``Kind``); the texts are in the catalog.
- ``checks``: how each exercise is checked (``check`` → ``Verdict``), ``top_risk`` (the head
  of the churn list an exercise names), ``text_params`` (figures a task names).
- ``progress``: ``check_and_record``, ``done``, ``submit_quiz``, ``my_best``,
  ``save_feedback``, ``my_feedback``, ``feedback_summary``, ``record_mistakes``,
  ``classes``, ``class_view``.
"""

from services.training.course.checks import TOP_RISK, Verdict, check, text_params, top_risk
from services.training.course.content import CHAPTER_IDS, CHAPTERS, Chapter, Kind, chapter
from services.training.course.progress import (
    ClassView,
    FeedbackRefused,
    FeedbackSummary,
    QuizScore,
    check_and_record,
    class_view,
    classes,
    done,
    feedback_summary,
    my_best,
    my_feedback,
    record_mistakes,
    save_feedback,
    submit_quiz,
)

__all__ = ["CHAPTERS", "CHAPTER_IDS", "TOP_RISK", "Chapter", "ClassView", "FeedbackRefused",
           "FeedbackSummary", "Kind", "QuizScore", "Verdict", "chapter", "check",
           "check_and_record", "class_view", "classes", "done", "feedback_summary", "my_best",
           "my_feedback", "record_mistakes", "save_feedback", "submit_quiz", "text_params",
           "top_risk"]
