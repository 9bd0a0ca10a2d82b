"""AppTest of the administrator's personal-data actions: the copy for the person and the
erasure (typed confirmation) on the profile, and the 保存期限 list with its bulk erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.vocab import Role
from db.models import AuditEntry, Customer
from tests.screens.test_app_records import open_profile
from tests.support.app import logged_in, texts
from tests.support.factories import make_customer, make_user


@pytest.fixture
def people(db: Session):
    users = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
             for role in Role}
    old = make_customer(db, name="慕容复古", mobile="13911112222", notes="老客户的私事",
                        created_at=clock.now() - timedelta(days=5 * 365))
    new = make_customer(db, name="段誉新近", mobile="13933334444")
    db.commit()
    return users, old.id, new.id


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_admin_erases_from_the_profile_after_typing_the_number(people, db: Session) -> None:
    _users, old, _new = people
    number = db.get(Customer, old).customer_no  # type: ignore[union-attr]
    at = open_profile(Role.ADMIN, old)
    assert not at.exception
    at.text_input(key=f"erase_reason_{old}").input("客户来函要求删除")
    at.text_input(key=f"erase_confirm_{old}").input("C-wrong")
    _button(at, f"erase_{old}").click().run()
    assert f"请输入客户编号 {number} 以确认" in texts(at)
    db.expire_all()
    assert db.get(Customer, old).name == "慕容复古"  # type: ignore[union-attr]
    at.text_input(key=f"erase_confirm_{old}").input(number)
    _button(at, f"erase_{old}").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Customer, old).name == f"已删除客户{number}"  # type: ignore[union-attr]
    assert "此客户的个人信息已删除" in texts(at)
    assert db.scalar(select(AuditEntry.detail).where(
        AuditEntry.action == "customer.erase"))["reason"] == "客户来函要求删除"


def test_admin_makes_the_copy_for_the_person(people, db: Session) -> None:
    _users, old, _new = people
    at = open_profile(Role.ADMIN, old)
    _button(at, f"person_copy_{old}_make").click().run()
    assert not at.exception, at.exception
    assert db.scalar(select(AuditEntry.entity_id).where(
        AuditEntry.action == "customer.export_person")) == str(old)
    assert at.session_state[f"person_copy_{old}"][:2] == b"PK"  # the workbook, ready


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CLERK, Role.TRAINER])
def test_others_see_neither_action(people, role: Role) -> None:
    _users, old, _new = people
    at = open_profile(role, old)
    assert not at.exception
    keys = {b.key for b in at.button}
    assert f"erase_{old}" not in keys and f"person_copy_{old}_make" not in keys


def test_retention_list_and_bulk_erasure(people, db: Session) -> None:
    _users, old, new = people
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/retention.py").run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "保存期限" in page and "共 1 位客户超过保存期限" in page
    assert "自创建" in at.dataframe[0].value.to_string()
    assert "慕容复古" in at.dataframe[0].value.to_string()
    assert "段誉新近" not in at.dataframe[0].value.to_string()
    at.radio[0].set_value("all")
    at.text_input[0].input("超过保存期限")
    at.text_input[1].input("2")
    at.button[0].click().run()
    assert "请输入 1 以确认" in texts(at)
    at.text_input[1].input("1")
    at.button[0].click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Customer, old).name.startswith("已删除客户")  # type: ignore[union-attr]
    assert db.get(Customer, new).name == "段誉新近"  # type: ignore[union-attr]
    assert any("已删除 1 位客户的个人信息" in s.value for s in at.success)
    assert "没有超过 3 年保存期限的客户" in texts(at)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CLERK, Role.TRAINER])
def test_retention_page_is_admins_only(people, role: Role) -> None:
    at = logged_in(role).run()
    with pytest.raises(ValueError):
        at.switch_page("screens/admin/retention.py")
