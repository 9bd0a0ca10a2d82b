"""AppTest of the customer pages: entry with checks, profile masking and reveal, stale edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.vocab import Role
from db.models import AuditEntry, Customer
from services.access.crypto import encrypt, keyed_hash
from tests.support.app import logged_in, texts
from tests.support.factories import make_customer
from tests.support.people import make_app_users

APP_DIR = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def record_scene(db):
    users = make_app_users(db)
    customer = make_customer(db, name="欧阳娜娜", mobile="13912345678", email="nana@example.cn",
                             province="浙江省",  # 城市 offers its cities (issue 14)
                             id_number_enc=encrypt(ID_NUMBER), id_number_hash=keyed_hash(ID_NUMBER))
    db.commit()
    return users, customer


def open_profile(role: Role, customer_id: int) -> AppTest:
    at = logged_in(role).run()
    at.query_params["id"] = str(customer_id)
    return at.switch_page("screens/customers/profile.py").run()


def test_new_customer_reports_field_errors_and_keeps_input(record_scene) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("新客户甲")
    at.text_input(key="new_mobile").set_value("1381234")
    at.text_input(key="new_email").set_value("not-an-email")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "手机号" in errors and "邮箱" in errors
    assert at.text_input(key="new_name").value == "新客户甲"


def test_new_customer_saved_and_profile_opened(record_scene, db) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("新客户乙")
    at.text_input(key="new_mobile").set_value("+86 137-0000-2222")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    saved = db.scalars(select(Customer).where(Customer.mobile == "13700002222")).one()
    assert saved.name == "新客户乙" and saved.customer_no.startswith("C")


def test_duplicate_mobile_blocks_saving(record_scene, db) -> None:
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("另一个人")
    at.text_input(key="new_mobile").set_value("139 1234 5678")
    at.get("form_submit_button")[0].click().run()
    assert "已存在相同客户" in texts(at)
    assert db.scalar(select(Customer).where(Customer.name == "另一个人")) is None


@pytest.mark.parametrize("role", list(Role))
def test_profile_never_shows_full_id_number_by_default(record_scene, role: Role) -> None:
    _, customer = record_scene
    at = open_profile(role, customer.id)
    assert not at.exception
    page = texts(at) + " ".join(t.value for t in at.text)
    assert "欧阳娜娜" in page
    assert ID_NUMBER not in page and "13912345678" not in page
    assert "1101**********002X" in page


@pytest.mark.parametrize("role,buttons", [(Role.CLERK, 2), (Role.MANAGER, 3),
                                          (Role.TRAINER, 0)])
def test_reveal_buttons_follow_roles(record_scene, role: Role, buttons: int) -> None:
    _, customer = record_scene
    at = open_profile(role, customer.id)
    reveal = [b for b in at.button if b.label == "查看完整"]
    assert len(reveal) == buttons


def test_reveal_shows_full_mobile_and_is_audited(record_scene, db) -> None:
    _, customer = record_scene
    at = open_profile(Role.CLERK, customer.id)
    [b for b in at.button if b.label == "查看完整"][0].click().run()
    assert "13912345678" in " ".join(t.value for t in at.text)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "customer.reveal")).all()
    assert len(entries) == 1 and entries[0].username == "clerk"


def test_stale_edit_is_refused_and_keeps_the_clerks_input(record_scene, db) -> None:
    _, customer = record_scene
    first = open_profile(Role.CLERK, customer.id)
    second = open_profile(Role.MANAGER, customer.id)
    prefix = f"edit{customer.id}"
    second.selectbox(key=f"{prefix}_city").set_value("杭州市")
    second.get("form_submit_button")[0].click().run()
    assert not second.exception
    first.selectbox(key=f"{prefix}_city").set_value("宁波市")
    first.get("form_submit_button")[0].click().run()
    assert "他人也修改了下列字段" in texts(first)
    assert first.selectbox(key=f"{prefix}_city").value == "宁波市"
    db.expire_all()
    assert db.get(Customer, customer.id).city == "杭州市"
    # "I checked: overwrite" saves the clerk's field at once, and only that field.
    [b for b in first.button if b.label == "已核对，用我的修改覆盖"][0].click().run()
    assert not first.exception
    db.expire_all()
    assert db.get(Customer, customer.id).city == "宁波市"
    (last,) = db.scalars(select(AuditEntry).where(AuditEntry.action == "customer.update",
                                                  AuditEntry.username == "clerk")).all()
    assert last.changes == {"city": ["杭州市", "宁波市"]}


def test_page_files_alone_stop_without_data(record_scene) -> None:
    for page in ("screens/customers/new.py", "screens/customers/profile.py",
                 "screens/admin/tags.py"):
        at = AppTest.from_file(str(APP_DIR / page), default_timeout=30).run()
        assert not at.exception and "请先登录" in texts(at)
