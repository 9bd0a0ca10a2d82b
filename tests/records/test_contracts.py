"""Contracts: numbering, validation naming each field, editing, deleting along a renewal chain,
roles, audit and the timeline (both backends)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import now, today
from db.models import AuditEntry, Contract, Renewal
from services import customers as cr
from services.access.roles import PermissionDenied
from services.records import contracts as cs
from services.records import renewals as rs
from services.records.input import InvalidRecord
from tests.support.factories import make_customer

YEAR = today().year


def form(**over: object) -> dict[str, object]:
    base: dict[str, object] = {"start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31),
                               "amount": "12000"}
    base.update(over)
    return base


def audits(db: Session, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)
                           .order_by(AuditEntry.id)))


def errors_of(exc: InvalidRecord) -> dict[str | None, str]:
    return {e.field: e.key for e in exc.errors}


def test_number_is_issued_per_year_or_typed_and_unique(db: Session, people) -> None:
    customer = make_customer(db)
    first = cs.add_contract(db, people["clerk"], customer.id, form())
    second = cs.add_contract(db, people["clerk"], customer.id, form(contract_no=""))
    typed = cs.add_contract(db, people["clerk"], customer.id, form(contract_no=" ht-2026/a1 "))
    numbers = [db.get(Contract, i).contract_no for i in (first, second, typed)]
    assert numbers == [f"HT{YEAR}000001", f"HT{YEAR}000002", "HT-2026/A1"]
    # A number taken by hand is skipped by the issuer; a taken number cannot be typed again.
    cs.add_contract(db, people["clerk"], customer.id, form(contract_no=f"HT{YEAR}000003"))
    fourth = cs.add_contract(db, people["clerk"], customer.id, form())
    assert db.get(Contract, fourth).contract_no == f"HT{YEAR}000004"
    with pytest.raises(InvalidRecord) as caught:
        cs.add_contract(db, people["clerk"], customer.id, form(contract_no="ＨＴ-2026/A1"))
    assert errors_of(caught.value) == {"contract.contract_no": "contracts.error.number_taken"}
    assert "合同编号" in caught.value.errors[0].message("zh")
    assert "HT-2026/A1" in caught.value.errors[0].message("en")


def test_every_problem_names_its_field(db: Session, people) -> None:
    customer = make_customer(db)
    with pytest.raises(InvalidRecord) as caught:
        cs.add_contract(db, people["clerk"], customer.id,
                        {"contract_no": "合同#1", "start_date": "2026-13-01",
                         "end_date": None, "amount": "-5"})
    assert errors_of(caught.value) == {
        "contract.contract_no": "contracts.error.number_chars",
        "contract.start_date": "recinput.date.invalid",
        "contract.end_date": "validation.required",
        "contract.amount": "recinput.amount.invalid",
    }
    messages = [e.message("zh") for e in caught.value.errors]
    assert messages[0].startswith("合同编号") and messages[1].startswith("开始日期")
    assert messages[2].startswith("结束日期") and messages[3].startswith("合同金额")
    with pytest.raises(InvalidRecord) as caught:
        cs.add_contract(db, people["clerk"], customer.id,
                        form(start_date="2026-06-01", end_date="2026-05-31", amount="abc"))
    assert errors_of(caught.value) == {"contract.end_date": "contracts.error.period",
                                       "contract.amount": "recinput.amount.invalid"}
    assert "2026-06-01" in caught.value.errors[0].message("zh")
    # A one-day contract, an amount of 0 and dates in the future are fine.
    cid = cs.add_contract(db, people["clerk"], customer.id,
                          form(start_date="2030-01-01", end_date="2030-01-01", amount=0))
    assert db.get(Contract, cid).amount == Decimal("0.00")
    assert db.scalar(select(Contract.id).where(Contract.customer_id == customer.id)) == cid


def test_roles_and_deleted_customers(db: Session, people) -> None:
    customer = make_customer(db)
    with pytest.raises(PermissionDenied):  # trainer outside a demo database
        cs.add_contract(db, people["trainer"], customer.id, form())
    cid = cs.add_contract(db, people["manager"], customer.id, form())
    with pytest.raises(PermissionDenied):
        cs.delete_contract(db, people["clerk"], cid)
    with pytest.raises(PermissionDenied):
        cs.delete_contract(db, people["manager"], cid)
    gone = make_customer(db, deleted_at=now())
    with pytest.raises(cs.ContractError) as caught:
        cs.add_contract(db, people["clerk"], gone.id, form())
    assert caught.value.key == "contracts.error.customer_not_found"
    with pytest.raises(cs.ContractNotFound):
        cs.update_contract(db, people["clerk"], 999999, form())


def test_create_and_edit_are_audited_and_the_due_date_follows(db: Session, people) -> None:
    customer = make_customer(db)
    cid = cs.add_contract(db, people["clerk"], customer.id, form(contract_no="HT-A"))
    [created] = audits(db, "contract.create")
    assert created.entity == "contract" and created.entity_id == str(cid)
    assert created.changes["amount"] == [None, "12000.00"]
    assert created.detail["customer_id"] == customer.id
    rs.record_outcome(db, people["clerk"], cid, "跟进中", {"note": "已发报价"})
    assert cs.update_contract(db, people["manager"], cid,
                              {"end_date": "2027-01-31", "amount": "15000.5"}) is True
    [edited] = audits(db, "contract.update")
    assert edited.changes == {"amount": ["12000.00", "15000.50"],
                              "end_date": ["2026-12-31", "2027-01-31"]}
    assert edited.username == "u_manager"
    renewal = db.scalar(select(Renewal).where(Renewal.contract_id == cid))
    assert renewal.due_date == date(2027, 1, 31)
    # Nothing changed (a blank number keeps it): nothing written, nothing audited.
    assert cs.update_contract(db, people["clerk"], cid, {"contract_no": " "}) is False
    assert len(audits(db, "contract.update")) == 1
    other = cs.add_contract(db, people["clerk"], customer.id, form(contract_no="HT-B"))
    with pytest.raises(InvalidRecord) as caught:
        cs.update_contract(db, people["clerk"], other, {"contract_no": "ht-a"})
    assert errors_of(caught.value) == {"contract.contract_no": "contracts.error.number_taken"}


def test_delete_along_a_chain(db: Session, people) -> None:
    admin = people["admin"]
    customer = make_customer(db)
    old = cs.add_contract(db, people["clerk"], customer.id, form(contract_no="HT-OLD"))
    result = rs.record_outcome(db, people["clerk"], old, "已续约",
                               {"new_start_date": "2027-01-01", "new_end_date": "2027-12-31",
                                "new_amount": "13000", "new_contract_no": "HT-NEW"})
    with pytest.raises(cs.ContractError) as caught:
        cs.delete_contract(db, admin, old)
    assert caught.value.key == "contracts.error.has_successor"
    assert caught.value.params["new_contract_no"] == "HT-NEW"
    # Deleting the renewal's contract reopens the old one: 跟进中, no decision, no amount.
    cs.delete_contract(db, admin, result.new_contract_id)
    db.expire_all()
    assert db.get(Contract, result.new_contract_id) is None
    renewal = db.scalar(select(Renewal).where(Renewal.contract_id == old))
    assert (renewal.outcome, renewal.amount, renewal.new_contract_id, renewal.decided_at) == (
        "跟进中", None, None, None)
    [reopen] = audits(db, "renewal.reopen")
    assert reopen.changes["outcome"] == ["已续约", "跟进中"]
    assert reopen.detail["deleted_contract"] == "HT-NEW"
    # Now the old one may be renewed again, and deleted (with its renewal row).
    rs.record_outcome(db, people["clerk"], old, "未续约", {"reason": "预算取消"})
    cs.delete_contract(db, admin, old)
    assert db.scalar(select(Renewal).where(Renewal.contract_id == old)) is None
    deleted = audits(db, "contract.delete")
    assert [d.detail["contract_no"] for d in deleted] == ["HT-NEW", "HT-OLD"]
    assert deleted[1].detail["outcome"] == "未续约"
    assert deleted[1].changes["contract_no"] == ["HT-OLD", None]


def test_a_new_contract_shows_in_the_timeline_at_once(db: Session, people) -> None:
    customer = make_customer(db)
    cid = cs.add_contract(db, people["clerk"], customer.id,
                          form(contract_no="HT-T1", start_date="2026-02-01",
                               end_date="2027-01-31", amount="8800"))
    page = cr.timeline(db, people["trainer"], customer.id)
    [item] = [i for i in page.items if i.kind == "contract"]
    assert item.record_id == cid
    assert item.title("zh") == "合同 HT-T1：2026-02-01 至 2027-01-31，金额 8,800.00 元"
    assert item.title("en") == "Contract HT-T1: 2026-02-01 to 2027-01-31, 8,800.00 yuan"
    rs.record_outcome(db, people["clerk"], cid, "已续约",
                      {"new_start_date": "2027-02-01", "new_end_date": "2028-01-31",
                       "new_amount": "9000", "new_contract_no": "HT-T2"})
    items = cr.timeline(db, people["clerk"], customer.id).items
    assert [i.kind for i in items] == ["contract", "renewal", "contract"]
    assert items[0].title("zh").startswith("续约合同 HT-T2：2027-02-01")
    assert items[1].title("zh") == "续约（合同到期 2027-01-31）：已续约，金额 9,000.00 元"


def test_contract_view_names_its_neighbours(db: Session, people) -> None:
    customer = make_customer(db, name="王五")
    old = cs.add_contract(db, people["clerk"], customer.id, form(contract_no="HT-V1"))
    result = rs.record_outcome(db, people["clerk"], old, "已续约",
                               {"new_start_date": "2027-01-01", "new_end_date": "2027-12-31",
                                "new_amount": "100"})
    view = cs.contract_view(db, people["trainer"], old)
    assert (view.customer_name, view.outcome, view.renewed, view.decided) == (
        "王五", "已续约", True, True)
    assert view.new_contract_no == result.new_contract_no == f"HT{YEAR}000001"
    assert view.successor_id == result.new_contract_id and view.recorded_by == "clerk名"
    new = cs.contract_view(db, people["trainer"], result.new_contract_id)
    assert (new.previous_contract_no, new.outcome, new.decided) == ("HT-V1", None, False)
    listed = cs.customer_contracts(db, people["clerk"], customer.id)
    assert [c.contract_no for c in listed] == [f"HT{YEAR}000001", "HT-V1"]
