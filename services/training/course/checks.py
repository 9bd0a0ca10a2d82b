"""How each exercise of the course is checked: from what the trainee actually did in the
database since ``since`` (their class began, or they opened the exercise), read through the
audit entries written with their user id and the records' own who-columns; a question from
the answer given (``answer``), against the live data as this actor may see it where the
question is about the data.

A check never names data the actor may not see: a refusal says what is missing in terms of
the task (a catalog key and counts), never a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.i18n import t
from core.settings import Settings, get_settings
from db.models import (
    AuditEntry,
    ChurnScore,
    Complaint,
    ComplaintEvent,
    ConsentEntry,
    Customer,
    Interaction,
)
from services.access.roles import Actor, Perm
from services.analysis import churn
from services.customers import CustomerQuery, search, search_ids
from services.customers.tier_rules import compute_tier
from services.records.complaints import OPEN_STATUSES
from services.training.course.content import Kind, chapter

TOP_RISK = 5
"""How many of the churn list's head count as "the customers most at risk"."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check; ``reason`` is a catalog key saying what is still missing."""

    ok: bool
    reason: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        """What is missing, in ``lang``; a list parameter holds catalog keys (field names)."""
        if self.reason is None:
            return t("course.check.passed", lang)
        sep = ", " if lang == "en" else "、"
        params = {k: sep.join(t(str(v), lang) for v in value) if isinstance(value, list)
                  else value for k, value in self.params.items()}
        return t(self.reason, lang, **params)


PASS = Verdict(True)

Checker = Callable[[Session, Actor, datetime, str | None], Verdict]


def _missing(reason: str, **params: object) -> Verdict:
    return Verdict(False, reason, params)


def _entries(session: Session, actor: Actor, since: datetime,
             actions: Iterable[str]) -> list[AuditEntry]:
    """This actor's audit entries of these actions since ``since``, oldest first."""
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.user_id == actor.user_id,
                                 AuditEntry.action.in_(list(actions)),
                                 AuditEntry.at >= since)
        .order_by(AuditEntry.id)))


def _did(session: Session, actor: Actor, since: datetime, action: str, reason: str) -> Verdict:
    return PASS if _entries(session, actor, since, [action]) else _missing(reason)


def _changed(session: Session, actor: Actor, since: datetime, fields: set[str],
             reason: str) -> Verdict:
    """A customer edit of this actor that changed one of ``fields``."""
    for entry in _entries(session, actor, since, ["customer.update"]):
        if fields & set(entry.changes or {}):
            return PASS
    return _missing(reason)


# ---- chapter 1 ------------------------------------------------------------------------------

TIER_CASE = (Decimal(60000), 8, 1.5)
"""The customer of the tier question: spend and orders over 12 months, years as a customer."""


def _count_answer(session: Session, actor: Actor, answer: str | None,
                  query: CustomerQuery) -> Verdict:
    text = (answer or "").strip()
    if not text:
        return _missing("course.missing.answer_empty")
    if not re.fullmatch(r"\d{1,9}", text):
        return _missing("course.missing.number")
    _, total = search(session, actor, query, limit=1)
    return PASS if int(text) == total else _missing("course.missing.count")


def finance_firms(session: Session, actor: Actor, since: datetime,
                  answer: str | None) -> Verdict:
    return _count_answer(session, actor, answer,
                         CustomerQuery(customer_type="企业", industry="金融"))


