"""A second 马东 with a blank company gets the same-name hint before saving (issue 14): a
blank company cannot tell two people of one name apart. The hint names the customer (any
role may see names) and nothing a role may not see (issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.vocab import Role
from db.models import Customer
from services import customers as cr
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_user


@pytest.mark.parametrize(("first", "second"), [("北京云杉科技有限公司", None),
                                               (None, "北京云杉科技有限公司"),
                                               (None, None)])
def test_a_blank_company_on_either_side_gets_the_hint(db: Session, first: str | None,
                                                      second: str | None) -> None:
    clerk = actor_for(make_user(db, "clerk_similar", Role.CLERK))
    existing = cr.create_customer(db, clerk, {"name": "马东", "mobile": "13911112222",
                                              "company": first})
    raw = {"name": "马东", "mobile": "13933334444", "company": second}
    check = cr.check_customer(db, clerk, raw)
    assert check.ok and [m.customer_id for m in check.similar] == [existing]
    with pytest.raises(cr.SimilarCustomer):
        cr.create_customer(db, clerk, raw)
    assert cr.create_customer(db, clerk, raw, accept_similar=True) != existing


def test_two_known_different_companies_still_pass_without_a_hint(db: Session) -> None:
    clerk = actor_for(make_user(db, "clerk_similar", Role.CLERK))
    cr.create_customer(db, clerk, {"name": "马东", "mobile": "13911112222",
                                   "company": "北京云杉科技有限公司"})
    check = cr.check_customer(db, clerk, {"name": "马东", "mobile": "13933334444",
                                          "company": "上海蓝鲸物流"})
    assert check.ok and check.similar == []


def _count(db: Session, name: str) -> int:
    return db.scalar(select(func.count()).select_from(Customer).where(Customer.name == name))


def test_the_new_customer_page_shows_the_hint_before_saving(db: Session) -> None:
    user = make_user(db, "clerk", Role.CLERK)
    cr.create_customer(db, actor_for(user), {"name": "马东", "mobile": "13911112222",
                                             "email": "madong@example.cn",
                                             "company": "北京云杉科技有限公司"})
    db.commit()
    at: AppTest = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("马东")
    at.text_input(key="new_mobile").set_value("13933334444")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert _count(db, "马东") == 1  # not saved yet: the hint comes first
    warnings = " ".join(w.value for w in at.warning)
    assert warnings, "no same-name hint"
    links = " ".join(str(p.proto.label) for p in at.get("page_link"))
    assert "马东" in links and "北京云杉科技有限公司" in links
    assert "13911112222" not in links and "madong" not in links  # no contact in the hint
    at.checkbox(key="new_accept_similar").check()
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert _count(db, "马东") == 2
