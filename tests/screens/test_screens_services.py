"""The reads that components made on ``db.models`` themselves, now services (issue 15): a
user by id (active or not) and the contract of a renewal row."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.vocab import Role
from services.access import users
from services.records import contracts, renewals
from tests.support.factories import actor_for, make_customer, make_user


def test_find_user_finds_a_deactivated_one_and_none_for_an_unknown_id(db: Session) -> None:
    gone = make_user(db, "gone", Role.CLERK, display_name="离职的人")
    gone.active = False
    db.flush()
    found = users.find_user(db, gone.id)
    assert found is not None and found.display_name == "离职的人"
    assert users.find_user(db, gone.id + 1000) is None


def test_contract_of_renewal(db: Session) -> None:
    clerk = actor_for(make_user(db, "clerk1", Role.CLERK), demo_mode=False)
    customer = make_customer(db)
    contract_id = contracts.add_contract(db, clerk, customer.id, {
        "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31), "amount": "1000"})
    result = renewals.record_outcome(db, clerk, contract_id, "跟进中", {"note": "报价"})
    assert renewals.contract_of_renewal(db, result.renewal_id) == contract_id
    assert renewals.contract_of_renewal(db, result.renewal_id + 1000) is None
