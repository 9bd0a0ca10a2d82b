"""Real-browser check of bug 5 (issue 14): on 客户查询 one click on a row opens that customer's
profile in the same tab (Streamlit's link cells needed two clicks and opened a new tab), the
row checkbox still only selects, and a 50-row page shows all its rows (no inner scroll box)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app, wait_idle

pytestmark = pytest.mark.browser
ROW_PX = 35  # st.dataframe's header and row height


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=120, seed=11)
    return settings.database_url


def test_one_click_on_a_row_opens_the_profile_in_this_tab(demo_db: str, engine) -> None:
    with running_app(demo_db) as base, browser_page(1440, 900) as page:
        login(page, base, "clerk", "clerk-demo")
        go(page, "客户查询", "客户查询")
        grid = page.locator("[data-testid='stDataFrame']").first
        box = grid.bounding_box()
        # The whole page of 50 rows is drawn: no inner scroll box of about ten rows.
        assert box["height"] >= ROW_PX * 51
        # The checkbox left of the first column selects a row and stays on the list.
        page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * 1.5)
        wait_idle(page)
        page.get_by_text("已选 1 位客户").wait_for()
        # One click on the third row's 客户编号 cell: the profile, in this tab.
        with Session(engine) as s:
            ordered = s.scalars(select(Customer).where(Customer.deleted_at.is_(None)).order_by(
                Customer.created_at.desc(), Customer.id.desc()).limit(3)).all()
            third_name = ordered[2].name
        page.mouse.click(box["x"] + 260, box["y"] + ROW_PX * 3.5)
        page.get_by_role("heading", name=third_name).wait_for(timeout=20_000)
        assert len(page.context.pages) == 1
