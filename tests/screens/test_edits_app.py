"""Issue 13 point 10 in the app: an action that loses a race shows the stale-record message,
never Streamlit's error box, whether the page handles refusals itself or not."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.clock import now
from core.errors import ConcurrentChange
from core.vocab import Role
from db.models import Customer, Tag
from services.customers import entry, tags
from tests.support.app import logged_in
from tests.support.factories import make_customer, make_user

STALE = ConcurrentChange().message("zh")


@pytest.fixture
def customer(db) -> Customer:
    for role in Role:
        make_user(db, role.value, role=role, display_name=f"{role.value}-name")
    found = make_customer(db, name="欧阳娜娜", mobile="13912345678", province="浙江省")
    db.add(Tag(name="重点客户", created_at=now()))  # exists: the add only links it
    db.commit()
    return found


def shown(at) -> str:
    return " ".join(str(e.value) for e in [*at.warning, *at.error])


def test_tag_add_losing_a_race_on_the_profile_shows_the_stale_message(
        customer, engine, monkeypatch) -> None:
    """Another user saves the customer between this add's read and its write (the
    ``StaleDataError`` of 2 in 10 real races on SQLite)."""
    real = tags.add_tags

    def racing(session: Session, actor, customer_id: int, names: object) -> list[str]:
        fired: list[bool] = []

        def sneak_in(*_: object) -> None:
            if not fired:
                fired.append(True)
                with Session(engine) as other:
                    other.get(Customer, customer_id).notes = "同时修改"
                    other.commit()

        event.listen(session, "before_flush", sneak_in)
        return real(session, actor, customer_id, names)

    monkeypatch.setattr(tags, "add_tags", racing)
    at = logged_in(Role.CLERK).run()
    at.query_params["id"] = str(customer.id)
    at.switch_page("screens/customers/profile.py").run()
    at.text_input(key=f"tag_new_{customer.id}").set_value("重点客户")
    at.button(key=f"tag_apply_{customer.id}").click().run()
    assert not at.exception
    assert STALE in shown(at)
    with Session(engine) as s:
        c = s.get(Customer, customer.id)
        assert (c.notes, c.tags) == ("同时修改", [])


def test_new_customer_losing_a_unique_key_race_shows_the_stale_message(
        customer, engine, monkeypatch) -> None:
    """Both clerks' duplicate checks ran before either insert: the second insert hits the
    unique 客户编号. The page handles only its own refusals; the app shows this one."""
    monkeypatch.setattr(entry, "find_duplicates", lambda *_a, **_k: [])
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("新客户丙")
    at.text_input(key="new_mobile").set_value("13700003333")
    at.text_input(key="new_customer_no").set_value(customer.customer_no)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert STALE in shown(at)
    assert at.text_input(key="new_name").value == "新客户丙"  # the input is kept
    with Session(engine) as s:
        assert s.scalars(select(Customer.name).where(
            Customer.customer_no == customer.customer_no)).all() == ["欧阳娜娜"]


def test_conflict_with_an_unaudited_change_names_the_field_and_its_value(
        customer, engine) -> None:
    """A change that left no audit entry (a script, a bulk fix) still shows what it set."""
    at = logged_in(Role.CLERK).run()
    at.query_params["id"] = str(customer.id)
    at.switch_page("screens/customers/profile.py").run()
    with Session(engine) as s:
        c = s.get(Customer, customer.id)
        c.city = "杭州市"
        s.commit()
    prefix = f"edit{customer.id}"
    at.selectbox(key=f"{prefix}_city").set_value("宁波市")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert "「城市」现在是：杭州市" in " ".join(m.value for m in at.markdown)
    with Session(engine) as s:
        assert s.get(Customer, customer.id).city == "杭州市"


def _dialog_losing_a_race() -> None:
    import streamlit as st
    from sqlalchemy.orm.exc import StaleDataError

    from components import concurrency

    @st.dialog("record")
    @concurrency.guarded
    def dialog() -> None:
        st.write("before the save")
        raise StaleDataError("UPDATE statement expected to update 1 row(s); 0 were matched.")

    dialog()
    st.write("page goes on")


def test_a_dialog_losing_a_race_shows_the_stale_message() -> None:
    """Dialogs and fragments rerun without the page (and ``app.py``): each has the guard."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_dialog_losing_a_race, default_timeout=30).run()
    assert not at.exception
    assert STALE in shown(at)
