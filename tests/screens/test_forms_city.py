"""城市 offers the cities of the chosen 省份 (issue 14: 杭州 vs 杭州市), and still accepts a
value of its own and keeps a stored one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import Customer
from tests.support.app import logged_in
from tests.support.factories import make_customer, make_user


def test_the_city_offers_the_chosen_provinces_cities(db: Session) -> None:
    make_user(db, "clerk", Role.CLERK)
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.selectbox(key="new_province").set_value("浙江省").run()
    assert not at.exception, at.exception
    city = at.selectbox(key="new_city")
    assert {"杭州市", "宁波市"} <= set(city.options)
    assert "广州市" not in city.options
    at.text_input(key="new_name").set_value("城市客户")
    at.text_input(key="new_mobile").set_value("13700006666")
    at.selectbox(key="new_city").set_value("杭州市")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    saved = db.scalar(select(Customer).where(Customer.name == "城市客户"))
    assert saved is not None and (saved.province, saved.city) == ("浙江省", "杭州市")


def test_a_stored_city_outside_the_list_is_kept(db: Session) -> None:
    make_user(db, "clerk", Role.CLERK)
    customer = make_customer(db, name="老城市客户", province="浙江省", city="杭州")
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/profile.py")
    at.query_params["id"] = str(customer.id)
    at.run()
    assert not at.exception, at.exception
    city = at.selectbox(key=f"edit{customer.id}_city")
    assert city.value == "杭州" and "杭州市" in city.options
    at.text_input(key=f"edit{customer.id}_title").set_value("经理")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert (db.get(Customer, customer.id).city, db.get(Customer, customer.id).title) == (
        "杭州", "经理")


def test_a_city_not_in_the_list_is_typed_in_its_own_field(db: Session) -> None:
    make_user(db, "clerk", Role.CLERK)
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.selectbox(key="new_province").set_value("浙江省").run()
    assert at.text_input(key="new_city_other").label == "其他城市"
    at.text_input(key="new_name").set_value("县城客户")
    at.text_input(key="new_mobile").set_value("13700007777")
    at.text_input(key="new_city_other").set_value("义乌市")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    saved = db.scalar(select(Customer).where(Customer.name == "县城客户"))
    assert saved is not None and saved.city == "义乌市"
