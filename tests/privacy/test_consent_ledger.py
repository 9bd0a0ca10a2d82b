"""Consent ledger (data-protection.md "Consent"): per purpose, every grant and withdrawal an
entry, the current state the latest entry, cached on the customer, audited; the migration's
conversion of the old columns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import clock
from core.vocab import Role
from db.models import AuditEntry, ConsentEntry, Customer
from services import customers as cr
from services.access import audit_view
from services.access.roles import PermissionDenied
from services.privacy import consent
from services.privacy.consent import ConsentError
from tests.support.factories import actor_for, make_user


@pytest.fixture
def people(db: Session) -> dict[str, object]:
    return {role.value: actor_for(make_user(db, f"c_{role.value}", role), demo_mode=False)
            for role in Role}


def new_customer(db: Session, actor, n: int, **extra: object) -> int:
    return cr.create_customer(db, actor, {"name": f"授权客户{n}", "mobile": f"1390000{n:04d}",
                                          **extra})


def cached(db: Session, cid: int) -> tuple[bool | None, bool | None]:
    db.expire_all()
    row = db.get(Customer, cid)
    return row.consent_service, row.consent_marketing


def test_no_entry_means_not_recorded(db: Session, people) -> None:
    cid = new_customer(db, people["clerk"], 1)
    found = consent.states(db, people["clerk"], cid)
    assert {p: s.key for p, s in found.items()} == {"服务": "none", "营销": "none"}
    assert cached(db, cid) == (None, None)
    assert consent.history(db, people["clerk"], cid) == ([], 0)


def test_grant_then_withdraw_latest_entry_wins(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 2)
    consent.record(db, clerk, cid, "服务", True, channel="表单", note="纸质授权书 12 号")
    consent.record(db, clerk, cid, "营销", True, channel="电话", note="来电录音")
    assert cached(db, cid) == (True, True)
    consent.withdraw(db, clerk, cid, "营销", channel="电话", note="客户来电撤回")
    assert cached(db, cid) == (True, False)
    states = consent.states(db, clerk, cid)
    assert states["营销"].key == "withdrawn" and states["营销"].channel == "电话"
    assert states["服务"].key == "granted"
    entries, total = consent.history(db, clerk, cid)
    assert total == 3
    # latest first, each with purpose, granted/withdrawn, when, channel, who and the note
    assert [(e.purpose, e.granted, e.channel, e.note) for e in entries] == [
        ("营销", False, "电话", "客户来电撤回"), ("营销", True, "电话", "来电录音"),
        ("服务", True, "表单", "纸质授权书 12 号")]
    assert {e.recorded_by for e in entries} == {"c_clerk"}
    assert entries[0].at >= entries[1].at
    # granting again after a withdrawal: the state follows the latest entry again
    consent.record(db, clerk, cid, "营销", True, channel="在线")
    assert cached(db, cid) == (True, True)


def test_backdated_entry_does_not_override_a_later_one(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 3)
    consent.withdraw(db, clerk, cid, "营销", channel="电话")
    # A paper grant signed last week, entered today: older than the withdrawal.
    consent.record(db, clerk, cid, "营销", True, channel="表单",
                   at=clock.now() - timedelta(days=7))
    assert cached(db, cid) == (None, False)
    assert consent.states(db, clerk, cid)["营销"].key == "withdrawn"
    with pytest.raises(ConsentError):
        consent.record(db, clerk, cid, "营销", True, channel="表单",
                       at=clock.now() + timedelta(days=1))


def test_each_entry_is_audited_without_the_note(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 4)
    consent.record(db, clerk, cid, "营销", True, channel="拜访", note="秘密依据文字")
    consent.withdraw(db, clerk, cid, "营销", channel="电话", note="撤回依据文字")
    rows = list(db.scalars(select(AuditEntry).where(AuditEntry.action.like("consent.%"))
                           .order_by(AuditEntry.id)))
    assert [r.action for r in rows] == ["consent.grant", "consent.withdraw"]
    assert rows[1].entity == "customer" and rows[1].entity_id == str(cid)
    assert rows[1].changes == {"consent_marketing": [True, False]}
    assert rows[1].detail["purpose"] == "营销" and rows[1].detail["channel"] == "电话"
    assert "依据文字" not in str(rows[0].detail) + str(rows[1].detail)
    assert audit_view.action_label("consent.withdraw", "en") == "Consent withdrawn"
    # the profile's change history shows it
    history = cr.change_history(db, clerk, cid)
    assert "consent.withdraw" in {e.action for e in history.entries}


def test_refusals(db: Session, people) -> None:
    clerk, trainer = people["clerk"], people["trainer"]
    cid = new_customer(db, clerk, 5)
    with pytest.raises(ConsentError):
        consent.record(db, clerk, cid, "广告", True, channel="表单")
    with pytest.raises(ConsentError):
        consent.record(db, clerk, cid, "营销", True, channel="短信")
    with pytest.raises(ConsentError):
        consent.record(db, clerk, cid, "营销", True, channel="表单", note="长" * 501)
    with pytest.raises(PermissionDenied):  # a trainer edits only on a demo database
        consent.withdraw(db, trainer, cid, "营销")
    cr.delete_customer(db, people["admin"], cid)
    with pytest.raises(ConsentError):
        consent.withdraw(db, clerk, cid, "营销")
    assert db.scalar(select(func.count()).select_from(ConsentEntry)) == 0


def test_filter_conditions(db: Session, people) -> None:
    clerk = people["clerk"]
    granted, withdrawn, never = (new_customer(db, clerk, n) for n in (6, 7, 8))
    consent.record(db, clerk, granted, "营销", True, channel="表单")
    consent.record(db, clerk, withdrawn, "营销", True, channel="表单")
    consent.withdraw(db, clerk, withdrawn, "营销")
    mine = Customer.id.in_([granted, withdrawn, never])

    def ids(state: str) -> set[int]:
        return set(db.scalars(select(Customer.id).where(mine,
                                                        consent.condition("营销", state))))

    assert ids("granted") == {granted}
    assert ids("withdrawn") == {withdrawn}
    assert ids("none") == {never}


def test_import_entries_and_their_undo(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 9)
    consent.record(db, clerk, cid, "营销", True, channel="表单")
    consent.bulk_record(db, clerk, [(cid, "营销", False), (cid, "服务", True)],
                        note="Excel 导入：a.xlsx", import_id=None)
    assert cached(db, cid) == (True, False)
    entries, _ = consent.history(db, clerk, cid)
    assert entries[0].channel == "导入"
    consent.undo_import(db, None, [cid])  # type: ignore[arg-type]


def test_clear_evidence_keeps_the_facts(db: Session, people) -> None:
    clerk = people["clerk"]
    cid = new_customer(db, clerk, 10)
    consent.record(db, clerk, cid, "营销", True, channel="表单", note="张三签字")
    assert consent.clear_evidence(db, cid) == 1
    entries, _ = consent.history(db, clerk, cid)
    assert entries[0].note is None and entries[0].granted and entries[0].channel == "表单"


def test_parse_flag() -> None:
    assert consent.parse_flag("是") is True
    assert consent.parse_flag(" 否 ") is False
    assert consent.parse_flag("YES") is True
    assert consent.parse_flag(0) is False
    assert consent.parse_flag("") is None and consent.parse_flag(None) is None
    with pytest.raises(ValueError):
        consent.parse_flag("也许")
    assert consent.flag_text(True) == "是" and consent.flag_text(None) is None


def test_migration_turns_the_old_columns_into_entries(engine, settings) -> None:
    """0012: a customer with the old consent columns gets a 服务 grant, and a 营销 grant when
    the old scope named marketing; the cache matches; a downgrade and upgrade round-trips."""
    from sqlalchemy import text

    from db.migrate import downgrade, upgrade

    downgrade(engine, "0011")
    with engine.begin() as conn:
        for n, scope in ((1, "营销短信"), (2, "电话回访"), (3, None)):
            conn.execute(text(
                "INSERT INTO customers (customer_no, name, customer_type, tier, tier_source, "
                "lifecycle, value_segment, created_at, updated_at, version, consent_given_at, "
                "consent_scope, consent_channel) VALUES (:no, :name, '个人', '白银', 'rule', "
                "'潜在', '普通', :at, :at, 1, :given, :scope, '纸质签署')"),
                {"no": f"CM{n}", "name": f"旧客户{n}", "at": clock.now(),
                 "given": clock.now() if scope else None, "scope": scope})
    upgrade(engine)
    with Session(engine) as session:
        rows = {c.customer_no: (c.consent_service, c.consent_marketing)
                for c in session.scalars(select(Customer))}
        assert rows == {"CM1": (True, True), "CM2": (True, None), "CM3": (None, None)}
        entries = session.execute(select(ConsentEntry.purpose, ConsentEntry.channel,
                                         ConsentEntry.note)).all()
        assert sorted(e.purpose for e in entries) == ["服务", "服务", "营销"]
        assert {e.channel for e in entries} == {"其他"}
        assert all("纸质签署" in e.note for e in entries)


def test_customer_list_filters_on_consent(db: Session, people) -> None:
    """The lookup's filters: page and total agree for each state, alone and combined."""
    from services.customers.lookup import CustomerQuery, search

    clerk = people["clerk"]
    ids = {n: new_customer(db, clerk, n) for n in (11, 12, 13, 14)}
    consent.record(db, clerk, ids[11], "营销", True, channel="表单")
    consent.record(db, clerk, ids[11], "服务", True, channel="表单")
    consent.record(db, clerk, ids[12], "营销", True, channel="表单")
    consent.withdraw(db, clerk, ids[12], "营销")
    consent.record(db, clerk, ids[13], "服务", True, channel="电话")
    db.commit()

    def found(**kw: str) -> tuple[set[int], int]:
        rows, total = search(db, clerk, CustomerQuery(**kw), limit=50)
        return {r.id for r in rows}, total

    assert found(consent_marketing="granted") == ({ids[11]}, 1)
    assert found(consent_marketing="withdrawn") == ({ids[12]}, 1)
    assert found(consent_marketing="none") == ({ids[13], ids[14]}, 2)
    assert found(consent_service="granted") == ({ids[11], ids[13]}, 2)
    assert found(consent_service="granted", consent_marketing="none") == ({ids[13]}, 1)
    assert found(text="授权客户1", consent_service="none") == ({ids[12], ids[14]}, 2)


