"""Issue 13, point 1: admins find the flagged entries of users refused past the hourly limit on
look-ups through keys they may not see (audit log filter, service and page)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.vocab import Role
from services import customers as cr
from services.access import audit, audit_view, probes
from services.customers.lookup import CustomerQuery, search
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_user

MOBILES = [f"1310042{k:04d}" for k in range(6)]


@pytest.fixture
def flagged(db: Session) -> None:
    users = {role: make_user(db, role.value, role=role) for role in Role}
    db.commit()
    admin, trainer = actor_for(users[Role.ADMIN]), actor_for(users[Role.TRAINER])
    for k, mobile in enumerate(MOBILES):
        cr.create_customer(db, admin, {"name": f"隐藏{k}", "customer_type": "个人",
                                       "mobile": mobile})
    db.commit()
    for mobile in MOBILES[:5]:
        search(db, trainer, CustomerQuery(text=mobile))
    with pytest.raises(probes.ProbeRefused):
        search(db, trainer, CustomerQuery(text=MOBILES[5]))


def test_the_flagged_filter_returns_only_flagged_entries(db: Session, flagged: None) -> None:
    admin = actor_for(make_user(db, "auditor", Role.ADMIN))
    everything, total = audit.query(db, admin, audit.AuditFilter())
    assert total > 6  # customers created, searches audited
    rows, count = audit.query(db, admin, audit.AuditFilter(flagged=True))
    assert count == 1 and rows[0].action == probes.FLAGGED_ACTION
    assert rows[0].username == Role.TRAINER.value


def test_the_audit_page_shows_flagged_entries_only_when_asked(flagged: None) -> None:
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/audit.py").run()
    assert not at.exception
    assert len(at.dataframe[0].value) > 1
    next(t for t in at.toggle if t.label == "只看标记的条目").set_value(True).run()
    assert not at.exception
    frame = at.dataframe[0].value
    # The action is shown by its label (issue 14), the flagged entry alone.
    assert frame["操作"].tolist() == [audit_view.action_label(probes.FLAGGED_ACTION)]
    assert MOBILES[5] not in frame.to_string()


def test_a_refused_search_shows_the_message_not_a_crash(flagged: None) -> None:
    at = logged_in(Role.TRAINER).run()
    at.switch_page("screens/customers/list.py").run()
    at.text_input(key="q").set_value(MOBILES[5]).run()
    assert not at.exception
    assert any("5" in e.value and "已拒绝" in e.value for e in at.error)
    assert not any("隐藏5" in str(df.value) for df in at.dataframe)
