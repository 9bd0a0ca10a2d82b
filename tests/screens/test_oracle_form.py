"""Issue 13, point 1 (form path): the duplicate check of the customer form names no customer
found through a key the user may not see in full, and counts against the same hourly limit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import AuditEntry
from services import customers as cr
from services.access import probes
from tests.support.excel import rid
from tests.support.factories import actor_for, make_user

HIDDEN_ID = rid(427, birth="19850617")


@pytest.fixture
def hidden(db: Session) -> dict[str, Any]:
    users = {role: make_user(db, f"f_{role.value}", role) for role in Role}
    db.commit()
    actors = {r.value: actor_for(u, demo_mode=True) for r, u in users.items()}
    for k in range(7):
        cr.create_customer(db, actors["admin"], {
            "name": f"隐藏{k}", "customer_type": "个人", "mobile": f"1310042{k:04d}",
            "id_number": rid(k, birth="19850617") if k else HIDDEN_ID})
    db.commit()
    return actors


def test_trainer_form_check_names_no_customer_found_by_mobile(
        db: Session, hidden: dict[str, Any]) -> None:
    trainer = hidden["trainer"]
    check = cr.check_customer(db, trainer, {"name": "试探", "customer_type": "个人",
                                            "mobile": "13100420003"})
    [match] = check.duplicates
    text = match.message("zh") + match.message("en")
    assert "隐藏3" not in text and "C20" not in text and match.customer_id == 0
    assert "手机号" in match.message("zh")
    with pytest.raises(cr.DuplicateCustomer) as exc:  # and it still cannot be saved
        cr.create_customer(db, trainer, {"name": "试探", "customer_type": "个人",
                                         "mobile": "13100420003"})
    assert "隐藏3" not in str([m.message() for m in exc.value.matches])


def test_clerk_sees_mobile_duplicates_but_not_id_number_ones(
        db: Session, hidden: dict[str, Any]) -> None:
    clerk = hidden["clerk"]
    by_mobile = cr.check_customer(db, clerk, {"name": "甲", "customer_type": "个人",
                                              "mobile": "13100420001"})
    assert "隐藏1" in by_mobile.duplicates[0].message()
    by_id = cr.check_customer(db, clerk, {"name": "乙", "customer_type": "个人",
                                          "mobile": "13999999999", "id_number": HIDDEN_ID})
    [match] = by_id.duplicates
    assert "隐藏0" not in match.message() and match.customer_id == 0


def test_form_checks_share_the_hourly_limit(db: Session, hidden: dict[str, Any]) -> None:
    trainer = hidden["trainer"]
    for k in range(5):
        check = cr.check_customer(db, trainer, {"name": "试探", "customer_type": "个人",
                                                "mobile": f"1310042{k:04d}"})
        assert check.duplicates
    with pytest.raises(probes.ProbeRefused):
        cr.check_customer(db, trainer, {"name": "试探", "customer_type": "个人",
                                        "mobile": "13100420005"})
    db.rollback()
    db.expire_all()
    assert db.scalars(select(AuditEntry.action).where(
        AuditEntry.action == probes.FLAGGED_ACTION)).all() == [probes.FLAGGED_ACTION]
    logged = db.scalars(select(AuditEntry).where(
        AuditEntry.action == "customer.hidden_duplicate")).all()
    assert len(logged) == 5 and "13100420004" not in str(logged[-1].detail)


def test_new_customer_page_shows_a_hidden_duplicate_without_naming_it(db: Session) -> None:
    from tests.support.app import logged_in, texts

    users = {role: make_user(db, role.value, role=role) for role in Role}
    db.commit()
    cr.create_customer(db, actor_for(users[Role.ADMIN]), {
        "name": "欧阳娜娜", "customer_type": "个人", "mobile": "13912345678",
        "id_number": HIDDEN_ID})
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("另一个人")
    at.text_input(key="new_mobile").set_value("13700000001")
    at.text_input(key="new_id_number").set_value(HIDDEN_ID)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    shown = texts(at)
    assert "已存在相同客户" in shown and "证件号码" in shown
    assert "欧阳娜娜" not in shown and "C20" not in shown
