"""Erasure drops the held import rows that carry the person's keys (mobile, landline, email,
证件号码), keeping the group's other rows; the payload stays encrypted."""

from __future__ import annotations

import json
from types import SimpleNamespace

from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import ImportHold
from services import customers as customer_records
from services.access import crypto, holds
from services.privacy.erasure import erase_customer
from tests.support.factories import actor_for, make_user


def test_held_rows_of_the_person_go(db: Session) -> None:
    admin = actor_for(make_user(db, "admin", role=Role.ADMIN))
    cid = customer_records.create_customer(db, admin, {
        "name": "欧阳锋芒", "mobile": "13955556666", "email": "ouyang@example.cn"})
    db.commit()
    sheet = SimpleNamespace(sheet="客户", header=["客户名称", "手机号", "邮箱"],
                            columns=[SimpleNamespace(index=0, key="name"),
                                     SimpleNamespace(index=1, key="mobile"),
                                     SimpleNamespace(index=2, key="email")])
    rows = [SimpleNamespace(row=2, cells=["欧阳锋芒", "139 5555 6666", None]),
            SimpleNamespace(row=3, cells=["别人", "13700001111", "OUYANG@example.cn"]),
            SimpleNamespace(row=4, cells=["无关的人", "13800002222", "x@example.cn"])]
    hold_id = holds.create_hold(db, admin, sheet, rows, "待核对.xlsx", "skip")
    db.commit()
    done = erase_customer(db, admin, cid, "客户要求")
    db.commit()
    assert done.held_rows == 2
    hold = db.get(ImportHold, hold_id)
    assert hold is not None and hold.rows == 1
    assert "13955556666" not in hold.payload and "欧阳" not in hold.payload
    payload = json.loads(crypto.decrypt(hold.payload))
    assert [r[0] for r in payload["rows"]] == [4]
