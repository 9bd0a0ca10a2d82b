"""Tags are chosen from the existing ones; a new tag is created explicitly (issue 14). On the
new-customer form, in the profile's edit form and in the profile's tag popover."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import Customer, Tag
from services.customers import tags as tag_service
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_customer, make_user


def _setup(db: Session) -> Customer:
    user = make_user(db, "clerk", Role.CLERK)
    other = make_customer(db, name="已有标签客户")
    tag_service.add_tags(db, actor_for(user), other.id, ["重点客户", "VIP"])
    db.commit()
    return other


def test_the_new_customer_form_offers_existing_tags_and_a_new_tag_field(db: Session) -> None:
    _setup(db)
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    picker = at.multiselect(key="new_tags")
    assert {"重点客户", "VIP"} <= set(picker.options)
    assert at.text_input(key="new_tags_new").label == "新建标签"
    at.text_input(key="new_name").set_value("标签新客户")
    at.text_input(key="new_mobile").set_value("13700005555")
    picker.set_value(["VIP"])
    at.text_input(key="new_tags_new").set_value("展会线索")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    saved = db.scalar(select(Customer).where(Customer.name == "标签新客户"))
    assert saved is not None
    assert sorted(t.name for t in saved.tags) == ["VIP", "展会线索"]


def test_the_edit_form_keeps_the_tags_and_offers_the_others(db: Session) -> None:
    other = _setup(db)
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/profile.py")
    at.query_params["id"] = str(other.id)
    at.run()
    assert not at.exception, at.exception
    picker = at.multiselect(key=f"edit{other.id}_tags")
    assert sorted(picker.value) == ["VIP", "重点客户"]
    at.text_input(key=f"edit{other.id}_title").set_value("采购经理")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    db.expire_all()
    saved = db.get(Customer, other.id)
    assert saved.title == "采购经理"
    assert sorted(t.name for t in saved.tags) == ["VIP", "重点客户"]  # tags survive an edit


def test_the_profile_popover_picks_an_existing_tag_or_creates_one_explicitly(
        db: Session) -> None:
    _setup(db)
    target = make_customer(db, name="待打标签客户")
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/profile.py")
    at.query_params["id"] = str(target.id)
    at.run()
    pick = at.multiselect(key=f"tag_pick_{target.id}")
    assert {"重点客户", "VIP"} <= set(pick.options)
    assert at.text_input(key=f"tag_new_{target.id}").label == "新建并添加标签"
    pick.set_value(["重点客户"])
    at.text_input(key=f"tag_new_{target.id}").set_value("回头客")
    at.button(key=f"tag_apply_{target.id}").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert sorted(t.name for t in db.get(Customer, target.id).tags) == ["回头客", "重点客户"]
    assert db.scalar(select(Tag).where(Tag.name == "回头客")) is not None
