"""One resolution-time measure everywhere: the overview card, its trend chart and 投诉分析 all
show the median, and the card says so."""

from __future__ import annotations

import pytest

from core.vocab import Role
from services.access.roles import cli_actor
from services.analysis import kpis
from services.analysis.complaint_charts import complaint_charts
from services.analysis.filters import DashboardFilter
from tests.support import dashboard_data as data
from tests.support.app import logged_in
from tests.support.factories import make_user

pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def world(db):
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    w = data.build(db)
    # June's resolved complaints: 1440, 600 and 60 minutes: median 600, mean 700.
    data.complaint(db, w.c1, data.local(2026, 6, 5, 9), "已解决", data.local(2026, 6, 5, 10), 60)
    db.commit()
    return w


def _resolution(cards: dict) -> kpis.Kpi:
    return next(k for key, k in cards.items() if key.startswith("resolution_"))


def test_card_and_charts_show_the_same_median(db, world) -> None:
    flt = DashboardFilter.for_period("month", today=data.TODAY)
    card = _resolution(kpis.overview_kpis(db, cli_actor(True), flt))
    chart = complaint_charts(db, cli_actor(True), flt)
    assert chart.median_minutes == pytest.approx(600)
    assert card.value == pytest.approx(600)            # was the mean, 700
    assert card.key == "resolution_median_minutes"


def test_the_card_is_named_median(db, world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/analysis/overview.py").run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown.get("处理时长中位数") == "10.0 小时", shown
