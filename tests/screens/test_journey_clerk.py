"""The clerk's first hour in real Chromium (issue 14): enter a 个人 and a 企业 customer, meet a
duplicate, find customers every way a clerk would, work on a profile, export the list and
import a filled-in template. Screenshots: tests/screenshots/clerk/."""

from __future__ import annotations

import io
import random
import re

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import t
from db.engine import make_engine
from db.models import Customer
from services.customers.idcodes import make_credit_code
from tests.support.journeys import Journey, journey

pytestmark = pytest.mark.browser

PERSON, PERSON_MOBILE = "欧阳journey", "19912340987"
COMPANY = "杭州旅程测试科技有限公司"
CREDIT_CODE = make_credit_code(random.Random(14), province_code=33)


def results(trip: Journey) -> int:
    """The result count the list shows (0 when it says nothing was found)."""
    page = trip.page
    if page.get_by_text("没有符合条件的客户").count():
        return 0
    caption = page.get_by_text(re.compile(r"共 [\d,]+ 位客户")).first
    caption.wait_for()
    return int(re.search(r"共 ([\d,]+) 位客户", caption.inner_text()).group(1).replace(",", ""))


def listed(trip: Journey, customer_no: str) -> bool:
    """Whether the result grid (mirrored in an accessible table) shows this customer."""
    cells = trip.page.locator("[data-testid='stDataFrame'] td", has_text=customer_no)
    try:
        cells.first.wait_for(state="attached", timeout=5_000)
    except Exception:
        return False
    return True


def save_form(trip: Journey, expected) -> None:
    """Press the form's save button and wait for ``expected``; a click that lands while the
    previous run still draws is repeated."""
    for attempt in range(3):
        trip.page.get_by_role("button", name=re.compile("保存")).last.click()
        try:
            expected.first.wait_for(timeout=15_000)
            return
        except Exception:
            if attempt == 2:
                raise


