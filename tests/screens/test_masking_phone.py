"""Point 3 of issue 13: a mobile number kept in 固定电话 follows the 手机号 rule on every path
(profile, edit form, change history, export, import preview), for every role without an audited
reveal — the full number appears nowhere in what the browser receives."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.vocab import Role
from db.models import AuditEntry, Customer
from services import customers as cr
from services.customers.lookup import CustomerQuery
from services.excel.export import export_customers_xlsx
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_customer
from tests.support.people import make_app_users

MOBILE_IN_PHONE = "+8613987654321"  # 固定电话 as stored (E.164) holding a mobile number
MOBILE_DIGITS = "13987654321"
LANDLINE = "+861062123456"


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def rendered(at: AppTest) -> str:
    """Everything the browser receives for the current run: each element's protobuf (labels,
    texts, widget defaults and options, dataframe bytes) and each widget's current value."""
    parts: list[str] = []
    for root in (at.main, at.sidebar):
        for node in _walk(root):
            proto = getattr(node, "proto", None)
            if proto is not None:
                parts.append(str(proto))
                parts.append(proto.SerializeToString().decode("utf-8", "replace"))
            try:
                value = node.value
            except Exception:
                continue
            parts.append(value.to_csv() if hasattr(value, "to_csv") else str(value))
    return "\n".join(parts)


def _digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@pytest.fixture
def phone_scene(db):
    users = make_app_users(db)
    customer = make_customer(db, name="北京远航贸易有限公司", customer_type="企业",
                             company="北京远航贸易有限公司", phone=MOBILE_IN_PHONE)
    db.commit()
    return users, customer


def open_profile(role: Role, customer_id: int) -> AppTest:
    at = logged_in(role).run()
    at.query_params["id"] = str(customer_id)
    return at.switch_page("screens/customers/profile.py").run()


def test_the_rule() -> None:
    from services.access.masking import mask_field, phone_protected

    assert mask_field("phone", MOBILE_IN_PHONE, customer_type="企业") == "139****4321"
    assert mask_field("phone", MOBILE_IN_PHONE, customer_type="企业", full=True) \
        == "139 8765 4321"
    assert mask_field("phone", LANDLINE, customer_type="企业") == "010 6212 3456"
    assert mask_field("phone", LANDLINE, customer_type="个人") == "010****3456"  # spec: 个人
    assert mask_field("phone", "+85291234567", customer_type="企业") == "+852****4567"
    assert phone_protected(LANDLINE, None)  # unknown owner: masked, never shown


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CLERK])
def test_profile_and_edit_form_never_carry_the_full_mobile(phone_scene, role: Role) -> None:
    _, customer = phone_scene
    at = open_profile(role, customer.id)
    assert not at.exception
    page = rendered(at)
    assert MOBILE_DIGITS not in _digits_only(page.replace("139****4321", ""))
    assert "北京远航贸易有限公司" in page and "139****4321" in page
    assert at.text_input(key=f"edit{customer.id}_phone").value == "139****4321"


def test_trainer_has_no_reveal_clerk_reveals_audited(phone_scene, db) -> None:
    _, customer = phone_scene
    trainer = open_profile(Role.TRAINER, customer.id)
    assert not [b for b in trainer.button if b.label == "查看完整"]
    clerk = open_profile(Role.CLERK, customer.id)
    [b for b in clerk.button if b.key == f"reveal_phone_{customer.id}"][0].click().run()
    assert "139 8765 4321" in " ".join(t.value for t in clerk.text)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "customer.reveal")).one()
    assert entry.detail == {"field": "phone"} and entry.username == "clerk"


def test_saving_the_masked_form_keeps_the_stored_number(phone_scene, db) -> None:
    _, customer = phone_scene
    at = open_profile(Role.TRAINER, customer.id)
    at.text_input(key=f"edit{customer.id}_title").set_value("店长")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    db.expire_all()
    saved = db.get(Customer, customer.id)
    assert saved.title == "店长" and saved.phone == MOBILE_IN_PHONE


def test_change_history_and_audit_hold_it_masked(phone_scene, db) -> None:
    users, customer = phone_scene
    clerk = actor_for(users[Role.CLERK])
    form = cr.edit_form(db, clerk, customer.id)
    cr.update_customer(db, clerk, customer.id, {"phone": "13700001111"}, form.version)
    db.commit()
    history = cr.change_history(db, actor_for(users[Role.TRAINER]), customer.id)
    phones = [(e.before, e.after) for e in history.entries if e.field == "phone"]
    assert phones == [("139****4321", "137****1111")]
    stored = db.scalars(select(AuditEntry).where(AuditEntry.action == "customer.update")).one()
    assert MOBILE_DIGITS not in str(stored.changes) and "13700001111" not in str(stored.changes)


def test_masked_export_masks_it(phone_scene, db) -> None:
    users, _ = phone_scene
    data = export_customers_xlsx(db, actor_for(users[Role.TRAINER]), CustomerQuery())
    sheet = load_workbook(io.BytesIO(data)).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert "139****4321" in cells and MOBILE_DIGITS not in _digits_only(
        cells.replace("139****4321", ""))
