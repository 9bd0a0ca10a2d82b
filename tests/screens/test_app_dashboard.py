"""AppTest of the 经营总览 and 流失预警 pages: with data, with an empty database, filters in
the address, the report download, and who may open them."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from core.vocab import Role
from db.models import AuditEntry
from tests.support import dashboard_data as data
from tests.support.app import APP, logged_in, texts
from tests.support.factories import make_user

OVERVIEW = "screens/analysis/overview.py"
CHURN = "screens/analysis/churn.py"


pytestmark = pytest.mark.usefixtures("dashboard_clock")


@pytest.fixture
def users(db):
    made = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
            for role in Role}
    db.commit()
    return made


@pytest.fixture
def world(db, users):
    return data.build(db)


def metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_overview_shows_cards_with_deltas(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    assert not at.exception, at.exception
    assert not at.error
    shown = metrics(at)
    assert shown["客户总数"] == ("4", "+1")
    assert shown["活跃客户"] == ("3", "+1")
    assert shown["满意率"] == ("66.7%", "+16.7 个百分点")
    assert shown["续约率"][0] == "66.7%"
    assert shown["处理时长中位数"] == ("17.0 小时", "+12.0 小时")
    assert not shown["流失风险客户"][1]
    assert "目标 70.0%" in texts(at)
    assert "上期 3" in texts(at)
    assert len(at.get("plotly_chart")) == 4


def test_overview_follows_the_filters_in_the_address(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.query_params["province"] = ["广东省"]
    at.switch_page(OVERVIEW).run()
    assert not at.exception
    assert metrics(at)["客户总数"][0] == "2"
    assert at.query_params["province"] in ("广东省", ["广东省"])
    at.multiselect(key="dash_tier").set_value(["钻石"]).run()
    assert metrics(at)["客户总数"][0] == "1"
    assert at.query_params["tier"] in ("钻石", ["钻石"])


def test_a_link_with_an_ancient_custom_range_still_renders(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.query_params["period"] = "custom"
    at.query_params["from"] = "2001-01-01"
    at.query_params["to"] = "2001-01-31"
    at.switch_page(OVERVIEW).run()
    assert not at.exception


def test_filters_survive_a_sidebar_visit_to_another_dashboard(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    at.multiselect(key="dash_province").set_value(["北京市"]).run()
    at.switch_page(CHURN).run()     # a sidebar link carries no parameters
    assert not at.exception
    assert at.multiselect(key="dash_province").value == ["北京市"]


def test_period_picker_changes_the_period(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    at.selectbox(key="dash_token_month").set_value("2026-05").run()
    assert not at.exception
    assert metrics(at)["新增客户"][0] == "2"
    assert at.query_params["p"] == "2026-05"
    at.segmented_control(key="dash_kind").set_value("quarter").run()
    assert metrics(at)["新增客户"][0] == "3"


def test_period_survives_a_visit_to_the_churn_page(world) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    at.segmented_control(key="dash_kind").set_value("quarter").run()
    at.multiselect(key="dash_tier").set_value(["白银"]).run()
    at.switch_page(CHURN).run()
    assert "统计周期" not in [w.label for w in at.segmented_control]
    assert at.multiselect(key="dash_tier").value == ["白银"]
    at.switch_page(OVERVIEW).run()
    assert at.segmented_control(key="dash_kind").value == "quarter"
    assert at.multiselect(key="dash_tier").value == ["白银"]


def test_overview_on_an_empty_database_explains_what_to_do(users) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page(OVERVIEW).run()
    assert not at.exception and not at.error
    assert "还没有客户数据" in texts(at)
    assert not at.metric


def test_kpi_report_download_is_audited(world, db) -> None:
    at = logged_in(Role.TRAINER).run()
    at.switch_page(OVERVIEW).run()
    at.button(key="kpi_report_prepare").click().run()
    assert not at.exception
    blob = at.session_state["kpi_report"][1]
    assert openpyxl.load_workbook(io.BytesIO(blob)).sheetnames[0] == "筛选条件"
    assert db.scalars(select(AuditEntry).where(
        AuditEntry.action == "export.dashboard_report")).all()


def test_churn_page_lists_customers_with_their_rules(world, db) -> None:
    from datetime import date

    # c4: an open complaint and no order for over 180 days -> 25 + 30 = 55
    c = world
    c.c4.last_order_at = date(2025, 11, 1)
    data.complaint(db, c.c4, data.local(2026, 6, 14))
    db.commit()
    at = logged_in(Role.MANAGER).run()
    at.switch_page(CHURN).run()
    assert not at.exception, at.exception
    # c3 (tests/dashboard_data.py) is at risk too: two complaints within 180 days and a
    # latest survey of 2 -> 25 + 25 = 50
    frame = at.dataframe[0].value
    assert list(frame["name"]) == ["客户四", "客户三"]
    assert [list(r) for r in frame["rules"]] == [["久未下单", "投诉"], ["投诉", "满意度低或下降"]]
    assert "风险客户 2 位" in texts(at)
    at.segmented_control(key="churn_rule").set_value("satisfaction").run()
    assert list(at.dataframe[0].value["name"]) == ["客户三"]
    at.multiselect(key="dash_province").set_value(["广东省"]).run()
    assert "当前筛选条件下没有流失风险客户" in texts(at)


def test_churn_export_masks_mobiles_for_trainers(world, db) -> None:
    from datetime import date

    world.c4.last_order_at = date(2025, 11, 1)
    world.c4.mobile = "13912345678"
    data.complaint(db, world.c4, data.local(2026, 6, 14))
    db.commit()
    at = logged_in(Role.TRAINER).run()
    at.switch_page(CHURN).run()
    at.button(key="churn_export_prepare").click().run()
    assert not at.exception
    wb = openpyxl.load_workbook(io.BytesIO(at.session_state["churn_export"][1]))
    rows = {r[1]: r for r in wb.active.iter_rows(min_row=2, values_only=True)}
    assert rows["客户四"][2] == "139****5678"
    assert db.scalars(select(AuditEntry).where(
        AuditEntry.action == "export.churn_warning")).one().detail["rows"] == 2


def test_churn_page_with_an_empty_database(users) -> None:
    at = logged_in(Role.ADMIN).run()
    at.switch_page(CHURN).run()
    assert not at.exception and not at.error
    assert "当前筛选条件下没有流失风险客户" in texts(at)


@pytest.mark.parametrize("page", [OVERVIEW, CHURN])
def test_clerks_can_neither_see_nor_open_the_dashboards(world, page) -> None:
    at = logged_in(Role.CLERK).run()
    labels = [p for p in at._registered_pages.values()]
    assert not any(str(info.get("script_path", "")).endswith(page.rsplit("/", 1)[1])
                   for info in labels)
    at.switch_page("screens/home.py").run()
    with pytest.raises(ValueError):  # not reachable through the navigation
        at.switch_page(page)
    # and the page file run directly checks the role itself
    alone = logged_in(Role.CLERK, str(Path(APP).parent / page)).run()
    assert not alone.exception
    assert "无权使用" in texts(alone)
    assert not alone.metric and not alone.dataframe
