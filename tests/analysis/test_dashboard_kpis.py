"""The overview KPIs against a hand-made data set (tests/dashboard_data.py), filters, periods,
the cache and its invalidation, and the KPI report workbook."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from db.models import AuditEntry, Survey
from services.access import audit
from services.access.roles import PermissionDenied, cli_actor
from services.analysis import filters as f
from services.analysis import kpis, report, report_sheets
from services.analysis.filters import DashboardFilter, cached
from tests.support import dashboard_data as data
from tests.support.factories import actor_for, make_user

pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def world(db):
    return data.build(db)


def june(**dims) -> DashboardFilter:
    return DashboardFilter.for_period("month", today=data.TODAY, **dims)


# ---- periods and the address ------------------------------------------------------------------

def test_period_in_progress_compares_with_the_same_days_before() -> None:
    flt = june()
    assert (flt.start, flt.end) == (date(2026, 6, 1), date(2026, 6, 15))
    prev = flt.previous()
    assert (prev.start, prev.end) == (date(2026, 5, 1), date(2026, 5, 15))


def test_whole_periods_compare_with_the_whole_period_before() -> None:
    march = DashboardFilter.for_period("month", date(2026, 3, 9), today=data.TODAY)
    assert (march.previous().start, march.previous().end) == (date(2026, 2, 1),
                                                              date(2026, 2, 28))
    feb = march.previous()
    assert (feb.previous().start, feb.previous().end) == (date(2026, 1, 1), date(2026, 1, 31))
    q1 = DashboardFilter.for_period("quarter", date(2026, 2, 1), today=data.TODAY)
    assert (q1.start, q1.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (q1.previous().start, q1.previous().end) == (date(2025, 10, 1), date(2025, 12, 31))
    year = DashboardFilter.for_period("year", today=data.TODAY)
    assert (year.start, year.end) == (date(2026, 1, 1), data.TODAY)
    assert (year.previous().start, year.previous().end) == (date(2025, 1, 1),
                                                            date(2025, 6, 15))


def test_custom_range_compares_with_as_many_days_just_before() -> None:
    flt = DashboardFilter("custom", date(2026, 3, 10), date(2026, 3, 19))
    prev = flt.previous()
    assert (prev.start, prev.end) == (date(2026, 2, 28), date(2026, 3, 9))
    assert prev.days == flt.days == 10


def test_address_round_trip_and_bad_input_falls_back() -> None:
    flt = DashboardFilter.for_period("quarter", date(2026, 2, 3), today=data.TODAY,
                                     provinces=["北京市", "广东省"], tiers=["钻石"],
                                     manager_ids=[7, 3])
    params = flt.to_params()
    assert params == {"period": "quarter", "p": "2026-Q1", "province": ["北京市", "广东省"],
                      "tier": ["钻石"], "am": ["3", "7"]}
    assert DashboardFilter.from_params(params, data.TODAY) == flt
    custom = DashboardFilter("custom", date(2026, 1, 5), date(2026, 2, 1))
    assert DashboardFilter.from_params(custom.to_params(), data.TODAY) == custom
    bad = DashboardFilter.from_params({"period": "decade", "p": "x", "am": ["a", "4"],
                                       "from": "never"}, data.TODAY)
    assert bad == june(manager_ids=[4])
    # reversed or future custom dates are put in order and cut at today
    odd = DashboardFilter.from_params({"period": "custom", "from": "2026-07-01",
                                       "to": "2026-06-01"}, data.TODAY)
    assert (odd.start, odd.end) == (date(2026, 6, 1), data.TODAY)
    # a range older than the picker offers is moved to its earliest days, never below them
    old = DashboardFilter.from_params({"period": "custom", "from": "2001-01-01",
                                       "to": "2001-01-31"}, data.TODAY)
    floor = data.TODAY - timedelta(days=f.MAX_CUSTOM_DAYS)
    assert old.start == old.end == floor


def test_equal_filters_share_one_cache_key() -> None:
    a = june(provinces=["广东省", "北京市", "广东省"])
    b = june(provinces=("北京市", "广东省"))
    assert a == b and hash(a) == hash(b)


# ---- each KPI against known answers ----------------------------------------------------------

def test_figures_of_june_and_may(db, world) -> None:
    now = kpis.period_figures(db, june())
    assert (now.customers_total, now.customers_new, now.active_customers) == (4, 1, 3)
    assert now.surveys == 3 and now.satisfied == 2
    assert now.satisfaction_avg == pytest.approx(11 / 3)
    assert now.satisfied_share == pytest.approx(2 / 3)
    assert (now.renewed, now.not_renewed, now.renewals_pending) == (2, 1, 1)
    assert now.renewal_rate == pytest.approx(2 / 3)
    assert now.renewal_amount == Decimal("1500")
    assert (now.open_complaints, now.overdue_complaints) == (2, 1)
    assert now.resolved_complaints == 2
    assert now.resolution_median_minutes == pytest.approx(1020)

    may = kpis.period_figures(db, june().previous())
    assert (may.customers_total, may.customers_new, may.active_customers) == (3, 2, 2)
    assert may.satisfaction_avg == pytest.approx(3.5)
    assert may.satisfied_share == pytest.approx(0.5)
    assert may.renewal_rate == pytest.approx(0.5)
    assert may.renewal_amount == Decimal("200")
    assert (may.open_complaints, may.overdue_complaints) == (2, 1)
    assert may.resolution_median_minutes == pytest.approx(300)


def test_cards_carry_previous_values_deltas_and_the_target(db, world) -> None:
    cards = kpis.overview_kpis(db, cli_actor(True), june())
    assert list(cards) == list(kpis.KPI_KEYS)
    assert cards["customers_total"].delta == 1
    assert cards["active_customers"].delta == 1
    assert cards["satisfied_share"].delta == pytest.approx(2 / 3 - 0.5)
    rate = cards["renewal_rate"]
    assert rate.target == pytest.approx(0.70)
    assert rate.detail == {"pending": 1, "renewed": 2, "not_renewed": 1}
    assert cards["renewal_amount"].target == Decimal("2000")
    assert cards["renewal_amount"].delta == Decimal("1300")
    assert cards["resolution_median_minutes"].delta == pytest.approx(720)
    assert cards["open_complaints"].lower_is_better
    assert cards["churn_risk"].previous is None and cards["churn_risk"].delta is None


def test_rate_target_falls_back_to_the_quarter_amount_does_not(db, world) -> None:
    assert kpis.renewal_target(db, june().previous()) == (pytest.approx(0.60), None)
    q2 = DashboardFilter.for_period("quarter", today=data.TODAY)
    assert kpis.renewal_target(db, q2) == (pytest.approx(0.60), None)
    assert kpis.renewal_target(db, DashboardFilter.for_period("year", today=data.TODAY)) \
        == (None, None)
    exact_month = DashboardFilter("custom", date(2026, 6, 1), date(2026, 6, 30))
    assert kpis.renewal_target(db, exact_month) == (pytest.approx(0.70), Decimal("2000"))
    assert kpis.renewal_target(db, DashboardFilter("custom", date(2026, 6, 2),
                                                   date(2026, 6, 9))) == (None, None)


def test_all_pending_renewals_give_no_rate(db) -> None:
    w = data.customers(db)
    data.renewal(db, w.c1, date(2026, 6, 3), "跟进中")
    db.commit()
    fig = kpis.period_figures(db, june())
    assert fig.renewal_rate is None and fig.renewals_pending == 1


def test_empty_database_gives_zeros_and_no_averages(db) -> None:
    assert not kpis.has_customers(db)
    fig = kpis.period_figures(db, june())
    assert fig.customers_total == 0 and fig.active_customers == 0
    assert fig.satisfaction_avg is None and fig.satisfied_share is None
    assert fig.renewal_rate is None and fig.resolution_median_minutes is None
    cards = kpis.overview_kpis(db, cli_actor(True), june())
    assert cards["churn_risk"].value == 0


# ---- filters ---------------------------------------------------------------------------------

def test_province_filter(db, world) -> None:
    fig = kpis.period_figures(db, june(provinces=["广东省"]))
    assert (fig.customers_total, fig.customers_new, fig.active_customers) == (2, 1, 2)
    assert fig.surveys == 2 and fig.satisfied_share == 1.0
    assert (fig.renewed, fig.not_renewed, fig.renewals_pending) == (1, 0, 1)
    assert fig.open_complaints == 2 and fig.resolution_median_minutes is None


def test_tier_and_type_filters(db, world) -> None:
    fig = kpis.period_figures(db, june(tiers=["白银"]))
    assert (fig.customers_total, fig.active_customers) == (2, 1)   # c2, c4 (c5 deleted)
    assert fig.renewal_amount == Decimal("500")
    assert fig.resolution_median_minutes == pytest.approx(600)
    assert kpis.period_figures(db, june(customer_types=["企业"])).customers_total == 1


def test_manager_filter(db, world) -> None:
    fig = kpis.period_figures(db, june(manager_ids=[world.m1.id]))
    assert (fig.customers_total, fig.active_customers) == (2, 2)    # c1, c3
    assert fig.satisfaction_avg == pytest.approx(3.5)
    assert fig.renewal_rate == pytest.approx(0.5)
    both = kpis.period_figures(db, june(manager_ids=[world.m1.id, world.m2.id]))
    assert both.customers_total == 3


def test_other_periods(db, world) -> None:
    may = kpis.period_figures(db, DashboardFilter.for_period("month", date(2026, 5, 1),
                                                             today=data.TODAY))
    assert may.customers_new == 2 and may.active_customers == 3     # c1, c4, c3 (May 16)
    assert may.surveys == 3 and may.resolution_median_minutes == pytest.approx(4150)
    q2 = kpis.period_figures(db, DashboardFilter.for_period("quarter", today=data.TODAY))
    assert q2.customers_new == 3 and q2.renewal_amount == Decimal("1700")
    one_day = kpis.period_figures(db, DashboardFilter("custom", date(2026, 6, 1),
                                                      date(2026, 6, 1)))
    assert one_day.surveys == 1 and one_day.satisfaction_avg == 5


def test_customer_conditions_always_leave_out_deleted(db, world) -> None:
    from db.models import Customer

    ids = set(db.scalars(select(Customer.id).where(*june().customer_conditions())))
    assert world.c5.id not in ids and len(ids) == 4


# ---- cache ------------------------------------------------------------------------------------

def test_cache_hits_until_data_changes(db, world) -> None:
    calls = []

    def compute():
        calls.append(1)
        return kpis.period_figures(db, june()).surveys

    assert cached(db, "t.surveys", june(), compute, ttl_seconds=60) == 3
    assert cached(db, "t.surveys", june(), compute, ttl_seconds=60) == 3
    assert len(calls) == 1
    # another filter, another entry
    cached(db, "t.surveys", june(tiers=["钻石"]), compute, ttl_seconds=60)
    assert len(calls) == 2
    # a new record (no audit row, as an import or seed writes it) moves the data version
    data.survey(db, world.c4, date(2026, 6, 9), 5)
    db.commit()
    assert cached(db, "t.surveys", june(), compute, ttl_seconds=60) == 4
    assert len(calls) == 3


def test_audited_change_invalidates_but_logins_and_exports_do_not(db, world) -> None:
    before = f.data_version(db)
    audit.record(db, None, "login", "user", 1)
    audit.record(db, None, "export.customers", None, None)
    audit.record(db, None, "customer.reveal", "customer", world.c1.id)
    db.commit()
    assert f.data_version(db) == before
    # an edit of an existing row moves only the audit mark
    survey_row = db.scalars(select(Survey)).first()
    survey_row.score = 1
    audit.record(db, cli_actor(True), "survey.update", "survey", survey_row.id)
    db.commit()
    after = f.data_version(db)
    assert after != before and after[1:] == before[1:]


def test_cached_overview_sees_an_edit_from_another_session(db, world, engine) -> None:
    from sqlalchemy.orm import Session

    actor = cli_actor(True)
    first = kpis.overview_kpis(db, actor, june())["satisfaction_avg"].value
    with Session(engine) as other:   # another app process would do the same
        row = other.scalars(select(Survey).where(Survey.customer_id == world.c3.id,
                                                 Survey.survey_date == date(2026, 6, 5))).one()
        row.score = 5
        audit.record(other, actor, "survey.update", "survey", row.id)
        other.commit()
    second = kpis.overview_kpis(db, actor, june())["satisfaction_avg"].value
    assert first == pytest.approx(11 / 3) and second == pytest.approx(14 / 3)


def test_cache_expires_after_its_ttl(db, world, monkeypatch) -> None:
    import time as real_time

    calls = []
    start = real_time.monotonic()
    monkeypatch.setattr(f.time, "monotonic", lambda: start)
    cached(db, "t.ttl", june(), lambda: calls.append(1), ttl_seconds=10)
    cached(db, "t.ttl", june(), lambda: calls.append(1), ttl_seconds=10)
    monkeypatch.setattr(f.time, "monotonic", lambda: start + 11)
    cached(db, "t.ttl", june(), lambda: calls.append(1), ttl_seconds=10)
    assert len(calls) == 2


def test_clerks_may_not_read_dashboards(db, world) -> None:
    clerk = actor_for(make_user(db, "clerk_x"))
    with pytest.raises(PermissionDenied):
        kpis.overview_kpis(db, clerk, june())
    with pytest.raises(PermissionDenied):
        report.build_report(db, clerk, june())


# ---- display ----------------------------------------------------------------------------------

def test_formatting_of_values_and_deltas() -> None:
    assert kpis.format_value("count", 1234567) == "1,234,567"
    assert kpis.format_value("percent", 0.7396) == "74.0%"
    assert kpis.format_value("money", Decimal("436244325.35")) == "¥4.36亿"
    assert kpis.format_value("money", Decimal("123456"), "en") == "¥123.5k"
    assert kpis.format_value("minutes", 90) == "1.5 小时"
    assert kpis.format_value("score", None) == "—"
    assert kpis.format_delta("percent", 0.012) == "+1.2 个百分点"
    assert kpis.format_delta("money", Decimal("-20000")) == "-¥2.00万"
    assert kpis.format_delta("count", 0) == "+0"


# ---- the report -------------------------------------------------------------------------------

def test_report_has_the_filters_and_a_sheet_per_table(db, world) -> None:
    manager = make_user(db, "boss", role="manager")
    db.commit()
    actor = actor_for(manager)
    flt = june(provinces=["广东省"], manager_ids=[world.m1.id])
    blob = report.build_report(db, actor, flt, managers={world.m1.id: "经理一"})
    db.commit()
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    assert wb.sheetnames[:2] == ["筛选条件", "关键指标"]
    assert "流失预警规则" in wb.sheetnames
    expected = {s.key for s in report.sheets()}
    assert len(wb.sheetnames) == len(expected) + 1
    filters = {r[0]: r[1] for r in wb["筛选条件"].iter_rows(min_row=2, values_only=True)}
    assert filters["省份"] == "广东省" and filters["客户经理"] == "经理一"
    assert filters["行业"] == "全部" and filters["期间"] == "2026年6月（截至 2026-06-15）"
    assert filters["对比期间"].startswith("2026年5月")
    kpi_rows = {r[0]: r[1:] for r in wb["关键指标"].iter_rows(min_row=2, values_only=True)}
    assert kpi_rows["客户总数"][:2] == (1, 1)          # c1 only this month (c2: m2)
    # Targets are company-wide: this view (广东省, one manager) is not compared with them.
    assert kpi_rows["续约率"][0] == 100.0 and kpi_rows["续约率"][3] is None
    assert filters["目标"] == "目标为全公司目标，筛选后不作对比"
    logged = db.scalars(select(AuditEntry).where(
        AuditEntry.action == "export.dashboard_report")).one()
    assert logged.detail["filters"]["province"] == ["广东省"]


def test_registered_sheet_appears_in_the_report(db, world) -> None:
    sheet = report.ReportSheet(key="test.extra", title_key="dash.report.sheet.kpis",
                               headers=("dash.report.col.kpi",),
                               rows=lambda s, flt, lang: [(flt.start,)], order=999)
    report_sheets.register(sheet)
    try:
        names = report.write_report(io.BytesIO(), db, june())
        assert names[-1] == "关键指标(2)"
    finally:
        report_sheets.unregister("test.extra")


def test_overdue_limit_follows_the_setting(db, world, monkeypatch) -> None:
    from dataclasses import replace

    from core import settings as settings_module

    current = settings_module.get_settings()
    monkeypatch.setattr(kpis, "get_settings",
                        lambda: replace(current, complaint_overdue_hours=24 * 6))
    fig = kpis.period_figures(db, june())
    assert (fig.open_complaints, fig.overdue_complaints) == (2, 0)
    assert timedelta(hours=24 * 6) > data.NOW - data.local(2026, 6, 10, 9)
