"""Drill-through from a dashboard chart to the customer lookup: the lookup shows exactly the
customers the chart counted (the clicked value and the dashboard's filter), never a filter left
over from an earlier visit to the lookup."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.vocab import Role
from db.models import Customer, User
from services.analysis.filters import clear_cache
from services.demo import seed_demo
from tests.support.app import logged_in

LOOKUP = "screens/customers/list.py"


@pytest.fixture
def demo(engine):
    seed_demo(engine, customers=300, seed=7)
    clear_cache()
    yield
    clear_cache()


def _params(at) -> dict[str, str]:
    out = {}
    for key in at.query_params:
        value = at.query_params[key]
        out[key] = value[0] if isinstance(value, list) and len(value) == 1 else value
    return out


def test_drill_through_after_an_earlier_chart_click_drops_the_old_filter(demo, db) -> None:
    at = logged_in(Role.MANAGER).run()
    # An earlier chart click opened the lookup filtered to 黄金 ...
    at.query_params["tier"] = "黄金"
    at.switch_page(LOOKUP).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="tier").value == "黄金"
    # ... then the manager opens 客户经理业绩 from the sidebar (no parameters) ...
    for key in list(at.query_params):
        del at.query_params[key]
    at.switch_page("screens/analysis/account_managers.py").run()
    assert not at.exception, at.exception
    # ... and chooses the first manager's row.
    at.session_state["am_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    name = _params(at).get("am")
    assert _params(at) == {"am": name}, _params(at)  # failed before: {'am': …, 'tier': '黄金'}
    assert at.selectbox(key="tier").value is None
    manager = db.scalars(select(User).where(User.display_name == name)).one()
    assert at.selectbox(key="am").value == manager.username
    count = db.scalar(select(func.count()).select_from(Customer).where(
        Customer.account_manager_id == manager.id, Customer.deleted_at.is_(None)))
    assert f"共 {count:,} 位客户，" in "\n".join(str(c.value) for c in at.caption)


def _point(*data: str) -> dict:
    return {"selection": {"points": [{"customdata": list(data)}], "point_indices": [0],
                          "box": [], "lasso": []}}


@pytest.mark.parametrize(("page", "chart", "state", "expected"), [
    ("screens/analysis/composition.py", "comp_tier", _point("钻石"), {"tier": "钻石"}),
    ("screens/analysis/composition.py", "comp_map", _point("广东省"), {"province": "广东省"}),
    ("screens/analysis/satisfaction.py", "sat_tier", _point("钻石"), {"tier": "钻石"}),
])
def test_every_drill_through_starts_from_clean_filters(demo, page, chart, state,
                                                       expected) -> None:
    at = logged_in(Role.MANAGER).run()
    for key, value in {"q": "王", "city": "杭州", "stage": "流失", "tier": "黄金",
                       "overdue": "true"}.items():
        at.query_params[key] = value
    at.switch_page(LOOKUP).run()
    assert at.text_input(key="q").value == "王"
    for key in list(at.query_params):
        del at.query_params[key]
    at.switch_page(page).run()
    assert not at.exception, at.exception
    at.session_state[chart] = state
    at.run()
    assert not at.exception, at.exception
    assert _params(at) == expected
    assert at.text_input(key="q").value == ""
    assert at.selectbox(key="stage").value is None
    assert at.checkbox(key="overdue").value is False
