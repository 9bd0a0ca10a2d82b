"""The admin's first hour in real Chromium (issue 14): create a user (listed at once), deactivate
one, edit a display name, find the clerk's actions in the audit log and open the customer from
there, delete and restore a customer. Screenshots: tests/screenshots/admin/."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import t
from core.vocab import Role
from db.engine import make_engine
from db.models import Customer, User
from services.access.roles import Actor
from services.customers import tags as tag_service
from tests.support.browser import wait_idle
from tests.support.journeys import ROW_PX, journey

pytestmark = pytest.mark.browser

NEW_USER, NEW_NAME = "wangfang", "王芳"


def test_admin_journey(tmp_path, sqlite_template) -> None:
    with journey("admin", tmp_path, sqlite_template, "admin", "admin-demo") as trip:
        page = trip.page
        engine = make_engine(trip.url)
        with Session(engine) as s:  # the clerk's work of the morning: a customer tagged
            clerk = s.scalars(select(User).where(User.username == "clerk")).one()
            worked = s.scalars(select(Customer).where(Customer.deleted_at.is_(None))
                               .order_by(Customer.id).offset(10).limit(1)).one()
            tag_service.add_tags(s, Actor(clerk.id, "clerk", Role.CLERK, demo_mode=True),
                                 worked.id, "重点客户")
            s.commit()
            worked_name, worked_id, clerk_name = worked.name, worked.id, clerk.display_name
            s.expunge(worked)
            other = s.scalars(select(User).where(User.username.not_in(
                ["admin", "clerk", "manager", "trainer"])).order_by(User.id)).first()
            other_username, other_name = other.username, other.display_name
        trip.step("home")

        # ---- create a user: listed at once, the password field emptied ----
        trip.sidebar(t("nav.users"), path="users")
        trip.step("users")
        page.get_by_text(t("users.create")).first.click()
        form = page.locator("[data-testid='stForm']").filter(
            has=page.get_by_role("button", name=t("users.submit_create")))
        form.get_by_label(t("users.username"), exact=True).fill(NEW_USER)
        form.get_by_label(t("users.display_name"), exact=True).fill(NEW_NAME)
        form.get_by_label(t("users.password"), exact=True).fill("journey-pass-2026")
        form.get_by_role("button", name=t("users.submit_create")).click()
        page.get_by_text(t("users.created", username=NEW_USER)).first.wait_for()
        wait_idle(page)
        trip.step("user-created")
        grid_text = "\n".join(page.locator("[data-testid='stDataFrame'] table")
                              .all_text_contents())
        trip.expect(NEW_USER in grid_text, "the new user is not in the users table")
        password = page.get_by_label(t("users.password"), exact=True)
        trip.expect(all(p.input_value() == "" for p in password.all()),
                    "the password field stays filled after the user was created")
        picker = page.get_by_role("combobox", name=t("users.select"), exact=True)
        picker.click()
        page.keyboard.type(NEW_NAME)
        options = page.get_by_role("option", name=re.compile(NEW_NAME))
        trip.expect(options.count(), "the new user is not in the user picker")
        page.keyboard.press("Escape")
        wait_idle(page)

        # ---- deactivate another user ----
        chosen = f"{other_name}（{other_username}）"
        for _ in range(2):  # a rerun that redraws the picker may drop a choice: choose again
            trip.pick(t("users.select"), chosen, typed=other_username)
            if picker.input_value() == chosen:
                break
        trip.expect(picker.input_value() == chosen, f"the picker shows {picker.input_value()}")
        trip.step("user-picked")
        page.get_by_role("button", name=t("users.deactivate")).click()
        page.get_by_role("button", name=t("users.activate")).wait_for()
        trip.step("user-deactivated")
        with Session(engine) as s:
            assert s.scalars(select(User.active).where(
                User.username == other_username)).one() is False

        # ---- edit a display name ----
        rename = page.get_by_role("button", name=t("journeys.users.rename"))
        trip.expect(rename.count(), "a user's display name cannot be edited")
        rename_form = page.locator("[data-testid='stForm']").filter(has=rename)
        rename_form.get_by_label(t("users.display_name"), exact=True).fill(other_name + "（培训）")
        rename.click()
        page.get_by_text(t("users.saved")).first.wait_for()
        wait_idle(page)
        with Session(engine) as s:
            trip.expect(s.scalars(select(User.display_name).where(
                User.username == other_username)).one() == other_name + "（培训）",
                "the display name was not saved")
        trip.step("display-name")
        grid_text = "\n".join(page.locator("[data-testid='stDataFrame'] table")
                              .all_text_contents())
        trip.expect(other_name + "（培训）" in grid_text, "the users table shows the old name")
        trip.expect(f"（{other_username}）" in picker.input_value(),
                    f"after the rename the picker shows {picker.input_value()}")

        # ---- the clerk's actions in the audit log, and the customer opened from there ----
        trip.sidebar(t("nav.audit"), path="audit")
        trip.step("audit")
        page.get_by_label(t("audit.filter.user"), exact=True).click()
        page.get_by_role("option", name=re.compile(f"{clerk_name}|clerk")).first.click()
        wait_idle(page)
        trip.step("audit-clerk")
        grid = page.locator("[data-testid='stDataFrame']").first
        trip.expect(worked.customer_no in "".join(grid.locator("table").all_text_contents()),
                    "the clerk's entry does not name the customer")
        for attempt in range(3):  # a click landing during a rerun is lost: click again
            wait_idle(page)
            box = grid.bounding_box()  # a click on the entry's row opens its customer
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + ROW_PX * 1.5)
            try:
                page.wait_for_url(re.compile(r"/customer\?id="), timeout=10_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        trip.heading(worked_name)
        trip.step("audit-customer")

        # ---- delete and restore a customer ----
        page.get_by_role("button", name=t("profile.delete")).first.click()
        page.get_by_text(t("profile.delete.confirm")).wait_for()
        page.get_by_role("button", name=t("profile.delete")).last.click()
        page.get_by_role("button", name=t("profile.restore")).wait_for()
        trip.step("customer-deleted")
        page.get_by_role("button", name=t("profile.restore")).click()
        page.get_by_text(t("profile.restored")).first.wait_for()
        trip.step("customer-restored")
        with Session(engine) as s:
            assert s.get(Customer, worked_id).deleted_at is None
        engine.dispose()
