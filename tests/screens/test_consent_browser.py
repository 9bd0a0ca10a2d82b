"""Consent in real Chromium (data-protection.md "Consent"): a clerk enters a customer who
agrees to service and marketing by phone, sees both states and the history on the profile,
withdraws marketing in one confirming step, and the list's 营销授权 filter finds the customer
among the withdrawn. Screenshots: tests/screenshots/consent/."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import AuditEntry, ConsentEntry, Customer
from tests.support.journeys import journey

pytestmark = pytest.mark.browser

NAME, MOBILE = "授权旅程客户", "19912345566"


def test_consent_form_profile_withdraw(tmp_path, sqlite_template) -> None:
    with journey("consent", tmp_path, sqlite_template, "clerk", "clerk-demo") as trip:
        page = trip.page
        trip.heading("您好，张丽")
        trip.sidebar("新建客户", "新建客户")
        page.get_by_label("客户名称 *").fill(NAME)
        page.get_by_label("手机号").fill(MOBILE)
        for purpose in ("服务授权", "营销授权"):
            group = page.get_by_role("radiogroup", name=purpose)
            group.get_by_text("同意", exact=True).click()
        trip.pick("授权渠道", "电话")
        page.get_by_label("依据说明").fill("来电录音 20261205-01")
        trip.step("form-with-consent")
        for attempt in range(3):
            page.get_by_role("button", name=re.compile("保存")).last.click()
            try:
                page.get_by_role("heading", name=NAME).first.wait_for(timeout=15_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        trip.step("saved")

        page.get_by_role("tab", name="个人信息授权").click()
        page.get_by_text("营销：已授权").first.wait_for()
        trip.expect(page.get_by_text("服务：已授权").count() > 0, "service granted shown")
        trip.expect(page.get_by_text("授权历史", exact=True).count() > 0, "history shown")
        trip.step("profile-consent-tab")

        page.get_by_role("button", name="撤回营销授权").click()
        page.get_by_role("button", name="确认撤回").click()
        page.get_by_role("tab", name="个人信息授权").click()
        page.get_by_text("营销：已撤回").first.wait_for(timeout=15_000)
        trip.step("marketing-withdrawn")
        page.get_by_text("授权历史", exact=True).first.scroll_into_view_if_needed()
        trip.step("consent-history")

        engine = make_engine(trip.url)
        with Session(engine) as s:
            customer = s.scalars(select(Customer).where(Customer.name == NAME)).one()
            assert (customer.consent_service, customer.consent_marketing) == (True, False)
            entries = s.execute(select(ConsentEntry.purpose, ConsentEntry.granted,
                                       ConsentEntry.channel)
                                .where(ConsentEntry.customer_id == customer.id)
                                .order_by(ConsentEntry.id)).all()
            assert [tuple(e) for e in entries] == [
                ("服务", True, "电话"), ("营销", True, "电话"), ("营销", False, "电话")]
            assert s.scalar(select(AuditEntry.id).where(
                AuditEntry.action == "consent.withdraw",
                AuditEntry.entity_id == str(customer.id))) is not None
        engine.dispose()

        # the lookup's 营销授权 filter: not among the granted, found among the withdrawn
        trip.open(f"customers?q={MOBILE}&cm=已授权", "客户查询")
        page.get_by_text("没有符合条件的客户").first.wait_for(timeout=15_000)
        trip.step("list-filtered-granted-none")
        trip.open(f"customers?q={MOBILE}&cm=已撤回", "客户查询")
        page.get_by_text(re.compile(r"共 1 位客户")).first.wait_for(timeout=15_000)
        page.get_by_text("更多筛选").first.click()
        page.get_by_text("营销授权").first.wait_for()
        trip.step("list-filtered-withdrawn")