def test_demo_data_has_a_consistent_realistic_ledger(engine, settings) -> None:
    """seed-demo: most customers consented to service, some to marketing, a few withdrew;
    every customer's cached state is its latest ledger entry."""
    from services.demo import seed_demo

    seed_demo(engine, customers=300, seed=7)
    with Session(engine) as session:
        latest: dict[tuple[int, str], bool] = {}
        for cid, purpose, granted in session.execute(
                select(ConsentEntry.customer_id, ConsentEntry.purpose, ConsentEntry.granted)
                .order_by(ConsentEntry.at, ConsentEntry.id)):
            latest[(cid, purpose)] = granted
        rows = session.execute(select(Customer.id, Customer.consent_service,
                                      Customer.consent_marketing)).all()
        for cid, service, marketing in rows:
            assert (service, marketing) == (latest.get((cid, "服务")), latest.get((cid, "营销")))
        services = [r.consent_service for r in rows]
        marketing = [r.consent_marketing for r in rows]
        assert 0.7 < services.count(True) / len(rows) < 0.95
        assert marketing.count(True) > marketing.count(False) > 0
        assert marketing.count(None) > 0  # some never asked
        withdrawals = session.scalar(select(func.count()).select_from(ConsentEntry).where(
            ConsentEntry.granted.is_(False), ConsentEntry.channel == "电话"))
        assert withdrawals > 0
