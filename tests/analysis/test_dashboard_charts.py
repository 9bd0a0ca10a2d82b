"""The dashboard chart aggregates against small hand-made data sets with known answers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from core.clock import LOCAL_TZ
from core.regions import PROVINCES
from core.vocab import Role
from db.models import Complaint, Contract, FollowUp, Order, Renewal, RenewalTarget, Survey
from services.access.roles import PermissionDenied
from services.analysis import account_managers, complaint_charts, composition, renewal_charts
from services.analysis import satisfaction as sat
from services.analysis.chart_sql import trend_months, upcoming_months
from services.analysis.filters import DashboardFilter, clear_cache
from services.geo import DATA, china_provinces
from tests.support.factories import actor_for, make_customer, make_user

MARCH = DashboardFilter("month", date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 3, 20)
_seq = iter(range(1, 10_000))


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A China-time moment as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def stamp() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def managers(db):
    return {"wang": make_user(db, "wang", role=Role.MANAGER, display_name="王经理"),
            "li": make_user(db, "li", role=Role.CLERK, display_name="李专员")}


def customer(db, created: date = date(2025, 1, 1), **fields):
    return make_customer(db, created_at=at(created), **fields)


def survey(db, cust, day: date, score: int) -> None:
    db.add(Survey(customer_id=cust.id, survey_date=day, score=score, created_at=stamp()))


def complaint(db, cust, received: datetime, *, minutes: int | None = None,
              status: str | None = None, channel: str = "电话", ctype: str = "产品质量") -> None:
    resolved = received + timedelta(minutes=minutes) if minutes is not None else None
    db.add(Complaint(customer_id=cust.id, channel=channel, complaint_type=ctype,
                     description="x", received_at=received,
                     status=status or ("已解决" if resolved else "待处理"),
                     resolved_at=resolved, resolution_minutes=minutes, created_at=stamp()))


def contract(db, cust, end: date) -> Contract:
    c = Contract(customer_id=cust.id, contract_no=f"HT{next(_seq):06d}",
                 start_date=end - timedelta(days=364), end_date=end, amount=Decimal(1000),
                 created_at=stamp())
    db.add(c)
    db.flush()
    return c


def renewal(db, cust, due: date, outcome: str, *, amount: int | None = None,
            reason: str | None = None, con: Contract | None = None) -> None:
    con = con or contract(db, cust, due)
    db.add(Renewal(contract_id=con.id, customer_id=cust.id, due_date=due, outcome=outcome,
                   amount=Decimal(amount) if amount is not None else None, reason=reason,
                   created_at=stamp()))


def order(db, cust, day: date, amount: str) -> None:
    db.add(Order(customer_id=cust.id, order_no=f"SO{next(_seq):08d}", order_date=day,
                 product="p", quantity=1, amount=Decimal(amount), created_at=stamp()))


def visit(db, cust, planned: date, done: date | None = None) -> None:
    db.add(FollowUp(customer_id=cust.id, planned_date=planned, done_date=done, method="电话",
                    created_at=stamp()))


# ---- the map ---------------------------------------------------------------------------------

def test_the_map_covers_every_province_by_its_full_name() -> None:
    geo = china_provinces()
    ids = [f["id"] for f in geo["features"]]
    assert sorted(ids) == sorted(PROVINCES) and len(ids) == 34
    for feature in geo["features"]:
        assert feature["properties"]["name"] == feature["id"]
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for lon, lat in ring:
                    assert 73 <= lon <= 136 and 3 <= lat <= 54
    assert 20_000 < DATA.stat().st_size < 400_000
    assert json.loads(DATA.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_the_map_draws_with_the_palette() -> None:
    from components.charts import empty_figure, province_map

    fig = province_map([("广东省", 10), ("北京市", 3)])
    trace = fig.data[0]
    assert trace.type == "choropleth" and len(trace.locations) == 34
    assert dict(zip(trace.locations, trace.z, strict=True))["广东省"] == 10
    assert province_map([]).layout.annotations == empty_figure().layout.annotations


# ---- months ----------------------------------------------------------------------------------

def test_trend_months_end_with_the_period() -> None:
    months = trend_months(MARCH)
    assert months.labels()[0] == "2025-04" and months.labels()[-1] == "2026-03"
    assert len(months.starts) == 12 and months.last_day == date(2026, 3, 31)
    year = DashboardFilter("custom", date(2023, 1, 15), date(2026, 2, 10))
    assert trend_months(year).labels()[-1] == "2026-02"
    assert len(trend_months(year).starts) == 36  # capped
    upcoming = upcoming_months(date(2026, 3, 20), 6)
    assert upcoming.first_day == date(2026, 3, 20) and upcoming.last_day == date(2026, 8, 31)


# ---- satisfaction ----------------------------------------------------------------------------

def test_satisfaction_distribution_tiers_managers_and_months(db, managers) -> None:
    gold = customer(db, tier="黄金", account_manager_id=managers["wang"].id)
    silver = customer(db, tier="白银", account_manager_id=managers["li"].id)
    gone = customer(db, tier="白银", deleted_at=at(date(2026, 2, 1)))
    for score in (5, 5, 4, 2):
        survey(db, gold, date(2026, 3, 5), score)
    for score in (3, 1):
        survey(db, silver, date(2026, 3, 31), score)
    survey(db, silver, date(2026, 4, 1), 5)   # after the period
    survey(db, silver, date(2026, 1, 10), 4)  # earlier month: trend only
    survey(db, gone, date(2026, 3, 6), 5)     # deleted customer: never counted
    db.commit()

    data = sat.compute(db, MARCH)
    assert data.overall.counts == (2, 1, 1, 1, 1)
    assert data.overall.total == 6
    assert data.overall.average == pytest.approx(20 / 6)
    assert data.overall.share_satisfied == pytest.approx(3 / 6)
    tiers = dict(data.by_tier)
    assert [t for t, _ in data.by_tier] == ["白银", "黄金", "铂金", "钻石"]
    assert tiers["黄金"].counts == (2, 1, 0, 1, 0) and tiers["黄金"].average == 4.0
    assert tiers["白银"].counts == (0, 0, 1, 0, 1) and tiers["白银"].share_satisfied == 0
    assert tiers["钻石"].total == 0 and tiers["钻石"].average is None
    by_manager = dict(data.by_manager)
    assert by_manager[managers["wang"].id].total == 4 and by_manager[managers["li"].id].total == 2
    monthly = dict(zip(data.month_labels, data.monthly, strict=True))
    assert monthly["2026-03"].total == 6 and monthly["2026-01"].counts == (0, 1, 0, 0, 0)
    assert monthly["2026-02"].total == 0 and "2026-04" not in monthly

    only_gold = DashboardFilter("month", MARCH.start, MARCH.end, tiers=("黄金",))
    assert sat.compute(db, only_gold).overall.counts == (2, 1, 0, 1, 0)


def test_satisfaction_requires_the_dashboard_permission(db, managers) -> None:
    with pytest.raises(PermissionDenied):
        sat.satisfaction(db, actor_for(managers["li"]), MARCH)
    assert sat.satisfaction(db, actor_for(managers["wang"]), MARCH).empty


# ---- renewals --------------------------------------------------------------------------------

def test_monthly_renewal_rate_against_target(db, managers) -> None:
    c = customer(db)
    for outcome in ("已续约", "已续约", "已续约", "未续约", "跟进中"):
        renewal(db, c, date(2026, 1, 15), outcome, amount=100 if outcome == "已续约" else None,
                reason="价格太高" if outcome == "未续约" else None)
    renewal(db, c, date(2026, 2, 3), "已续约", amount=50)
    renewal(db, c, date(2026, 2, 4), "未续约", reason="价格太高")
    renewal(db, c, date(2026, 3, 10), "未续约", reason=" 预算削减 ")
    renewal(db, c, date(2026, 3, 11), "未续约", reason=None)
    renewal(db, c, date(2026, 3, 12), "跟进中")
    db.add_all([
        RenewalTarget(period_kind="month", period_start=date(2026, 1, 1),
                      target_rate=Decimal("80"), set_at=stamp()),
        RenewalTarget(period_kind="quarter", period_start=date(2026, 1, 1),
                      target_rate=Decimal("70"), set_at=stamp()),
        RenewalTarget(period_kind="year", period_start=date(2025, 1, 1),
                      target_rate=Decimal("60"), set_at=stamp()),
    ])
    db.commit()

    data = renewal_charts.compute(db, MARCH, today=TODAY)
    months = {m.label: m for m in data.monthly}
    jan, feb, mar = months["2026-01"], months["2026-02"], months["2026-03"]
    assert (jan.renewed, jan.not_renewed, jan.pending) == (3, 1, 1)
    assert jan.rate == pytest.approx(0.75) and jan.amount == Decimal(300)
    assert jan.target_rate == 80           # its own monthly target
    assert feb.rate == pytest.approx(0.5) and feb.target_rate == 70  # the quarter's
    assert mar.rate == 0 and mar.pending == 1
    assert months["2025-12"].target_rate == 60  # the year's
    assert months["2025-11"].rate is None      # nothing decided: no rate
    assert data.period.rate == 0 and data.period.target_rate == 70
    assert dict(data.reasons) == {"预算削减": 1, "": 1}


def test_reasons_keep_the_most_frequent_and_lump_the_rest(db) -> None:
    c = customer(db)
    for k in range(renewal_charts.TOP_REASONS + 2):
        for _ in range(k + 1):
            renewal(db, c, date(2026, 3, 5), "未续约", reason=f"原因{k}")
    db.commit()
    reasons = renewal_charts.compute(db, MARCH, today=TODAY).reasons
    assert len(reasons) == renewal_charts.TOP_REASONS + 1
    assert reasons[0] == (f"原因{renewal_charts.TOP_REASONS + 1}", renewal_charts.TOP_REASONS + 2)
    assert reasons[-1] == (renewal_charts.OTHER_REASONS, 1 + 2)


def test_upcoming_expiries_by_month_and_progress(db) -> None:
    c = customer(db)
    contract(db, c, date(2026, 3, 25))                       # no record yet, this month
    renewal(db, c, date(2026, 4, 30), "跟进中")                # April, following up
    renewal(db, c, date(2026, 4, 2), "已续约", amount=10)      # April, renewed early
    contract(db, c, date(2026, 3, 19))                       # already ended: not upcoming
    contract(db, c, date(2026, 9, 1))                        # beyond six months
    db.commit()
    data = renewal_charts.compute(db, MARCH, today=TODAY)
    assert data.upcoming_labels[:2] == ("2026-03", "2026-04") and len(data.upcoming_labels) == 6
    upcoming = dict(data.upcoming)
    assert upcoming[renewal_charts.NO_RECORD][:2] == (1, 0)
    assert upcoming["跟进中"][:2] == (0, 1) and upcoming["已续约"][:2] == (0, 1)
    assert sum(sum(v) for v in upcoming.values()) == 3


# ---- complaints ------------------------------------------------------------------------------

def test_complaint_counts_and_exact_medians(db, managers) -> None:
    c = customer(db)
    # March: resolved in 10, 20, 30 and 40 minutes: even count, median 25.
    for minutes, channel in ((10, "电话"), (40, "邮件"), (20, "电话"), (30, "在线客服")):
        complaint(db, c, at(date(2026, 3, 2)), minutes=minutes, channel=channel)
    complaint(db, c, at(date(2026, 3, 3)), status="处理中", ctype="服务态度")
    # February: 5, 7 and 100 minutes: odd count, median 7.
    for minutes in (100, 5, 7):
        complaint(db, c, at(date(2026, 2, 10)), minutes=minutes)
    # Received late on 28 Feb China time (UTC the same day), resolved on 1 March China time.
    complaint(db, c, at(date(2026, 2, 28), 23, 30), minutes=60)
    db.commit()

    data = complaint_charts.compute(db, MARCH)
    assert data.total == 5
    assert dict(data.by_channel) == {"电话": 3, "邮件": 1, "在线客服": 1, "反馈表": 0}
    assert dict(data.by_type)["服务态度"] == 1 and dict(data.by_type)["产品质量"] == 4
    assert dict(data.by_status) == {"待处理": 0, "处理中": 1, "已解决": 4, "已关闭": 0}
    months = dict(zip(data.month_labels, data.monthly_count, strict=True))
    assert months["2026-03"] == 5 and months["2026-02"] == 4
    medians = dict(zip(data.month_labels, data.monthly_median_minutes, strict=True))
    assert medians["2026-02"] == 7
    # March resolved: 10, 20, 30, 40 and the 60 of the one received in February.
    assert medians["2026-03"] == 30
    assert medians["2026-01"] is None
    assert data.median_minutes == 30


def test_median_of_an_even_count(db) -> None:
    c = customer(db)
    for minutes in (1, 2, 9, 1000):
        complaint(db, c, at(date(2026, 3, 4)), minutes=minutes)
    db.commit()
    assert complaint_charts.compute(db, MARCH).median_minutes == 5.5


def test_overdue_complaints_oldest_first(db, managers, settings) -> None:
    c = customer(db, name="逾期客户")
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)
    limit = settings.complaint_overdue_hours
    complaint(db, c, now - timedelta(hours=limit + 1))
    complaint(db, c, now - timedelta(hours=limit + 30), status="处理中")
    complaint(db, c, now - timedelta(hours=limit - 1))               # not yet overdue
    complaint(db, c, now - timedelta(hours=limit + 50), minutes=30)  # resolved
    db.commit()
    rows, total = complaint_charts.overdue(db, actor_for(managers["wang"]), MARCH, now=now)
    assert total == 2 and [r.hours_open for r in rows] == [limit + 30, limit + 1]
    assert rows[0].customer_name == "逾期客户" and rows[0].status == "处理中"
    rows, total = complaint_charts.overdue(db, actor_for(managers["wang"]), MARCH, now=now,
                                           limit=1)
    assert len(rows) == 1 and total == 2


# ---- composition -----------------------------------------------------------------------------

def test_composition_at_the_end_of_the_period(db) -> None:
    customer(db, date(2026, 3, 5), tier="钻石", customer_type="企业", industry="金融",
             province="广东省", lifecycle="稳定")
    customer(db, date(2026, 1, 5), tier="白银", industry="金融", province="广东省")
    customer(db, date(2026, 1, 6), tier="白银", province="北京市", lifecycle="流失")
    customer(db, date(2026, 4, 2), tier="白银", province="北京市")    # after the period
    customer(db, date(2026, 1, 7), deleted_at=at(date(2026, 2, 1)))  # deleted
    db.commit()
    data = composition.compute(db, MARCH)
    assert data.total == 3 and data.new_in_period == 1
    assert dict(data.by_tier) == {"白银": 2, "黄金": 0, "铂金": 0, "钻石": 1}
    assert dict(data.by_type) == {"个人": 2, "企业": 1, "机构": 0}
    assert dict(data.by_industry)["金融"] == 2 and dict(data.by_industry)[composition.UNKNOWN] == 1
    provinces = dict(data.by_province)
    assert provinces["广东省"] == 2 and provinces["北京市"] == 1 and provinces["上海市"] == 0
    assert dict(data.by_lifecycle) == {"潜在": 1, "新客户": 0, "稳定": 1, "老客户": 0, "流失": 1}
    new = dict(zip(data.month_labels, data.new_monthly, strict=True))
    assert new["2026-01"] == 2 and new["2026-03"] == 1 and new["2026-02"] == 0

    beijing = DashboardFilter("month", MARCH.start, MARCH.end, provinces=("北京市",))
    assert composition.compute(db, beijing).total == 1


# ---- account managers ------------------------------------------------------------------------

def test_account_manager_table(db, managers) -> None:
    wang, li = managers["wang"].id, managers["li"].id
    # Wang: four customers created in March; two ordered by the end of March, one only in
    # April: conversion 2 / 4. One older customer (not in the conversion cohort).
    cohort = [customer(db, date(2026, 3, 2), account_manager_id=wang,
                       first_order_at=first)
              for first in (date(2026, 3, 3), date(2026, 3, 31), date(2026, 4, 2), None)]
    old = customer(db, date(2025, 6, 1), account_manager_id=wang,
                   first_order_at=date(2025, 6, 2))
    order(db, cohort[0], date(2026, 3, 3), "100.50")
    order(db, cohort[1], date(2026, 3, 31), "200.00")
    order(db, old, date(2026, 2, 28), "999.00")   # before the period
    survey(db, old, date(2026, 3, 9), 5)
    survey(db, old, date(2026, 3, 9), 2)
    renewal(db, old, date(2026, 3, 15), "已续约", amount=10)
    renewal(db, old, date(2026, 3, 16), "已续约", amount=10)
    renewal(db, old, date(2026, 3, 17), "未续约")
    renewal(db, old, date(2026, 3, 18), "跟进中")
    visit(db, old, date(2026, 3, 1), done=date(2026, 3, 2))    # done in the period
    visit(db, old, date(2026, 3, 10))                          # overdue
    visit(db, old, date(2026, 2, 10))                          # overdue since February
    visit(db, old, date(2026, 3, 25))                          # not yet due (today 20 March)
    # Li: one customer, no activity in March but counted.
    customer(db, date(2025, 1, 1), account_manager_id=li)
    # Nobody's: one order.
    order(db, customer(db, date(2025, 1, 1)), date(2026, 3, 5), "5")
    db.commit()

    rows = {r.manager_id: r for r in account_managers.compute(db, MARCH, today=TODAY)}
    w = rows[wang]
    assert (w.customers, w.new_customers, w.converted) == (5, 4, 2)
    assert w.conversion_rate == pytest.approx(0.5)
    assert w.scores.total == 2 and w.scores.average == 3.5 and w.scores.share_satisfied == 0.5
    assert (w.renewed, w.not_renewed) == (2, 1) and w.renewal_rate == pytest.approx(2 / 3)
    assert w.sales == Decimal("300.50") and w.orders == 2
    assert (w.visits_done, w.visits_overdue) == (1, 2)
    assert w.name == "王经理" and w.username == "wang"
    assert rows[li].customers == 1 and rows[li].conversion_rate is None
    assert rows[None].sales == Decimal(5)
    total = account_managers.totals(list(rows.values()))
    assert total.customers == 7 and total.sales == Decimal("305.50")
    assert total.renewal_rate == pytest.approx(2 / 3)
    order_of = [r.manager_id for r in account_managers.compute(db, MARCH, today=TODAY)]
    assert order_of[0] == wang and order_of[-1] is None

    # A past period: a visit done after its end was overdue at that end.
    feb = DashboardFilter("month", date(2026, 2, 1), date(2026, 2, 28))
    assert {r.manager_id: r for r in account_managers.compute(db, feb, today=TODAY)}[
        wang].visits_overdue == 1


def test_filters_restrict_every_aggregate(db, managers) -> None:
    a = customer(db, date(2026, 3, 1), province="广东省", account_manager_id=managers["wang"].id)
    b = customer(db, date(2026, 3, 1), province="北京市", account_manager_id=managers["li"].id)
    for cust in (a, b):
        survey(db, cust, date(2026, 3, 2), 5)
        complaint(db, cust, at(date(2026, 3, 2)), minutes=10)
        renewal(db, cust, date(2026, 3, 3), "已续约", amount=1)
        order(db, cust, date(2026, 3, 4), "1")
    db.commit()
    flt = DashboardFilter("month", MARCH.start, MARCH.end, manager_ids=(managers["li"].id,))
    assert sat.compute(db, flt).overall.total == 1
    assert complaint_charts.compute(db, flt).total == 1
    assert renewal_charts.compute(db, flt, today=TODAY).period.renewed == 1
    assert composition.compute(db, flt).total == 1
    assert [r.manager_id for r in account_managers.compute(db, flt, today=TODAY)] == [
        managers["li"].id]


def test_lookup_parameters_of_a_click(db, managers) -> None:
    from components.chart_pages import lookup_params

    db.commit()
    flt = DashboardFilter("month", MARCH.start, MARCH.end, provinces=("广东省",),
                          tiers=("黄金", "钻石"), manager_ids=(managers["wang"].id,))
    params = lookup_params(flt, industry="金融")
    # One-valued dimensions carry over (the manager as the lookup's widget shows him, by
    # name); two tiers cannot.
    assert params == {"province": "广东省", "am": "王经理", "industry": "金融"}
    assert lookup_params(flt, am=str(managers["li"].id), tier="钻石") == {
        "province": "广东省", "am": "李专员", "tier": "钻石"}


def test_the_kpi_report_has_a_sheet_per_chart(db, managers) -> None:
    import io

    from openpyxl import load_workbook

    from services.analysis.report import write_report

    gold = customer(db, tier="黄金", account_manager_id=managers["wang"].id)
    for score in (5, 5, 4, 2):
        survey(db, gold, date(2026, 3, 5), score)
    complaint(db, gold, at(date(2026, 3, 2)), minutes=90)
    db.commit()
    buffer = io.BytesIO()
    names = write_report(buffer, db, MARCH, "zh")
    for title in ("满意度分布", "月度满意度趋势", "满意度-按客户等级", "满意度-按客户经理",
                  "月度续约率与目标", "未来到期合同", "未续约原因", "投诉分布",
                  "月度投诉量与处理时长", "客户构成", "每月新增客户", "客户经理业绩一览"):
        assert title in names, title
    book = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    levels = list(book["满意度分布"].iter_rows(values_only=True))
    assert levels[0] == ("满意度等级", "分值", "调查数", "占比（%）")
    assert levels[1] == ("非常满意", 5, 2, 50.0) and levels[4] == ("不满意", 2, 1, 25.0)
    managers = list(book["客户经理业绩一览"].iter_rows(values_only=True))
    assert managers[1][0] == "王经理" and managers[-1][0] == "合计"
    monthly = {row[0]: row for row in book["月度投诉量与处理时长"].iter_rows(values_only=True)}
    assert monthly["2026-03"][1:] == (1, 1, 1.5)


def test_top_bars_show_their_share_of_everyone_not_of_the_bars_shown() -> None:
    from components import charts

    fig = charts.bars([("广东省", 176), ("山东省", 141)], horizontal=True, label=str,
                      share_of=2000)
    assert list(fig.data[0].text) == ["176 · 9%", "141 · 7%"]
    whole = charts.bars([("广东省", 176), ("山东省", 141)], horizontal=True, label=str)
    assert list(whole.data[0].text) == ["176 · 56%", "141 · 44%"]
