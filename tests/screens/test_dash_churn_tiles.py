"""The churn tiles and the overview's rule chart count only customers already on the risk list
(score at or above the threshold), and say so where they are shown."""

from __future__ import annotations

import pytest

from core.vocab import Role
from tests.support import dashboard_data as data
from tests.support.app import logged_in, texts
from tests.support.factories import make_user

pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def world(db):
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    db.commit()
    return data.build(db)


SAYS = "只计风险名单上的客户（风险分 ≥ 50）"


def test_churn_tiles_say_they_count_only_the_risk_list(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/analysis/churn.py").run()
    assert not at.exception, at.exception
    assert SAYS in texts(at)
    tiles = {m.label: m for m in at.metric}
    assert tiles and all("风险名单" in (m.help or "") for m in tiles.values())


def test_overview_rule_chart_says_so_too(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/analysis/overview.py").run()
    assert not at.exception, at.exception
    assert SAYS in texts(at)
