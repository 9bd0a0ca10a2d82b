"""Complaint and renewal charts click through to their lists, starting from clean filters."""

from __future__ import annotations

from datetime import date

import pytest

from core import clock
from core.vocab import Role
from services.analysis.filters import clear_cache
from services.demo import seed_demo
from tests.support.app import logged_in


@pytest.fixture
def demo(engine):
    seed_demo(engine, customers=300, seed=7)
    clear_cache()
    yield
    clear_cache()


def _point(*data: object) -> dict:
    return {"selection": {"points": [{"customdata": list(data)}], "point_indices": [0],
                          "box": [], "lasso": []}}


def _visit(at, page: str, **params: str):
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("chart", "data", "widget", "value"), [
    ("cmp_channel", ("电话",), "cchannel", "电话"),
    ("cmp_type", ("服务态度",), "ctype", "服务态度"),
    ("cmp_status", ("已解决",), "cstatus", "已解决"),
])
def test_complaint_charts_open_the_complaint_queue(demo, chart, data, widget, value) -> None:
    at = logged_in(Role.MANAGER).run()
    _visit(at, "screens/service/complaints.py", cq="王", coverdue="true")   # an earlier visit
    _visit(at, "screens/analysis/complaints.py", period="year")
    at.session_state[chart] = _point(*data)
    at.run()
    assert not at.exception, at.exception
    # Failed before: the charts were not clickable, the page stayed on 投诉分析.
    assert at.selectbox(key=widget).value == value
    if widget != "cstatus":
        assert at.selectbox(key="cstatus").value == "all"
    assert at.text_input(key="cq").value == ""
    assert at.toggle(key="coverdue").value is False


def test_renewal_trend_opens_the_records_of_the_month(demo) -> None:
    at = logged_in(Role.MANAGER).run()
    _visit(at, "screens/analysis/renewals.py", period="year")
    month = clock.today().strftime("%Y-%m")
    at.session_state["ren_trend"] = _point(3, 4, 1, month)
    at.run()
    assert not at.exception, at.exception
    first = clock.today().replace(day=1)
    assert at.date_input(key="hfrom").value == first
    assert at.date_input(key="hto").value.month == first.month
    assert at.selectbox(key="hout").value is None


def test_upcoming_and_reasons_open_their_lists(demo) -> None:
    at = logged_in(Role.MANAGER).run()
    _visit(at, "screens/analysis/renewals.py", period="year", tier="白银")
    month = clock.today().strftime("%Y-%m")
    at.session_state["ren_upcoming"] = _point(month, "已续约")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="hout").value == "已续约"
    assert at.selectbox(key="htier").value == "白银"
    _visit(at, "screens/analysis/renewals.py", period="year")
    at.session_state["ren_reasons"] = _point("价格")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="hout").value == "未续约"
    assert at.date_input(key="hfrom").value == date(clock.today().year, 1, 1)
    assert at.selectbox(key="htier").value is None
    _visit(at, "screens/analysis/renewals.py", period="year")
    at.session_state["ren_upcoming"] = _point(month, "")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="rout").value == "none"
