"""AppTest of the 回访工作台 and the profile's record dialogs: the worklist for a clerk and a
manager, recording a visit from it, the add-record buttons per role, adding an order and a
visit from the profile, and editing a record picked in the 时间线."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core import clock
from core.settings import get_settings
from core.vocab import Role
from db.models import Customer, FollowUp, Interaction, Order
from services.system.database_facts import DEMO, delete_fact
from tests.support.app import logged_in, texts
from tests.support.factories import make_customer, make_user
from tests.support.people import make_app_users


@pytest.fixture
def visits(db):
    users = make_app_users(db)
    users["other"] = make_user(db, "other", role=Role.CLERK, display_name="另一位")
    mine = make_customer(db, name="欧阳娜娜", mobile="13912345678",
                         account_manager_id=users[Role.CLERK].id)
    theirs = make_customer(db, name="钱多多", mobile="13700001111",
                           account_manager_id=users["other"].id)
    today = clock.today()
    for customer, assignee, days, purpose in (
            (mine, users[Role.CLERK].id, 0, "了解使用情况"),
            (mine, users[Role.CLERK].id, -3, "催办续约"),
            (theirs, users["other"].id, 0, "回访满意度")):
        db.add(FollowUp(customer_id=customer.id, planned_date=today + timedelta(days=days),
                        method="电话", purpose=purpose, assignee_id=assignee, source="manual",
                        created_at=clock.now()))
    db.commit()
    return users, mine, theirs


def worklist_page(role: Role) -> AppTest:
    at = logged_in(role).run()
    return at.switch_page("screens/service/follow_ups.py").run()


def frame_text(at: AppTest) -> str:
    return "\n".join(d.value.to_string() for d in at.dataframe)


def keys(at: AppTest) -> set[str]:
    found: set[str] = set()
    for kind in ("button", "button_group", "selectbox", "text_input", "text_area",
                 "date_input", "number_input", "checkbox"):
        for element in at.get(kind):
            if getattr(element, "key", None):
                found.add(element.key)
    return found


def test_clerk_sees_only_her_visits_due_today(visits) -> None:
    at = worklist_page(Role.CLERK)
    assert not at.exception, at.exception
    assert "回访工作台" in texts(at)
    frame = frame_text(at)
    assert "欧阳娜娜" in frame and "了解使用情况" in frame
    assert "钱多多" not in frame and "催办续约" not in frame  # not today
    assert "13912345678" not in frame and "139****5678" in frame
    assert "scope" not in keys(at)  # everyone's list is for managers


def test_clerk_sees_her_overdue_visits(visits) -> None:
    at = worklist_page(Role.CLERK)
    at.button_group(key="due").set_value("overdue").run()
    assert not at.exception, at.exception
    frame = frame_text(at)
    assert "催办续约" in frame and "逾期 3 天" in frame and "了解使用情况" not in frame


def test_manager_switches_to_everyone(visits) -> None:
    at = worklist_page(Role.MANAGER)
    assert "scope" in keys(at)
    assert "今天没有到期的回访" in texts(at)  # the manager has no visits of her own
    at.button_group(key="scope").set_value("all").run()
    assert not at.exception, at.exception
    frame = frame_text(at)
    assert "欧阳娜娜" in frame and "钱多多" in frame
    assert "assignee" in keys(at)


def _select_row(at: AppTest, key: str, row: int) -> None:
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}


def test_clerk_records_a_visit_from_the_worklist(visits, db) -> None:
    users, mine, _ = visits
    at = worklist_page(Role.CLERK)
    grid = next(d.key for d in at.dataframe if d.key and d.key.startswith("worklist_grid"))
    _select_row(at, grid, 0)
    at.run()
    assert not at.exception, at.exception
    at.button(key="worklist_record").click().run()
    assert not at.exception, at.exception
    visit = db.scalars(select(FollowUp).where(FollowUp.purpose == "了解使用情况")).one()
    prefix = f"wl_record_{visit.id}"
    next_date = at.date_input(key=f"{prefix}_next_date").value
    assert next_date == clock.today() + timedelta(days=get_settings().follow_up_next_visit_days)
    at.button(key=f"{prefix}_save").click().run()  # content and result are required
    errors = " ".join(e.value for e in at.error)
    assert "回访内容" in errors and "回访结果" in errors
    at.text_area(key=f"{prefix}_content").set_value("介绍了新功能")
    at.text_input(key=f"{prefix}_result").set_value("客户满意")
    at.button(key=f"{prefix}_save").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    visit = db.get(FollowUp, visit.id)
    assert visit.done_date == clock.today() and visit.content == "介绍了新功能"
    assert visit.done_by_id == users[Role.CLERK].id
    nxt = db.scalars(select(FollowUp).where(FollowUp.source == "next")).one()
    assert nxt.planned_date == next_date and nxt.customer_id == mine.id
    assert "了解使用情况" not in frame_text(at)  # done: off today's list


# ---- the profile ------------------------------------------------------------------------------


def open_profile(role: Role, customer_id: int) -> AppTest:
    at = logged_in(role).run()
    at.query_params["id"] = str(customer_id)
    return at.switch_page("screens/customers/profile.py").run()


def test_add_record_buttons_per_role(visits, db) -> None:
    _, mine, _ = visits
    for role in Role:
        at = open_profile(role, mine.id)
        assert {f"add_order_{mine.id}", f"add_interaction_{mine.id}",
                f"add_follow_up_{mine.id}"} <= keys(at), role
    with db.get_bind().begin() as conn:  # a real database: trainers only look
        delete_fact(conn, DEMO)
    at = open_profile(Role.TRAINER, mine.id)
    assert not at.exception
    assert not any(k.startswith("add_") for k in keys(at))
    deleted = make_customer(db, name="已删客户", deleted_at=clock.now())
    db.commit()
    at = open_profile(Role.ADMIN, deleted.id)
    assert not at.exception
    assert not any(k.startswith("add_") for k in keys(at))


def test_order_added_from_the_profile_shows_in_the_timeline(visits, db) -> None:
    _, mine, _ = visits
    at = open_profile(Role.CLERK, mine.id)
    at.button(key=f"add_order_{mine.id}").click().run()
    prefix = f"order_add_{mine.id}"
    submit = f"FormSubmitter:{prefix}-保存"
    at.button(key=submit).click().run()  # nothing filled in
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "产品" in errors and "金额" in errors
    assert db.scalar(select(Order.id)) is None
    at.text_input(key=f"{prefix}_product").set_value("智能门锁")
    at.number_input(key=f"{prefix}_amount").set_value(2999.0)
    at.button(key=submit).click().run()
    assert not at.exception, at.exception
    stored = db.scalars(select(Order)).one()
    assert stored.product == "智能门锁" and stored.order_no.startswith("SO")
    assert "智能门锁" in frame_text(at) and stored.order_no in frame_text(at)
    assert f"order_add_{mine.id}_product" not in keys(at)  # the dialog closed
    db.expire_all()
    assert db.get(Customer, mine.id).first_order_at == stored.order_date
    # the first order planned its welcome visit
    assert db.scalars(select(FollowUp.source).where(FollowUp.customer_id == mine.id,
                                                    FollowUp.source == "first_order")).all()


def test_contact_added_from_the_profile_needs_its_content(visits, db) -> None:
    _, mine, _ = visits
    at = open_profile(Role.CLERK, mine.id)
    at.button(key=f"add_interaction_{mine.id}").click().run()
    prefix = f"contact_add_{mine.id}"
    submit = f"FormSubmitter:{prefix}-保存"
    at.button(key=submit).click().run()  # no content
    assert not at.exception, at.exception
    assert "内容" in " ".join(e.value for e in at.error)
    assert db.scalar(select(Interaction.id)) is None
    at.text_area(key=f"{prefix}_content").set_value("电话确认了交付时间")
    at.button(key=submit).click().run()
    assert not at.exception, at.exception
    assert db.scalars(select(Interaction.content)).one() == "电话确认了交付时间"
    assert f"{prefix}_content" not in keys(at)  # the dialog closed


def test_visit_planned_from_the_profile(visits, db) -> None:
    users, mine, _ = visits
    at = open_profile(Role.MANAGER, mine.id)
    at.button(key=f"add_follow_up_{mine.id}").click().run()
    prefix = f"visit_add_{mine.id}"
    at.text_input(key=f"{prefix}_purpose").set_value("介绍新产品")
    at.selectbox(key=f"{prefix}_method").set_value("上门")
    at.button(key=f"{prefix}_plan_save").click().run()
    assert not at.exception, at.exception
    visit = db.scalars(select(FollowUp).where(FollowUp.purpose == "介绍新产品")).one()
    assert visit.method == "上门" and visit.assignee_id == users[Role.CLERK].id
    assert visit.planned_date == clock.today() + timedelta(days=1)


def test_timeline_row_opens_its_edit_dialog(visits, db) -> None:
    _, mine, _ = visits
    db.add(Order(customer_id=mine.id, order_no="SO-T-1", order_date=date(2026, 1, 5),
                 product="旧订单", quantity=1, amount=100, created_at=clock.now()))
    db.commit()
    at = open_profile(Role.CLERK, mine.id)
    grid = next(d for d in at.dataframe if d.key and d.key.startswith(f"tl_df_{mine.id}"))
    row = next(i for i, text in enumerate(grid.value.astype(str).agg(" ".join, axis=1))
               if "SO-T-1" in text)
    _select_row(at, grid.key, row)
    at.run()
    assert not at.exception, at.exception
    order = db.scalars(select(Order).where(Order.order_no == "SO-T-1")).one()
    prefix = f"order_edit_{order.id}"
    assert at.text_input(key=f"{prefix}_product").value == "旧订单"
    assert f"{prefix}_del" not in keys(at)  # clerks do not delete records
    at.text_input(key=f"{prefix}_product").set_value("旧订单（已更正）")
    at.button(key=f"FormSubmitter:{prefix}-保存").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Order, order.id).product == "旧订单（已更正）"
    assert f"{prefix}_product" not in keys(at)  # closed, and not reopened by the selection


def test_admin_deletes_a_record_from_the_timeline(visits, db) -> None:
    _, mine, _ = visits
    at = open_profile(Role.ADMIN, mine.id)
    grid = next(d for d in at.dataframe if d.key and d.key.startswith(f"tl_df_{mine.id}"))
    vid = db.scalars(select(FollowUp.id).where(FollowUp.purpose == "催办续约")).one()
    row = next(i for i, text in enumerate(grid.value.astype(str).agg(" ".join, axis=1))
               if "催办续约" in text)
    _select_row(at, grid.key, row)
    at.run()
    prefix = f"visit_edit_{vid}"
    assert at.button(key=f"{prefix}_del").disabled
    at.checkbox(key=f"{prefix}_del_sure").check().run()
    at.button(key=f"{prefix}_del").click().run()
    assert not at.exception, at.exception
    assert db.scalar(select(FollowUp.id).where(FollowUp.id == vid)) is None
    timeline = next(d for d in at.dataframe if d.key and d.key.startswith(f"tl_df_{mine.id}"))
    assert "催办续约" not in timeline.value.to_string()


def test_worklist_export_is_audited(visits, db) -> None:
    from db.models import AuditEntry

    at = worklist_page(Role.MANAGER)
    at.button_group(key="scope").set_value("all").run()
    at.button(key="worklist_export_prepare").click().run()
    assert not at.exception, at.exception
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.follow_ups")).one()
    assert entry.detail["rows"] == 2 and entry.detail["filters"]["mine"] is False
    assert any(b.label == "下载" or "下载" in str(b.label) for b in at.get("download_button"))
