"""The trainer's first hour in real Chromium (issue 14): reset the demo data, walk the pages a
class would use, and see every contact masked on each of them.
Screenshots: tests/screenshots/trainer/."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import t
from db.engine import make_engine
from db.models import Complaint, Customer
from tests.support.browser import wait_idle
from tests.support.journeys import Journey, journey

pytestmark = pytest.mark.browser

MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")
ID_NUMBER = re.compile(r"(?<![\dA-Z*])\d{17}[\dX](?![\dA-Z*])")
EMAIL = re.compile(r"([\w.%+*-]+)@[\w-]+(\.[\w-]+)+")

CLASS_PAGES = (  # sidebar title key, address
    ("nav.customers", "customers"), ("nav.complaints", "complaints"),
    ("nav.follow_ups", "follow-ups"), ("nav.renewals", "renewals"),
    ("nav.dash_overview", "overview"), ("nav.churn_warning", "churn-warning"),
    ("nav.dash_composition", "dash-composition"), ("nav.import_export", "import-export"),
)


def unmasked(trip: Journey) -> list[str]:
    """Full mobiles, ID numbers and e-mail addresses the page shows (text and tables)."""
    page = trip.page
    shown = page.locator("body").inner_text() + "\n" + "\n".join(
        page.locator("[data-testid='stDataFrame'] table").all_text_contents())
    found = MOBILE.findall(shown) + ID_NUMBER.findall(shown)
    found += [m.group(0) for m in EMAIL.finditer(shown) if "*" not in m.group(1)]
    return found


def masked_step(trip: Journey, name: str) -> None:
    trip.step(name)
    found = unmasked(trip)
    trip.expect(not found, f"{name}: contacts shown in full to a trainer: {found[:5]}")


def test_trainer_journey(tmp_path, sqlite_template) -> None:
    with journey("trainer", tmp_path, sqlite_template, "trainer", "trainer-demo") as trip:
        page = trip.page
        masked_step(trip, "home")

        # ---- reset the demo data before the class ----
        page.get_by_role("button", name=t("home.demo.reset")).first.click()
        page.get_by_text(t("home.demo.confirm")).wait_for()
        trip.step("reset-confirm")
        page.get_by_role("button", name=t("home.demo.reset")).last.click()
        page.get_by_text("演示数据已重置").first.wait_for(timeout=90_000)
        wait_idle(page)
        trip.expect(not page.get_by_text(t("home.demo.confirm")).is_visible(),
                    "the reset's confirm popover stays open, ready to reset again")
        masked_step(trip, "reset-done")

        # ---- the pages a class uses, contacts masked on each ----
        for key, path in CLASS_PAGES:
            trip.sidebar(t(key), path=path)
            masked_step(trip, path)

        # ---- a customer's profile with its records ----
        engine = make_engine(trip.url)
        with Session(engine) as s:
            customer = s.scalars(select(Customer).where(
                Customer.customer_type == "个人", Customer.deleted_at.is_(None),
                Customer.email.is_not(None), Customer.id.in_(select(Complaint.customer_id)))
                .order_by(Customer.id)).first()
            assert customer is not None
            s.expunge(customer)
        engine.dispose()
        trip.sidebar(t("nav.customers"), path="customers")
        trip.search(customer.customer_no)
        page.get_by_role("link", name=re.compile(f"打开档案：{customer.name}")).click()
        trip.heading(customer.name)
        masked_step(trip, "profile")
        page.get_by_role("tab", name="时间线").click()
        masked_step(trip, "profile-timeline")
        page.get_by_role("tab", name="变更记录").click()
        masked_step(trip, "profile-history")
