"""Issue 13, point 1 (AppTest): the 待核对 tab of 导入导出 lists held import rows for managers
and admins only; a manager sees a group's rows with the customer they match and imports them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import AuditEntry, Customer, ImportHold
from services import customers as cr
from services.excel import commit_import, preview_import
from tests.support.app import logged_in
from tests.support.excel import HEADER, customer_row, xlsx
from tests.support.factories import actor_for, make_user

MOBILE = "13100424767"


@pytest.fixture
def held(db: Session) -> int:
    users = {role: make_user(db, role.value, role=role) for role in Role}
    db.commit()
    admin = actor_for(users[Role.ADMIN])
    cid = cr.create_customer(db, admin, {"name": "谢玉华", "customer_type": "个人",
                                         "mobile": MOBILE})
    db.commit()
    trainer = actor_for(users[Role.TRAINER], demo_mode=True)
    data = xlsx([HEADER, customer_row(name="谢玉华", mobile=MOBILE, title="总监")])
    preview = preview_import(db, trainer, data, "trainer-file.xlsx", on_duplicate="update")
    assert commit_import(db, trainer, preview).summary.held == 1
    db.commit()
    return cid


def tab_labels(at) -> list[str]:
    return [t.label for t in at.tabs]


@pytest.mark.parametrize("role", [Role.CLERK, Role.TRAINER])
def test_roles_that_may_not_see_keys_have_no_review_tab(held: int, role: Role) -> None:
    at = logged_in(role).run()
    at.switch_page("screens/customers/import_export.py").run()
    assert not at.exception
    assert not any(label.startswith("待核对") for label in tab_labels(at))
    assert all("重复处理" not in df.value.columns for df in at.dataframe)
    assert not any(MOBILE in str(df.value) for df in at.dataframe)


def test_a_manager_reviews_and_imports_held_rows(held: int, db: Session) -> None:
    at = logged_in(Role.MANAGER).run()
    at.switch_page("screens/customers/import_export.py").run()
    assert not at.exception
    assert "待核对 (1)" in tab_labels(at)
    groups = next(df for df in at.dataframe if "重复处理" in df.value.columns)
    assert groups.value["文件"].tolist() == ["trainer-file.xlsx"]
    assert groups.value["导入者"].tolist() == [Role.TRAINER.value]
    assert not any(MOBILE in str(df.value) for df in at.dataframe)  # not before asking
    at.session_state["held_groups"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    next(b for b in at.button if b.label == "显示这些行").click().run()
    assert not at.exception
    rows = next(df for df in at.dataframe if "匹配到的客户" in df.value.columns)
    assert rows.value["手机号"].tolist() == [MOBILE]
    assert "谢玉华" in rows.value["匹配到的客户"].iloc[0]
    next(b for b in at.button if b.label == "导入这 1 行").click().run()
    assert not at.exception
    db.expire_all()
    assert db.get(Customer, held).title == "总监"  # type: ignore[union-attr]
    assert db.scalars(select(ImportHold.status)).one() == "imported"
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"import.hold_view", "import.hold_import"} <= actions
