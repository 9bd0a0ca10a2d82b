"""Real-browser run of a complaint: a clerk records a phone complaint from the customer's
profile; a manager finds it in the 投诉处理 queue, starts it and resolves it with a solution
and a satisfaction score; the complaint and the survey are in that customer's 时间线."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Complaint, Customer, Survey
from services.access.roles import cli_actor
from services.customers import timeline
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app, wait_idle

pytestmark = pytest.mark.browser
DESCRIPTION = "客服电话多次无人接听"
SOLUTION = "主管致电道歉并安排专人对接"
ROW_PX = 35  # st.dataframe's header and row height


@pytest.fixture
def demo_db(settings, engine) -> tuple[str, Customer]:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=200, seed=11)
    with Session(engine) as s:
        # A person with no complaint yet, so the queue filtered to them shows just ours.
        customer = s.scalars(select(Customer).where(
            Customer.customer_type == "个人", Customer.deleted_at.is_(None),
            ~Customer.id.in_(select(Complaint.customer_id))).order_by(Customer.id)).first()
        assert customer is not None
        s.expunge(customer)
    return settings.database_url, customer


def open_profile(page, customer: Customer) -> None:
    go(page, "客户查询", "客户查询")
    search = page.get_by_label("搜索")
    search.fill(customer.customer_no)
    search.press("Enter")
    page.get_by_role("link", name=f"打开档案：{customer.name}").click()
    page.get_by_role("heading", name=customer.name).wait_for()
    wait_idle(page)


def pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the select box labelled ``label`` (the last one on the page)."""
    page.get_by_label(label).last.click()
    page.get_by_role("option", name=option, exact=True).click()


def click_row(page, grid, row: int) -> None:
    """Select a row of an st.dataframe (a canvas): its checkbox, left of the first column."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    wait_idle(page)


def test_clerk_records_manager_resolves_timeline_shows_both(demo_db, engine) -> None:
    url, customer = demo_db
    with running_app(url) as base, browser_page(1400, 1100) as page:
        # ---- the clerk records a phone complaint from the profile ----
        login(page, base, "clerk", "clerk-demo")
        open_profile(page, customer)
        page.get_by_role("button", name="投诉", exact=True).click()
        dialog = page.locator("[data-testid='stDialog']")
        dialog.get_by_text("登记投诉").wait_for()
        wait_idle(page)
        pick(page, "投诉类型 *", "服务态度")
        dialog.get_by_label("投诉内容 *").fill(DESCRIPTION)
        dialog.get_by_role("button", name="保存").click()
        page.get_by_text("投诉已登记").wait_for()
        wait_idle(page)
        page.get_by_role("button", name="退出登录").click()
        page.get_by_role("button", name="登录").wait_for()  # logged out before the next login

        # ---- the manager resolves it from the queue, with a satisfaction score ----
        login(page, base, "manager", "manager-demo")
        go(page, "投诉处理", "投诉处理")
        box = page.get_by_label("客户", exact=True)
        box.fill(customer.customer_no)
        box.press("Enter")
        page.get_by_text("共 1 条投诉").wait_for()
        wait_idle(page)
        click_row(page, page.locator("[data-testid='stDataFrame']").first, 0)
        dialog.get_by_text(DESCRIPTION).first.wait_for()
        dialog.get_by_role("radio", name="开始处理").click()
        wait_idle(page)
        dialog.get_by_label("处理说明（可选）").fill("已致电客户了解情况")
        dialog.get_by_role("button", name="开始处理").click()
        dialog.get_by_text("已开始处理").wait_for()
        wait_idle(page)
        dialog.get_by_role("radio", name="解决").click()
        wait_idle(page)
        dialog.get_by_label("解决方案 *").fill(SOLUTION)
        pick(page, "满意度", "4 · 满意")
        dialog.get_by_role("button", name="标记为已解决").click()
        dialog.get_by_text("投诉已解决").wait_for()
        dialog.get_by_text("4 分（满意）", exact=False).wait_for()
        page.keyboard.press("Escape")
        wait_idle(page)

        # ---- both are in the customer's 时间线 ----
        open_profile(page, customer)
        page.get_by_role("tab", name="时间线").click()
        wait_idle(page)
        with Session(engine) as s:
            items = timeline(s, cli_actor(True), customer.id, limit=30).items
        kinds = [i.kind for i in items]
        assert "complaint" in kinds and "survey" in kinds
        grid = page.locator("[data-testid='stDataFrame']:visible").last
        click_row(page, grid, kinds.index("complaint"))
        dialog.get_by_text("投诉详情").wait_for()
        dialog.get_by_text(SOLUTION).first.wait_for()
        dialog.get_by_text("已解决").first.wait_for()
        page.keyboard.press("Escape")
        wait_idle(page)
        click_row(page, grid, kinds.index("survey"))
        dialog.get_by_text("满意度调查").first.wait_for()
        assert dialog.get_by_role("radio", name="4 · 满意").is_checked()

    with Session(engine) as s:
        complaint = s.scalars(select(Complaint).where(Complaint.description == DESCRIPTION)).one()
        assert (complaint.channel, complaint.status, complaint.solution) == ("电话", "已解决",
                                                                            SOLUTION)
        assert complaint.resolution_minutes is not None
        survey = s.scalars(select(Survey).where(Survey.complaint_id == complaint.id)).one()
        assert survey.score == 4 and survey.customer_id == customer.id
