"""流失预警: each rule firing and not firing on hand-made records, the score and threshold, the
snapshot kept fresh (incrementally, and rebuilt on a new day or new rules), the list's order,
filters and deleted customers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core import clock
from core.settings import ChurnRules
from db.models import ChurnScore, Survey
from services.access import audit
from services.access.roles import PermissionDenied, cli_actor
from services.analysis import churn
from services.analysis.filters import DashboardFilter, clear_cache
from tests.support import dashboard_data as data
from tests.support.factories import actor_for, make_customer, make_user

TODAY = data.TODAY


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: data.NOW)
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    clear_cache()
    yield
    clear_cache()


def fired(db, rules: ChurnRules) -> dict[int, tuple[int, tuple[str, ...]]]:
    """customer id -> (score, rules) of everyone at or above ``rules.threshold``."""
    stmt = churn.scores_select(rules, TODAY, data.NOW)
    return {cid: (score, churn.rules_of(flags)) for cid, score, flags, _ in db.execute(stmt)}


def only(rule: str, **changes) -> ChurnRules:
    """Rules where ``rule`` alone (weight 10) puts a customer on the list."""
    weights = {"no_order_weight": 0, "contact_drop_weight": 0, "complaint_weight": 0,
               "satisfaction_weight": 0, "contract_weight": 0}
    weights[{"no_order": "no_order_weight", "contact_drop": "contact_drop_weight",
             "complaints": "complaint_weight", "satisfaction": "satisfaction_weight",
             "contract": "contract_weight"}[rule]] = 10
    return replace(ChurnRules(), threshold=10, **weights, **changes)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# ---- each rule ------------------------------------------------------------------------------

def test_no_order_rule(db) -> None:
    old = make_customer(db, last_order_at=days_ago(181))
    edge = make_customer(db, last_order_at=days_ago(180))
    never = make_customer(db, last_order_at=None)
    recent = make_customer(db, last_order_at=days_ago(3))
    db.commit()
    result = fired(db, only("no_order"))
    assert result == {old.id: (10, ("no_order",))}
    assert {edge.id, never.id, recent.id}.isdisjoint(result)


def test_contact_drop_rule(db) -> None:
    rules = only("contact_drop")          # window 90 days, ratio 0.5, 4 windows before
    assert churn.lookback_windows(rules) == 4
    dropped, steady, silent, visited, newcomer = (make_customer(db) for _ in range(5))
    for k in range(8):                    # 8 contacts in the year before: 2 per window
        day = data.local(2025, 6, 1) + timedelta(days=25 * k)
        data.contact(db, dropped, day)
        data.contact(db, steady, day)
        data.visit(db, visited, day.date())
    data.contact(db, steady, data.local(2026, 5, 1))      # 1 recent = 0.5 × 2: not below
    data.contact(db, newcomer, data.local(2026, 5, 1))    # no history: no average
    db.commit()
    result = fired(db, rules)
    assert set(result) == {dropped.id, visited.id}
    assert {steady.id, silent.id, newcomer.id}.isdisjoint(result)


def test_contact_drop_window_starts_today_minus_window(db) -> None:
    rules = only("contact_drop")
    c = make_customer(db)
    for k in range(4):
        data.contact(db, c, data.local(2025, 6, 1) + timedelta(days=60 * k))
    # the last window is TODAY-89 … TODAY: a contact on TODAY-90 counts as "before"
    data.contact(db, c, data.local(*days_ago(90).timetuple()[:3]))
    db.commit()
    assert c.id in fired(db, rules)       # recent 0 < 0.5 × 5/4
    data.contact(db, c, data.local(*days_ago(89).timetuple()[:3]))
    db.commit()
    assert c.id not in fired(db, rules)   # recent 1 ≥ 0.5 × 5/4


def test_complaint_rule(db) -> None:
    open_old, repeated, once, spread = (make_customer(db) for _ in range(4))
    data.complaint(db, open_old, data.local(2025, 1, 1), "处理中")
    for c, ages in ((repeated, (10, 170)), (once, (10,)), (spread, (10, 200))):
        for age in ages:
            when = data.NOW - timedelta(days=age)
            data.complaint(db, c, when, "已解决", when + timedelta(hours=2), 120)
    db.commit()
    result = fired(db, only("complaints"))
    assert set(result) == {open_old.id, repeated.id}
    assert set(fired(db, only("complaints", complaint_repeat=1))) == {
        open_old.id, repeated.id, once.id, spread.id}


def test_satisfaction_rule(db) -> None:
    low, fell, dipped, single, recovered, same_day = (make_customer(db) for _ in range(6))
    data.survey(db, low, days_ago(5), 2)
    data.survey(db, fell, days_ago(40), 5)
    data.survey(db, fell, days_ago(5), 3)            # 2 below: fires
    data.survey(db, dipped, days_ago(40), 5)
    data.survey(db, dipped, days_ago(5), 4)          # 1 below: no
    data.survey(db, single, days_ago(5), 3)
    data.survey(db, recovered, days_ago(40), 1)
    data.survey(db, recovered, days_ago(5), 4)       # the latest counts
    data.survey(db, same_day, days_ago(5), 4)
    db.flush()
    data.survey(db, same_day, days_ago(5), 1)        # same day, entered later: the latest
    db.commit()
    assert set(fired(db, only("satisfaction"))) == {low.id, fell.id, same_day.id}


def test_contract_rule(db) -> None:
    bare, following, lost, renewed, later, ended = (make_customer(db) for _ in range(6))
    data.contract(db, bare, TODAY + timedelta(days=30))
    data.renewal(db, following, TODAY + timedelta(days=30), "跟进中")
    data.renewal(db, lost, TODAY + timedelta(days=60), "未续约")
    data.renewal(db, renewed, TODAY + timedelta(days=30), "已续约", "100")
    data.contract(db, later, TODAY + timedelta(days=61))
    data.contract(db, ended, TODAY - timedelta(days=1))
    db.commit()
    assert set(fired(db, only("contract"))) == {bare.id, lost.id}


# ---- score and threshold ----------------------------------------------------------------------

def test_score_is_the_sum_of_weights_and_the_threshold_decides(db) -> None:
    both = make_customer(db, last_order_at=days_ago(200))
    data.complaint(db, both, data.NOW - timedelta(days=1))
    order_only = make_customer(db, last_order_at=days_ago(200))
    everything = make_customer(db, last_order_at=days_ago(200))
    data.complaint(db, everything, data.NOW - timedelta(days=1))
    data.survey(db, everything, days_ago(2), 1)
    data.contract(db, everything, TODAY + timedelta(days=10))
    db.commit()
    rules = ChurnRules()                  # config.toml defaults: threshold 50
    result = fired(db, rules)
    assert result[both.id] == (55, ("no_order", "complaints"))
    assert result[everything.id] == (110, ("no_order", "complaints", "satisfaction",
                                           "contract"))
    assert order_only.id not in result
    # a rule heavy enough on its own lists its customers whatever else fires
    heavy = replace(rules, no_order_weight=60)
    assert fired(db, heavy)[order_only.id] == (60, ("no_order",))
    assert fired(db, heavy)[both.id] == (85, ("no_order", "complaints"))
    assert fired(db, replace(rules, threshold=120)) == {}


# ---- the snapshot ----------------------------------------------------------------------------

def at_risk(db, settings, **dims) -> churn.RiskSummary:
    clear_cache()
    return churn.compute_summary(db, DashboardFilter.for_period("month", today=TODAY, **dims),
                                 settings)


def risky(db, **fields):
    """A customer at risk under the default rules: no order for 200 days, an open complaint."""
    c = make_customer(db, last_order_at=days_ago(200), **fields)
    data.complaint(db, c, data.NOW - timedelta(days=1))
    return c


def test_snapshot_is_rebuilt_then_kept_fresh_incrementally(db, settings) -> None:
    first = risky(db)
    db.commit()
    assert churn.ensure_fresh(db, settings) == "rebuilt"
    assert churn.ensure_fresh(db, settings) == "fresh"
    assert at_risk(db, settings).total == 1
    # a new record (an import or a service) for another customer
    second = make_customer(db, last_order_at=days_ago(200))
    db.commit()
    data.complaint(db, second, data.NOW - timedelta(hours=3))
    db.commit()
    assert churn.ensure_fresh(db, settings) == "incremental"
    assert set(db.scalars(select(ChurnScore.customer_id))) == {first.id, second.id}
    # an audited edit naming the customer in its detail
    low = make_customer(db, last_order_at=days_ago(200))
    row = data.survey(db, low, days_ago(3), 4)
    db.commit()
    churn.ensure_fresh(db, settings)
    assert low.id not in set(db.scalars(select(ChurnScore.customer_id)))
    row.score = 1
    audit.record(db, cli_actor(True), "survey.update", "survey", row.id,
                 detail={"customer_id": low.id})
    db.commit()
    assert churn.ensure_fresh(db, settings) == "incremental"
    assert db.get(ChurnScore, low.id).score == 55


def test_snapshot_rebuilds_on_a_new_day_and_new_rules(db, settings, monkeypatch) -> None:
    c = make_customer(db, last_order_at=days_ago(170))
    data.complaint(db, c, data.NOW - timedelta(days=1))
    db.commit()
    churn.ensure_fresh(db, settings)
    assert db.get(ChurnScore, c.id) is None            # 170 days: not yet
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=11))
    assert churn.ensure_fresh(db, settings) == "rebuilt"
    assert db.get(ChurnScore, c.id).score == 55
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    churn.ensure_fresh(db, settings)
    stricter = replace(settings, churn=replace(settings.churn, threshold=60))
    assert churn.ensure_fresh(db, stricter) == "rebuilt"
    assert db.get(ChurnScore, c.id) is None


def test_import_undo_forces_a_rebuild(db, settings) -> None:
    risky(db)
    db.commit()
    churn.ensure_fresh(db, settings)
    audit.record(db, cli_actor(True), "import.undo", "import", 1)
    db.commit()
    assert churn.ensure_fresh(db, settings) == "rebuilt"


def test_deleted_customers_are_never_shown_and_come_back_restored(db, settings) -> None:
    kept = risky(db, province="广东省")
    gone = risky(db, province="广东省")
    db.commit()
    assert at_risk(db, settings).total == 2
    gone.deleted_at = data.NOW      # as services.customers.delete does: audited
    audit.record(db, cli_actor(True), "customer.delete", "customer", gone.id)
    db.commit()
    assert at_risk(db, settings).total == 1
    assert at_risk(db, settings, provinces=["广东省"]).total == 1
    page = churn.risk_page(db, cli_actor(True), DashboardFilter.default(TODAY))
    assert [r.customer_id for r in page.rows] == [kept.id]
    gone.deleted_at = None
    audit.record(db, cli_actor(True), "customer.restore", "customer", gone.id)
    db.commit()
    assert at_risk(db, settings).total == 2


def test_list_order_filters_and_rule_counts(db, settings) -> None:
    m = make_user(db, "am_churn", display_name="王经理")
    small = risky(db, province="北京市", account_manager_id=m.id)
    big = risky(db, province="广东省")
    data.order(db, big, days_ago(250), "5000")
    data.order(db, small, days_ago(250), "100")
    top = risky(db, province="广东省")
    data.survey(db, top, days_ago(1), 1)
    db.commit()
    actor = cli_actor(True)
    page = churn.risk_page(db, actor, DashboardFilter.default(TODAY))
    assert [r.customer_id for r in page.rows] == [top.id, big.id, small.id]
    assert page.rows[1].spend == Decimal("5000")
    assert page.rows[2].account_manager == "王经理"
    assert page.rows[0].rules == ("no_order", "complaints", "satisfaction")
    assert page.summary.by_rule == {"no_order": 3, "contact_drop": 0, "complaints": 3,
                                    "satisfaction": 1, "contract": 0}
    beijing = churn.risk_page(db, actor, DashboardFilter.for_period(
        "month", today=TODAY, provinces=["北京市"]))
    assert [r.customer_id for r in beijing.rows] == [small.id] and beijing.total == 1
    mine = churn.risk_page(db, actor, DashboardFilter.for_period(
        "month", today=TODAY, manager_ids=[m.id]))
    assert [r.customer_id for r in mine.rows] == [small.id]
    sat = churn.risk_page(db, actor, DashboardFilter.default(TODAY), rule="satisfaction")
    assert [r.customer_id for r in sat.rows] == [top.id] and sat.total == 1
    second = churn.risk_page(db, actor, DashboardFilter.default(TODAY), offset=1, limit=1)
    assert [r.customer_id for r in second.rows] == [big.id] and second.total == 3


def test_list_masks_mobiles_and_export_follows_the_role(db, settings) -> None:
    c = risky(db, mobile="13912345678")
    manager = actor_for(make_user(db, "mgr_c", role="manager"))
    trainer = actor_for(make_user(db, "trn_c", role="trainer"))
    clerk = actor_for(make_user(db, "clk_c", role="clerk"))
    db.commit()
    flt = DashboardFilter.default(TODAY)
    assert churn.risk_page(db, manager, flt).rows[0].mobile == "139****5678"
    assert [r.mobile for r in churn.export_rows(db, manager, flt)] == ["13912345678"]
    assert [r.mobile for r in churn.export_rows(db, trainer, flt)] == ["139****5678"]
    with pytest.raises(PermissionDenied):
        churn.risk_page(db, clerk, flt)
    assert c.id == churn.risk_page(db, trainer, flt).rows[0].customer_id


def test_summary_cache_follows_new_data(db, settings) -> None:
    flt = DashboardFilter.default(TODAY)
    risky(db)
    db.commit()
    assert churn.summary(db, flt).total == 1
    risky(db)
    db.commit()
    assert churn.summary(db, flt).total == 2


def test_no_weights_no_risk(db, settings) -> None:
    risky(db)
    db.commit()
    none = replace(ChurnRules(), no_order_weight=0, contact_drop_weight=0, complaint_weight=0,
                   satisfaction_weight=0, contract_weight=0)
    assert churn.scores_select(none, TODAY, data.NOW) is None
    assert churn.ensure_fresh(db, replace(settings, churn=none)) == "rebuilt"
    assert db.scalars(select(ChurnScore)).all() == []


def test_survey_table_untouched_by_refresh(db, settings) -> None:
    # the snapshot is derived data: refreshing writes only churn tables, and moves no mark
    risky(db)
    db.commit()
    from services.analysis.filters import data_version

    before = data_version(db)
    churn.ensure_fresh(db, settings)
    assert data_version(db) == before
    assert db.scalars(select(Survey)).all() == []


def test_refresh_churn_command(db, settings, database_url) -> None:
    from tests.excel.test_excel_cli import manage

    c = make_customer(db, last_order_at=date(2000, 1, 1))   # long ago, whatever today is
    data.complaint(db, c, data.NOW.replace(year=2000), "处理中")
    db.commit()
    first = manage(database_url, "refresh-churn")
    assert first.returncode == 0, first.stderr
    assert "rebuilt: 1 customers at risk" in first.stdout
    again = manage(database_url, "refresh-churn")
    assert "fresh: 1 customers at risk" in again.stdout
    assert "rebuilt" in manage(database_url, "refresh-churn", "--full").stdout
