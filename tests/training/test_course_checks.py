"""Every exercise checker of the course: it fails before the trainee did the thing, a
classmate doing it does not count, and it passes once the trainee did it through the same
services the pages use."""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import now, today
from core.settings import get_settings
from db.models import Complaint, Customer
from services.access.roles import Actor, PermissionDenied
from services.customers import create_customer, edit_form, mark_reviewed, update_customer
from services.customers.idcodes import make_credit_code, make_resident_id
from services.excel.export import write_customers
from services.privacy import consent
from services.records import complaints, contacts, contracts, orders, renewals, surveys, visits
from services.training.course import CHAPTERS, Kind, check, top_risk
from services.training.course.checks import ACTIONS, CHOICES, gd_platinum_open_nos
from tests.support.course import CourseClass, make_class
from tests.support.factories import actor_for, make_customer, make_user

_n = itertools.count(1)
_rng = random.Random(17)


@pytest.fixture
def course(db: Session) -> CourseClass:
    return make_class(db)


def _mobile() -> str:
    return f"1390000{next(_n):04d}"


def set_industry(db: Session, actor: Actor) -> None:
    c = make_customer(db, industry="科技")
    form = edit_form(db, actor, c.id)
    update_customer(db, actor, c.id, {**form.values, "industry": "零售"}, form)


def org_customer(db: Session, actor: Actor) -> None:
    create_customer(db, actor, {"name": f"市第{next(_n)}人民医院", "customer_type": "机构",
                                "id_number": make_credit_code(_rng, institution=True),
                                "phone": "020-83827812"})


def person_complete(db: Session, actor: Actor) -> None:
    create_customer(db, actor, {"name": f"张{next(_n)}", "mobile": _mobile(),
                                "province": "广东省", "city": "广州",
                                "id_number": make_resident_id(_rng, 44, date(1990, 3, 1))})


def consent_service(db: Session, actor: Actor) -> None:
    c = make_customer(db)
    consent.record(db, actor, c.id, "服务", True, channel="电话")


def add_order(db: Session, actor: Actor) -> None:
    orders.add_order(db, actor, make_customer(db).id,
                     {"order_date": today(), "product": "年度维保", "quantity": 1,
                      "amount": "1000", "payment_method": "银行转账"})


def add_contact(db: Session, actor: Actor) -> None:
    contacts.add_interaction(db, actor, make_customer(db).id,
                             {"occurred_at": now() - timedelta(minutes=5), "method": "电话",
                              "content": "客户询问续费优惠"})


def fix_address(db: Session, actor: Actor) -> None:
    c = make_customer(db, address="旧地址 1 号")
    form = edit_form(db, actor, c.id)
    update_customer(db, actor, c.id, {**form.values, "address": "中山路 8 号"}, form)


def review(db: Session, actor: Actor) -> None:
    mark_reviewed(db, actor, make_customer(db).id)


def _risky(db: Session) -> Customer:
    """A customer on the churn list: no order for 400 days and an open complaint (55)."""
    long_ago = today() - timedelta(days=400)
    c = make_customer(db, first_order_at=long_ago, last_order_at=long_ago,
                      created_at=now() - timedelta(days=800))
    db.add(Complaint(customer_id=c.id, channel="电话", complaint_type="物流配送",
                     description="未到货", received_at=now() - timedelta(days=2),
                     status="待处理", created_at=now()))
    db.commit()
    return c


def visit_top_risk(db: Session, actor: Actor) -> None:
    target = db.scalar(select(Customer).where(Customer.name == "风险客户"))
    assert target is not None
    visits.plan_visit(db, actor, target.id, {"planned_date": today() + timedelta(days=1),
                                             "method": "电话", "purpose": "挽回"})


def renewal(db: Session, actor: Actor) -> None:
    c = make_customer(db)
    cid = contracts.add_contract(db, actor, c.id, {"start_date": today() - timedelta(days=300),
                                                   "end_date": today() + timedelta(days=30),
                                                   "amount": "12000"})
    renewals.record_outcome(db, actor, cid, "跟进中", {"note": "已发报价"})


def record_visit(db: Session, actor: Actor) -> None:
    visits.record_unplanned(db, actor, make_customer(db).id,
                            {"done_date": today(), "method": "电话", "purpose": "回访",
                             "content": "询问使用体验", "feedback": "满意", "result": "满意",
                             "next_date": None})


