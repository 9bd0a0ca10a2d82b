"""Customer records: entry with duplicate checks and numbering, optimistic editing, the masked
profile and reveal, review, soft delete, timeline and change history (both backends)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ, now, today
from core.vocab import Role
from db.models import (
    AuditEntry,
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    Order,
    Renewal,
    Survey,
    TierChange,
)
from services import customers as cr
from services.access.roles import PermissionDenied
from services.customers import tags
from services.customers.idcodes import resident_check_char
from services.customers.lookup import CustomerQuery, search
from tests.support.factories import actor_for, make_user

YEAR = today().year  # numbers carry the year in China


def rid(seq: int, birth: str = "19900101") -> str:
    """A valid resident ID (Beijing, given birth date)."""
    first17 = f"110105{birth}{seq:03d}"
    return first17 + resident_check_char(first17)


ID_1 = rid(123)
ID_2 = rid(456, "19851231")


def raw(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "张三", "mobile": "13812345678"}
    base.update(over)
    return base


def audit_rows(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)
                           .order_by(AuditEntry.id)))


def count_customers(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Customer)) or 0


# ---- create, numbering ------------------------------------------------------------------------

def test_create_issues_numbers_in_sequence_and_records_who(db: Session, people) -> None:
    clerk = people["clerk"]
    first = cr.create_customer(db, clerk, raw(email="Zhang.San@Example.CN", id_number=ID_1,
                                              tags="VIP，老客户", industry="科技",
                                              province="广东"))
    second = cr.create_customer(db, clerk, raw(name="李四", mobile="13900000001"))
    a, b = db.get(Customer, first), db.get(Customer, second)
    assert a.customer_no == f"C{YEAR}000001" and b.customer_no == f"C{YEAR}000002"
    assert a.created_by_id == a.updated_by_id == clerk.user_id
    assert a.created_at is not None and a.version == 1
    assert a.email == "zhang.san@example.cn" and a.province == "广东省"
    assert [t.name for t in a.tags] == sorted(["VIP", "老客户"])
    assert a.tier == "白银" and a.tier_source == "rule" and a.lifecycle == "潜在"
    created = audit_rows(db, "customer.create")
    assert [r.entity_id for r in created] == [str(first), str(second)]
    assert created[0].user_id == clerk.user_id
    assert created[0].changes["name"] == [None, "张三"]
    assert created[0].changes["mobile"] == [None, "138****5678"]


def test_given_customer_number_is_kept_and_issued_numbers_skip_it(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = cr.create_customer(db, clerk, raw(customer_no=f"c{YEAR}000001"))
    assert db.get(Customer, cid).customer_no == f"C{YEAR}000001"
    nxt = cr.create_customer(db, clerk, raw(name="王五", mobile="13900000002"))
    assert db.get(Customer, nxt).customer_no == f"C{YEAR}000002"


def test_numbering_is_per_year_and_continues_the_stored_counter(db: Session) -> None:
    assert cr.next_customer_no(db, year=2031) == "C2031000001"
    assert cr.next_customer_no(db, year=2031) == "C2031000002"
    assert cr.next_customer_no(db, year=2032) == "C2032000001"
    db.execute(Customer.__table__.insert().values(
        customer_no="C2031000003", name="手工编号", customer_type="个人", created_at=now(),
        updated_at=now(), version=1))
    assert cr.next_customer_no(db, year=2031) == "C2031000004"


def test_two_sessions_issuing_numbers_do_not_collide(engine) -> None:
    """A holds the counter row (uncommitted); B must wait and then get the next number."""
    first = Session(engine)
    second = Session(engine)
    got: dict[str, str] = {}
    try:
        got["a"] = cr.next_customer_no(first, year=2040)  # inserts the row, then increments

        def other() -> None:
            got["b"] = cr.next_customer_no(second, year=2040)
            second.commit()

        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)
        assert "b" not in got, "the second session must wait for the first"
        first.commit()
        thread.join(timeout=30)
        assert got == {"a": "C2040000001", "b": "C2040000002"}
    finally:
        first.close()
        second.close()


def test_validation_errors_are_reported_per_field(db: Session, people) -> None:
    with pytest.raises(cr.InvalidCustomer) as info:
        cr.create_customer(db, people["clerk"], {"name": " ", "mobile": "010-12345678",
                                                 "email": "not-an-email", "industry": "航天"})
    fields = {e.field for e in info.value.errors}
    assert fields == {"name", "mobile", "email", "industry"}
    mobile = next(e for e in info.value.errors if e.field == "mobile")
    assert mobile.key == "validation.mobile.landline"
    assert "手机号" in mobile.message("zh") and "Mobile" in mobile.message("en")
    assert info.value.message("en")
    assert count_customers(db) == 0


def test_a_record_needs_a_way_to_reach_the_customer(db: Session, people) -> None:
    with pytest.raises(cr.InvalidCustomer) as info:
        cr.create_customer(db, people["clerk"], {"name": "无联系方式"})
    assert [(e.field, e.key) for e in info.value.errors] == [
        (None, "validation.contact_required")]


# ---- duplicates -------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "original", "typed"), [
    ("mobile", "13812345678", "+86 138-1234-5678"),
    ("email", "zhang@example.cn", "  ZHANG@Example.cn "),
    ("id_number", ID_2.replace("X", "x"), ID_2.lower()),
    ("customer_no", "VIP-001", "vip-001"),
])
def test_every_kind_of_duplicate_is_refused_with_the_existing_record(
        db: Session, people, field: str, original: str, typed: str) -> None:
    # a clerk may not see a 证件号码: such a match names no customer
    # (tests/screens/test_oracle_form.py)
    clerk = people["manager"] if field == "id_number" else people["clerk"]
    first = cr.create_customer(db, clerk, {"name": "原客户", "mobile": "13700000000",
                                           "company": "甲公司", field: original})
    new = {"name": "新客户", "email": "other@example.cn", field: typed}
    with pytest.raises(cr.DuplicateCustomer) as info:
        cr.create_customer(db, clerk, new, accept_similar=True)
    (match,) = info.value.matches
    existing = db.get(Customer, first)
    assert (match.customer_id, match.customer_no, match.name) == (
        first, existing.customer_no, "原客户")
    assert field in match.fields
    assert "原客户" in match.message("zh")
    assert count_customers(db) == 1
    check = cr.check_customer(db, clerk, new)
    assert not check.ok and check.duplicates == info.value.matches


def test_deleted_customers_are_not_duplicates(db: Session, people) -> None:
    first = cr.create_customer(db, people["clerk"], raw(email="a@example.cn", id_number=ID_1))
    cr.delete_customer(db, people["admin"], first)
    again = cr.create_customer(db, people["clerk"], raw(email="a@example.cn", id_number=ID_1))
    assert again != first
    # ... but a deleted customer's 客户编号 stays taken (it is unique and restorable).
    number = db.get(Customer, first).customer_no
    with pytest.raises(cr.InvalidCustomer) as info:
        cr.create_customer(db, people["clerk"], raw(customer_no=number, mobile="13900000009"))
    assert [(e.field, e.key) for e in info.value.errors] == [
        ("customer_no", "records.error.customer_no_deleted")]


def test_similar_name_and_company_is_a_warning_that_can_be_passed(db: Session, people) -> None:
    clerk = people["clerk"]
    first = cr.create_customer(db, clerk, raw(company="深圳腾讯科技有限公司"))
    similar = raw(mobile="13900000003", company="深圳腾讯科技")
    with pytest.raises(cr.SimilarCustomer) as info:
        cr.create_customer(db, clerk, similar)
    assert [m.customer_id for m in info.value.matches] == [first]
    assert count_customers(db) == 1
    check = cr.check_customer(db, clerk, similar)
    assert check.ok and [m.customer_id for m in check.similar] == [first]
    second = cr.create_customer(db, clerk, similar, accept_similar=True)
    assert second != first
    # Same name, unrelated company: no warning at all.
    cr.create_customer(db, clerk, raw(mobile="13900000004", company="北京字节跳动"))


# ---- editing and optimistic locking -----------------------------------------------------------

def test_update_keeps_masked_values_and_audits_masked(db: Session, people) -> None:
    clerk, manager = people["clerk"], people["manager"]
    cid = cr.create_customer(db, clerk, raw(email="zhang@example.cn", id_number=ID_1))
    form = cr.edit_form(db, clerk, cid)
    assert form.values["mobile"] == "138****5678"
    assert form.values["id_number"] == ID_1[:4] + "*" * 10 + ID_1[-4:]
    values = dict(form.values, name="张三丰", city="深圳")
    version = cr.update_customer(db, clerk, cid, values, form.version)
    c = db.get(Customer, cid)
    assert version == c.version == 2
    assert (c.name, c.city, c.mobile, c.email) == ("张三丰", "深圳", "13812345678",
                                                   "zhang@example.cn")
    assert cr.reveal(db, manager, cid, "id_number") == ID_1
    # Changing the 证件号码: the audit log says so, masked, never in full.
    cr.update_customer(db, clerk, cid, {"id_number": ID_2}, version)
    row = audit_rows(db, "customer.update")[-1]
    assert row.changes["id_number"] == [cr.mask_value("id_number", ID_1),
                                        cr.mask_value("id_number", ID_2)]
    everything = " ".join(str((r.changes, r.detail)) for r in db.scalars(select(AuditEntry)))
    assert ID_1 not in everything and ID_2 not in everything
    assert audit_rows(db, "customer.update")[0].changes == {
        "city": [None, "深圳"], "name": ["张三", "张三丰"]}


def test_checks_never_show_stored_contacts_in_full(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = cr.create_customer(db, clerk, raw(id_number=ID_1))
    c = db.get(Customer, cid)
    c.mobile = "12345678901"  # legacy data that no longer passes validation
    db.flush()
    check = cr.check_customer(db, clerk, {"notes": "核对"}, cid)
    assert check.values["id_number"] == cr.mask_value("id_number", ID_1)
    (error,) = check.errors
    assert error.field == "mobile" and "12345678901" not in error.message("zh")
    with pytest.raises(cr.InvalidCustomer) as info:
        cr.update_customer(db, clerk, cid, {"notes": "核对"}, c.version)
    assert "123****8901" in info.value.errors[0].message("en")
    # A value the user typed is quoted as typed: it is theirs.
    with pytest.raises(cr.InvalidCustomer) as info:
        cr.update_customer(db, clerk, cid, {"mobile": "12345678902"}, c.version)
    assert "12345678902" in info.value.errors[0].message("en")


def test_update_without_changes_writes_nothing(db: Session, people) -> None:
    cid = cr.create_customer(db, people["clerk"], raw())
    form = cr.edit_form(db, people["clerk"], cid)
    assert cr.update_customer(db, people["clerk"], cid, form.values, form.version) == 1
    assert audit_rows(db, "customer.update") == []


def test_update_checks_duplicates_against_others_only(db: Session, people) -> None:
    clerk = people["clerk"]
    a = cr.create_customer(db, clerk, raw(email="a@example.cn"))
    cr.create_customer(db, clerk, raw(name="李四", mobile="13900000005", email="b@example.cn"))
    version = cr.update_customer(db, clerk, a, {"email": "A@example.cn", "notes": "x"}, 1)
    with pytest.raises(cr.DuplicateCustomer) as info:
        cr.update_customer(db, clerk, a, {"email": "b@example.cn"}, version)
    assert info.value.matches[0].fields == ("email",)
    with pytest.raises(cr.InvalidCustomer):
        cr.update_customer(db, clerk, a, {"mobile": "12345"}, version)
    assert db.get(Customer, a).email == "a@example.cn"


def test_stale_edit_from_a_second_session_is_refused_with_the_changes(engine, people,
                                                                       db: Session) -> None:
    clerk, manager = people["clerk"], people["manager"]
    cid = cr.create_customer(db, clerk, raw(city="广州"))
    db.commit()
    one, two = Session(engine), Session(engine)
    try:
        form_one = cr.edit_form(one, manager, cid)
        form_two = cr.edit_form(two, clerk, cid)
        assert form_one.version == form_two.version == 1
        cr.update_customer(one, manager, cid, dict(form_one.values, city="深圳"), 1)
        one.commit()
        mine = dict(form_two.values, name="张三（新）", notes="客户来电更正")
        submitted = dict(mine)
        with pytest.raises(cr.StaleRecord) as info:
            cr.update_customer(two, clerk, cid, mine, form_two.version)
        stale = info.value
        assert stale.submitted == submitted  # the clerk's input, intact, for the form
        assert (stale.expected_version, stale.current_version) == (1, 2)
        assert stale.current.values["city"] == "深圳" and stale.current.values["name"] == "张三"
        assert stale.current.values["mobile"] == "138****5678"
        assert [(c.username, c.field, c.before, c.after) for c in stale.changes] == [
            ("u_manager", "city", "广州", "深圳")]
        assert "2" in stale.message("en")
        two.rollback()
        # Nothing of the clerk's was written; re-applied on the current values, it saves.
        assert two.get(Customer, cid, populate_existing=True).name == "张三"
        merged = dict(stale.current.values, name=mine["name"], notes=mine["notes"])
        version = cr.update_customer(two, clerk, cid, merged, stale.current_version)
        two.commit()
        fresh = one.get(Customer, cid, populate_existing=True)
        assert (version, fresh.name, fresh.city) == (3, "张三（新）", "深圳")
    finally:
        one.close()
        two.close()


def test_race_lost_at_the_database_on_the_same_field_is_stale(engine, people,
                                                              db: Session) -> None:
    """Both read the record; the first commits a new name just before the second's UPDATE of
    the name: the second is merged again, finds the conflict and writes nothing."""
    clerk = people["clerk"]
    cid = cr.create_customer(db, clerk, raw())
    db.commit()
    one, two = Session(engine), Session(engine)
    form = cr.edit_form(two, clerk, cid)
    fired: list[bool] = []

    def sneak_in(session: Session, *_: object) -> None:
        if fired:
            return
        fired.append(True)
        c = one.get(Customer, cid)
        c.name = "李四"
        one.commit()

    event.listen(two, "before_flush", sneak_in)
    try:
        with pytest.raises(cr.StaleRecord) as info:
            cr.update_customer(two, clerk, cid, dict(form.values, name="赵六"), form)
        assert fired and info.value.current_version == 2
        assert info.value.conflicts == ["name"]
        assert info.value.current.values["name"] == "李四"
        check = Session(engine)
        c = check.get(Customer, cid)
        assert (c.name, c.version) == ("李四", 2)
        check.close()
    finally:
        event.remove(two, "before_flush", sneak_in)
        one.close()
        two.close()


def test_every_write_bumps_the_version_so_old_forms_go_stale(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = cr.create_customer(db, clerk, raw())
    tags.add_tags(db, clerk, cid, "VIP")
    with pytest.raises(cr.StaleRecord) as info:
        cr.update_customer(db, clerk, cid, {"tags": []}, 1)
    assert [(c.action, c.field, c.after) for c in info.value.changes] == [
        ("customer.tags", "tags", ["VIP"])]
    assert [t.name for t in db.get(Customer, cid).tags] == ["VIP"]


# ---- profile, masking, reveal ----------------------------------------------------------------

@pytest.mark.parametrize("role", [r.value for r in Role])
def test_profile_is_masked_for_every_role(db: Session, people, role: str) -> None:
    cid = cr.create_customer(db, people["admin"], raw(email="zhang.san@example.cn",
                                                      id_number=ID_1, phone="010-12345678"))
    profile = cr.get_profile(db, people[role], cid)
    assert profile.mobile == "138****5678"
    assert profile.email == "z***@example.cn"
    assert profile.id_number == ID_1[:4] + "**********" + ID_1[-4:]
    assert profile.phone == "010****5678"  # spec: a 个人 customer's 固定电话 follows 手机号
    text = repr(profile)
    assert ID_1 not in text and "13812345678" not in text and "zhang.san@" not in text
    assert "12345678" not in text.replace("138****5678", "")
    assert profile.can_reveal_contact == (role != "trainer")
    assert profile.can_reveal_id_number == (role in ("admin", "manager"))
    assert profile.can_delete == (role == "admin")
    assert profile.can_edit == (role != "trainer")


def test_reveal_is_audited_and_limited_by_role(db: Session, people) -> None:
    cid = cr.create_customer(db, people["admin"], raw(email="z@example.cn", id_number=ID_1))
    assert cr.reveal(db, people["clerk"], cid, "mobile") == "13812345678"
    assert cr.reveal(db, people["manager"], cid, "id_number") == ID_1
    with pytest.raises(PermissionDenied):
        cr.reveal(db, people["clerk"], cid, "id_number")
    trainer = people["users"]["trainer"]
    for demo in (False, True):
        for field in ("mobile", "email", "id_number"):
            with pytest.raises(PermissionDenied):
                cr.reveal(db, actor_for(trainer, demo_mode=demo), cid, field)
    with pytest.raises(cr.RecordError):
        cr.reveal(db, people["admin"], cid, "name")
    rows = audit_rows(db, "customer.reveal")
    assert [(r.username, r.entity_id, r.detail) for r in rows] == [
        ("u_clerk", str(cid), {"field": "mobile"}),
        ("u_manager", str(cid), {"field": "id_number"}),
    ]


def test_profile_explains_the_tier(db: Session, people) -> None:
    cid = cr.create_customer(db, people["clerk"], raw())
    today = date.today()
    for n in range(3):
        db.add(Order(customer_id=cid, order_no=f"SO-X{n}", order_date=today - timedelta(days=n),
                     product="P", quantity=1, amount=Decimal("4000.00"), created_at=now()))
    db.flush()
    from services.customers.tiers import on_orders_changed

    on_orders_changed(db, [cid])
    profile = cr.get_profile(db, people["clerk"], cid)
    assert profile.tier == profile.rule_tier == "黄金"
    assert profile.tier_figures.spend_12m == Decimal("12000.00")
    assert profile.tier_figures.orders_12m == 3
    gold = next(c for c in profile.tier_figures.explanation.rules if c.tier == "黄金")
    assert gold.met
    assert [(h.from_tier, h.to_tier, h.source) for h in profile.tier_history] == [
        ("白银", "黄金", "rule")]
    assert profile.lifecycle == "新客户" and profile.first_order_at == today - timedelta(days=2)


# ---- review -----------------------------------------------------------------------------------

def test_review_due_date_and_overdue(db: Session, people, settings) -> None:
    assert settings.review_interval_days == 180
    cid = cr.create_customer(db, people["clerk"], raw())
    c = db.get(Customer, cid)
    c.created_at = datetime(2025, 1, 9, 17, 0, tzinfo=UTC)  # 10 Jan 01:00 in China
    db.flush()
    due = date(2025, 1, 10) + timedelta(days=180)
    on_time = cr.get_profile(db, people["clerk"], cid, today=due)
    assert (on_time.review_due, on_time.review_overdue) == (due, False)
    late = cr.get_profile(db, people["clerk"], cid, today=due + timedelta(days=1))
    assert late.review_overdue
    stamp = cr.mark_reviewed(db, people["clerk"], cid)
    after = cr.get_profile(db, people["clerk"], cid, today=due + timedelta(days=1))
    assert after.last_reviewed_at == stamp
    assert after.review_due == stamp.astimezone(LOCAL_TZ).date() + timedelta(days=180)
    assert not after.review_overdue
    (row,) = audit_rows(db, "customer.review")
    assert row.changes["last_reviewed_at"][0] is None and row.username == "u_clerk"
    with pytest.raises(PermissionDenied):
        cr.mark_reviewed(db, people["trainer"], cid)


# ---- delete and restore -----------------------------------------------------------------------

def test_soft_delete_and_restore_are_for_admins_only(db: Session, people) -> None:
    cid = cr.create_customer(db, people["clerk"], raw())
    for role in ("manager", "clerk", "trainer"):
        with pytest.raises(PermissionDenied):
            cr.delete_customer(db, people[role], cid)
    assert cr.delete_customer(db, people["admin"], cid)
    assert not cr.delete_customer(db, people["admin"], cid)
    rows, total = search(db, people["clerk"], CustomerQuery())
    assert total == 0 and rows == []
    with pytest.raises(cr.CustomerNotFound):
        cr.get_profile(db, people["clerk"], cid)
    with pytest.raises(cr.CustomerNotFound):
        cr.update_customer(db, people["admin"], cid, {"name": "x"}, 2)
    assert cr.get_profile(db, people["admin"], cid).deleted
    for role in ("manager", "clerk"):
        with pytest.raises(PermissionDenied):
            cr.restore_customer(db, people[role], cid)
    assert cr.restore_customer(db, people["admin"], cid)
    assert search(db, people["clerk"], CustomerQuery())[1] == 1
    assert [r.action for r in db.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("customer.delete", "customer.restore"))))] == [
        "customer.delete", "customer.restore"]


def test_restore_is_refused_when_a_live_customer_took_the_mobile(db: Session, people) -> None:
    old = cr.create_customer(db, people["clerk"], raw())
    cr.delete_customer(db, people["admin"], old)
    new = cr.create_customer(db, people["clerk"], raw(name="新张三"))
    with pytest.raises(cr.DuplicateCustomer) as info:
        cr.restore_customer(db, people["admin"], old)
    assert info.value.matches[0].customer_id == new
    assert db.get(Customer, old).deleted_at is not None


def test_trainers_edit_only_on_a_demo_database(db: Session, people) -> None:
    trainer = people["users"]["trainer"]
    with pytest.raises(PermissionDenied):
        cr.create_customer(db, actor_for(trainer, demo_mode=False), raw())
    assert cr.create_customer(db, actor_for(trainer, demo_mode=True), raw())


# ---- bulk assignment --------------------------------------------------------------------------

def test_bulk_assign_manager(db: Session, people) -> None:
    clerk = people["clerk"]
    ids = [cr.create_customer(db, clerk, raw(name=f"客户{i}", mobile=f"1390000001{i}"))
           for i in range(4)]
    cr.delete_customer(db, people["admin"], ids[3])
    manager = people["users"]["manager"]
    assert cr.bulk_assign_manager(db, clerk, ids, manager.id) == 3
    assert cr.bulk_assign_manager(db, clerk, ids, manager.id) == 0
    assert {db.get(Customer, i).account_manager_id for i in ids[:3]} == {manager.id}
    assert db.get(Customer, ids[3]).account_manager_id is None
    assert db.get(Customer, ids[0]).version == 2
    row = audit_rows(db, "customer.bulk_assign")[0]
    assert row.detail["count"] == 3 and row.detail["ids"] == ids[:3]
    inactive = make_user(db, "gone", Role.MANAGER, active=False)
    with pytest.raises(cr.RecordError) as info:
        cr.bulk_assign_manager(db, clerk, ids, inactive.id)
    assert info.value.key == "records.error.manager_unknown"
    with pytest.raises(PermissionDenied):
        cr.bulk_assign_manager(db, people["trainer"], ids, manager.id)


# ---- timeline ---------------------------------------------------------------------------------

def test_timeline_merges_every_kind_newest_first_and_pages(db: Session, people) -> None:
    cid = cr.create_customer(db, people["clerk"], raw())
    stamp = now()

    def at(day: int, hour: int = 12) -> datetime:
        return datetime(2025, 3, day, hour - 8, 0, tzinfo=UTC)  # ``hour`` in China time

    db.add_all([
        Order(customer_id=cid, order_no="SO-1", order_date=date(2025, 3, 1), product="打印机",
              quantity=2, amount=Decimal("1999.00"), payment_method="支付宝", created_at=stamp),
        Interaction(customer_id=cid, occurred_at=at(2, 9), method="电话", content="询价",
                    created_at=stamp),
        FollowUp(customer_id=cid, planned_date=date(2025, 3, 3), done_date=date(2025, 3, 4),
                 method="上门", purpose="安装回访", result="满意", created_at=stamp),
        Complaint(customer_id=cid, channel="电话", complaint_type="物流配送",
                  description="送货延迟", received_at=at(5, 15), status="处理中",
                  created_at=stamp),
        Survey(customer_id=cid, survey_date=date(2025, 3, 6), score=4, comment="不错",
               created_at=stamp),
        TierChange(customer_id=cid, from_tier="白银", to_tier="黄金", source="rule",
                   reason="按近12个月消费自动评级", changed_at=at(8, 23)),
    ])
    contract = Contract(customer_id=cid, contract_no="HT-1", start_date=date(2024, 3, 7),
                        end_date=date(2025, 3, 7), amount=Decimal("5000"), created_at=stamp)
    db.add(contract)
    db.flush()
    db.add(Renewal(contract_id=contract.id, customer_id=cid, due_date=date(2025, 3, 7),
                   outcome="跟进中", created_at=stamp))
    db.flush()
    page = cr.timeline(db, people["trainer"], cid)
    assert page.total == 8
    assert [i.kind for i in page.items] == [
        "tier_change", "renewal", "survey", "complaint", "follow_up", "interaction", "order",
        "contract"]
    assert page.items[-1].title("zh") == "合同 HT-1：2024-03-07 至 2025-03-07，金额 5,000.00 元"
    assert all(a.when >= b.when for a, b in zip(page.items, page.items[1:], strict=False))
    order = page.items[-2]
    assert order.all_day and order.title("zh") == "订单 SO-1：打印机 × 2，金额 1,999.00 元"
    assert page.items[0].detail_text("en") == "Set by the rules from the last 12 months' spend"
    assert page.items[3].title("en") == "Complaint: Delivery (In progress)"
    assert page.items[5].detail == "询价"
    second = cr.timeline(db, people["trainer"], cid, limit=3, offset=3)
    assert [i.kind for i in second.items] == ["complaint", "follow_up", "interaction"]
    assert second.total == 8


# ---- change history ---------------------------------------------------------------------------

def test_change_history_says_who_changed_what_from_what_to_what(db: Session, people) -> None:
    clerk, manager, admin = people["clerk"], people["manager"], people["admin"]
    cid = cr.create_customer(db, clerk, raw(id_number=ID_1))
    v = cr.update_customer(db, manager, cid, {"mobile": "13987654321", "id_number": ID_2}, 1)
    cr.reveal(db, manager, cid, "mobile")
    tags.add_tags(db, clerk, cid, "重点")
    cr.bulk_assign_manager(db, admin, [cid], people["users"]["manager"].id)
    assert v == 2
    page = cr.change_history(db, people["trainer"], cid)
    assert page.total == 4  # create, update, tags, bulk assign; the reveal is not a change
    actions = []
    for entry in page.entries:
        if entry.action not in actions:
            actions.append(entry.action)
    assert actions == ["customer.bulk_assign", "customer.tags", "customer.update",
                       "customer.create"]
    update = {e.field: e for e in page.entries if e.action == "customer.update"}
    assert set(update) == {"mobile", "id_number"}
    assert (update["mobile"].username, update["mobile"].before, update["mobile"].after) == (
        "u_manager", "138****5678", "139****4321")
    assert update["id_number"].after == cr.mask_value("id_number", ID_2)
    assign = next(e for e in page.entries if e.action == "customer.bulk_assign")
    assert (assign.field, assign.before, assign.after) == ("account_manager", None,
                                                           "u_manager")
    assert assign.action_label("en") == "Account manager assigned in bulk"
    assert update["mobile"].field_label("zh") == "手机号"
    assert ID_1 not in repr(page) and ID_2 not in repr(page)
    newest = cr.change_history(db, people["trainer"], cid, limit=1)
    assert {e.action for e in newest.entries} == {"customer.bulk_assign"}
    oldest = cr.change_history(db, people["trainer"], cid, limit=1, offset=3)
    assert {e.action for e in oldest.entries} == {"customer.create"}
