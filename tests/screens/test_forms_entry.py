"""The 企业/机构 form as a clerk reads it (issue 14, "Reading the screens"): the customer name
is the company name (asked once), no 性别, the credit code's message names 统一社会信用代码 and
quotes what the clerk just typed in full; a stored code still never reaches a clerk."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.vocab import Role
from db.models import Customer
from services.access import crypto
from tests.support.app import logged_in
from tests.support.factories import make_customer, make_user

CODE = "91330100716105852F"
BAD_CODE = "91330100716105852G"  # a wrong check character


def _org_form(db: Session) -> AppTest:
    make_user(db, "clerk", Role.CLERK)
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.segmented_control(key="new_customer_type").set_value("企业").run()
    assert not at.exception, at.exception
    return at


def test_an_enterprise_is_named_once_and_has_no_gender(db: Session) -> None:
    at = _org_form(db)
    labels = [w.label for w in at.text_input]
    assert not any("公司名称" in label or "工作单位" in label for label in labels), labels
    assert "new_company" not in [w.key for w in at.text_input]
    assert "new_gender" not in [w.key for w in at.selectbox]
    at.text_input(key="new_name").set_value("杭州青禾科技有限公司")
    at.text_input(key="new_mobile").set_value("13700004444")
    at.text_input(key="new_id_number").set_value(CODE)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    saved = db.scalar(select(Customer).where(Customer.name == "杭州青禾科技有限公司"))
    assert saved is not None
    assert saved.company == "杭州青禾科技有限公司"  # the name is the company
    assert saved.gender is None
    assert crypto.decrypt(saved.id_number_enc) == CODE


def test_the_credit_code_message_names_the_code_and_quotes_what_was_typed(db: Session) -> None:
    at = _org_form(db)
    at.text_input(key="new_name").set_value("杭州青禾科技有限公司")
    at.text_input(key="new_mobile").set_value("13700004444")
    at.text_input(key="new_id_number").set_value(BAD_CODE)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "统一社会信用代码：" in errors, errors
    assert not errors.startswith("证件号码") and "证件号码：" not in errors, errors
    assert BAD_CODE in errors, errors  # the clerk's own typing, in full
    assert at.text_input(key="new_id_number").value == BAD_CODE
    assert db.scalar(select(Customer).where(Customer.name == "杭州青禾科技有限公司")) is None


def _all_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.text] + [w.value or "" for w in at.text_input]
    return "\n".join(str(p) for p in parts)


def test_an_enterprise_profile_has_no_gender_and_a_clerk_never_gets_its_stored_code(
        db: Session) -> None:
    make_user(db, "clerk", Role.CLERK)
    customer = make_customer(db, name="宁波海曙贸易有限公司", customer_type="企业",
                             company="宁波海曙贸易有限公司",
                             id_number_enc=crypto.encrypt(CODE),
                             id_number_hash=crypto.keyed_hash(CODE))
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/profile.py")
    at.query_params["id"] = str(customer.id)
    at.run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert "性别" not in captions, captions
    assert "公司名称" not in captions, captions  # it is the name in the header
    shown = _all_text(at)
    assert CODE not in shown  # issue 13: the stored code stays masked for a clerk, form included
    assert "9133" in shown and "852F" in shown
