"""Bug 13: nothing a page needs comes from outside the app's own server (offline, or behind a
company firewall, every outside request would fail): a browser records every request while a
manager logs in and walks the pages, the map and a chart included. On the way, no page shown in
Chinese reads one of Streamlit's own English texts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, login, running_app, wait_idle

pytestmark = pytest.mark.browser

ENGLISH = ("View ", "Choose an option", "Choose options", "No results", "Select all",
           "Upload", "per file", "This app has encountered an error")
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


def _after(page, selector: str) -> str:
    return page.locator(selector).first.evaluate(
        "e => getComputedStyle(e, '::after').content")


def _check_uploader(page) -> None:
    """The drop zone's button and limit read the catalog's Chinese, in place of "Upload" and
    "20MB per file"."""
    assert _after(page, "[data-testid='stFileUploaderDropzone'] button") == '"选择文件"'
    limit = _after(page, "[data-testid='stFileUploaderDropzoneInstructions'] span")
    assert "单个文件不超过" in limit


def _check_no_results(page) -> None:
    """A select box filtered to nothing says so in Chinese."""
    page.locator("[data-testid='stSelectbox']").first.click()
    page.keyboard.type("zzzzqqq")
    listbox = page.locator("[role='listbox']")
    listbox.wait_for()
    assert "No results" not in listbox.inner_text()
    page.keyboard.press("Escape")


def _open(page, url: str, heading: str) -> None:
    """Open an address; on a loaded machine the first load can lose its run to the login
    cookie's rerun, so it is loaded again once."""
    for attempt in range(2):
        page.goto(url)
        try:
            page.get_by_role("heading", name=heading).wait_for(timeout=45_000)
            wait_idle(page, timeout_ms=45_000)
            return
        except Exception:
            if attempt == 1:
                raise


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
        # Every page of the role is listed: none behind "View N more".
        assert page.locator("[data-testid='stSidebarNavViewButton']").count() == 0
        page.get_by_role("link", name="客户经理业绩").first.wait_for()
        for path, heading in WALK:
            _open(page, f"{base}/{path}", heading)
            page.wait_for_timeout(1500)  # late requests: fonts, map outline, icons
            shown = page.locator("body").inner_text()
            assert [e for e in ENGLISH if e in shown] == [], path
            if path == "import-export":
                _check_uploader(page)
            if path == "customers":
                _check_no_results(page)
        assert any(not outside(url) for url in requested)  # the recorder saw the app itself
    assert sorted({url for url in requested if outside(url)}) == []
