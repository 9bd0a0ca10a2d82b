"""投诉处理: recording, the workflow and its guards, resolution time, the linked survey, role
rules, optimistic locking and the queue's filters, overdue flag and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core import clock
from core.i18n import t
from core.vocab import Role
from db.models import AuditEntry, Complaint, ComplaintEvent, FollowUp, Survey
from services.access.roles import PermissionDenied
from services.records import complaints as svc
from services.records.input import InvalidRecord
from tests.support.factories import actor_for, make_customer, make_user
from tests.support.people import make_app_users

NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 China time


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.astimezone(clock.LOCAL_TZ).date())
    return NOW


@pytest.fixture
def staff(db):
    users = make_app_users(db)
    users["clerk2"] = make_user(db, "clerk2", role=Role.CLERK, display_name="clerk2-name")
    db.commit()
    return users


@pytest.fixture
def customer(db):
    c = make_customer(db, name="欧阳娜娜", mobile="13912345678")
    db.commit()
    return c


def actors(staff, demo: bool = True):
    return {k: actor_for(u, demo_mode=demo) for k, u in staff.items()}


def new(db, actor, customer, **values):
    raw = {"channel": "电话", "complaint_type": "物流配送", "description": "快递五天未到",
           "received_at": NOW - timedelta(hours=3), **values}
    c = svc.create_complaint(db, actor, customer.id, raw)
    db.commit()
    return c


def events(db, complaint_id):
    return db.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint_id)
                      .order_by(ComplaintEvent.id)).all()


# ---- recording ----------------------------------------------------------------------------------


def test_create_records_event_and_audit(db, staff, customer, frozen) -> None:
    a = actors(staff)
    c = new(db, a[Role.CLERK], customer)
    assert c.status == "待处理" and c.handler_id is None and c.version == 1
    assert c.received_at == NOW - timedelta(hours=3)
    [event] = events(db, c.id)
    assert (event.action, event.to_status, event.user_id) == ("create", "待处理",
                                                              staff[Role.CLERK].id)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.create"))
    assert entry.entity_id == str(c.id) and entry.detail["customer_id"] == customer.id
    assert entry.changes["description"] == [None, "快递五天未到"]


def test_received_defaults_to_now(db, staff, customer, frozen) -> None:
    c = new(db, actors(staff)[Role.CLERK], customer, received_at=None)
    assert c.received_at == NOW


@pytest.mark.parametrize(("values", "fields"), [
    ({"description": "  "}, {"complaint.description"}),
    ({"channel": "微信"}, {"complaint.channel"}),
    ({"complaint_type": "心情不好"}, {"complaint.complaint_type"}),
    ({"complaint_type": None, "channel": None}, {"complaint.complaint_type",
                                                  "complaint.channel"}),
    ({"received_at": NOW + timedelta(hours=2)}, {"complaint.received_at"}),
    ({"description": "长" * 5001}, {"complaint.description"}),
])
def test_create_validation_names_each_field(db, staff, customer, frozen, values,
                                            fields) -> None:
    with pytest.raises(InvalidRecord) as caught:
        new(db, actors(staff)[Role.CLERK], customer, **values)
    assert {e.field for e in caught.value.errors} == fields
    for error in caught.value.errors:
        label = t(f"field.{error.field}")
        assert label in error.message("zh")
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Complaint)) == 0


def test_clerk_may_not_assign_someone_else_on_create(db, staff, customer, frozen) -> None:
    a = actors(staff)
    with pytest.raises(svc.HandlerNotAllowed):
        new(db, a[Role.CLERK], customer, handler_id=staff["clerk2"].id)
    db.rollback()
    own = new(db, a[Role.CLERK], customer, handler_id=staff[Role.CLERK].id)
    assert own.handler_id == staff[Role.CLERK].id
    managed = new(db, a[Role.MANAGER], customer, handler_id=staff["clerk2"].id)
    assert managed.handler_id == staff["clerk2"].id


# ---- the workflow -------------------------------------------------------------------------------


def test_full_workflow_with_events_and_resolution_time(db, staff, customer, frozen,
                                                       monkeypatch) -> None:
    a = actors(staff)
    clerk = a[Role.CLERK]
    c = new(db, clerk, customer, received_at=NOW - timedelta(hours=5, minutes=30))
    svc.start(db, clerk, c.id, 1, "已致电客户")
    db.commit()
    assert c.status == "处理中" and c.handler_id == staff[Role.CLERK].id  # took it
    svc.add_step(db, clerk, c.id, c.version, "联系物流加急")
    db.commit()
    assert c.status == "处理中" and c.version == 3
    svc.resolve(db, clerk, c.id, c.version, "补发并赠送优惠券")
    db.commit()
    assert c.status == "已解决" and c.resolved_at == NOW
    assert c.resolution_minutes == 330  # 5 h 30 min, computed
    assert c.solution == "补发并赠送优惠券"
    later = NOW + timedelta(hours=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    svc.close(db, clerk, c.id, c.version)
    db.commit()
    assert c.status == "已关闭" and c.closed_at == later
    got = [(e.action, e.from_status, e.to_status, e.note, e.user_id) for e in events(db, c.id)]
    uid = staff[Role.CLERK].id
    assert got == [
        ("create", None, "待处理", None, uid),
        ("start", "待处理", "处理中", "已致电客户", uid),
        ("note", "处理中", None, "联系物流加急", uid),
        ("resolve", "处理中", "已解决", "补发并赠送优惠券", uid),
        ("close", "已解决", "已关闭", None, uid),
    ]
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "complaint")
                         .order_by(AuditEntry.id)).all()
    assert actions == ["complaint.create", "complaint.start", "complaint.note",
                       "complaint.resolve", "complaint.close"]


def test_reopen_clears_and_next_resolve_recomputes(db, staff, customer, frozen,
                                                   monkeypatch) -> None:
    clerk = actors(staff)[Role.CLERK]
    c = new(db, clerk, customer, received_at=NOW - timedelta(hours=1))
    svc.start(db, clerk, c.id, c.version)
    svc.resolve(db, clerk, c.id, c.version, "退款")
    db.commit()
    assert c.resolution_minutes == 60
    svc.reopen(db, clerk, c.id, c.version, "客户说退款未到账")
    db.commit()
    assert c.status == "处理中"
    assert c.resolved_at is None and c.resolution_minutes is None and c.closed_at is None
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=1))
    svc.resolve(db, clerk, c.id, c.version, "退款已到账")
    db.commit()
    assert c.resolution_minutes == 60 + 24 * 60  # again from received_at
    svc.close(db, clerk, c.id, c.version)
    svc.reopen(db, clerk, c.id, c.version, "又出问题")
    db.commit()
    assert c.status == "处理中" and c.closed_at is None and c.resolution_minutes is None


@pytest.mark.parametrize(("status_path", "action"), [
    ((), "resolve"),                       # 待处理 cannot skip to 已解决
    ((), "close"),
    ((), "reopen"),
    (("start",), "start"),
    (("start",), "close"),                 # 处理中 cannot skip to 已关闭
    (("start",), "reopen"),
    (("start", "resolve"), "start"),
    (("start", "resolve"), "resolve"),
    (("start", "resolve", "close"), "note"),
    (("start", "resolve", "close"), "close"),
    (("start", "resolve", "close"), "assign"),
])
def test_illegal_moves_are_refused_naming_the_state(db, staff, customer, frozen, status_path,
                                                    action) -> None:
    clerk = actors(staff)[Role.CLERK]
    c = new(db, clerk, customer)
    for step in status_path:
        if step == "resolve":
            svc.resolve(db, clerk, c.id, c.version, "已处理")
        else:
            getattr(svc, step)(db, clerk, c.id, c.version)
    db.commit()
    status, version = c.status, c.version
    args = {"resolve": ("方案",), "note": ("步骤",), "reopen": ("原因",),
            "assign": (staff[Role.CLERK].id,)}.get(action, ())
    fn = {"note": svc.add_step}.get(action) or getattr(svc, action)
    with pytest.raises(svc.IllegalTransition) as caught:
        fn(db, clerk, c.id, version, *args)
    message = caught.value.message("zh")
    assert f"「{status}」" in message
    assert caught.value.message("en").count("“") >= 2
    db.rollback()
    db.refresh(c)
    assert (c.status, c.version) == (status, version)


def test_allowed_actions_per_state() -> None:
    assert svc.allowed_actions("待处理") == ("start", "note", "assign")
    assert svc.allowed_actions("处理中") == ("note", "resolve", "assign")
    assert svc.allowed_actions("已解决") == ("note", "close", "reopen", "assign")
    assert svc.allowed_actions("已关闭") == ("reopen",)


def test_resolve_requires_solution_and_reopen_a_reason(db, staff, customer, frozen) -> None:
    clerk = actors(staff)[Role.CLERK]
    c = new(db, clerk, customer)
    svc.start(db, clerk, c.id, c.version)
    db.commit()
    with pytest.raises(InvalidRecord) as caught:
        svc.resolve(db, clerk, c.id, c.version, "   ")
    assert [e.field for e in caught.value.errors] == ["complaint.solution"]
    db.rollback()
    with pytest.raises(InvalidRecord):
        svc.add_step(db, clerk, c.id, c.version, "")
    db.rollback()
    svc.resolve(db, clerk, c.id, c.version, "已退款")
    db.commit()
    with pytest.raises(InvalidRecord) as caught:
        svc.reopen(db, clerk, c.id, c.version, "")
    assert [e.field for e in caught.value.errors] == ["complaint.note"]
    db.rollback()
    db.refresh(c)
    assert c.status == "已解决"


def test_resolve_with_satisfaction_links_a_survey_and_plans_a_visit(db, staff, customer,
                                                                    frozen) -> None:
    clerk = actors(staff)[Role.MANAGER]
    c = new(db, clerk, customer)
    svc.start(db, clerk, c.id, c.version)
    result = svc.resolve(db, clerk, c.id, c.version, "换新",
                         satisfaction={"score": 4, "channel": "电话回访", "comment": "满意"})
    db.commit()
    survey = db.scalars(select(Survey)).one()
    assert result.survey is not None and result.survey.id == survey.id
    assert (survey.complaint_id, survey.customer_id, survey.score) == (c.id, customer.id, 4)
    assert survey.survey_date == NOW.astimezone(clock.LOCAL_TZ).date()
    assert survey.user_id == staff[Role.MANAGER].id
    visit = db.scalars(select(FollowUp).where(FollowUp.complaint_id == c.id)).one()
    assert visit.source == "complaint"


def test_resolve_with_bad_score_writes_nothing(db, staff, customer, frozen) -> None:
    clerk = actors(staff)[Role.CLERK]
    c = new(db, clerk, customer)
    svc.start(db, clerk, c.id, c.version)
    db.commit()
    with pytest.raises(InvalidRecord) as caught:
        svc.resolve(db, clerk, c.id, c.version, "", satisfaction={"score": 9})
    assert {e.field for e in caught.value.errors} == {"complaint.solution", "survey.score"}
    db.rollback()
    db.refresh(c)
    assert c.status == "处理中"
    assert db.scalar(select(func.count()).select_from(Survey)) == 0


# ---- optimistic locking -------------------------------------------------------------------------


def test_stale_step_is_refused_not_lost(db, staff, customer, frozen) -> None:
    a = actors(staff)
    c = new(db, a[Role.CLERK], customer)
    seen = c.version
    svc.start(db, a[Role.MANAGER], c.id, seen, "经理接手")
    db.commit()
    with pytest.raises(svc.StaleComplaint) as caught:
        svc.add_step(db, a[Role.CLERK], c.id, seen, "我也打了电话")
    message = caught.value.message("zh")
    assert "manager" in message and "「处理中」" in message
    db.rollback()
    assert [e.action for e in events(db, c.id)] == ["create", "start"]


def test_concurrent_write_is_caught_by_the_version_counter(engine, db, staff, customer,
                                                           frozen) -> None:
    from sqlalchemy.orm import Session

    a = actors(staff)
    c = new(db, a[Role.CLERK], customer)
    with Session(engine) as other:
        other.get(Complaint, c.id).description = "别人改了"
        other.get(Complaint, c.id).version  # noqa: B018 - loaded
        other.commit()
    # Our session still believes version 1: the pre-check passes on a fresh read, so make
    # the write itself race by bypassing the pre-check.
    stale = db.get(Complaint, c.id)
    stale.status = "处理中"
    with pytest.raises(svc.StaleComplaint):
        svc._flush(db, stale, 1)
    db.rollback()


# ---- assignment and roles -----------------------------------------------------------------------


def test_assignment_rules(db, staff, customer, frozen) -> None:
    a = actors(staff)
    c = new(db, a[Role.CLERK], customer)
    svc.assign(db, a[Role.CLERK], c.id, c.version, staff[Role.CLERK].id)  # take it
    db.commit()
    with pytest.raises(svc.HandlerNotAllowed):  # cannot hand it to a colleague
        svc.assign(db, a[Role.CLERK], c.id, c.version, staff["clerk2"].id)
    db.rollback()
    with pytest.raises(svc.HandlerNotAllowed):  # nor can the colleague take it
        svc.assign(db, a["clerk2"], c.id, c.version, staff["clerk2"].id)
    db.rollback()
    svc.assign(db, a[Role.MANAGER], c.id, c.version, staff["clerk2"].id, "换人跟进")
    db.commit()
    assert c.handler_id == staff["clerk2"].id
    svc.assign(db, a["clerk2"], c.id, c.version, None)  # gives up their own
    db.commit()
    assert c.handler_id is None
    real = actor_for(staff[Role.MANAGER], demo_mode=False)
    with pytest.raises(svc.ComplaintError):  # a trainer outside demo mode cannot handle it
        svc.assign(db, real, c.id, c.version, staff[Role.TRAINER].id)
    db.rollback()
    notes = [e.note for e in events(db, c.id) if e.action == "assign"]
    assert notes == ["— → clerk-name", "clerk-name → clerk2-name：换人跟进", "clerk2-name → —"]


def test_trainer_outside_demo_mode_cannot_edit(db, staff, customer, frozen) -> None:
    clerk = actors(staff)[Role.CLERK]
    c = new(db, clerk, customer)
    trainer = actor_for(staff[Role.TRAINER], demo_mode=False)
    raw = {"channel": "电话", "complaint_type": "其他", "description": "x"}
    with pytest.raises(PermissionDenied):
        svc.create_complaint(db, trainer, customer.id, raw)
    with pytest.raises(PermissionDenied):
        svc.start(db, trainer, c.id, c.version)
    with pytest.raises(PermissionDenied):
        svc.update_complaint(db, trainer, c.id, c.version, {"description": "y"})
    assert svc.get_detail(db, trainer, c.id).actions == ()
    demo_trainer = actor_for(staff[Role.TRAINER], demo_mode=True)
    svc.start(db, demo_trainer, c.id, c.version)
    db.commit()
    assert c.status == "处理中"


def test_only_admin_deletes(db, staff, customer, frozen) -> None:
    a = actors(staff)
    c = new(db, a[Role.CLERK], customer)
    svc.start(db, a[Role.CLERK], c.id, c.version)
    svc.resolve(db, a[Role.CLERK], c.id, c.version, "ok", satisfaction={"score": 5})
    db.commit()
    for role in (Role.MANAGER, Role.CLERK, Role.TRAINER):
        with pytest.raises(PermissionDenied):
            svc.delete_complaint(db, a[role], c.id, c.version)
    with pytest.raises(svc.StaleComplaint):
        svc.delete_complaint(db, a[Role.ADMIN], c.id, c.version - 1)
    db.rollback()
    svc.delete_complaint(db, a[Role.ADMIN], c.id, c.version)
    db.commit()
    assert db.get(Complaint, c.id) is None
    assert events(db, c.id) == []
    survey = db.scalars(select(Survey)).one()  # the survey stays, unlinked
    assert survey.complaint_id is None
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.delete"))
    assert entry.changes["status"] == ["已解决", None]


def test_edit_fields_audited_and_resolution_follows_received(db, staff, customer,
                                                             frozen) -> None:
    clerk = actors(staff)[Role.CLERK]
    c = new(db, clerk, customer, received_at=NOW - timedelta(hours=2))
    svc.start(db, clerk, c.id, c.version)
    svc.resolve(db, clerk, c.id, c.version, "方案一")
    db.commit()
    assert c.resolution_minutes == 120
    svc.update_complaint(db, clerk, c.id, c.version,
                         {"received_at": NOW - timedelta(hours=4), "complaint_type": "服务态度",
                          "solution": "方案二"})
    db.commit()
    assert c.resolution_minutes == 240 and c.complaint_type == "服务态度"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "complaint.update"))
    assert entry.changes["complaint_type"] == ["物流配送", "服务态度"]
    assert entry.changes["resolution_minutes"] == [120, 240]
    with pytest.raises(InvalidRecord) as caught:
        svc.update_complaint(db, clerk, c.id, c.version, {"received_at": NOW + timedelta(
            minutes=-1) + timedelta(hours=1)})
    assert [e.field for e in caught.value.errors] == ["complaint.received_at"]
    db.rollback()
    with pytest.raises(InvalidRecord):  # resolved: the solution stays required
        svc.update_complaint(db, clerk, c.id, c.version, {"solution": ""})
    db.rollback()


def test_detail_shows_events_and_legacy_steps(db, staff, customer, frozen) -> None:
    clerk = actors(staff)[Role.CLERK]
    legacy = Complaint(customer_id=customer.id, channel="邮件", complaint_type="产品质量",
                       description="旧投诉", received_at=NOW - timedelta(days=40),
                       status="处理中", handling_steps="受理登记，转交相关部门；联系客户核实情况",
                       created_at=NOW - timedelta(days=40))
    db.add(legacy)
    db.commit()
    svc.add_step(db, clerk, legacy.id, legacy.version, "再次致电")
    db.commit()
    d = svc.get_detail(db, clerk, legacy.id)
    assert d.legacy_steps == ["受理登记，转交相关部门", "联系客户核实情况"]
    assert [(e.action, e.note, e.user) for e in d.events] == [("note", "再次致电", "clerk-name")]
    assert d.overdue and d.customer_name == "欧阳娜娜"
    assert d.actions == ("note", "resolve", "assign")


# ---- the queue ----------------------------------------------------------------------------------


@pytest.fixture
def queue_data(db, staff, frozen):
    """Known complaints: ages 1 h … 10 d, states, channels, handlers."""
    clerk = staff[Role.CLERK].id
    other = staff["clerk2"].id
    alice = make_customer(db, name="张晓明", customer_no="C2026900001", mobile="13800001111")
    bob = make_customer(db, name="李华", customer_no="C2026900002", mobile="13800002222")
    gone = make_customer(db, name="已删客户", deleted_at=NOW)
    spec = [  # (name, customer, hours ago, status, channel, type, handler)
        ("a", alice, 1, "待处理", "电话", "物流配送", None),
        ("b", alice, 30, "处理中", "邮件", "产品质量", clerk),
        ("c", bob, 50, "待处理", "电话", "服务态度", other),
        ("d", bob, 100, "处理中", "在线客服", "物流配送", clerk),
        ("e", bob, 240, "待处理", "反馈表", "其他", None),
        ("f", alice, 200, "已解决", "电话", "物流配送", clerk),
        ("g", bob, 300, "已关闭", "电话", "价格收费", other),
        ("h", gone, 90, "待处理", "电话", "其他", None),
    ]
    ids = {}
    for name, cust, hours, status, channel, ctype, handler in spec:
        received = NOW - timedelta(hours=hours)
        resolved = received + timedelta(hours=5) if status in ("已解决", "已关闭") else None
        row = Complaint(customer_id=cust.id, channel=channel, complaint_type=ctype,
                        description=f"投诉{name}", received_at=received, status=status,
                        handler_id=handler, resolved_at=resolved,
                        resolution_minutes=300 if resolved else None, created_at=received)
        db.add(row)
        db.flush()
        ids[row.id] = name
    db.commit()
    return ids


def names(page, ids):
    return [ids[r.id] for r in page.rows]


def q(**kw):
    return svc.ComplaintQuery(**kw)


def test_queue_default_is_open_oldest_first(db, staff, queue_data) -> None:
    clerk = actors(staff)[Role.CLERK]
    page = svc.queue(db, clerk, q(), now=NOW)
    assert names(page, queue_data) == ["e", "d", "c", "b", "a"]  # "h": deleted customer
    assert page.total == 5
    by = {queue_data[r.id]: r for r in page.rows}
    assert {n for n, r in by.items() if r.overdue} == {"e", "d", "c"}  # older than 48 h
    assert by["a"].age_minutes == 60 and by["a"].customer_no == "C2026900001"
    assert by["a"].mobile == "138****1111"
    newest = svc.queue(db, clerk, q(newest_first=True), now=NOW)
    assert names(newest, queue_data) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(("query", "expected"), [
    (dict(overdue_only=True), ["e", "d", "c"]),
    (dict(statuses=(), overdue_only=True), ["e", "d", "c"]),
    (dict(statuses=("已解决",), overdue_only=True), []),
    (dict(statuses=()), ["g", "e", "f", "d", "c", "b", "a"]),
    (dict(statuses=("已解决", "已关闭")), ["g", "f"]),
    (dict(channel="电话"), ["c", "a"]),
    (dict(complaint_type="物流配送", statuses=()), ["f", "d", "a"]),
    (dict(handler="mine"), ["d", "b"]),
    (dict(handler="unassigned"), ["e", "a"]),
    (dict(age="lt1d"), ["a"]),
    (dict(age="1to2d"), ["b"]),
    (dict(age="2to7d"), ["d", "c"]),
    (dict(age="gt7d", statuses=()), ["g", "e", "f"]),
    (dict(text="张晓明", statuses=()), ["f", "b", "a"]),
    (dict(text="2222"), ["e", "d", "c"]),
    (dict(text="C2026900002", channel="电话", statuses=()), ["g", "c"]),
    (dict(text="没有这个人"), []),
])
def test_queue_filters(db, staff, queue_data, query, expected) -> None:
    page = svc.queue(db, actors(staff)[Role.CLERK], q(**query), now=NOW)
    assert names(page, queue_data) == expected
    assert page.total == len(expected)


def test_queue_handler_person_needs_team_work(db, staff, queue_data) -> None:
    a = actors(staff)
    page = svc.queue(db, a[Role.MANAGER], q(handler_id=staff["clerk2"].id, statuses=()),
                     now=NOW)
    assert names(page, queue_data) == ["g", "c"]
    with pytest.raises(PermissionDenied):
        svc.queue(db, a[Role.CLERK], q(handler_id=staff["clerk2"].id), now=NOW)


def test_queue_paging_keeps_total(db, staff, queue_data) -> None:
    clerk = actors(staff)[Role.CLERK]
    first = svc.queue(db, clerk, q(statuses=()), offset=0, limit=3, now=NOW)
    second = svc.queue(db, clerk, q(statuses=()), offset=3, limit=3, now=NOW)
    third = svc.queue(db, clerk, q(statuses=()), offset=6, limit=3, now=NOW)
    assert (first.total, second.total, third.total) == (7, 7, 7)
    assert names(first, queue_data) + names(second, queue_data) + names(third, queue_data) \
        == ["g", "e", "f", "d", "c", "b", "a"]
    beyond = svc.queue(db, clerk, q(statuses=()), offset=9, limit=3, now=NOW)
    assert beyond.rows == [] and beyond.total == 7


def test_queue_overdue_follows_the_setting(db, staff, queue_data, monkeypatch) -> None:
    from dataclasses import replace

    from core import settings as settings_module

    current = settings_module.get_settings()
    monkeypatch.setattr(svc, "get_settings", lambda: replace(current,
                                                             complaint_overdue_hours=24))
    page = svc.queue(db, actors(staff)[Role.CLERK], q(overdue_only=True), now=NOW)
    assert names(page, queue_data) == ["e", "d", "c", "b"]


def test_queue_counts(db, staff, queue_data) -> None:
    counts = svc.queue_counts(db, actors(staff)[Role.CLERK], now=NOW)
    assert (counts.pending, counts.in_progress, counts.overdue, counts.mine) == (3, 2, 3, 2)


def test_export_masks_mobile_per_role(db, staff, queue_data) -> None:
    import io

    from openpyxl import load_workbook

    a = actors(staff)
    for role, expected in ((Role.MANAGER, "13800001111"), (Role.CLERK, "138****1111")):
        data = svc.export_queue_xlsx(db, a[role], q(), "zh", now=NOW)
        sheet = load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == svc.column_headers("zh")
        assert len(rows) == 6
        assert expected in [r[4] for r in rows[1:]]
        assert rows[1][0] == "⚠" and rows[-1][0] in (None, "")
    exports = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.complaints")).all()
    assert [e.detail["rows"] for e in exports] == [5, 5]


def test_duration_text() -> None:
    assert svc.duration_text(59) == "59 分钟"
    assert svc.duration_text(61, "en") == "1 h 1 min"
    assert svc.duration_text(3 * 1440 + 4 * 60 + 5) == "3 天 4 小时"
    assert svc.duration_text(None) == "—"


@pytest.mark.parametrize(("text", "expected"), [
    ("张晓明", ["f", "b", "a"]), ("晓", ["f", "b", "a"]), ("华", ["g", "e", "d", "c"]),
    ("C2026900002", ["g", "e", "d", "c"]), ("不在", []),
])
def test_queue_common_fragment_probes_the_search_index(db, staff, queue_data, monkeypatch,
                                                        text, expected) -> None:
    """A fragment shared by more customers than the id list takes (a family name at a
    million customers) is matched per complaint through the search index: same answer."""
    monkeypatch.setattr(svc, "_TEXT_IDS_CAP", 0)
    page = svc.queue(db, actors(staff)[Role.CLERK], q(statuses=(), text=text), now=NOW)
    assert names(page, queue_data) == expected
