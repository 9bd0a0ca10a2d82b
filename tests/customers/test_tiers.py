"""Stored tiers, lifecycle stages and value segments: rules on their boundaries from real orders,
manual override and its removal, tier history, set-based recompute and the CLI."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.settings import PROJECT_ROOT, TierRule
from core.vocab import Tier
from db.models import AuditEntry, Customer, Order, TierChange
from services import customers as cr
from services.access.roles import PermissionDenied
from services.customers import tiers
from tests.support.factories import make_customer

TODAY = date(2026, 6, 30)  # the 12-month window is 2025-07-01 .. 2026-06-30
D = Decimal
_order_no = itertools.count(1)

pytestmark = pytest.mark.plain_display_names  # the history names users by username


@pytest.fixture(autouse=True)
def shipped_rules(settings) -> None:
    """The expectations below are hand-computed for config.toml's thresholds."""
    assert settings.tier_rules == (
        TierRule(Tier.DIAMOND, D("200000"), 12, 2.0),
        TierRule(Tier.PLATINUM, D("50000"), 6, 1.0),
        TierRule(Tier.GOLD, D("10000"), 3, 0.0),
    )
    assert (settings.new_customer_days, settings.loyal_years, settings.churn_days) == (
        90, 2.0, 365)


def customer(db: Session, created: date, **extra: object) -> Customer:
    """A customer created at noon China time on ``created``."""
    return make_customer(db, created_at=datetime(created.year, created.month, created.day, 4,
                                                 tzinfo=UTC), **extra)