def set_industry(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _changed(session, actor, since, {"industry"}, "course.missing.industry")


# ---- chapter 2 ------------------------------------------------------------------------------

def _created(session: Session, actor: Actor, since: datetime, ctype: str) -> list[Customer]:
    return list(session.scalars(select(Customer).where(
        Customer.created_by_id == actor.user_id, Customer.customer_type == ctype,
        Customer.created_at >= since, Customer.deleted_at.is_(None))))


def org_customer(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    """A 机构 this actor entered whose 统一社会信用代码 passed (only a valid code is stored)."""
    made = _created(session, actor, since, "机构")
    if not made:
        return _missing("course.missing.org_none")
    if any(c.id_number_hash for c in made):
        return PASS
    return _missing("course.missing.org_code")


PERSON_FIELDS = ("mobile", "province", "city", "id_number_hash")


def person_complete(session: Session, actor: Actor, since: datetime,
                    answer: str | None) -> Verdict:
    made = _created(session, actor, since, "个人")
    if not made:
        return _missing("course.missing.person_none")
    gaps = [[f for f in PERSON_FIELDS if not getattr(c, f)] for c in made]
    best = min(gaps, key=len)
    if not best:
        return PASS
    return _missing("course.missing.person_fields",
                    fields=[f"field.{'id_number' if f == 'id_number_hash' else f}" for f in best])


def consent_service(session: Session, actor: Actor, since: datetime,
                    answer: str | None) -> Verdict:
    found = session.scalar(select(func.count()).select_from(ConsentEntry).where(
        ConsentEntry.user_id == actor.user_id, ConsentEntry.purpose == "服务",
        ConsentEntry.granted.is_(True), ConsentEntry.at >= since))
    return PASS if found else _missing("course.missing.consent")


# ---- chapter 3 ------------------------------------------------------------------------------

def add_order(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _did(session, actor, since, "order.create", "course.missing.order")


def add_contact(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    found = session.scalar(select(func.count()).select_from(Interaction).where(
        Interaction.user_id == actor.user_id, Interaction.created_at >= since))
    return PASS if found else _missing("course.missing.contact")


def fix_address(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _changed(session, actor, since, {"address", "city"}, "course.missing.address")


# ---- chapter 4 ------------------------------------------------------------------------------

CUSTOMER_NO = re.compile(r"[A-Za-z0-9-]{4,32}")


def gd_platinum_open_nos(session: Session, actor: Actor) -> set[str]:
    """The answer as this actor may find it: 广东省 铂金 customers they can list, with a
    complaint 待处理 or 处理中."""
    ids = search_ids(session, actor, CustomerQuery(province="广东省", tier="铂金"))
    found: set[str] = set()
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        found.update(session.scalars(
            select(Customer.customer_no).where(
                Customer.id.in_(chunk),
                Customer.id.in_(select(Complaint.customer_id)
                                .where(Complaint.status.in_(OPEN_STATUSES))))))
    return found


def gd_platinum_open(session: Session, actor: Actor, since: datetime,
                     answer: str | None) -> Verdict:
    given = {m.upper() for m in CUSTOMER_NO.findall(answer or "") if any(c.isdigit() for c in m)}
    if not given:
        return _missing("course.missing.customer_nos.none")
    expected = gd_platinum_open_nos(session, actor)
    if given == expected:
        return PASS
    return _missing("course.missing.customer_nos", given=len(given),
                    right=len(given & expected), expected=len(expected))


def churned_people(session: Session, actor: Actor, since: datetime,
                   answer: str | None) -> Verdict:
    return _count_answer(session, actor, answer,
                         CustomerQuery(lifecycle="流失", customer_type="个人"))


def review(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _did(session, actor, since, "customer.review", "course.missing.review")


# ---- chapter 5 ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RiskRow:
    customer_id: int
    customer_no: str
    name: str
    tier: str
    score: int


def top_risk(session: Session, actor: Actor, n: int = TOP_RISK) -> list[RiskRow]:
    """The head of the 流失预警 list in its order (score, then 12-month spend), for the course:
    who the exercise means. Names and numbers only, which every course role may list."""
    actor.require(Perm.COURSE)
    churn.ensure_fresh(session)
    rows = session.execute(
        select(ChurnScore.customer_id, Customer.customer_no, Customer.name, Customer.tier,
               ChurnScore.score)
        .join(Customer, Customer.id == ChurnScore.customer_id)
        .where(Customer.deleted_at.is_(None))
        .order_by(ChurnScore.score.desc(), ChurnScore.spend.desc(),
                  ChurnScore.customer_id.desc())
        .limit(n)).all()
    return [RiskRow(int(r[0]), r[1], r[2], r[3], int(r[4])) for r in rows]


def visit_top_risk(session: Session, actor: Actor, since: datetime,
                   answer: str | None) -> Verdict:
    planned = _entries(session, actor, since, ["follow_up.plan"])
    if not planned:
        return _missing("course.missing.visit_top", n=TOP_RISK)
    top = {str(r.customer_id) for r in top_risk(session, actor)}
    if any(e.entity == "customer" and e.entity_id in top for e in planned):
        return PASS
    return _missing("course.missing.visit_other", n=TOP_RISK)


def renewal(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _did(session, actor, since, "renewal.record", "course.missing.renewal")


# ---- chapter 6 ------------------------------------------------------------------------------

def record_visit(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _did(session, actor, since, "follow_up.record", "course.missing.visit_done")


def complaint_resolve(session: Session, actor: Actor, since: datetime,
                      answer: str | None) -> Verdict:
    """A complaint this actor registered and resolved (both steps theirs)."""
    mine = select(ComplaintEvent.complaint_id).where(
        ComplaintEvent.user_id == actor.user_id, ComplaintEvent.action == "create",
        ComplaintEvent.at >= since)
    created = set(session.scalars(mine))
    if not created:
        return _missing("course.missing.complaint_none")
    resolved = session.scalar(select(func.count()).select_from(ComplaintEvent).where(
        ComplaintEvent.complaint_id.in_(created), ComplaintEvent.user_id == actor.user_id,
        ComplaintEvent.action == "resolve"))
    return PASS if resolved else _missing("course.missing.complaint_open")


def survey(session: Session, actor: Actor, since: datetime, answer: str | None) -> Verdict:
    return _did(session, actor, since, "survey.create", "course.missing.survey")


# ---- chapter 7 ------------------------------------------------------------------------------

def masked_export(session: Session, actor: Actor, since: datetime,
                  answer: str | None) -> Verdict:
    found = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.user_id == actor.user_id, AuditEntry.action.startswith("export."),
        AuditEntry.at >= since))
    return PASS if found else _missing("course.missing.export")


# ---- the registry ---------------------------------------------------------------------------

ACTIONS: dict[tuple[str, str], Checker] = {
    ("overview", "finance_firms"): finance_firms,
    ("overview", "set_industry"): set_industry,
    ("collect", "org_customer"): org_customer,
    ("collect", "person_complete"): person_complete,
    ("collect", "consent_service"): consent_service,
    ("profile", "add_order"): add_order,
    ("profile", "add_contact"): add_contact,
    ("profile", "fix_address"): fix_address,
    ("query", "gd_platinum_open"): gd_platinum_open,
    ("query", "churned_people"): churned_people,
    ("query", "review"): review,
    ("analysis", "visit_top_risk"): visit_top_risk,
    ("analysis", "renewal"): renewal,
    ("service", "record_visit"): record_visit,
    ("service", "complaint_resolve"): complaint_resolve,
    ("service", "survey"): survey,
    ("security", "masked_export"): masked_export,
}
"""The checks of action and answer exercises."""


def _risk_answer(settings: Settings) -> str:
    rules = settings.churn
    return "a" if rules.no_order_weight + rules.complaint_weight >= rules.threshold else "b"


CHOICES: dict[tuple[str, str], Callable[[Settings], str]] = {
    ("overview", "org_type"): lambda s: "c",
    ("overview", "tier_rule"): lambda s: compute_tier(*TIER_CASE, s.tier_rules).value,
    ("collect", "minimal"): lambda s: "b",
    ("profile", "duplicate"): lambda s: "b",
    ("analysis", "risk_score"): _risk_answer,
    ("analysis", "lifecycle"): lambda s: "流失",
    ("service", "auto_visits"): lambda s: "b",
    ("security", "trainer_phone"): lambda s: "a",
    ("security", "audit_reader"): lambda s: "b",
    ("security", "person_copy"): lambda s: "b",
    ("security", "backup_keys"): lambda s: "c",
}
"""The right option of each choice exercise (some follow config.toml's rules)."""


def text_params(chapter_id: str, exercise_id: str,
                settings: Settings | None = None) -> dict[str, object]:
    """The figures a task's and its options' texts name, from the rules in force."""
    settings = settings or get_settings()
    rules = settings.churn
    if (chapter_id, exercise_id) == ("analysis", "risk_score"):
        return {"days": rules.no_order_days,
                "total": rules.no_order_weight + rules.complaint_weight,
                "top": max(rules.no_order_weight, rules.complaint_weight)}
    if (chapter_id, exercise_id) == ("analysis", "lifecycle"):
        return {"days": settings.churn_days + 35}
    if (chapter_id, exercise_id) == ("analysis", "visit_top_risk"):
        return {"n": TOP_RISK}
    return {}


def check(session: Session, actor: Actor, chapter_id: str, exercise_id: str, since: datetime,
          answer: str | None = None) -> Verdict:
    """Whether this actor has done the exercise (reads only)."""
    actor.require(Perm.COURSE)
    ex = chapter(chapter_id).exercise(exercise_id)
    if ex.kind == Kind.CHOICE:
        if not answer:
            return _missing("course.missing.choice")
        right = CHOICES[(chapter_id, exercise_id)](get_settings())
        return PASS if answer == right else _missing("course.missing.wrong")
    return ACTIONS[(chapter_id, exercise_id)](session, actor, since, answer)


__all__ = ["ACTIONS", "CHOICES", "PASS", "TOP_RISK", "RiskRow", "Verdict", "check",
           "gd_platinum_open_nos", "text_params", "top_risk"]
