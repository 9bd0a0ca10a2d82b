"""满意度调查: a customer's satisfaction surveys — add, correct, delete — and the latest score
and trend the profile shows.

A score is 1–5 with the five levels of ``core.vocab.SATISFACTION_LABELS`` (5 非常满意 …
1 非常不满意); the form may send the number or the level's name. A survey may be linked to the
complaint whose handling it rates (``complaint_id``, set when the complaint is resolved).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.i18n import label
from core.vocab import SATISFACTION_LABELS
from db.models import Complaint, Survey, User
from services.access import audit, masking
from services.access.roles import Actor, Perm
from services.customers import live, visible
from services.customers.validation import FieldError
from services.records.input import Checker, InvalidRecord

# The ways a survey is taken (the demo data's and an import's values are free text up to 10).
SURVEY_CHANNELS: Final = ("电话回访", "短信", "在线问卷", "邮件", "微信")
SCORES: Final = tuple(sorted(SATISFACTION_LABELS, reverse=True))  # 5 … 1
FIELDS: Final = ("survey_date", "score", "channel", "comment")
MAX_COMMENT: Final = 5000
TREND_LENGTH: Final = 6
_BY_LABEL: Final = {v: k for k, v in SATISFACTION_LABELS.items()}


class SurveyNotFound(CatalogError):
    def __init__(self, survey_id: int) -> None:
        super().__init__("surveys.error.not_found", survey_id=survey_id)
        self.survey_id = survey_id


@dataclass(frozen=True)
class SurveyView:
    id: int
    customer_id: int
    survey_date: date
    score: int
    channel: str | None
    comment: str | None
    complaint_id: int | None
    user: str | None

    def level(self, lang: str = "zh") -> str:
        return label(SATISFACTION_LABELS.get(self.score, str(self.score)), lang)

    def values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass(frozen=True)
class SatisfactionSummary:
    """The latest score and the ones before it (oldest first, at most ``TREND_LENGTH``)."""

    latest: SurveyView | None
    trend: list[tuple[date, int]]
    count: int

    @property
    def change(self) -> int | None:
        """The latest score minus the one before (None with fewer than two)."""
        if len(self.trend) < 2:
            return None
        return self.trend[-1][1] - self.trend[-2][1]


def score_of(value: Any) -> int | None:
    """A score from a number (5, "5", 5.0) or a level's name (非常满意); None if neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in SATISFACTION_LABELS else None
    text = str(value).strip()
    if text in _BY_LABEL:
        return _BY_LABEL[text]
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and int(number) in SATISFACTION_LABELS else None


def check_values(values: Mapping[str, Any], *, not_before: date | None = None
                 ) -> tuple[dict[str, Any], list[FieldError]]:
    """The cleaned survey and the problems of the form, each naming its field."""
    check = Checker("survey", values, clock.today())
    survey_date = check.day("survey_date", required=True, not_before=not_before)
    raw = values.get("score")
    score = None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        check.fail("score", "validation.required")
    else:
        score = score_of(raw)
        if score is None:
            check.fail("score", "surveys.error.score", value=str(raw)[:40])
    clean = {"survey_date": survey_date, "score": score,
             "channel": check.text("channel", max_length=10),
             "comment": check.text("comment", max_length=MAX_COMMENT, multiline=True)}
    return clean, check.errors


def _view(session: Session, s: Survey) -> SurveyView:
    user = session.get(User, s.user_id) if s.user_id else None
    return SurveyView(s.id, s.customer_id, s.survey_date, s.score, s.channel, s.comment,
                      s.complaint_id, user.display_name if user else None)


def _get(session: Session, survey_id: int) -> Survey:
    survey = session.get(Survey, survey_id, populate_existing=True)
    if survey is None:
        raise SurveyNotFound(survey_id)
    return survey


def _snapshot(s: Survey) -> dict[str, Any]:
    return {f: getattr(s, f) for f in FIELDS}