def complaint_resolve(db: Session, actor: Actor) -> None:
    c = complaints.create_complaint(db, actor, make_customer(db).id,
                                    {"channel": "电话", "complaint_type": "物流配送",
                                     "description": "快递五天未到"})
    complaints.start(db, actor, c.id, c.version)
    complaints.resolve(db, actor, c.id, c.version, "补发")


def survey(db: Session, actor: Actor) -> None:
    surveys.add_survey(db, actor, make_customer(db).id,
                       {"survey_date": today(), "score": 4, "channel": "短信"})


def masked_export(db: Session, actor: Actor) -> None:
    make_customer(db)
    write_customers(db, actor, io.BytesIO())


DOERS: dict[tuple[str, str], Callable[[Session, Actor], None]] = {
    ("overview", "set_industry"): set_industry,
    ("collect", "org_customer"): org_customer,
    ("collect", "person_complete"): person_complete,
    ("collect", "consent_service"): consent_service,
    ("profile", "add_order"): add_order,
    ("profile", "add_contact"): add_contact,
    ("profile", "fix_address"): fix_address,
    ("query", "review"): review,
    ("analysis", "visit_top_risk"): visit_top_risk,
    ("analysis", "renewal"): renewal,
    ("service", "record_visit"): record_visit,
    ("service", "complaint_resolve"): complaint_resolve,
    ("service", "survey"): survey,
    ("security", "masked_export"): masked_export,
}
ACTION_IDS = [(c.id, e.id) for c in CHAPTERS for e in c.exercises if e.kind == Kind.ACTION]


def test_every_action_exercise_has_a_checker_and_a_test() -> None:
    assert set(ACTION_IDS) == set(DOERS)
    assert set(ACTION_IDS) <= set(ACTIONS)
    choices = {(c.id, e.id) for c in CHAPTERS for e in c.exercises if e.kind == Kind.CHOICE}
    assert choices == set(CHOICES)


def _check(db: Session, course: CourseClass, who: int, key: tuple[str, str],
           answer: str | None = None) -> Any:
    return check(db, course.actor(who), *key, course.klass.created_at, answer)


@pytest.mark.parametrize("key", ACTION_IDS, ids=[f"{c}.{e}" for c, e in ACTION_IDS])
def test_action_exercise_counts_only_the_trainees_own_action(db: Session, course: CourseClass,
                                                             key: tuple[str, str]) -> None:
    if key == ("analysis", "visit_top_risk"):
        _risky(db).name = "风险客户"
        db.commit()
    before = _check(db, course, 0, key)
    assert not before.ok and before.reason
    DOERS[key](db, course.actor(1))  # a classmate
    db.commit()
    assert not _check(db, course, 0, key).ok
    assert _check(db, course, 1, key).ok
    DOERS[key](db, course.actor(0))
    db.commit()
    assert _check(db, course, 0, key).ok


def test_actions_before_the_class_began_do_not_count(db: Session, course: CourseClass) -> None:
    review(db, course.actor(0))
    db.commit()
    later = now() + timedelta(seconds=1)
    assert not check(db, course.actor(0), "query", "review", later).ok


def test_an_institution_without_its_code_is_named_as_missing(db: Session,
                                                             course: CourseClass) -> None:
    create_customer(db, course.actor(0), {"name": "第一中学", "customer_type": "机构",
                                          "phone": "020-83827812"})
    db.commit()
    verdict = _check(db, course, 0, ("collect", "org_customer"))
    assert verdict.reason == "course.missing.org_code"


def test_a_person_lacking_fields_lists_them(db: Session, course: CourseClass) -> None:
    create_customer(db, course.actor(0), {"name": "李四", "mobile": _mobile()})
    db.commit()
    verdict = _check(db, course, 0, ("collect", "person_complete"))
    assert verdict.reason == "course.missing.person_fields"
    assert verdict.message("zh") == "你录入的个人客户还缺少：省份、城市、证件号码。"


def test_a_visit_for_someone_off_the_top_of_the_list_does_not_count(
        db: Session, course: CourseClass) -> None:
    _risky(db)
    calm = make_customer(db)
    visits.plan_visit(db, course.actor(0), calm.id,
                      {"planned_date": today() + timedelta(days=1), "method": "电话",
                       "purpose": "关怀"})
    db.commit()
    verdict = _check(db, course, 0, ("analysis", "visit_top_risk"))
    assert verdict.reason == "course.missing.visit_other"
    assert [r.score for r in top_risk(db, course.actor(0))] == [55]


