"""续约管理: outcomes create the right records, guards and corrections, the expiring-contracts
list with the customer's risk beside each, the renewal records, the figures for dashboards,
exports by role, and renewal targets (both backends, hand-made data)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ, now, today
from core.errors import CatalogError
from db.models import AuditEntry, Complaint, Contract, Renewal, RenewalTarget, Survey
from services.access.roles import PermissionDenied
from services.records import renewal_targets as tg
from services.records import renewals as rs
from services.records.input import InvalidRecord
from tests.support.factories import actor_for, make_customer

TODAY = date(2026, 6, 15)


def contract(db: Session, customer_id: int, no: str, end: date, amount: str = "10000",
             start: date | None = None) -> int:
    row = Contract(customer_id=customer_id, contract_no=no,
                   start_date=start or end - timedelta(days=364), end_date=end,
                   amount=Decimal(amount), created_at=now())
    db.add(row)
    db.flush()
    return row.id


def renewed(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"new_start_date": "2026-07-01", "new_end_date": "2027-06-30",
                               "new_amount": "12000"}
    base.update(over)
    return base


def audits(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)
                           .order_by(AuditEntry.id)))


def rows_of(db: Session, contract_id: int) -> list[Renewal]:
    return list(db.scalars(select(Renewal).where(Renewal.contract_id == contract_id)))


# ---- outcomes ---------------------------------------------------------------------------------

def test_renewed_continues_as_a_new_chained_contract(db: Session, people) -> None:
    customer = make_customer(db)
    old = contract(db, customer.id, "HT-1", date(2026, 6, 30), start=date(2025, 7, 1))
    result = rs.record_outcome(db, people["clerk"], old, "已续约",
                               renewed(new_contract_no="ht-2", decided_on="2026-06-10"),
                               today=TODAY)
    new = db.get(Contract, result.new_contract_id)
    assert (new.contract_no, new.customer_id, new.previous_contract_id) == (
        "HT-2", customer.id, old)
    assert (new.start_date, new.end_date, new.amount) == (
        date(2026, 7, 1), date(2027, 6, 30), Decimal("12000.00"))
    [row] = rows_of(db, old)
    assert (row.outcome, row.amount, row.new_contract_id, row.due_date, row.reason) == (
        "已续约", Decimal("12000.00"), new.id, date(2026, 6, 30), None)
    assert row.user_id == people["users"]["clerk"].id
    assert row.decided_at == datetime(2026, 6, 10, 12, tzinfo=LOCAL_TZ)  # a past day: noon
    assert rows_of(db, new.id) == []  # the new contract has no renewal yet
    [record] = audits(db, "renewal.record")
    assert record.entity == "contract" and record.entity_id == str(old)
    assert record.changes["outcome"] == [None, "已续约"]
    assert record.changes["amount"] == [None, "12000.00"]
    assert record.detail["new_contract_no"] == "HT-2"
    [created] = audits(db, "contract.create")
    assert created.entity_id == str(new.id) and created.detail["renewal_of"] == "HT-1"


def test_a_renewed_contract_cannot_be_renewed_twice_or_changed(db: Session, people) -> None:
    customer = make_customer(db)
    old = contract(db, customer.id, "HT-1", date(2026, 6, 30))
    rs.record_outcome(db, people["clerk"], old, "已续约", renewed(new_contract_no="HT-2"),
                      today=TODAY)
    for outcome, raw in (("已续约", renewed()), ("未续约", {"reason": "x"}),
                         ("跟进中", {"note": "x"})):
        for correct in (False, True):
            with pytest.raises(CatalogError) as caught:
                rs.record_outcome(db, people["manager"], old, outcome, raw, correct=correct,
                                  today=TODAY)
            assert caught.value.key == "renewals.error.already_renewed"
            assert caught.value.params == {"contract_no": "HT-1", "new_contract_no": "HT-2"}
    assert db.scalar(select(func.count()).select_from(Contract)) == 2
    assert len(rows_of(db, old)) == 1


def test_not_renewed_requires_a_reason_and_is_final_unless_corrected(db: Session,
                                                                     people) -> None:
    customer = make_customer(db)
    cid = contract(db, customer.id, "HT-1", date(2026, 6, 30))
    with pytest.raises(InvalidRecord) as caught:
        rs.record_outcome(db, people["clerk"], cid, "未续约", {"reason": "  "}, today=TODAY)
    assert [(e.field, e.key) for e in caught.value.errors] == [
        ("renewal.reason", "validation.required")]
    assert caught.value.errors[0].message("zh").startswith("未续约原因")
    assert rows_of(db, cid) == []
    rs.record_outcome(db, people["clerk"], cid, "未续约", {"reason": "预算 削减"}, today=TODAY)
    [row] = rows_of(db, cid)
    assert (row.outcome, row.reason, row.amount) == ("未续约", "预算 削减", None)
    assert row.decided_at is not None and abs((now() - row.decided_at).total_seconds()) < 60
    # A decision is not overwritten by accident …
    with pytest.raises(CatalogError) as caught:
        rs.record_outcome(db, people["clerk"], cid, "跟进中", {"note": "客户改主意"},
                          today=TODAY)
    assert caught.value.key == "renewals.error.decided"
    assert caught.value.params["outcome"] == "未续约"
    # … only by an explicit correction, audited with before and after.
    result = rs.record_outcome(db, people["manager"], cid, "已续约", renewed(), correct=True,
                               today=TODAY)
    assert result.corrected and result.new_contract_no is not None
    [row] = rows_of(db, cid)
    assert (row.outcome, row.reason, row.user_id) == (
        "已续约", None, people["users"]["manager"].id)
    [correction] = audits(db, "renewal.correct")
    assert correction.changes["outcome"] == ["未续约", "已续约"]
    assert correction.changes["reason"] == ["预算 削减", None]
    assert correction.username == "u_manager"
    assert len(audits(db, "renewal.record")) == 1


def test_in_progress_needs_a_note_and_updates_the_one_row(db: Session, people) -> None:
    customer = make_customer(db)
    cid = contract(db, customer.id, "HT-1", date(2026, 6, 30))
    with pytest.raises(InvalidRecord) as caught:
        rs.record_outcome(db, people["clerk"], cid, "跟进中", {}, today=TODAY)
    assert [e.field for e in caught.value.errors] == ["renewal.note"]
    rs.record_outcome(db, people["clerk"], cid, "跟进中", {"note": "已发报价"}, today=TODAY)
    rs.record_outcome(db, people["manager"], cid, "跟进中", {"note": "客户审批中"}, today=TODAY)
    [row] = rows_of(db, cid)
    assert (row.outcome, row.reason, row.decided_at, row.amount) == (
        "跟进中", "客户审批中", None, None)
    assert [a.changes.get("reason") for a in audits(db, "renewal.record")] == [
        [None, "已发报价"], ["已发报价", "客户审批中"]]
    # 跟进中 is open: the decision follows without a correction.
    rs.record_outcome(db, people["clerk"], cid, "未续约", {"reason": "转投竞品"}, today=TODAY)
    assert [r.outcome for r in rows_of(db, cid)] == ["未续约"]


def test_renewal_form_rules(db: Session, people) -> None:
    customer = make_customer(db)
    cid = contract(db, customer.id, "HT-1", date(2026, 6, 30), start=date(2025, 7, 1))
    contract(db, customer.id, "HT-TAKEN", date(2027, 1, 1))
    with pytest.raises(InvalidRecord) as caught:
        rs.record_outcome(db, people["clerk"], cid, "已续约",
                          {"new_start_date": "2025-07-01", "new_end_date": "2025-06-30",
                           "new_amount": "-1", "new_contract_no": "HT-TAKEN",
                           "decided_on": "2026-06-16"}, today=TODAY)
    assert {e.field: e.key for e in caught.value.errors} == {
        "renewal.decided_on": "recinput.date.future",
        "renewal.new_contract_no": "contracts.error.number_taken",
        "renewal.new_start_date": "contracts.error.after_previous",
        "renewal.new_end_date": "contracts.error.period",
        "renewal.new_amount": "recinput.amount.invalid",
    }
    with pytest.raises(InvalidRecord) as caught:
        rs.record_outcome(db, people["clerk"], cid, "已续约", {}, today=TODAY)
    assert {e.field for e in caught.value.errors} == {
        "renewal.new_start_date", "renewal.new_end_date", "renewal.new_amount"}
    assert db.scalar(select(func.count()).select_from(Contract)) == 2
    with pytest.raises(CatalogError) as caught:
        rs.record_outcome(db, people["clerk"], cid, "作废", {}, today=TODAY)
    assert caught.value.key == "renewals.error.outcome"


def test_roles_and_deleted_customers(db: Session, people) -> None:
    customer = make_customer(db)
    cid = contract(db, customer.id, "HT-1", date(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        rs.record_outcome(db, people["trainer"], cid, "跟进中", {"note": "x"}, today=TODAY)
    demo_trainer = actor_for(people["users"]["trainer"], demo_mode=True)
    rs.record_outcome(db, demo_trainer, cid, "跟进中", {"note": "课堂演示"}, today=TODAY)
    customer.deleted_at = now()
    db.flush()
    with pytest.raises(CatalogError) as caught:
        rs.record_outcome(db, people["clerk"], cid, "未续约", {"reason": "x"}, today=TODAY)
    assert caught.value.key == "contracts.error.customer_not_found"


# ---- the due list -----------------------------------------------------------------------------

@pytest.fixture
def book(db: Session, people) -> dict[str, object]:
    """Customers and contracts around TODAY (ends in days from TODAY):

    A (钻石, clerk's): ends +10 (nothing recorded), latest survey 2 (an older 5), two open
      complaints and one resolved.
    B (白银, manager's): ends +45 (跟进中), survey 4, no complaint; ends -5 (overdue, nothing).
    C (黄金): ends +80 (已续约 early), ends +120 (out of every window), ends -100 (too old).
    D (deleted): ends +20.
    """
    clerk, manager = people["users"]["clerk"], people["users"]["manager"]
    a = make_customer(db, name="甲公司", tier="钻石", account_manager_id=clerk.id,
                      mobile="13911112222")
    b = make_customer(db, name="乙公司", tier="白银", account_manager_id=manager.id)
    c = make_customer(db, name="丙公司", tier="黄金")
    d = make_customer(db, name="丁公司", deleted_at=now())
    day = lambda n: TODAY + timedelta(days=n)  # noqa: E731
    ids = {
        "a10": contract(db, a.id, "HT-A10", day(10), "50000"),
        "b45": contract(db, b.id, "HT-B45", day(45), "20000"),
        "b-5": contract(db, b.id, "HT-B-5", day(-5), "7000"),
        "c80": contract(db, c.id, "HT-C80", day(80), "30000"),
        "c120": contract(db, c.id, "HT-C120", day(120)),
        "c-100": contract(db, c.id, "HT-C-100", day(-100)),
        "d20": contract(db, d.id, "HT-D20", day(20)),
    }
    stamp = now()
    db.add_all([
        Survey(customer_id=a.id, survey_date=date(2026, 1, 5), score=5, created_at=stamp),
        Survey(customer_id=a.id, survey_date=date(2026, 5, 2), score=2, created_at=stamp),
        Survey(customer_id=b.id, survey_date=date(2026, 3, 1), score=4, created_at=stamp),
        *[Complaint(customer_id=a.id, channel="电话", complaint_type="服务态度",
                    description=f"投诉{i}", received_at=datetime(2026, 5, i, tzinfo=UTC),
                    status=status, created_at=stamp)
          for i, status in ((1, "待处理"), (2, "处理中"), (3, "已解决"))],
    ])
    db.flush()
    rs.record_outcome(db, people["clerk"], ids["b45"], "跟进中", {"note": "报价中"}, today=TODAY)
    rs.record_outcome(db, people["clerk"], ids["c80"], "已续约",
                      renewed(new_start_date=str(day(81)), new_end_date=str(day(81 + 364))),
                      today=TODAY)
    return {"ids": ids, "a": a, "b": b, "c": c}


def due(db: Session, actor, **query: object) -> rs.DuePage:
    return rs.due_renewals(db, actor, rs.DueQuery(**query), today=TODAY)


def test_due_list_windows_and_risk(db: Session, people, book) -> None:
    clerk = people["clerk"]
    page = due(db, clerk, window_days=90)
    assert [r.contract_no for r in page.rows] == ["HT-B-5", "HT-A10", "HT-B45"]
    assert page.total == 3
    assert (page.window_start, page.window_end) == (TODAY - timedelta(days=90),
                                                    TODAY + timedelta(days=90))
    overdue, a10, b45 = page.rows
    assert overdue.overdue and overdue.days_left == -5 and overdue.outcome is None
    assert (a10.customer_name, a10.tier, a10.account_manager, a10.days_left) == (
        "甲公司", "钻石", "clerk名", 10)
    assert a10.mobile == "139****2222"
    assert (a10.risk.score, a10.risk.survey_date, a10.risk.open_complaints) == (
        2, date(2026, 5, 2), 2)
    assert a10.risk.at_risk()
    assert (b45.outcome, b45.note, b45.risk.score, b45.risk.open_complaints) == (
        "跟进中", "报价中", 4, 0)
    assert not b45.risk.at_risk()
    assert overdue.risk.at_risk() is False
    assert [r.contract_no for r in due(db, clerk, window_days=30).rows] == ["HT-B-5", "HT-A10"]
    assert [r.contract_no for r in due(db, clerk, window_days=30,
                                       include_overdue=False).rows] == ["HT-A10"]
    assert due(db, clerk, window_days=60, include_overdue=False).total == 2


def test_due_list_filters_and_paging(db: Session, people, book) -> None:
    clerk, users = people["clerk"], people["users"]
    assert [r.contract_no for r in due(db, clerk, tier="钻石").rows] == ["HT-A10"]
    assert [r.contract_no for r in due(
        db, clerk, account_manager_id=users["manager"].id).rows] == ["HT-B-5", "HT-B45"]
    assert [r.contract_no for r in due(db, clerk, outcome=rs.UNRECORDED).rows] == [
        "HT-B-5", "HT-A10"]
    assert [r.contract_no for r in due(db, clerk, outcome="跟进中").rows] == ["HT-B45"]
    assert [r.contract_no for r in due(db, clerk, outcome="已续约").rows] == ["HT-C80"]
    assert [r.contract_no for r in due(db, clerk, outcome=None).rows] == [
        "HT-B-5", "HT-A10", "HT-B45", "HT-C80"]
    second = rs.due_renewals(db, clerk, rs.DueQuery(outcome=None), offset=2, limit=2,
                             today=TODAY)
    assert [r.contract_no for r in second.rows] == ["HT-B45", "HT-C80"]
    assert second.total == 4


def test_records_list_and_tally(db: Session, people, book) -> None:
    clerk = people["clerk"]
    ids = book["ids"]
    rs.record_outcome(db, clerk, ids["c-100"], "未续约", {"reason": "公司注销"}, today=TODAY)
    page = rs.renewal_records(db, clerk, rs.RecordQuery())
    assert [(r.contract_no, r.outcome) for r in page.rows] == [
        ("HT-C80", "已续约"), ("HT-B45", "跟进中"), ("HT-C-100", "未续约")]
    assert page.total == 3
    c80 = page.rows[0]
    assert (c80.amount, c80.contract_amount, c80.recorded_by, c80.customer_name) == (
        Decimal("12000.00"), Decimal("30000.00"), "clerk名", "丙公司")
    assert c80.new_contract_no == db.get(Contract, rs.renewal_of(db, ids["c80"]).new_contract_id
                                         ).contract_no
    assert [r.contract_no for r in rs.renewal_records(
        db, clerk, rs.RecordQuery(outcome="未续约")).rows] == ["HT-C-100"]
    assert rs.renewal_records(db, clerk, rs.RecordQuery(
        due_from=TODAY, due_to=TODAY + timedelta(days=60))).total == 1
    assert rs.renewal_records(db, clerk, rs.RecordQuery(tier="黄金")).total == 2
    tally = rs.renewal_tally(db, TODAY - timedelta(days=120), TODAY + timedelta(days=90))
    assert (tally.due, tally.renewed, tally.not_renewed, tally.in_progress,
            tally.unrecorded) == (5, 1, 1, 1, 2)
    assert tally.rate == Decimal("50.00") and tally.decided == 2 and tally.open == 3
    assert tally.due_amount == Decimal("117000.00") and tally.renewed_amount == Decimal("12000")
    assert rs.renewal_tally(db, TODAY, TODAY + timedelta(days=50)).rate is None


def test_exports_mask_by_role_and_are_audited(db: Session, people, book) -> None:
    for role, mobile in (("clerk", "139****2222"), ("manager", "13911112222")):
        data = rs.export_due_renewals(db, people[role], rs.DueQuery(tier="钻石"), today=TODAY)
        sheet = load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("合同编号", "客户编号", "客户名称", "手机号")
        assert rows[1][0] == "HT-A10" and rows[1][3] == mobile
        assert rows[1][-1] == "⚠ 有风险" and rows[1][-3:-1] == (2, 2)
    entries = audits(db, "export.renewals_due")
    assert [(e.username, e.detail["rows"], e.detail["filters"]["masked"]) for e in entries] == [
        ("u_clerk", 1, True), ("u_manager", 1, False)]
    data = rs.export_renewal_records(db, people["trainer"], rs.RecordQuery(), "en")
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Contract No." and len(rows) == 3
    assert audits(db, "export.renewal_records")[0].detail["rows"] == 2


# ---- targets ----------------------------------------------------------------------------------

def test_targets_one_per_period_set_by_managers(db: Session, people) -> None:
    manager, admin = people["manager"], people["admin"]
    first = tg.set_target(db, manager, "month", date(2026, 3, 17), "82.5", "1,200,000")
    again = tg.set_target(db, admin, "month", "2026-03-01", 85, None)
    assert first == again
    assert db.scalar(select(func.count()).select_from(RenewalTarget)) == 1
    view = tg.target_for(db, "month", date(2026, 3, 31))
    assert (view.period_start, view.period_end, view.target_rate, view.target_amount) == (
        date(2026, 3, 1), date(2026, 3, 31), Decimal("85.00"), None)
    assert view.set_by == "admin名"
    sets = audits(db, "renewal_target.set")
    assert [s.changes for s in sets] == [
        {"target_amount": [None, "1200000.00"], "target_rate": [None, "82.50"]},
        {"target_amount": ["1200000.00", None], "target_rate": ["82.50", "85.00"]}]
    tg.set_target(db, admin, "month", "2026-03-09", 85, None)  # unchanged: not audited
    assert len(audits(db, "renewal_target.set")) == 2
    for role in ("clerk", "trainer"):
        with pytest.raises(PermissionDenied):
            tg.set_target(db, people[role], "month", date(2026, 4, 1), 80)
    tg.set_target(db, manager, "quarter", date(2026, 5, 20), 80)
    tg.set_target(db, manager, "year", date(2026, 12, 31), "81.25", 5000000)
    tg.set_target(db, manager, "month", date(2026, 7, 1), 70)
    assert tg.target_for(db, "quarter", date(2026, 4, 1)).period_end == date(2026, 6, 30)
    overlapping = tg.targets_overlapping(db, date(2026, 3, 15), date(2026, 4, 10))
    assert [(t.period_kind, t.period_start) for t in overlapping] == [
        ("month", date(2026, 3, 1)), ("quarter", date(2026, 4, 1)), ("year", date(2026, 1, 1))]
    assert [t.period_kind for t in tg.list_targets(db, people["trainer"])] == [
        "month", "month", "quarter", "year"]
    assert len(tg.list_targets(db, people["clerk"], period_kind="month", year=2026)) == 2
    target = tg.target_for(db, "month", date(2026, 7, 1))
    with pytest.raises(PermissionDenied):
        tg.delete_target(db, people["clerk"], target.id)
    tg.delete_target(db, manager, target.id)
    assert tg.target_for(db, "month", date(2026, 7, 1)) is None
    assert audits(db, "renewal_target.delete")[0].changes["target_rate"] == ["70.00", None]


def test_target_form_rules(db: Session, people) -> None:
    with pytest.raises(InvalidRecord) as caught:
        tg.set_target(db, people["manager"], "month", "2026-02-30", "101", "-3")
    assert {e.field: e.key for e in caught.value.errors} == {
        "target.period_start": "recinput.date.invalid",
        "target.target_rate": "targets.error.rate",
        "target.target_amount": "recinput.amount.invalid"}
    assert caught.value.errors[1].message("zh").startswith("目标续约率")
    with pytest.raises(InvalidRecord) as caught:
        tg.set_target(db, people["manager"], "month", date(2026, 2, 1), "80.125")
    assert caught.value.errors[0].key == "targets.error.rate"
    with pytest.raises(InvalidRecord):
        tg.set_target(db, people["manager"], "month", date(2026, 2, 1), None)
    with pytest.raises(CatalogError) as caught:
        tg.set_target(db, people["manager"], "week", date(2026, 2, 1), 80)
    assert caught.value.key == "targets.error.kind"
    assert tg.set_target(db, people["manager"], "year", date(2026, 2, 1), "0%", 0)


def test_periods() -> None:
    assert tg.period_start("quarter", date(2026, 11, 30)) == date(2026, 10, 1)
    assert tg.period_end("quarter", date(2026, 10, 1)) == date(2026, 12, 31)
    assert tg.period_end("month", date(2024, 2, 10)) == date(2024, 2, 29)
    assert tg.periods_between("quarter", date(2025, 12, 31), date(2026, 4, 1)) == [
        date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1)]


# ---- demo targets -----------------------------------------------------------------------------

def test_demo_seeds_targets_and_reset_replaces_them(engine, db: Session, people) -> None:
    from services.demo import reset_demo, seed_demo

    db.commit()  # the people, so the seeder's connection may write
    seed_demo(engine, customers=400, seed=7, today=date(2026, 6, 30))
    db.expire_all()
    targets = db.scalars(select(RenewalTarget)).all()
    kinds = {k: sorted(t.period_start for t in targets if t.period_kind == k)
             for k in tg.PERIOD_KINDS}
    assert kinds["month"][0] == date(2024, 1, 1) and kinds["month"][-1] == date(2026, 12, 1)
    assert len(kinds["month"]) == 36 and len(kinds["quarter"]) == 12  # whole years (issue 17)
    assert kinds["year"] == [date(2024, 1, 1), date(2025, 1, 1), date(2026, 1, 1)]
    assert all(Decimal(80) <= t.target_rate <= Decimal(85) for t in targets)
    # A year's amount is its rate of what ends in it (each month rounded to 10,000 yuan), and
    # its months add up to its quarters and its quarters to it (issue 17).
    ending = db.execute(select(Contract.end_date, Contract.amount)).all()
    by_kind = {(t.period_kind, t.period_start): t for t in targets}
    for t in targets:
        if t.period_kind == "month":
            continue
        end = tg.period_end(t.period_kind, t.period_start)
        parts = [p for (k, s), p in by_kind.items()
                 if k == ("month" if t.period_kind == "quarter" else "quarter")
                 and t.period_start <= s <= end]
        if t.target_amount is None:
            assert all(p.target_amount is None for p in parts), t.period_start
            continue
        assert t.target_amount == sum(p.target_amount for p in parts), t.period_start
        if t.period_kind == "year":
            base = sum((a for d, a in ending if t.period_start <= d <= end), Decimal(0))
            assert abs(t.target_amount - base * t.target_rate / 100) <= 12 * 5000
    years = sorted((t for t in targets if t.period_kind == "year"), key=lambda t: t.period_start)
    assert [t.target_amount is not None for t in years] == [
        False, True, True]  # the demo's first contracts end in its second year
    # Plausible: the demo's real renewed amounts are of the same order as the targets.
    tally = rs.renewal_tally(db, date(2025, 1, 1), date(2025, 12, 31))
    year = tg.target_for(db, "year", date(2025, 1, 1))
    assert tally.renewed_amount > 0 and 0.3 < tally.renewed_amount / year.target_amount < 1.5
    # A reset clears every target (also one set by hand) and seeds them again.
    tg.set_target(db, people["manager"], "month", date(2030, 1, 1), 99)
    db.commit()
    reset_demo(engine, actor_for(people["users"]["admin"]), customers=200, seed=8)
    db.expire_all()
    assert tg.target_for(db, "month", date(2030, 1, 1)) is None
    now_day = today()  # reset_demo seeds for the real today
    months = tg.periods_between("month", date((now_day - timedelta(days=730)).year, 1, 1),
                                date(now_day.year, 12, 31))
    assert sorted(db.scalars(select(RenewalTarget.period_start)
                             .where(RenewalTarget.period_kind == "month"))) == months
