"""The 回访 planning rules of config.toml [follow_ups], each on hand-made data with known dates:
after a first order (profile and import), after a complaint is resolved, periodically by tier
(set-based, idempotent)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.settings import Settings
from core.vocab import Role, Tier
from db.models import AuditEntry, Complaint, FollowUp
from services.access.roles import cli_actor
from services.records import visit_planning
from services.records.orders import add_order
from tests.support.excel import xlsx
from tests.support.factories import actor_for, make_customer, make_user

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=clock.LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def staff(db: Session):
    manager = make_user(db, "wang", Role.MANAGER, display_name="王经理")
    clerk = make_user(db, "li", Role.CLERK, display_name="李录入")
    db.commit()
    return manager, clerk


def _created(days_ago: int) -> datetime:
    return NOW - timedelta(days=days_ago)


def visits(db: Session, customer_id: int) -> list[FollowUp]:
    db.expire_all()
    return list(db.scalars(select(FollowUp).where(FollowUp.customer_id == customer_id)
                           .order_by(FollowUp.id)))


def order(day: date, amount: str = "100") -> dict[str, object]:
    return {"order_date": day, "product": "咨询服务", "quantity": 1, "amount": amount}


# ---- after a first order --------------------------------------------------------------------


def test_first_order_plans_one_visit_after_the_configured_days(db: Session, staff,
                                                               settings: Settings) -> None:
    manager, clerk = staff
    c = make_customer(db, account_manager_id=manager.id, created_at=_created(30))
    db.commit()
    add_order(db, actor_for(clerk), c.id, order(TODAY - timedelta(days=2)))
    db.commit()
    [visit] = visits(db, c.id)
    assert visit.source == "first_order"
    assert visit.planned_date == TODAY - timedelta(days=2) + timedelta(
        days=settings.follow_up_after_first_order_days)
    assert visit.assignee_id == manager.id and visit.method == settings.follow_up_method
    assert visit.done_date is None
    add_order(db, actor_for(clerk), c.id, order(TODAY))  # a second order plans nothing
    db.commit()
    assert len(visits(db, c.id)) == 1
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "follow_up.auto_plan")) == 1


def test_late_first_order_is_visited_today_and_an_old_one_not_at_all(db: Session, staff,
                                                                     settings: Settings) -> None:
    manager, clerk = staff
    late = make_customer(db, account_manager_id=manager.id, created_at=_created(60))
    old = make_customer(db, account_manager_id=manager.id, created_at=_created(900))
    db.commit()
    add_order(db, actor_for(clerk), late.id, order(TODAY - timedelta(days=20)))
    add_order(db, actor_for(clerk), old.id,
              order(TODAY - timedelta(days=settings.new_customer_days + 1)))
    db.commit()
    assert [v.planned_date for v in visits(db, late.id)] == [TODAY]
    assert visits(db, old.id) == []


def test_import_of_first_orders_plans_their_visits(db: Session, staff,
                                                   settings: Settings) -> None:
    from services.excel import KINDS, run_import

    manager, _ = staff
    new = make_customer(db, account_manager_id=manager.id, created_at=_created(10))
    regular = make_customer(db, account_manager_id=manager.id, created_at=_created(400))
    db.commit()
    add_order(db, cli_actor(True), regular.id, order(TODAY - timedelta(days=300)))
    db.commit()
    assert visits(db, regular.id) == []  # its first order is too old for a welcome visit
    rows = [["客户编号", "订单编号", "下单日期", "产品", "数量", "金额"],
            [new.customer_no, "IMP-1", TODAY - timedelta(days=1), "咨询", 1, 500],
            [new.customer_no, "IMP-2", TODAY, "培训", 1, 800],
            [regular.customer_no, "IMP-3", TODAY, "咨询", 1, 100]]
    result = run_import(db, cli_actor(True), xlsx(rows, KINDS["orders"].sheet), "o.xlsx",
                        kind="orders")
    db.commit()
    assert result.summary.inserted == 3
    [visit] = visits(db, new.id)
    assert visit.source == "first_order" and visit.planned_date == TODAY - timedelta(
        days=1) + timedelta(days=settings.follow_up_after_first_order_days)
    assert visits(db, regular.id) == []  # not a first order


# ---- after a complaint is resolved ------------------------------------------------------------


def _complaint(db: Session, customer_id: int, handler_id: int | None) -> Complaint:
    complaint = Complaint(customer_id=customer_id, channel="电话", complaint_type="服务态度",
                          description="等待太久", received_at=NOW - timedelta(days=2),
                          handler_id=handler_id, status="已解决", solution="道歉并补偿",
                          resolved_at=NOW - timedelta(hours=1), created_at=NOW, version=1)
    db.add(complaint)
    db.flush()
    return complaint


def test_resolved_complaint_plans_one_visit(db: Session, staff, settings: Settings) -> None:
    manager, clerk = staff
    c = make_customer(db, account_manager_id=manager.id, created_at=_created(100))
    complaint = _complaint(db, c.id, clerk.id)
    visit_id = visit_planning.on_complaint_resolved(db, complaint)
    db.commit()
    [visit] = visits(db, c.id)
    assert visit.id == visit_id and visit.complaint_id == complaint.id
    assert visit.source == "complaint" and visit.assignee_id == manager.id
    assert visit.planned_date == TODAY + timedelta(days=settings.follow_up_after_complaint_days)
    assert visit_planning.on_complaint_resolved(db, complaint) is None  # still open: no second
    visit.done_date = TODAY
    db.commit()
    assert visit_planning.on_complaint_resolved(db, complaint) is not None  # resolved again


def test_complaint_visit_without_account_manager_goes_to_the_handler(db: Session,
                                                                     staff) -> None:
    _, clerk = staff
    c = make_customer(db, created_at=_created(100))
    complaint = _complaint(db, c.id, clerk.id)
    visit_planning.on_complaint_resolved(db, complaint)
    db.commit()
    assert [v.assignee_id for v in visits(db, c.id)] == [clerk.id]


def test_complaint_of_a_deleted_customer_plans_nothing(db: Session, staff) -> None:
    manager, clerk = staff
    c = make_customer(db, account_manager_id=manager.id, created_at=_created(100),
                      deleted_at=NOW)
    assert visit_planning.on_complaint_resolved(db, _complaint(db, c.id, clerk.id)) is None


# ---- periodically by tier ----------------------------------------------------------------------


def _done(db: Session, customer_id: int, days_ago: int) -> None:
    day = TODAY - timedelta(days=days_ago)
    db.add(FollowUp(customer_id=customer_id, planned_date=day, done_date=day, method="电话",
                    purpose="x", source="manual", created_at=NOW))


def _open(db: Session, customer_id: int, in_days: int) -> None:
    db.add(FollowUp(customer_id=customer_id, planned_date=TODAY + timedelta(days=in_days),
                    method="电话", purpose="x", source="manual", created_at=NOW))


def tiered_id(made: dict[str, int], name: str) -> int:
    return made[name]


@pytest.fixture
def tiered(db: Session, staff):
    manager, _ = staff
    mk = {}

    def make(name: str, tier: Tier, **kw: object) -> int:
        kw.setdefault("created_at", _created(1000))
        mk[name] = make_customer(db, tier=tier.value, account_manager_id=manager.id,
                                 **kw).id
        return mk[name]

    _done(db, make("diamond_due", Tier.DIAMOND), 25)             # due in 5 days
    _done(db, make("diamond_later", Tier.DIAMOND), 10)           # due in 20 days
    _done(db, make("diamond_old_visit", Tier.DIAMOND), 200)      # long overdue
    _done(db, tiered_id(mk, "diamond_old_visit"), 10)            # … but visited since
    _done(db, make("silver_overdue", Tier.SILVER), 400)          # due 35 days ago
    make("gold_never", Tier.GOLD, first_order_at=TODAY - timedelta(days=170))  # due in 10
    make("gold_never_far", Tier.GOLD, first_order_at=TODAY - timedelta(days=100))
    make("silver_new", Tier.SILVER, created_at=_created(3))     # due in 362 days
    _open(db, make("platinum_open", Tier.PLATINUM), 40)          # has an open visit
    make("diamond_deleted", Tier.DIAMOND, deleted_at=NOW)
    db.commit()
    return mk


def test_periodic_plans_the_due_customers_by_tier(db: Session, tiered,
                                                  settings: Settings) -> None:
    summary = visit_planning.plan_periodic(db, TODAY, ahead_days=14)
    db.commit()
    planned = {name: [(v.planned_date, v.source) for v in visits(db, cid)
                      if v.done_date is None] for name, cid in tiered.items()}
    assert planned["diamond_due"] == [(TODAY + timedelta(days=5), "periodic")]
    assert planned["silver_overdue"] == [(TODAY, "periodic")]
    assert planned["gold_never"] == [(TODAY + timedelta(days=10), "periodic")]
    for name in ("diamond_later", "diamond_old_visit", "gold_never_far", "silver_new",
                 "diamond_deleted"):
        assert planned[name] == [], name
    assert planned["platinum_open"] == [(TODAY + timedelta(days=40), "manual")]
    assert summary.planned == 3
    assert summary.by_tier == {"钻石": 1, "铂金": 0, "黄金": 1, "白银": 1}
    visit = visits(db, tiered["diamond_due"])[-1]
    assert visit.method == settings.follow_up_method and visit.assignee_id is not None
    assert visit.purpose == visit_planning.PURPOSES["periodic"]


def test_periodic_is_idempotent(db: Session, tiered) -> None:
    first = visit_planning.plan_periodic(db, TODAY)
    db.commit()
    again = visit_planning.plan_periodic(db, TODAY)
    db.commit()
    assert first.planned == 3 and again.planned == 0
    # a week later two more 钻石 fall due; the three planned are not planned again
    later = visit_planning.plan_periodic(db, TODAY + timedelta(days=7))
    db.commit()
    assert later.by_tier == {"钻石": 2, "铂金": 0, "黄金": 0, "白银": 0}
    for name, cid in tiered.items():
        assert len([v for v in visits(db, cid) if v.done_date is None]) <= 1, name


def test_periodic_follows_the_configured_intervals(db: Session, tiered,
                                                   settings: Settings) -> None:
    only_diamond = replace(settings, follow_up_periodic_days=((Tier.DIAMOND, 15),))
    summary = visit_planning.plan_periodic(db, TODAY, ahead_days=0, settings=only_diamond)
    db.commit()
    # 钻石 every 15 days: due_visit (25 days ago) and diamond_later (10 ago, due in 5 > 0)
    assert summary.by_tier == {"钻石": 1}
    assert [v.planned_date for v in visits(db, tiered["diamond_due"])
            if v.done_date is None] == [TODAY]
    assert visits(db, tiered["silver_overdue"])[-1].done_date is not None


def test_periodic_run_is_audited(db: Session, tiered) -> None:
    visit_planning.plan_periodic(db, TODAY, actor=cli_actor(True))
    db.commit()
    entry = db.scalars(select(AuditEntry).where(
        AuditEntry.action == "follow_up.plan_periodic")).one()
    assert entry.username == "cli" and entry.detail["planned"] == 3


def test_first_order_rule_amount_is_not_needed(db: Session, staff) -> None:
    """A free first order (amount 0) still counts as the first order."""
    manager, clerk = staff
    c = make_customer(db, account_manager_id=manager.id, created_at=_created(5))
    add_order(db, actor_for(clerk), c.id, {**order(TODAY), "amount": Decimal("0")})
    db.commit()
    assert [v.source for v in visits(db, c.id)] == ["first_order"]


def test_plan_visits_command(db: Session, tiered, capsys: pytest.CaptureFixture[str]) -> None:
    from manage import main

    assert main(["plan-visits", "--today", TODAY.isoformat()]) == 0
    assert "planned 3 periodic visits" in capsys.readouterr().out
    assert main(["plan-visits", "--today", TODAY.isoformat()]) == 0
    assert "planned 0 periodic visits" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["plan-visits", "--help"])
    assert exc.value.code == 0 and "--ahead" in capsys.readouterr().out
    db.expire_all()
    assert db.scalars(select(AuditEntry.username).where(
        AuditEntry.action == "follow_up.plan_periodic")).all() == ["cli", "cli"]
