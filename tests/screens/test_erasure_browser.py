"""Real-browser check of the administrator's personal-data pages: the 保存期限 list and the
profile's erasure with its typed confirmation (screenshots in tests/screenshots/erasure/)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from db.models import Customer
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app, wait_idle
from tests.support.factories import make_customer

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "erasure"


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=200, seed=11)
    with Session(engine) as s:
        make_customer(s, customer_no="C2019999999", name="长久未联系客户", mobile="13966667777",
                      created_at=clock.now() - timedelta(days=6 * 365))
        s.commit()
    return settings.database_url


def test_admin_lists_past_retention_and_erases_on_the_profile(demo_db: str, engine) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with Session(engine) as s:
        target = s.scalars(select(Customer).where(Customer.customer_type == "个人")
                           .order_by(Customer.id)).first()
        assert target is not None
        cid, number, name = target.id, target.customer_no, target.name
    with running_app(demo_db) as base, browser_page(1440, 900) as page:
        login(page, base, "admin", "admin-demo")
        go(page, "保存期限", "保存期限：超过保存期限的客户")
        page.get_by_text("位客户超过保存期限").wait_for()
        page.get_by_text("长久未联系客户").first.wait_for(state="attached")  # a grid cell
        page.screenshot(path=str(SHOTS / "1-retention.png"), full_page=True)

        page.goto(f"{base}/customer?id={cid}")
        page.get_by_role("heading", name=name).first.wait_for()
        wait_idle(page)
        page.get_by_role("button", name="删除个人信息（不可恢复）").click()
        page.get_by_label("删除原因").fill("客户来函要求删除")
        page.get_by_label(f"输入客户编号 {number} 以确认").fill(number)
        wait_idle(page)
        page.screenshot(path=str(SHOTS / "2-erase-confirm.png"), full_page=True)
        page.get_by_role("button", name="删除个人信息", exact=True).click()
        page.get_by_text("此客户的个人信息已删除").wait_for()
        page.get_by_role("heading", name=f"已删除客户{number}").first.wait_for()
        wait_idle(page)
        page.screenshot(path=str(SHOTS / "3-erased.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0
    with Session(engine) as s:
        erased = s.get(Customer, cid)
        assert erased is not None and erased.name == f"已删除客户{number}"
        assert erased.mobile is None and erased.email is None
