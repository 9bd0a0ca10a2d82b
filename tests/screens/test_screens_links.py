"""A link opened before login (issue 15): the login form at that address, never Streamlit's
"Page not found", and after login the linked page (with its ?id=) if the role may use it, else
the home page. The first address opened after the server starts is such a link, since that is
where the old ``pages/`` folder put Streamlit in its legacy mode."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, running_app, wait_idle

pytestmark = pytest.mark.browser
NOT_FOUND = re.compile(r"Page not found|does not seem to exist|Running the app's main page")


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=40, seed=5)
    return settings.database_url


def _no_page_not_found(page) -> None:
    """Neither the modal nor a toast of Streamlit's "Page not found", after the run settled."""
    wait_idle(page)
    page.wait_for_timeout(800)
    text = page.locator("body").inner_text()
    assert not NOT_FOUND.search(text), text[:500]


def _open_logged_out(page, url: str) -> None:
    page.goto(url)
    page.get_by_label("用户名").wait_for()
    _no_page_not_found(page)
    assert page.get_by_role("button", name="登录").is_visible()
    assert not page.get_by_text("退出登录").count()


def _log_in(page, username: str, password: str) -> None:
    """Fill the form shown at the current address (a cookie rerun can reset it: retried)."""
    for attempt in range(3):
        wait_idle(page)
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        try:
            page.get_by_text("退出登录").wait_for(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise


def test_link_opened_before_login(demo_db: str, engine) -> None:
    with Session(engine) as s:
        customer = s.scalars(select(Customer).where(Customer.deleted_at.is_(None))
                             .order_by(Customer.id).limit(1)).one()
        name, customer_id = customer.name, customer.id
    with running_app(demo_db) as base:
        # The first address after the start: a profile link, ?id= included.
        with browser_page(1440, 900) as page:
            _open_logged_out(page, f"{base}/customer?id={customer_id}")
            assert re.search(r"/customer\?id=", page.url), page.url
            _log_in(page, "clerk", "clerk-demo")
            page.get_by_role("heading", name=name).first.wait_for(timeout=20_000)
            _no_page_not_found(page)
            assert re.search(rf"/customer\?id={customer_id}$", page.url), page.url
        # A page this role may not use: the form, then the home page, no "Page not found".
        with browser_page(1440, 900) as page:
            _open_logged_out(page, f"{base}/users")
            _log_in(page, "clerk", "clerk-demo")
            page.get_by_role("heading", name=re.compile("您好")).first.wait_for(timeout=20_000)
            _no_page_not_found(page)
            assert not page.get_by_role("heading", name="用户管理").count()
            assert "/users" not in page.url
        # The same address for a role that may use it opens the page.
        with browser_page(1440, 900) as page:
            _open_logged_out(page, f"{base}/users")
            _log_in(page, "admin", "admin-demo")
            page.get_by_role("heading", name="用户管理").first.wait_for(timeout=20_000)
            _no_page_not_found(page)