def orders(db: Session, c: Customer, *items: tuple[date, str]) -> None:
    for day, amount in items:
        db.add(Order(customer_id=c.id, order_no=f"SO{next(_order_no):08d}", order_date=day,
                     product="服务包", quantity=1, amount=D(amount),
                     created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.flush()


def spread(n: int, total: str, start: date = date(2025, 7, 1)) -> list[tuple[date, str]]:
    """``n`` orders inside the window adding up to exactly ``total``."""
    each = (D(total) / n).quantize(D("0.01"))
    amounts = [each] * (n - 1) + [D(total) - each * (n - 1)]
    days = [date.fromordinal(start.toordinal() + 20 * i) for i in range(n)]
    return [(d, str(a)) for d, a in zip(days, amounts, strict=True)]


def tier_of(db: Session, c: Customer) -> str:
    tiers.recompute_ids(db, [c.id], TODAY)
    return db.get(Customer, c.id, populate_existing=True).tier


@pytest.mark.parametrize(("created", "items", "expected"), [
    (date(2026, 1, 1), spread(3, "10000"), "黄金"),                  # gold exactly
    (date(2026, 1, 1), spread(3, "9999.99"), "白银"),                # one cent short
    (date(2026, 1, 1), spread(2, "10000"), "白银"),                  # one order short
    # The first day of the window counts, the day before does not, nor days after today.
    (date(2024, 1, 1), [(date(2025, 7, 1), "4000"), (date(2026, 6, 30), "3000"),
                        (date(2026, 1, 1), "3000")], "黄金"),
    (date(2024, 1, 1), [(date(2025, 6, 30), "4000"), (date(2026, 6, 30), "3000"),
                        (date(2026, 1, 1), "3000")], "白银"),
    (date(2024, 1, 1), [(date(2026, 7, 1), "4000"), (date(2026, 6, 30), "3000"),
                        (date(2026, 1, 1), "3000")], "白银"),
    (date(2025, 6, 30), spread(6, "50000"), "铂金"),                 # tenure exactly 1 year
    (date(2025, 7, 1), spread(6, "50000"), "黄金"),                  # a day short of it
    (date(2025, 6, 30), spread(6, "49999.99"), "黄金"),
    (date(2024, 6, 30), spread(12, "200000", date(2025, 7, 2)), "钻石"),
    (date(2024, 6, 30), spread(11, "200000"), "铂金"),
    (date(2024, 7, 1), spread(12, "200000", date(2025, 7, 2)), "铂金"),
])
def test_tier_rules_on_their_boundaries(db: Session, created: date,
                                        items: list[tuple[date, str]], expected: str) -> None:
    c = customer(db, created)
    orders(db, c, *items)
    assert tier_of(db, c) == expected


def test_tier_changes_are_kept_and_a_second_run_changes_nothing(db: Session) -> None:
    c = customer(db, date(2025, 1, 1))
    orders(db, c, *spread(3, "12000"))
    first = tiers.recompute_ids(db, [c.id], TODAY)
    assert (first.customers, first.tier_changed) == (1, 1)
    again = tiers.recompute_ids(db, [c.id], TODAY)
    assert (again.tier_changed, again.lifecycle_changed, again.segment_changed,
            again.order_dates_changed) == (0, 0, 0, 0)
    (row,) = db.scalars(select(TierChange).where(TierChange.customer_id == c.id))
    assert (row.from_tier, row.to_tier, row.source, row.user_id, row.reason) == (
        "白银", "黄金", "rule", None, tiers.RULE_REASON)
    # Orders removed: back to 白银, another row.
    db.execute(delete(Order).where(Order.customer_id == c.id))
    summary = tiers.on_orders_changed(db, [c.id], TODAY)
    assert summary.tier_changed == 1
    fresh = db.get(Customer, c.id, populate_existing=True)
    assert (fresh.tier, fresh.lifecycle, fresh.first_order_at) == ("白银", "潜在", None)
    assert db.query(TierChange).filter_by(customer_id=c.id).count() == 2


def test_rule_recompute_does_not_make_edit_forms_stale(db: Session) -> None:
    c = customer(db, date(2025, 1, 1))
    orders(db, c, *spread(3, "12000"))
    tiers.recompute_ids(db, [c.id], TODAY)
    assert db.get(Customer, c.id, populate_existing=True).version == 1


def test_manual_tier_overrides_the_rules_until_removed(db: Session, people) -> None:
    clerk = people["clerk"]
    c = customer(db, date(2025, 1, 1))
    orders(db, c, *spread(3, "12000"))
    tiers.recompute_ids(db, [c.id], TODAY)
    with pytest.raises(tiers.TierError) as info:
        tiers.set_manual_tier(db, clerk, c.id, "钻石", "   ")
    assert info.value.key == "tiers.error.reason_required"
    with pytest.raises(tiers.TierError):
        tiers.set_manual_tier(db, clerk, c.id, "金卡", "战略客户")
    with pytest.raises(PermissionDenied):
        tiers.set_manual_tier(db, people["trainer"], c.id, "钻石", "战略客户")
    tiers.set_manual_tier(db, clerk, c.id, "钻石", "战略客户")
    fresh = db.get(Customer, c.id, populate_existing=True)
    assert (fresh.tier, fresh.tier_source, fresh.tier_reason, fresh.tier_set_by_id) == (
        "钻石", "manual", "战略客户", clerk.user_id)
    assert fresh.version == 2 and fresh.value_segment == "高价值"
    summary = tiers.recompute_ids(db, [c.id], TODAY)
    assert (summary.tier_changed, summary.manual_kept) == (0, 1)
    assert db.get(Customer, c.id, populate_existing=True).tier == "钻石"
    assert tiers.clear_manual_tier(db, people["manager"], c.id, TODAY) == Tier.GOLD
    fresh = db.get(Customer, c.id, populate_existing=True)
    assert (fresh.tier, fresh.tier_source, fresh.tier_reason, fresh.value_segment) == (
        "黄金", "rule", None, "普通")
    history = tiers.tier_history(db, people["trainer"], c.id)
    assert [(h.from_tier, h.to_tier, h.source, h.user) for h in history] == [
        ("钻石", "黄金", "rule", "u_manager"),
        ("黄金", "钻石", "manual", "u_clerk"),
        ("白银", "黄金", "rule", None),
    ]
    assert history[0].reason_text("en") == "Manual tier removed; the rules decide again"
    assert history[1].reason_text("en") == "战略客户"
    actions = list(db.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_id == str(c.id)).order_by(AuditEntry.id)))
    assert actions == ["customer.tier", "customer.tier_cleared"]


