"""The customer list's bulk actions in Chromium (issue 15: run through actions.perform and the
one manager picker): two selected customers get a tag, then a manager, named by display name."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer, User
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app, wait_idle

pytestmark = pytest.mark.browser
ROW_PX = 35  # st.dataframe's header and row height


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=60, seed=7)
    return settings.database_url


def test_bulk_tag_and_assign(demo_db: str, engine) -> None:
    with Session(engine) as s:
        first_two = s.scalars(select(Customer.id).where(Customer.deleted_at.is_(None)).order_by(
            Customer.created_at.desc(), Customer.id.desc()).limit(2)).all()
        manager = s.scalars(select(User).where(User.username == "manager")).one()
        manager_id, manager_label = manager.id, f"{manager.display_name}（manager）"
    with running_app(demo_db) as base, browser_page(1440, 900) as page:
        login(page, base, "clerk", "clerk-demo")
        go(page, "客户查询", "客户查询")
        grid = page.locator("[data-testid='stDataFrame']").first
        box = grid.bounding_box()
        for row in (0, 1):  # the row checkboxes, left of the first column
            page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1.5))
            wait_idle(page)
        page.get_by_text("已选 2 位客户").wait_for()
        wait_idle(page)  # the run that drew the form for one selected row is gone
        page.get_by_role("textbox", name="标签", exact=True).last.fill("批量测试标签")
        page.get_by_role("button", name="打标签").last.click()
        page.get_by_text("已更新 2 位客户。").wait_for(timeout=20_000)
        with Session(engine) as s:
            tagged = s.scalars(select(Customer).where(Customer.id.in_(first_two))).all()
            assert all("批量测试标签" in [t.name for t in c.tags] for c in tagged)
        wait_idle(page)
        for row in (0, 1):  # the rerun cleared the selection: pick the two again
            page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1.5))
            wait_idle(page)
        page.get_by_text("已选 2 位客户").wait_for()
        wait_idle(page)
        page.get_by_role("combobox", name="客户经理", exact=True).last.click()
        page.get_by_role("option", name=manager_label, exact=True).click()
        page.get_by_role("button", name="分配客户经理").last.click()
        for _ in range(40):  # the first action's toast may still show: wait for the data
            wait_idle(page)
            with Session(engine) as s:
                assigned = s.scalars(select(Customer.account_manager_id)
                                     .where(Customer.id.in_(first_two))).all()
            if assigned == [manager_id, manager_id]:
                break
            page.wait_for_timeout(500)
        assert assigned == [manager_id, manager_id]
        page.get_by_text("已更新 2 位客户。").wait_for()
