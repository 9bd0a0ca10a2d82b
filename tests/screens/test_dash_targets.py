"""Renewal targets are set for the whole company: a view narrowed to a province, tier, type,
industry or manager is not compared with them, and its card says why."""

from __future__ import annotations

import pytest

from core.vocab import Role
from services.access.roles import cli_actor
from services.analysis import kpis, renewal_charts
from services.analysis.filters import DashboardFilter
from services.analysis.overview import renewal_trend
from tests.support import dashboard_data as data
from tests.support.app import logged_in, texts
from tests.support.factories import make_user

pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def world(db):
    return data.build(db)


def june(**dims) -> DashboardFilter:
    return DashboardFilter.for_period("month", today=data.TODAY, **dims)


def test_company_wide_view_keeps_its_target(db, world) -> None:
    flt = june()
    assert not flt.narrowed
    cards = kpis.overview_kpis(db, cli_actor(True), flt)
    assert cards["renewal_rate"].target == pytest.approx(0.70)
    assert renewal_charts.compute(db, flt).period.target_rate == pytest.approx(70.0)


@pytest.mark.parametrize("dims", [
    {"provinces": ["广东省"], "tiers": ["黄金"]}, {"provinces": ["广东省"]}, {"tiers": ["钻石"]},
    {"customer_types": ["企业"]}, {"industries": ["金融"]}, {"manager_ids": [1]},
])
def test_a_narrowed_view_is_not_compared_with_the_company_target(db, world, dims) -> None:
    flt = june(**dims)
    assert flt.narrowed
    cards = kpis.overview_kpis(db, cli_actor(True), flt)
    # Failed before: 0.70, the company-wide target, beside 广东省 + 黄金's rate.
    assert cards["renewal_rate"].target is None
    assert cards["renewal_amount"].target is None
    assert cards["renewal_rate"].detail["target_scope"] == "company"
    charts = renewal_charts.compute(db, flt)
    assert charts.period.target_rate is None
    assert all(m.target_rate is None for m in charts.monthly)
    assert all(m.target_rate is None for m in renewal_trend(db, flt))


@pytest.fixture
def users(db):
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    db.commit()


def test_the_card_says_the_target_is_company_wide(db, users, world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.query_params["province"] = ["广东省"]
    at.query_params["tier"] = ["黄金"]
    at.switch_page("screens/analysis/overview.py").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "目标 70.0%" not in shown
    assert "目标为全公司目标，筛选后不作对比" in shown
    at = logged_in(Role.MANAGER).run()
    at.query_params["province"] = ["广东省"]
    at.switch_page("screens/analysis/renewals.py").run()
    assert not at.exception, at.exception
    assert "目标为全公司目标，筛选后不作对比" in texts(at)