def test_manual_tier_through_the_form(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = cr.create_customer(db, clerk, {"name": "王五", "mobile": "13800000001",
                                         "tier": "gold", "tier_reason": "老板指定"})
    c = db.get(Customer, cid)
    assert (c.tier, c.tier_source, c.tier_reason, c.tier_set_by_id) == (
        "黄金", "manual", "老板指定", clerk.user_id)
    form = cr.edit_form(db, clerk, cid)
    assert form.values["tier"] == "黄金" and form.tier_reason == "老板指定"
    version = cr.update_customer(db, clerk, cid, dict(form.values, tier=""), form.version)
    c = db.get(Customer, cid, populate_existing=True)
    assert (c.tier, c.tier_source, version) == ("白银", "rule", 2)
    assert cr.edit_form(db, clerk, cid).values["tier"] is None
    rows = db.scalars(select(TierChange).where(TierChange.customer_id == cid)
                      .order_by(TierChange.id)).all()
    assert [(r.from_tier, r.to_tier, r.source) for r in rows] == [
        (None, "黄金", "manual"), ("黄金", "白银", "rule")]


def test_lifecycle_stages_and_value_segments(db: Session) -> None:
    prospect = customer(db, date(2024, 1, 1))
    new = customer(db, date(2026, 3, 1))
    orders(db, new, (date(2026, 4, 1), "100"))  # 90 days before TODAY
    stable = customer(db, date(2025, 1, 1))
    orders(db, stable, (date(2025, 2, 1), "100"), (date(2026, 6, 1), "100"))
    loyal = customer(db, date(2024, 6, 29))  # a little over two years
    orders(db, loyal, (date(2024, 8, 1), "100"), (date(2026, 6, 1), "100"))
    churned = customer(db, date(2023, 1, 1))
    orders(db, churned, (date(2023, 2, 1), "100"), (date(2025, 6, 30), "100"))
    contacted = customer(db, date(2023, 1, 1), last_contact_at=date(2025, 7, 1))
    orders(db, contacted, (date(2023, 2, 1), "100"), (date(2025, 6, 30), "100"))
    top = customer(db, date(2025, 1, 1))
    orders(db, top, *spread(6, "60000"))
    upsell = customer(db, date(2026, 1, 1))
    orders(db, upsell, *spread(2, "30000", date(2026, 1, 10)))
    cs = [prospect, new, stable, loyal, churned, contacted, top, upsell]
    tiers.recompute_ids(db, [c.id for c in cs], TODAY)
    got = [(db.get(Customer, c.id, populate_existing=True).lifecycle, c.value_segment,
            c.tier) for c in cs]
    assert got == [
        ("潜在", "普通", "白银"),
        ("新客户", "普通", "白银"),
        ("稳定", "普通", "白银"),
        ("老客户", "普通", "白银"),
        ("流失", "普通", "白银"),
        ("老客户", "普通", "白银"),
        ("稳定", "高价值", "铂金"),
        ("稳定", "潜在", "白银"),  # spends like 铂金 (>= half its minimum), too few orders
    ]
    assert (loyal.first_order_at, loyal.last_order_at) == (date(2024, 8, 1), date(2026, 6, 1))


def test_recompute_all_in_chunks_matches_and_reports(engine, db: Session) -> None:
    cs = [customer(db, date(2025, 1, 1)) for _ in range(5)]
    orders(db, cs[1], *spread(3, "10000"))
    orders(db, cs[3], *spread(6, "50000"))
    deleted = customer(db, date(2025, 1, 1), deleted_at=datetime(2026, 1, 1, tzinfo=UTC))
    orders(db, deleted, *spread(3, "10000"))
    db.commit()
    seen: list[tuple[int, int]] = []
    summary = tiers.recompute_all(engine, TODAY, chunk_size=2,
                                  progress=lambda done, total: seen.append((done, total)))
    assert (summary.customers, summary.tier_changed, summary.lifecycle_changed) == (5, 2, 2)
    assert seen == [(2, 5), (4, 5), (5, 5)]
    db.expire_all()
    assert [c.tier for c in cs] == ["白银", "黄金", "白银", "铂金", "白银"]
    assert db.get(Customer, deleted.id).tier == "白银"  # deleted: left alone
    assert tiers.recompute_all(engine, TODAY).tier_changed == 0


def test_recompute_tiers_command(settings, db: Session) -> None:
    gold = customer(db, date(2025, 1, 1))
    orders(db, gold, *spread(3, "10000"))
    platinum = customer(db, date(2025, 1, 1))
    orders(db, platinum, *spread(6, "50000"))
    silver = customer(db, date(2025, 1, 1))
    db.commit()
    env = {**os.environ, "CRM_DATABASE_URL": settings.database_url}
    done = subprocess.run(
        [sys.executable, "manage.py", "recompute-tiers", "--today", TODAY.isoformat(),
         "--chunk-size", "2"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("recomputed 3 customers in ")
    assert "2 tier changes, 2 lifecycle changes, 1 value segment changes" in done.stdout
    db.expire_all()
    assert [c.tier for c in (gold, platinum, silver)] == ["黄金", "铂金", "白银"]
    row = db.scalar(select(AuditEntry).where(AuditEntry.action == "tiers.recompute"))
    assert row.username == "cli" and row.detail["tier_changed"] == 2
    again = subprocess.run(
        [sys.executable, "manage.py", "recompute-tiers", "--today", TODAY.isoformat(),
         "--quiet"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "0 tier changes" in again.stdout
