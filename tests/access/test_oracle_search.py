"""Issue 13, point 2: the customer search is no unmasking oracle.

A trainer (no right to see a 手机号 or 邮箱 in full) found a hidden mobile in 20 searches, with
nothing audited or limited. Now every exact full-mobile or email search by such a role is
audited with the key masked, and counts against the same hourly limits as the import.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.vocab import Role
from db.models import AuditEntry
from services import customers as cr
from services.access import probes
from services.customers.lookup import CustomerQuery, search, search_ids
from services.records.complaints import ComplaintQuery, queue
from tests.support.factories import actor_for, make_user

MOBILES = [f"1310042{k:04d}" for k in range(7)]


@pytest.fixture
def hidden(db: Session) -> dict[str, Any]:
    users = {role: make_user(db, f"s_{role.value}", role) for role in Role}
    db.commit()
    actors = {r.value: actor_for(u) for r, u in users.items()}
    for k, mobile in enumerate(MOBILES):
        cr.create_customer(db, actors["admin"], {"name": f"隐藏{k}", "customer_type": "个人",
                                                  "mobile": mobile,
                                                  "email": f"hidden{k}@example.cn"})
    db.commit()
    return actors


def entries(db: Session, action: str) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)
                           .order_by(AuditEntry.id)))


def test_trainer_exact_mobile_searches_are_audited_masked_and_limited(
        db: Session, hidden: dict[str, Any]) -> None:
    trainer = hidden["trainer"]
    misses = [f"1310099{k:04d}" for k in range(20)]  # candidates that find nobody: allowed
    for text in misses:
        assert search(db, trainer, CustomerQuery(text=text)) == ([], 0)
    for k in range(5):
        rows, total = search(db, trainer, CustomerQuery(text=MOBILES[k]))
        assert total == 1 and rows[0].mobile == f"131****{MOBILES[k][-4:]}"
    logged = entries(db, "search.exact_key")
    assert len(logged) == 25
    assert all(e.username == trainer.username for e in logged)
    assert logged[-1].detail["key"] == f"131****{MOBILES[4][-4:]}"
    assert not any(m in str(e.detail) for e in logged for m in MOBILES + misses)
    with pytest.raises(probes.ProbeRefused) as refused:
        search(db, trainer, CustomerQuery(text=MOBILES[5]))
    assert "5" in refused.value.message("zh")
    [flag] = entries(db, probes.FLAGGED_ACTION)
    assert flag.detail["limit"] == "match" and MOBILES[5] not in str(flag.detail)
    # the same limit on every path of the search: bulk selection, email
    with pytest.raises(probes.ProbeRefused):
        search_ids(db, trainer, CustomerQuery(text=MOBILES[6]))
    with pytest.raises(probes.ProbeRefused):
        search(db, trainer, CustomerQuery(text="hidden6@example.cn"))


def test_roles_that_may_see_contacts_are_neither_limited_nor_logged(
        db: Session, hidden: dict[str, Any]) -> None:
    for role in ("clerk", "manager"):
        for mobile in MOBILES:
            assert search(db, hidden[role], CustomerQuery(text=mobile))[1] == 1
    assert entries(db, "search.exact_key") == []


def test_complaint_queue_customer_filter_goes_through_the_same_limit(
        db: Session, hidden: dict[str, Any]) -> None:
    trainer = hidden["trainer"]
    for k in range(5):
        search(db, trainer, CustomerQuery(text=MOBILES[k]))
    with pytest.raises(probes.ProbeRefused):
        queue(db, trainer, ComplaintQuery(text=MOBILES[6]))
