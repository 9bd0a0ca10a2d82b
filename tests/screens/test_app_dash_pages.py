"""AppTest: the dashboard chart pages render with demo data and with an empty database, keep
the shared filter, open the customer lookup from a click, and stay closed to clerks."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.navigation import allowed_pages
from core.clock import now
from core.vocab import Role
from services.access.roles import Actor
from services.analysis.filters import clear_cache
from services.demo import seed_demo
from tests.support.app import APP, logged_in, texts
from tests.support.factories import make_user

PAGES = {
    "screens/analysis/satisfaction.py": "满意度分析",
    "screens/analysis/renewals.py": "续约分析",
    "screens/analysis/complaints.py": "投诉分析",
    "screens/analysis/composition.py": "客户构成",
    "screens/analysis/account_managers.py": "客户经理业绩",
}


@pytest.fixture
def demo(engine):
    seed_demo(engine, customers=300, seed=7)
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def empty(db):
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    db.commit()
    clear_cache()


def charts_of(at: AppTest) -> list:
    return at.get("plotly_chart")


def open_page(role: Role, page: str, **params: str) -> AppTest:
    at = logged_in(role).run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_data(demo, page: str) -> None:
    at = open_page(Role.MANAGER, page, period="year")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert PAGES[page] in [t.value for t in at.title]
    assert "统计期间" in texts(at)
    if page == "screens/analysis/account_managers.py":
        frame = at.dataframe[0].value
        assert "合计" in frame.to_string() and len(frame) >= 3
        assert charts_of(at)
    else:
        assert len(charts_of(at)) >= 3, page
    assert "暂无数据" not in texts(at) or page == "screens/analysis/renewals.py"


@pytest.mark.parametrize("page", list(PAGES))
def test_page_with_an_empty_database_explains_what_to_do(empty, page: str) -> None:
    at = open_page(Role.MANAGER, page)
    assert not at.exception, at.exception
    assert not at.error
    assert "还没有客户数据" in texts(at)
    assert not charts_of(at)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_filter_without_records_says_so(demo, page: str) -> None:
    # The demo has no customers abroad.
    at = open_page(Role.TRAINER, page, period="year", province="国外")
    assert not at.exception, at.exception
    assert "没有记录" in texts(at)


@pytest.mark.parametrize("page", list(PAGES))
def test_clerks_cannot_open_the_dashboards(demo, page: str) -> None:
    clerk = Actor(user_id=0, username="clerk", role=Role.CLERK, demo_mode=True)
    assert page not in [p.path for p in allowed_pages(clerk)]
    # Even run directly (bypassing the navigation), the page checks the role itself.
    at = AppTest.from_file(str(Path(APP).parent / page), default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = Role.CLERK.value
    at.session_state["crm_login_at"] = now()
    at.run()
    assert not at.exception
    assert "无权使用" in texts(at)
    assert not charts_of(at) and not at.dataframe


def test_english_labels(demo) -> None:
    at = logged_in(Role.MANAGER).run()
    at.sidebar.selectbox(key="crm_lang_picker").set_value("en").run()
    at.switch_page("screens/analysis/satisfaction.py").run()
    assert not at.exception
    assert "Satisfaction" in [t.value for t in at.title]
    assert "Monthly satisfaction" in texts(at)
