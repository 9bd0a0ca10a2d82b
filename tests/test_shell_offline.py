"""Bug 13: nothing a page needs comes from outside the app's own server (offline, or behind a
company firewall, every outside request would fail): a browser records every request while a
manager logs in and walks the pages, the map and a chart included."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from services.demo import seed_demo
from tests.browser import browser_page, chromium_path, login, running_app, wait_idle

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
# Address and heading of the pages walked (each a fresh page load, as a person opening a
# link): forms, uploads, tables, KPI cards and the map.
WALK = [("customers", "客户查询"), ("new-customer", "新建客户"),
        ("import-export", "Excel 导入导出"), ("overview", "经营总览"),
        ("dash-composition", "客户构成"), ("dash-complaints", "投诉分析")]


def outside(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOCAL_HOSTS


def test_no_page_requests_anything_from_outside(settings, engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=200, seed=7)
    requested: list[str] = []
    with running_app(settings.database_url) as base, browser_page() as page:
        page.on("request", lambda request: requested.append(request.url))
        login(page, base, "manager", "manager-demo")
        wait_idle(page)
        for path, heading in WALK:
            page.goto(f"{base}/{path}")
            page.get_by_role("heading", name=heading).wait_for()
            wait_idle(page)
            page.wait_for_timeout(1500)  # late requests: fonts, map outline, icons
        assert any(not outside(url) for url in requested)  # the recorder saw the app itself
    assert sorted({url for url in requested if outside(url)}) == []
