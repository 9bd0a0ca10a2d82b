"""Point 4 of issue 13: no table offers Streamlit's built-in "Download as CSV" (an export that
writes no audit entry and no formula escaping). Every st.dataframe / st.data_editor goes
through components.tables, the option ``client.disableDataExport`` ships on and is forced on
at start-up, and a real browser finds no download button in a table's toolbar."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from services.demo import seed_demo
from tests.support.app import APP
from tests.support.browser import browser_page, chromium_path, go, login, running_app

ROOT = Path(__file__).resolve().parents[2]
TABLE_CALLS = {"dataframe", "data_editor"}
HELPER = ROOT / "components" / "tables.py"


def _table_calls(path: Path) -> list[str]:
    """``file:line`` of every ``<anything>.dataframe(`` / ``.data_editor(`` call in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in TABLE_CALLS]


def test_every_table_goes_through_the_helper() -> None:
    files = [ROOT / "app.py", *sorted((ROOT / "screens").rglob("*.py")),
             *sorted((ROOT / "components").rglob("*.py"))]
    elsewhere = [hit for f in files if f != HELPER for hit in _table_calls(f)]
    assert elsewhere == []
    assert _table_calls(HELPER)  # the helper itself is where the tables are drawn


def test_the_shipped_streamlit_config_disables_data_export() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_the_app_turns_data_export_off_when_the_config_left_it_on(db) -> None:
    previous = st.get_option("client.disableDataExport")
    st.set_option("client.disableDataExport", False)
    try:
        at = AppTest.from_file(APP, default_timeout=30).run()
        assert not at.exception
        assert st.get_option("client.disableDataExport") is True
        assert [t.label for t in at.text_input] == ["用户名", "密码"]  # and the app still runs
    finally:
        st.set_option("client.disableDataExport", previous)


@pytest.mark.browser
def test_no_table_toolbar_offers_a_csv_download(settings, engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=30, seed=7)
    with running_app(settings.database_url) as base, browser_page() as page:
        login(page, base, "clerk", "clerk-demo")
        go(page, "客户查询", "客户查询")
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.wait_for()
        grid.hover()
        toolbar = page.locator("[data-testid='stElementToolbarButton']")
        toolbar.first.wait_for()  # the toolbar is there (search, fullscreen) …
        assert page.get_by_role("button", name="Search").count() >= 1
        assert page.get_by_role("button", name="Download as CSV").count() == 0  # … no export