def _linked_start(session: Session, complaint_id: int | None) -> date | None:
    """A survey rating a complaint's handling cannot be dated before the complaint."""
    if complaint_id is None:
        return None
    received = session.scalar(select(Complaint.received_at).where(Complaint.id == complaint_id))
    return clock.local(received).date() if received else None


def add_survey(session: Session, actor: Actor, customer_id: int, values: Mapping[str, Any],
               *, complaint_id: int | None = None) -> Survey:
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = live(session, customer_id)
    if complaint_id is not None:
        owner = session.scalar(select(Complaint.customer_id).where(Complaint.id == complaint_id))
        if owner != customer.id:
            raise CatalogError("surveys.error.complaint", complaint_id=complaint_id)
    clean, errors = check_values(values, not_before=_linked_start(session, complaint_id))
    if errors:
        raise InvalidRecord(errors)
    survey = Survey(customer_id=customer.id, complaint_id=complaint_id, user_id=actor.user_id,
                    created_at=clock.now(), **clean)
    session.add(survey)
    session.flush()
    audit.record(session, actor, "survey.create", "survey", survey.id,
                 changes=audit.diff({}, {k: v for k, v in clean.items() if v is not None}),
                 detail={"customer_id": customer.id, "complaint_id": complaint_id})
    return survey


def update_survey(session: Session, actor: Actor, survey_id: int,
                  values: Mapping[str, Any]) -> Survey:
    actor.require(Perm.EDIT_CUSTOMERS)
    survey = _get(session, survey_id)
    live(session, survey.customer_id)
    before = _snapshot(survey)
    merged = {**before, **{k: v for k, v in masking.keep_hidden(values, before).items()
                           if k in FIELDS}}
    clean, errors = check_values(merged,
                                 not_before=_linked_start(session, survey.complaint_id))
    if errors:
        raise InvalidRecord(errors)
    for key, value in clean.items():
        setattr(survey, key, value)
    changes = audit.diff(before, _snapshot(survey))
    if changes:
        session.flush()
        audit.record(session, actor, "survey.update", "survey", survey.id, changes=changes,
                     detail={"customer_id": survey.customer_id,
                             "complaint_id": survey.complaint_id})
    return survey


def delete_survey(session: Session, actor: Actor, survey_id: int) -> None:
    actor.require(Perm.DELETE_CUSTOMERS)
    survey = _get(session, survey_id)
    before = {k: v for k, v in _snapshot(survey).items() if v is not None}
    audit.record(session, actor, "survey.delete", "survey", survey.id,
                 changes=audit.diff(before, {}),
                 detail={"customer_id": survey.customer_id, "complaint_id": survey.complaint_id})
    session.delete(survey)
    session.flush()


def get_survey(session: Session, actor: Actor, survey_id: int) -> SurveyView:
    actor.require(Perm.VIEW_CUSTOMERS)
    survey = _get(session, survey_id)
    visible(session, actor, survey.customer_id)
    return masking.hide_record(_view(session, survey), "survey",
                               masking.hides(session, actor, survey.customer_id))


def satisfaction_summary(session: Session, actor: Actor, customer_id: int,
                         n: int = TREND_LENGTH) -> SatisfactionSummary:
    """The customer's latest score and the last ``n`` scores, oldest first (one indexed
    query on ``(customer_id, survey_date)``)."""
    visible(session, actor, customer_id)
    rows = list(session.scalars(select(Survey).where(Survey.customer_id == customer_id)
                                .order_by(Survey.survey_date.desc(), Survey.id.desc())
                                .limit(n)))
    count = len(rows)
    if count == n:
        count = session.scalar(select(func.count()).select_from(Survey)
                               .where(Survey.customer_id == customer_id)) or 0
    latest = masking.hide_record(_view(session, rows[0]), "survey",
                                 masking.hides(session, actor, customer_id)) if rows else None
    return SatisfactionSummary(latest, [(r.survey_date, r.score) for r in reversed(rows)],
                               count)
