"""回访: planning and recording visits (validation per field, the proposed and planned next
visit, roles, audit) and the worklist (due today / overdue / coming up, mine or everyone's,
by method and assignee, paging, deleted customers, export masking)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.settings import Settings
from core.vocab import Role
from db.models import AuditEntry, Customer, FollowUp
from services.access.roles import PermissionDenied
from services.records.input import InvalidRecord
from services.records.visits import (
    Due,
    VisitAlreadyDone,
    WorklistFilter,
    delete_visit,
    plan_visit,
    propose_next_date,
    reassign,
    record_unplanned,
    record_visit,
    update_visit,
    worklist,
    worklist_xlsx,
)
from tests.support.factories import actor_for, make_customer, make_user

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=clock.LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def users(db: Session):
    made = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
            for role in Role}
    made["other"] = make_user(db, "other", role=Role.CLERK, display_name="另一位录入员")
    db.commit()
    return made


@pytest.fixture
def customer(db: Session, users) -> Customer:
    c = make_customer(db, name="赵敏", mobile="13912345678", created_at=NOW - timedelta(days=50),
                      account_manager_id=users[Role.CLERK].id)
    db.commit()
    return c


def plan(**kw: object) -> dict[str, object]:
    return {"planned_date": TODAY + timedelta(days=3), "method": "电话", "purpose": "了解使用情况",
            **kw}


def done(**kw: object) -> dict[str, object]:
    return {"done_date": TODAY, "method": "电话", "purpose": "了解使用情况",
            "content": "询问了产品使用体验", "feedback": "总体满意", "result": "满意",
            "next_date": TODAY + timedelta(days=30), **kw}


def fields_of(exc: pytest.ExceptionInfo[InvalidRecord]) -> set[str | None]:
    return {e.field for e in exc.value.errors}


# ---- planning ----------------------------------------------------------------------------------


def test_planned_visit_goes_to_the_account_manager(db: Session, users, customer) -> None:
    vid = plan_visit(db, actor_for(users[Role.MANAGER]), customer.id, plan())
    db.commit()
    visit = db.get(FollowUp, vid)
    assert visit.assignee_id == users[Role.CLERK].id and visit.source == "manual"
    assert visit.done_date is None and visit.planned_date == TODAY + timedelta(days=3)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "follow_up.plan")).one()
    assert entry.entity_id == str(customer.id) and entry.detail["follow_up_id"] == vid


def test_planned_visit_without_account_manager_goes_to_the_planner(db: Session,
                                                                   users) -> None:
    c = make_customer(db, created_at=NOW)
    vid = plan_visit(db, actor_for(users[Role.MANAGER]), c.id, plan())
    assert db.get(FollowUp, vid).assignee_id == users[Role.MANAGER].id


@pytest.mark.parametrize("bad,field", [
    ({"planned_date": TODAY - timedelta(days=1)}, "visit.planned_date"),
    ({"planned_date": None}, "visit.planned_date"),
    ({"method": "拜访"}, "visit.method"),  # a contact method, not a visit method
    ({"purpose": ""}, "visit.purpose"),
    ({"purpose": "目" * 201}, "visit.purpose"),
    ({"assignee_id": 999_999}, "visit.assignee_id"),
])
def test_plan_form_refuses_each_bad_field(db: Session, users, customer, bad, field) -> None:
    with pytest.raises(InvalidRecord) as exc:
        plan_visit(db, actor_for(users[Role.CLERK]), customer.id, plan(**bad))
    assert fields_of(exc) == {field}


def test_inactive_assignee_is_refused(db: Session, users, customer) -> None:
    gone = make_user(db, "left", role=Role.CLERK, active=False)
    with pytest.raises(InvalidRecord) as exc:
        plan_visit(db, actor_for(users[Role.CLERK]), customer.id, plan(assignee_id=gone.id))
    assert fields_of(exc) == {"visit.assignee_id"}


# ---- recording ---------------------------------------------------------------------------------


def test_proposed_next_date_follows_the_setting(settings: Settings) -> None:
    days = settings.follow_up_next_visit_days
    assert propose_next_date(TODAY - timedelta(days=2)) == TODAY + timedelta(days=days - 2)
    long_ago = TODAY - timedelta(days=days + 10)
    assert propose_next_date(long_ago) == TODAY + timedelta(days=1)  # never in the past


def test_recording_a_visit_plans_the_next_one(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    vid = plan_visit(db, clerk, customer.id, plan(planned_date=TODAY, method="上门"))
    result = record_visit(db, clerk, vid, done(method="上门",
                                               next_date=TODAY + timedelta(days=20)))
    db.commit()
    visit = db.get(FollowUp, vid)
    assert visit.done_date == TODAY and visit.result == "满意"
    assert visit.feedback == "总体满意" and visit.done_by_id == users[Role.CLERK].id
    assert visit.next_date == TODAY + timedelta(days=20)
    following = db.get(FollowUp, result.next_id)
    assert following.source == "next" and following.done_date is None
    assert following.planned_date == TODAY + timedelta(days=20)
    assert following.method == "上门" and following.assignee_id == visit.assignee_id
    db.refresh(customer)
    assert customer.last_contact_at == TODAY
    with pytest.raises(VisitAlreadyDone):
        record_visit(db, clerk, vid, done())


def test_next_visit_only_when_kept(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    vid = plan_visit(db, clerk, customer.id, plan(planned_date=TODAY))
    assert record_visit(db, clerk, vid, done(), plan_next=False).next_id is None
    other = plan_visit(db, clerk, customer.id, plan(planned_date=TODAY))
    assert record_visit(db, clerk, other, done(next_date=None)).next_id is None
    assert db.scalars(select(FollowUp).where(FollowUp.source == "next")).all() == []


@pytest.mark.parametrize("bad,field", [
    ({"done_date": TODAY + timedelta(days=1)}, "visit.done_date"),
    ({"done_date": None}, "visit.done_date"),
    ({"content": " "}, "visit.content"),
    ({"result": ""}, "visit.result"),
    ({"result": "果" * 201}, "visit.result"),
    ({"purpose": None}, "visit.purpose"),
    ({"method": "传真"}, "visit.method"),
    ({"next_date": TODAY}, "visit.next_date"),                       # not after the visit
    ({"done_date": TODAY - timedelta(days=40),
      "next_date": TODAY - timedelta(days=1)}, "visit.next_date"),  # in the past
])
def test_record_form_refuses_each_bad_field(db: Session, users, customer, bad, field) -> None:
    clerk = actor_for(users[Role.CLERK])
    vid = plan_visit(db, clerk, customer.id, plan(planned_date=TODAY))
    with pytest.raises(InvalidRecord) as exc:
        record_visit(db, clerk, vid, done(**bad))
    assert fields_of(exc) == {field}
    assert db.get(FollowUp, vid).done_date is None


def test_unplanned_visit_is_recorded_with_its_next(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    result = record_unplanned(db, clerk, customer.id,
                              done(done_date=TODAY - timedelta(days=1)))
    visit = db.get(FollowUp, result.follow_up_id)
    assert visit.planned_date == visit.done_date == TODAY - timedelta(days=1)
    assert db.get(FollowUp, result.next_id).source == "next"


def test_corrections_and_deletion(db: Session, users, customer) -> None:
    clerk = actor_for(users[Role.CLERK])
    vid = plan_visit(db, clerk, customer.id, plan(planned_date=TODAY))
    db.get(FollowUp, vid).planned_date = TODAY - timedelta(days=5)  # it became overdue
    db.flush()
    # an overdue visit keeps its date when only the purpose changes
    assert update_visit(db, clerk, vid, plan(planned_date=TODAY - timedelta(days=5),
                                             purpose="催办续约")) is True
    assert update_visit(db, clerk, vid, plan(planned_date=TODAY - timedelta(days=5),
                                             purpose="催办续约")) is False
    with pytest.raises(InvalidRecord):  # but cannot be moved to another past day
        update_visit(db, clerk, vid, plan(planned_date=TODAY - timedelta(days=4)))
    record_visit(db, clerk, vid, done(), plan_next=False)
    assert update_visit(db, clerk, vid, done(result="需再次跟进")) is True
    assert db.get(FollowUp, vid).result == "需再次跟进"
    with pytest.raises(PermissionDenied):
        delete_visit(db, clerk, vid)
    delete_visit(db, actor_for(users[Role.ADMIN]), vid)
    db.commit()
    assert db.get(FollowUp, vid) is None
    actions = db.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("follow_up.%")).order_by(AuditEntry.id)).all()
    assert actions == ["follow_up.plan", "follow_up.update", "follow_up.record",
                       "follow_up.update", "follow_up.delete"]


def test_visit_roles(db: Session, users, customer) -> None:
    trainer = actor_for(users[Role.TRAINER], demo_mode=False)
    with pytest.raises(PermissionDenied):
        plan_visit(db, trainer, customer.id, plan())
    vid = plan_visit(db, actor_for(users[Role.CLERK]), customer.id, plan())
    with pytest.raises(PermissionDenied):
        record_visit(db, trainer, vid, done())
    with pytest.raises(PermissionDenied):
        reassign(db, actor_for(users[Role.CLERK]), vid, users["other"].id)
    reassign(db, actor_for(users[Role.MANAGER]), vid, users["other"].id)
    assert db.get(FollowUp, vid).assignee_id == users["other"].id


# ---- the worklist ------------------------------------------------------------------------------


def _visit(db: Session, customer: Customer, in_days: int, assignee: int | None,
           method: str = "电话", done_date: date | None = None) -> int:
    row = FollowUp(customer_id=customer.id, planned_date=TODAY + timedelta(days=in_days),
                   done_date=done_date, method=method, purpose=f"第{in_days}天",
                   assignee_id=assignee, source="manual", created_at=NOW)
    db.add(row)
    db.flush()
    return row.id


@pytest.fixture
def board(db: Session, users, customer):
    me, other = users[Role.CLERK].id, users["other"].id
    second = make_customer(db, name="钱多多", created_at=NOW)
    gone = make_customer(db, name="已删除客户", created_at=NOW, deleted_at=NOW)
    ids = {
        "mine_today": _visit(db, customer, 0, me),
        "mine_late_3": _visit(db, customer, -3, me, "上门"),
        "mine_late_10": _visit(db, second, -10, me),
        "mine_soon": _visit(db, second, 5, me, "短信"),
        "mine_far": _visit(db, customer, 20, me),               # beyond the 14-day window
        "mine_done": _visit(db, customer, -1, me, done_date=TODAY - timedelta(days=1)),
        "other_today": _visit(db, second, 0, other, "上门"),
        "other_late": _visit(db, second, -1, other),
        "nobody_late": _visit(db, customer, -2, None),
        "deleted_late": _visit(db, gone, -4, me),
    }
    db.commit()
    return ids


def ids_of(db: Session, actor, **kw: object) -> list[int]:
    page = worklist(db, actor, WorklistFilter(**kw), limit=50)
    assert page.total == len(page.rows)
    return [r.id for r in page.rows]


def test_worklist_tabs_for_me(db: Session, users, board) -> None:
    clerk = actor_for(users[Role.CLERK])
    assert ids_of(db, clerk, due=Due.TODAY) == [board["mine_today"]]
    assert ids_of(db, clerk, due=Due.OVERDUE) == [board["mine_late_10"], board["mine_late_3"]]
    assert ids_of(db, clerk, due=Due.UPCOMING) == [board["mine_soon"]]
    assert ids_of(db, clerk, due=Due.OVERDUE, method="上门") == [board["mine_late_3"]]


def test_worklist_for_everyone_needs_team_work(db: Session, users, board) -> None:
    with pytest.raises(PermissionDenied):
        worklist(db, actor_for(users[Role.CLERK]), WorklistFilter(mine=False))
    manager = actor_for(users[Role.MANAGER])
    assert set(ids_of(db, manager, due=Due.OVERDUE, mine=False)) == {
        board["mine_late_3"], board["mine_late_10"], board["other_late"], board["nobody_late"]}
    assert ids_of(db, manager, due=Due.TODAY, mine=False, assignee_id=users["other"].id) == [
        board["other_today"]]
    assert ids_of(db, manager, due=Due.TODAY, mine=False, method="上门") == [
        board["other_today"]]
    assert ids_of(db, manager, due=Due.TODAY) == []  # the manager's own list is empty


def test_worklist_rows_and_paging(db: Session, users, board) -> None:
    manager = actor_for(users[Role.MANAGER])
    flt = WorklistFilter(due=Due.OVERDUE, mine=False)
    first = worklist(db, manager, flt, limit=3, offset=0)
    rest = worklist(db, manager, flt, limit=3, offset=3)
    assert first.total == rest.total == 4
    assert len(first.rows) == 3 and len(rest.rows) == 1
    dates = [r.planned_date for r in first.rows + rest.rows]
    assert dates == sorted(dates)
    row = next(r for r in first.rows if r.id == board["mine_late_3"])
    assert row.customer_name == "赵敏" and row.days_late == 3
    assert row.mobile == "139****5678" and row.assignee == "clerk-name"


def test_worklist_export_masks_per_role(db: Session, users, board) -> None:
    for role, mobile in ((Role.CLERK, "139****5678"), (Role.MANAGER, "13912345678")):
        actor = actor_for(users[role])
        data = worklist_xlsx(db, actor, WorklistFilter(due=Due.OVERDUE, mine=role is Role.CLERK))
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][:4] == ["计划日期", "逾期天数", "客户编号", "客户名称"]
        assert any(mobile in row for row in values[1:]), role
        assert not any("已删除客户" in row for row in values)
    db.commit()
    exports = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.follow_ups")
                         ).all()
    assert [e.detail["rows"] for e in exports] == [2, 4]
