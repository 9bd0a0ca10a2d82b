"""Real-browser run of an import: a workbook with errors is previewed, the rejected rows are
downloaded with their reasons, the rest is committed, and the result stays on the page."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Customer
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, go, login, running_app

pytestmark = pytest.mark.browser


def _workbook(path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户名称", "手机号", "邮箱", "省份"])
    ws.append(["导入甲", "13700001001", "jia@example.cn", "广东"])
    ws.append(["导入乙", "1370000", "yi@example.cn", "浙江"])        # invalid mobile
    ws.append(["导入丙", "13700001003", None, "火星"])               # unknown province
    ws.append(["导入丁", "13700001004", "ding@example.cn", "北京"])
    wb.save(path)


@pytest.fixture
def demo_db(settings, engine) -> str:
    if engine.dialect.name != "sqlite":
        pytest.skip("one browser run is enough; it uses SQLite")
    chromium_path()
    seed_demo(engine, customers=100, seed=5)
    return settings.database_url


def test_import_with_errors_download_rejected_commit_rest(demo_db, engine, tmp_path) -> None:
    upload = tmp_path / "客户导入.xlsx"
    _workbook(upload)
    with running_app(demo_db) as base, browser_page(1400, 1400) as page:
        login(page, base, "clerk", "clerk-demo")
        go(page, "导入导出", "Excel 导入导出")
        page.locator("input[type='file']").set_input_files(str(upload))
        page.get_by_text("有误的行（2）").wait_for(timeout=30_000)
        # The reasons table is a data grid; its cells are mirrored in an accessible table.
        page.locator("td", has_text="不是有效的手机号码").first.wait_for(state="attached")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="下载有误的行").click()
        rejected = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
        rows = list(rejected.active.iter_rows(values_only=True))
        names = [r[0] for r in rows[1:]]
        assert names == ["导入乙", "导入丙"]
        assert any("手机号" in str(c) for c in rows[1] if c)
        page.get_by_role("button", name="确认导入 2 行").click()
        # The result stays on the page (a toast vanished after seconds) and names the rejected
        # rows, which can still be downloaded from it.
        result = page.get_by_text("导入完成：新增 2，更新 0，跳过（重复）0，有误未导入 2，待核对 0")
        result.wait_for(timeout=30_000)
        page.wait_for_timeout(6_000)
        assert result.is_visible()
        with page.expect_download() as again:
            page.get_by_role("button", name="下载有误的行").click()
        rows = list(openpyxl.load_workbook(io.BytesIO(again.value.path().read_bytes()))
                    .active.iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == ["导入乙", "导入丙"]
        page.get_by_role("button", name="关闭导入结果").click()
        result.wait_for(state="detached", timeout=10_000)
    with Session(engine) as s:
        imported = s.scalars(select(Customer.name).where(Customer.name.like("导入%"))
                             .order_by(Customer.name)).all()
        assert sorted(imported) == sorted(["导入甲", "导入丁"])
        assert s.scalar(select(func.count()).select_from(Customer)) == 102