def test_clerk_journey(tmp_path, sqlite_template) -> None:
    with journey("clerk", tmp_path, sqlite_template, "clerk", "clerk-demo") as trip:
        page = trip.page
        engine = make_engine(trip.url)
        with Session(engine) as s:
            target = s.scalars(select(Customer).where(
                Customer.customer_type == "个人", Customer.deleted_at.is_(None),
                Customer.mobile.is_not(None)).order_by(Customer.id).offset(4).limit(1)).one()
            s.expunge_all()
        trip.heading("您好，张丽")
        trip.step("home")

        # ---- a 个人 customer: a wrong mobile, its message, the fix, saved ----
        trip.sidebar("新建客户", "新建客户")
        trip.step("new-customer-form")
        page.get_by_label("客户名称 *").fill(PERSON)
        page.get_by_label("手机号").fill("1381234")
        save_form(trip, page.get_by_text("不是有效的手机号码"))
        trip.step("wrong-mobile-message", expect_errors=["不是有效的手机号码"])
        assert page.get_by_label("客户名称 *").input_value() == PERSON  # nothing typed lost
        page.get_by_label("手机号").fill(PERSON_MOBILE)
        save_form(trip, page.get_by_role("heading", name=PERSON))
        trip.step("person-saved")

        # ---- a 企业 customer with its 统一社会信用代码 ----
        trip.sidebar("新建客户", "新建客户")
        page.get_by_role("radio", name="企业", exact=True).click()
        page.get_by_label("统一社会信用代码").wait_for()
        page.get_by_label("客户名称 *").fill(COMPANY)
        page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
        page.get_by_label("固定电话").fill("0571-88886666")
        trip.step("company-form")
        save_form(trip, page.get_by_role("heading", name=COMPANY))
        trip.step("company-saved")

        # ---- a duplicate mobile is refused, naming the customer who has it ----
        trip.sidebar("新建客户", "新建客户")
        page.get_by_role("radio", name="个人", exact=True).click()
        page.get_by_label("客户名称 *").fill("重复测试")
        page.get_by_label("手机号").fill(PERSON_MOBILE)
        save_form(trip, page.get_by_text("已存在相同客户"))
        page.get_by_text(PERSON).first.wait_for()
        trip.step("duplicate-mobile", expect_errors=["已存在相同客户"])

        # ---- finding customers: name fragment, last four digits, 客户编号 three ways ----
        trip.sidebar("客户查询", "客户查询")
        fragment = target.name[-2:]
        trip.search(fragment)
        trip.expect(results(trip) >= 1 and listed(trip, target.customer_no),
                    f"name fragment {fragment}")
        trip.step("search-name-fragment")
        trip.search(target.mobile[-4:])
        trip.expect(results(trip) >= 1 and listed(trip, target.customer_no),
                    f"last four digits {target.mobile[-4:]}")
        trip.step("search-last-four")
        trip.search(target.customer_no)
        assert results(trip) == 1
        trip.step("search-customer-no")
        trip.search(target.customer_no.removeprefix("C"))
        trip.expect(results(trip) == 1 and listed(trip, target.customer_no), "客户编号 without C")
        trip.step("search-customer-no-without-c")
        part = target.customer_no[-6:]
        trip.search(part)
        trip.expect(results(trip) >= 1 and listed(trip, target.customer_no), "part of a 客户编号")
        trip.step("search-customer-no-part")

        # ---- the profile: tag it, edit another field (the tag stays) ----
        trip.search(target.customer_no)
        page.get_by_role("link", name=f"打开档案：{target.name}").click()
        trip.heading(target.name)
        trip.step("profile")
        page.get_by_role("button", name="编辑标签").click()
        page.get_by_role("combobox", name="添加标签").click()  # from the existing tags
        page.keyboard.type("重点")
        page.get_by_role("option", name="重点客户", exact=True).click()
        page.keyboard.press("Escape")
        page.get_by_role("button", name="应用").click()
        page.locator("[data-testid='stMarkdownContainer']").filter(
            has_text="重点客户").first.wait_for()
        trip.step("tagged")
        page.get_by_text("修改信息").click()
        page.get_by_label("职位").fill("采购总监")
        save_form(trip, page.get_by_text("已保存。"))
        trip.step("edited")
        with Session(engine) as s:
            saved = s.get(Customer, target.id)
            assert saved.title == "采购总监"
            trip.expect("重点客户" in [t.name for t in saved.tags], "the tag survives the edit")

        # ---- service records: an order, a contact record, a complaint ----
        dialog = page.locator("[data-testid='stDialog']")
        page.get_by_role("button", name="交易", exact=True).click()
        dialog.get_by_label("产品 *").fill("年度服务套餐")
        dialog.get_by_label("数量 *").fill("3")
        dialog.get_by_label("金额（元） *").fill("4800")
        trip.step("order-dialog")
        dialog.get_by_role("button", name="保存").click()
        page.get_by_text("交易记录已保存").first.wait_for()
        trip.step("order-saved")
        page.get_by_role("button", name="沟通", exact=True).click()
        dialog.get_by_label("沟通内容 *").fill("电话确认了续费意向")
        dialog.get_by_role("button", name="保存").click()
        page.get_by_text("沟通记录已保存").first.wait_for()
        trip.step("contact-saved")
        page.get_by_role("button", name="投诉", exact=True).click()
        dialog.get_by_text("登记投诉").wait_for()
        trip.pick("投诉类型 *", "服务态度", dialog)
        dialog.get_by_label("投诉内容 *").fill("客服电话多次无人接听")
        dialog.get_by_role("button", name="保存").click()
        page.get_by_text("投诉已登记").first.wait_for()
        trip.step("complaint-saved")
        page.get_by_role("tab", name="时间线").click()
        trip.step("timeline")

        # ---- export the list ----
        trip.sidebar("客户查询", "客户查询")
        page.get_by_role("button", name=t("lists.export.open")).click()
        page.get_by_role("button", name=t("io.export.prepare")).click()
        with page.expect_download() as exported:
            page.get_by_role("button", name=t("io.export.download")).click()
        workbook = openpyxl.load_workbook(io.BytesIO(exported.value.path().read_bytes()))
        assert workbook.active.max_row > 1
        trip.step("exported")

        # ---- the import template, filled with three rows (one invalid), imported ----
        trip.sidebar("导入导出", "Excel 导入导出")
        trip.step("import-page")
        with page.expect_download() as template:
            page.get_by_role("button", name="下载导入模板").click()
        book = openpyxl.load_workbook(io.BytesIO(template.value.path().read_bytes()))
        sheet = book.worksheets[0]
        headers = [c.value for c in sheet[1]]
        start = sheet.max_row + 1  # below the example row a new clerk leaves in place
        rows = [{"客户名称": "旅程甲", "手机号": "13700001001", "省份": "浙江省"},
                {"客户名称": "旅程乙", "手机号": "1370000", "省份": "广东省"},  # invalid mobile
                {"客户名称": "旅程丙", "手机号": "13700001003", "省份": "北京市"}]
        for offset, row in enumerate(rows):
            for name, value in row.items():
                sheet.cell(start + offset, headers.index(name) + 1, value)
        upload = tmp_path / "客户导入.xlsx"
        book.save(upload)
        page.locator("input[type='file']").set_input_files(str(upload))
        page.get_by_text(re.compile(r"有误的行（\d+）")).wait_for(timeout=30_000)
        trip.step("import-preview")
        page.get_by_role("button", name=re.compile(r"确认导入 \d+ 行")).click()
        page.get_by_text(re.compile("导入完成")).first.wait_for(timeout=30_000)
        trip.step("imported")
        with Session(engine) as s:
            names = set(s.scalars(select(Customer.name).where(Customer.name.like("旅程%"))))
            trip.expect(names == {"旅程甲", "旅程丙"}, f"imported {names}")
            example = s.scalars(select(Customer).where(Customer.notes.like("%示例行%"))).all()
            trip.expect(example == [], "the template's example row was imported as a customer")
        engine.dispose()
