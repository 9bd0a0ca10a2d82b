"""满意度调查: add, correct, delete (audited, by role), validation of each field, the latest
score and trend of the profile."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core import clock
from core.vocab import Role
from db.models import AuditEntry, Complaint, Survey
from services.access.roles import PermissionDenied
from services.records import surveys as svc
from services.records.input import InvalidRecord
from tests.support.factories import actor_for, make_customer, make_user

TODAY = date(2026, 3, 10)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def setup(db):
    users = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
             for role in Role}
    customer = make_customer(db, name="王芳")
    db.commit()
    return {role: actor_for(u) for role, u in users.items()}, customer


def add(db, actor, customer, **values):
    raw = {"survey_date": TODAY - timedelta(days=1), "score": 4, "channel": "短信",
           "comment": "不错", **values}
    s = svc.add_survey(db, actor, customer.id, raw)
    db.commit()
    return s


def test_add_is_audited(db, setup, frozen) -> None:
    actors, customer = setup
    s = add(db, actors[Role.CLERK], customer)
    assert (s.score, s.channel, s.comment, s.user_id) == (4, "短信", "不错",
                                                          actors[Role.CLERK].user_id)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "survey.create"))
    assert entry.entity_id == str(s.id) and entry.changes["score"] == [None, 4]
    assert entry.detail["customer_id"] == customer.id


@pytest.mark.parametrize(("value", "score"), [
    (5, 5), ("3", 3), (1.0, 1), ("非常满意", 5), ("不满意", 2), (" 一般 ", 3),
])
def test_score_accepts_number_or_level(db, setup, frozen, value, score) -> None:
    actors, customer = setup
    assert add(db, actors[Role.CLERK], customer, score=value).score == score


@pytest.mark.parametrize(("values", "fields"), [
    ({"score": 0}, {"survey.score"}),
    ({"score": 6}, {"survey.score"}),
    ({"score": "2.5"}, {"survey.score"}),
    ({"score": "很好"}, {"survey.score"}),
    ({"score": None}, {"survey.score"}),
    ({"score": True}, {"survey.score"}),
    ({"survey_date": TODAY + timedelta(days=1)}, {"survey.survey_date"}),
    ({"survey_date": None}, {"survey.survey_date"}),
    ({"survey_date": "2026-13-01"}, {"survey.survey_date"}),
    ({"channel": "一个非常非常长的调查渠道名称"}, {"survey.channel"}),
    ({"score": None, "survey_date": None}, {"survey.score", "survey.survey_date"}),
])
def test_validation_names_each_field(db, setup, frozen, values, fields) -> None:
    actors, customer = setup
    with pytest.raises(InvalidRecord) as caught:
        add(db, actors[Role.CLERK], customer, **values)
    assert {e.field for e in caught.value.errors} == fields
    for error in caught.value.errors:
        message = error.message("zh")
        assert message.startswith({"survey.score": "满意度", "survey.survey_date": "调查日期",
                                   "survey.channel": "调查渠道"}[error.field])
    db.rollback()
    assert db.scalars(select(Survey)).all() == []


def test_linked_survey_not_before_complaint(db, setup, frozen) -> None:
    actors, customer = setup
    other = make_customer(db, name="别人")
    received = clock.now() - timedelta(days=400)
    complaint = Complaint(customer_id=customer.id, channel="电话", complaint_type="其他",
                          description="x", received_at=received, status="已解决",
                          created_at=received)
    db.add(complaint)
    db.commit()
    day_before = clock.local(received).date() - timedelta(days=1)
    with pytest.raises(InvalidRecord) as caught:
        svc.add_survey(db, actors[Role.CLERK], customer.id,
                       {"survey_date": day_before, "score": 3}, complaint_id=complaint.id)
    assert [e.field for e in caught.value.errors] == ["survey.survey_date"]
    db.rollback()
    with pytest.raises(Exception, match="surveys.error.complaint"):
        svc.add_survey(db, actors[Role.CLERK], other.id, {"survey_date": TODAY, "score": 3},
                       complaint_id=complaint.id)
    db.rollback()


def test_edit_and_delete_by_role(db, setup, frozen) -> None:
    actors, customer = setup
    s = add(db, actors[Role.CLERK], customer)
    svc.update_survey(db, actors[Role.CLERK], s.id, {"score": "非常不满意", "comment": ""})
    db.commit()
    assert (s.score, s.comment) == (1, None)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "survey.update"))
    assert entry.changes == {"score": [4, 1], "comment": ["不错", None]}
    real_trainer = replace(actors[Role.TRAINER], demo_mode=False)
    with pytest.raises(PermissionDenied):
        svc.update_survey(db, real_trainer, s.id, {"score": 5})
    with pytest.raises(PermissionDenied):
        svc.add_survey(db, real_trainer, customer.id, {"survey_date": TODAY, "score": 5})
    for role in (Role.MANAGER, Role.CLERK, Role.TRAINER):
        with pytest.raises(PermissionDenied):
            svc.delete_survey(db, actors[role], s.id)
    svc.delete_survey(db, actors[Role.ADMIN], s.id)
    db.commit()
    assert db.get(Survey, s.id) is None
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "survey.delete"))
    assert entry.changes["score"] == [1, None]
    with pytest.raises(svc.SurveyNotFound):
        svc.get_survey(db, actors[Role.CLERK], s.id)


def test_latest_score_and_trend(db, setup, frozen) -> None:
    actors, customer = setup
    clerk = actors[Role.CLERK]
    empty = svc.satisfaction_summary(db, clerk, customer.id)
    assert empty.latest is None and empty.trend == [] and empty.change is None
    scores = [5, 4, 4, 2, 3, 1, 2, 4]  # oldest first, one a week
    for i, score in enumerate(scores):
        add(db, clerk, customer, score=score,
            survey_date=TODAY - timedelta(days=7 * (len(scores) - i)))
    summary = svc.satisfaction_summary(db, clerk, customer.id, n=6)
    assert summary.latest.score == 4 and summary.latest.level("zh") == "满意"
    assert [s for _, s in summary.trend] == [4, 2, 3, 1, 2, 4]
    assert summary.change == 2 and summary.count == 8
    other = make_customer(db, name="另一位")
    add(db, clerk, other, score=1, survey_date=TODAY)
    assert svc.satisfaction_summary(db, clerk, customer.id).latest.score == 4
