"""One real run in headless Chromium: log in as the clerk, find a demo customer, log out."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=300, seed=7)
    return settings.database_url


def test_clerk_logs_in_searches_and_logs_out(demo_db: str, engine) -> None:
    with Session(engine) as s:
        target = s.scalars(select(Customer).where(Customer.customer_type == "个人")
                           .order_by(Customer.id).limit(1)).one()
    with running_app(demo_db) as base, browser_page() as page:
        login(page, base, "clerk", "clerk-demo")
        go(page, "客户查询", "客户查询")
        search = page.get_by_label("搜索")
        search.fill(target.customer_no)
        search.press("Enter")
        grid = page.locator("[data-testid='stDataFrame']")
        page.get_by_text(re.compile(r"共 1 位客户")).wait_for()
        grid.first.wait_for()
        assert grid.count() == 1
        # The search lives in the address, so a link reproduces it.
        page.wait_for_url(re.compile(r"[?&]q=" + target.customer_no))
        page.get_by_role("button", name="退出登录").click()
        page.get_by_role("button", name="登录").wait_for()
        # After logout the old cookie no longer logs in: a reload shows the login form.
        page.reload()
        page.get_by_role("button", name="登录").wait_for()
        assert page.get_by_text("退出登录").count() == 0


def test_link_opened_before_login_leads_to_its_page_and_filters(demo_db: str) -> None:
    """The first address a fresh server sees is a lookup link (Streamlit would run that page
    file alone, as an old-style multipage app): the login form shows, no page list, and after
    login the link's page opens with its filters."""
    with running_app(demo_db) as base, browser_page() as page:
        page.goto(base + "/customers?tier=%E9%BB%84%E9%87%91&q=%E7%8E%8B")
        page.get_by_role("button", name="登录").wait_for()
        assert page.get_by_text("customer profile").count() == 0  # no page-file list
        for attempt in range(3):
            wait_idle(page)
            page.get_by_label("用户名").fill("manager")
            page.get_by_label("密码").fill("manager-demo")
            page.get_by_role("button", name="登录").click()
            try:
                page.get_by_role("heading", name="客户查询").wait_for(timeout=15_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        page.wait_for_url(re.compile(r"/customers\?.*tier="))
        assert page.get_by_label("搜索").input_value() == "王"
