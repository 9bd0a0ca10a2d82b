"""重置筛选 on the dashboards: back to this month and every customer, address included."""

from __future__ import annotations

import pytest

from core.vocab import Role
from tests.support import dashboard_data as data
from tests.support.app import logged_in
from tests.support.factories import make_user

pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def world(db):
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    db.commit()
    return data.build(db)


def _reset_button(at):
    return next(b for b in at.button if b.label == "重置筛选")


@pytest.mark.parametrize("page", ["screens/analysis/overview.py", "screens/analysis/composition.py",
                                  "screens/analysis/renewals.py"])
def test_reset_filters_returns_to_this_month_and_everyone(world, page) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    everyone = {m.label: m.value for m in at.metric}
    at.segmented_control(key="dash_kind").set_value("quarter").run()
    at.multiselect(key="dash_province").set_value(["广东省"]).run()
    at.multiselect(key="dash_tier").set_value(["钻石"]).run()
    assert at.query_params["tier"] in ("钻石", ["钻石"])
    _reset_button(at).click().run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="dash_kind").value == "month"
    assert at.multiselect(key="dash_province").value == []
    assert at.multiselect(key="dash_tier").value == []
    assert "tier" not in at.query_params and "province" not in at.query_params
    assert at.query_params["p"] in ("2026-06", ["2026-06"])
    assert {m.label: m.value for m in at.metric} == everyone


def test_the_churn_page_resets_its_customer_filters(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/analysis/churn.py").run()
    at.multiselect(key="dash_province").set_value(["广东省"]).run()
    _reset_button(at).click().run()
    assert not at.exception, at.exception
    assert at.multiselect(key="dash_province").value == []
