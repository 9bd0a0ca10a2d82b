"""Real-browser run of issue 13 point 9: tags added on the profile survive an edit saved from a
form opened before them, and the change log shows only the field the clerk changed."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Customer
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=30, seed=5)
    return settings.database_url


def _untagged_customer(engine) -> tuple[int, str, str, str | None]:
    with Session(engine) as s:
        for c in s.scalars(select(Customer).where(Customer.deleted_at.is_(None))
                           .order_by(Customer.id)):
            if not c.tags and c.customer_type == "个人":
                return c.id, c.name, c.customer_no, c.title
    raise AssertionError("the demo data has no untagged personal customer")


def _title(engine, cid: int) -> str | None:
    with Session(engine) as s:
        return s.get(Customer, cid).title


def test_tags_added_before_an_edit_survive_the_save(demo_db: str, engine) -> None:
    cid, name, customer_no, old_title = _untagged_customer(engine)
    new_title = "采购总监" if old_title != "采购总监" else "财务经理"
    with running_app(demo_db) as base, browser_page(1400, 1400) as page:
        login(page, base, "clerk", "clerk-demo")
        go(page, "客户查询", "客户查询")
        search = page.get_by_label("搜索")
        search.fill(customer_no)
        search.press("Enter")
        page.get_by_text("共 1 位客户").wait_for()
        page.get_by_role("link", name=f"打开档案：{name}").click()
        page.get_by_role("heading", name=name).wait_for()
        wait_idle(page)
        # 编辑标签 → add 重点客户 and 快递敏感
        page.get_by_role("button", name="编辑标签").click()
        page.get_by_label("新建并添加标签").fill("重点客户、快递敏感")
        page.get_by_role("button", name="应用").click()
        page.get_by_text("快递敏感").first.wait_for()
        wait_idle(page)
        page.keyboard.press("Escape")  # close the popover
        wait_idle(page)
        # 修改信息 → change 职位 → 保存修改
        page.get_by_text("修改信息").first.click()
        title = page.get_by_label("职位")
        title.wait_for()
        wait_idle(page)
        title.fill(new_title)
        page.get_by_role("button", name="保存修改").click()
        stale = page.get_by_text("已被他人修改").or_(page.get_by_text("他人也修改了"))
        deadline = time.monotonic() + 30
        while _title(engine, cid) != new_title:
            assert stale.count() == 0, "the save was refused as a conflict"
            assert time.monotonic() < deadline, "the save never happened"
            page.wait_for_timeout(300)
        wait_idle(page)
        assert stale.count() == 0

    with Session(engine) as s:
        customer = s.get(Customer, cid)
        assert customer.title == new_title
        assert sorted(t.name for t in customer.tags) == ["快递敏感", "重点客户"]
        updates = list(s.scalars(select(AuditEntry).where(
            AuditEntry.action == "customer.update",
            AuditEntry.entity_id == str(cid))))
        assert [u.changes for u in updates] == [{"title": [old_title, new_title]}]