def test_a_complaint_registered_but_not_resolved_is_named(db: Session,
                                                          course: CourseClass) -> None:
    complaints.create_complaint(db, course.actor(0), make_customer(db).id,
                                {"channel": "电话", "complaint_type": "物流配送",
                                 "description": "未到"})
    db.commit()
    assert _check(db, course, 0, ("service", "complaint_resolve")).reason == \
        "course.missing.complaint_open"


# ---- answers checked against the data as the trainee sees it ----------------------------------

def test_count_answers(db: Session, course: CourseClass) -> None:
    for _ in range(3):
        make_customer(db, customer_type="企业", industry="金融", company="某银行")
    make_customer(db, customer_type="企业", industry="科技")
    make_customer(db, customer_type="企业", industry="金融", deleted_at=now())
    db.commit()
    key = ("overview", "finance_firms")
    assert _check(db, course, 0, key, "").reason == "course.missing.answer_empty"
    assert _check(db, course, 0, key, "三").reason == "course.missing.number"
    assert _check(db, course, 0, key, "4").reason == "course.missing.count"
    assert _check(db, course, 0, key, " 3 ").ok
    make_customer(db, lifecycle="流失")
    make_customer(db, lifecycle="流失", customer_type="企业")
    db.commit()
    assert _check(db, course, 0, ("query", "churned_people"), "1").ok
    assert not _check(db, course, 0, ("query", "churned_people"), "2").ok


def test_guangdong_platinum_with_open_complaints(db: Session, course: CourseClass) -> None:
    def complaint(c: Customer, status: str) -> None:
        db.add(Complaint(customer_id=c.id, channel="电话", complaint_type="物流配送",
                         description="x", received_at=now(), status=status, created_at=now()))

    a = make_customer(db, province="广东省", tier="铂金")
    b = make_customer(db, province="广东省", tier="铂金")
    closed = make_customer(db, province="广东省", tier="铂金")
    gold = make_customer(db, province="广东省", tier="黄金")
    away = make_customer(db, province="浙江省", tier="铂金")
    gone = make_customer(db, province="广东省", tier="铂金", deleted_at=now())
    complaint(a, "待处理")
    complaint(b, "处理中")
    complaint(closed, "已关闭")
    for c in (gold, away, gone):
        complaint(c, "待处理")
    db.commit()
    actor = course.actor(0)
    assert gd_platinum_open_nos(db, actor) == {a.customer_no, b.customer_no}
    key = ("query", "gd_platinum_open")
    assert _check(db, course, 0, key, "不知道").reason == "course.missing.customer_nos.none"
    partly = _check(db, course, 0, key, f"{a.customer_no}\n{gold.customer_no}")
    assert partly.params == {"given": 2, "right": 1, "expected": 2}
    message = partly.message("zh")
    assert b.customer_no not in message and a.customer_no not in message
    assert _check(db, course, 0, key, f"{b.customer_no.lower()}，{a.customer_no}").ok


# ---- questions --------------------------------------------------------------------------------

CHOICE_IDS = sorted(CHOICES)


@pytest.mark.parametrize("key", CHOICE_IDS, ids=[f"{c}.{e}" for c, e in CHOICE_IDS])
def test_choice_exercise_checks_the_answer(db: Session, course: CourseClass,
                                           key: tuple[str, str]) -> None:
    options = next(e for c in CHOICES_CH if c.id == key[0] for e in c.exercises
                   if e.id == key[1]).options
    right = CHOICES[key](get_settings())
    assert right in options
    assert _check(db, course, 0, key, None).reason == "course.missing.choice"
    for wrong in set(options) - {right}:
        assert _check(db, course, 0, key, wrong).reason == "course.missing.wrong"
    assert _check(db, course, 0, key, right).ok


CHOICES_CH = CHAPTERS


def test_rule_questions_follow_the_default_rules() -> None:
    settings = get_settings()
    assert CHOICES[("overview", "tier_rule")](settings) == "铂金"
    assert CHOICES[("analysis", "risk_score")](settings) == "a"  # 30 + 25 >= 50
    assert CHOICES[("security", "trainer_phone")](settings) == "a"


def test_the_course_is_refused_to_a_manager(db: Session, course: CourseClass) -> None:
    manager = actor_for(make_user(db, "boss", "manager"))
    with pytest.raises(PermissionDenied):
        check(db, manager, "security", "trainer_phone", now(), "a")
