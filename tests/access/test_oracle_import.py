"""Issue 13, point 1: the import preview is no unmasking oracle.

The attacks of the issue, scaled down (the limits are the point, not the file size): a trainer
fills the hidden digits of a masked 手机号 with candidates, each row with a made-up 客户编号,
in update mode (the one rejected row named the customer) and in skip mode (the duplicate count);
a clerk does the same with 证件号码 candidates. Rows that match only through a key the uploader
may not see are held as a group, counted, limited per hour, and every preview is audited.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.settings import Settings, get_settings
from core.vocab import Role
from db.models import AuditEntry, Customer, HiddenKeyProbe, ImportHold
from services import customers as cr
from services.access import probes
from services.excel import ExcelRefused, Status, commit_import, preview_import, run_import
from tests.support.excel import HEADER, customer_row, rid, xlsx
from tests.support.factories import actor_for, make_user

HIDDEN_MOBILE = "13100424767"
HIDDEN_ID = rid(427, birth="19850617")
NAME = "谢玉华"


@pytest.fixture
def hidden(db: Session, settings: Settings) -> dict[str, Any]:
    """A demo database (trainers may import) with one customer whose keys are hidden."""
    users = {role: make_user(db, f"o_{role.value}", role) for role in Role}
    db.commit()
    actors = {r.value: actor_for(u, demo_mode=True) for r, u in users.items()}
    cid = cr.create_customer(db, actors["admin"], {
        "name": NAME, "customer_type": "个人", "mobile": HIDDEN_MOBILE,
        "email": "xie.yuhua@example.cn", "id_number": HIDDEN_ID})
    db.commit()
    number = db.get(Customer, cid).customer_no  # type: ignore[union-attr]
    return {**actors, "customer_id": cid, "customer_no": number}


def mobile_candidates(n: int, start: int = 0) -> list[str]:
    return [f"131{k:04d}4767" for k in range(start, start + n)]


def mobile_file(candidates: list[str], prefix: str = "X") -> bytes:
    return xlsx([HEADER] + [customer_row(customer_no=f"{prefix}{i:05d}", name=f"候选{i}",
                                         mobile=m) for i, m in enumerate(candidates)])


def all_text(preview: Any) -> str:
    """Everything the page can show of a preview, both languages."""
    parts = [i.message(lang) for o in preview.outcomes for i in o.issues for lang in ("zh", "en")]
    parts += [str(s.values) + s.status_label() for s in preview.sample]
    parts += [w.message() for w in preview.warnings]
    return "\n".join(parts)


def flagged(db: Session) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(
        AuditEntry.action == probes.FLAGGED_ACTION)))


@pytest.mark.parametrize("mode", ["update", "skip"])
def test_trainer_mobile_candidates_learn_only_a_held_count(
        db: Session, hidden: dict[str, Any], mode: str) -> None:
    candidates = mobile_candidates(100)
    assert HIDDEN_MOBILE in candidates
    preview = preview_import(db, hidden["trainer"], mobile_file(candidates), "probe.xlsx",
                             on_duplicate=mode)  # type: ignore[arg-type]
    text = all_text(preview)
    assert NAME not in text and hidden["customer_no"] not in text
    assert preview.summary.held == 1
    assert preview.summary.duplicates == 0 and preview.summary.rejected == 0
    assert preview.summary.inserted == 99
    # no row is singled out: the sample does not show statuses when rows are held
    assert all(s.status is None for s in preview.sample)


def test_trainer_cannot_choose_the_customer_an_update_writes_by_a_hidden_key(
        db: Session, hidden: dict[str, Any]) -> None:
    data = xlsx([HEADER, customer_row(name="改名了", mobile=HIDDEN_MOBILE, title="经理")])
    preview = preview_import(db, hidden["trainer"], data, "u.xlsx", on_duplicate="update")
    result = commit_import(db, hidden["trainer"], preview)
    db.commit()
    db.expire_all()
    assert result.summary.updated == 0 and result.summary.held == 1
    assert db.get(Customer, hidden["customer_id"]).name == NAME  # type: ignore[union-attr]
    hold = db.scalars(select(ImportHold)).one()
    assert (hold.rows, hold.status, hold.on_duplicate) == (1, "open", "update")
    assert HIDDEN_MOBILE not in hold.payload  # encrypted


def test_clerk_id_number_candidates_are_held_and_too_many_refused_up_front(
        db: Session, hidden: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    clerk = hidden["clerk"]
    ids = [rid(k, birth="19850617") for k in range(400, 440)]
    assert HIDDEN_ID in ids
    data = xlsx([HEADER] + [customer_row(customer_no=f"Y{i:05d}", name=f"候选{i}",
                                         mobile=f"139{i:08d}", id_number=v)
                            for i, v in enumerate(ids)])
    preview = preview_import(db, clerk, data, "ids.xlsx", on_duplicate="update")
    assert NAME not in all_text(preview) and hidden["customer_no"] not in all_text(preview)
    assert (preview.summary.held, preview.summary.inserted) == (1, 39)
    # the clerk may see contacts: a mobile match is reported as before
    dup = xlsx([HEADER, customer_row(name="某人", mobile=HIDDEN_MOBILE)])
    shown = preview_import(db, clerk, dup, "m.xlsx")
    assert shown.summary.duplicates == 1 and NAME in all_text(shown)
    # a file with more 证件号码 than the hourly allowance is refused before matching
    get_settings.cache_clear()
    monkeypatch.setattr("services.access.probes.get_settings",
                        lambda: replace(get_settings(), hidden_id_values_per_hour=60))
    more = xlsx([HEADER] + [customer_row(name=f"候选{i}", mobile=f"137{i:08d}",
                                         id_number=rid(k, birth="19850618"))
                            for i, k in enumerate(range(100, 130))])
    with pytest.raises(ExcelRefused) as refused:
        preview_import(db, clerk, more, "more.xlsx")
    assert "60" in refused.value.message("zh") and "60" in refused.value.message("en")
    db.rollback()  # the caller's rollback does not undo the flagged entry
    entry = flagged(db)[-1]
    assert entry.username == clerk.username and entry.detail["limit"] == "id"


def test_past_the_hourly_limit_a_matching_preview_is_refused_and_flagged(
        db: Session, hidden: dict[str, Any]) -> None:
    trainer = hidden["trainer"]
    limit = get_settings().hidden_match_limit_per_hour
    assert limit == 5
    for n in range(limit):  # five different probes, each finding the customer
        preview = preview_import(db, trainer, mobile_file([HIDDEN_MOBILE] + mobile_candidates(
            3, start=10 * n)), f"p{n}.xlsx")
        assert preview.summary.held == 1
    again = preview_import(db, trainer, mobile_file([HIDDEN_MOBILE] + mobile_candidates(
        3, start=0)), "p0-again.xlsx")  # the same probe again is not a new one
    assert again.summary.held == 1
    no_match = preview_import(db, trainer, mobile_file(mobile_candidates(3, start=900)),
                              "fresh.xlsx")  # finds nothing: allowed
    assert no_match.summary.held == 0
    with pytest.raises(ExcelRefused) as refused:
        preview_import(db, trainer, mobile_file([HIDDEN_MOBILE] + mobile_candidates(
            3, start=500)), "p6.xlsx")
    assert "5" in refused.value.message("zh")
    db.rollback()
    [entry] = flagged(db)
    assert entry.detail["limit"] == "match" and entry.detail["file_name"] == "p6.xlsx"
    assert HIDDEN_MOBILE not in str(entry.detail)


def test_every_preview_and_dry_run_is_audited(db: Session, hidden: dict[str, Any]) -> None:
    data = mobile_file(mobile_candidates(10, start=40))
    preview_import(db, hidden["trainer"], data, "seen.xlsx", on_duplicate="update")
    db.rollback()  # a preview writes nothing else; its audit entry stays
    run_import(db, hidden["manager"], data, "dry.xlsx", dry_run=True)
    db.rollback()
    db.expire_all()
    entries = {e.action: e for e in db.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(["import.preview", "import.dry_run"])))}
    p, d = entries["import.preview"], entries["import.dry_run"]
    assert p.username == hidden["trainer"].username
    assert (p.detail["file_name"], p.detail["rows"], p.detail["held"]) == ("seen.xlsx", 10, 1)
    assert (d.username, d.detail["file_name"], d.detail["rows"]) == (
        hidden["manager"].username, "dry.xlsx", 10)
    assert d.detail["held"] == 0  # a manager may see every key: nothing is held


def test_a_clerk_importing_1000_new_customers_is_not_refused(
        db: Session, hidden: dict[str, Any]) -> None:
    rows = [customer_row(name=f"新客户{i}", mobile=f"135{i:08d}",
                         id_number=rid(i % 1000, birth=f"1970{1 + i // 1000 % 12:02d}15"))
            for i in range(1000)]
    data = xlsx([HEADER] + rows)
    clerk = hidden["clerk"]
    for _ in range(3):  # previewing again and again counts nothing new
        preview = preview_import(db, clerk, data, "new.xlsx")
    result = commit_import(db, clerk, preview)
    db.commit()
    assert (result.summary.inserted, result.summary.held) == (1000, 0)
    used = probes.used(db, clerk)
    assert used == {"contact": 0, "id": 1000, "match": 0}
    assert not flagged(db)


def test_held_rows_reach_a_manager_who_imports_or_discards_them(
        db: Session, hidden: dict[str, Any]) -> None:
    from services.access import holds
    from services.excel import held_rows, import_hold

    data = xlsx([HEADER, customer_row(name=NAME, mobile=HIDDEN_MOBILE, title="总监"),
                 customer_row(name="新人", mobile="13900000001")])
    trainer, manager = hidden["trainer"], hidden["manager"]
    preview = preview_import(db, trainer, data, "held.xlsx", on_duplicate="update")
    result = commit_import(db, trainer, preview)
    db.commit()
    assert (result.summary.inserted, result.summary.held) == (1, 1)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        holds.list_holds(db, trainer)
    [group] = holds.list_holds(db, manager)
    assert (group.rows, group.username, group.file_name) == (1, trainer.username, "held.xlsx")
    [row] = held_rows(db, manager, group.id)
    assert row["手机号"] == HIDDEN_MOBILE and NAME in row["匹配到的客户"]
    done = import_hold(db, manager, group.id)
    db.commit()
    db.expire_all()
    assert done.summary.updated == 1
    assert db.get(Customer, hidden["customer_id"]).title == "总监"  # type: ignore[union-attr]
    assert holds.list_holds(db, manager) == []
    assert db.scalars(select(ImportHold)).one().status == "imported"
    # a second group, discarded
    preview = preview_import(db, trainer, data, "again.xlsx", on_duplicate="skip")
    commit_import(db, trainer, preview)
    db.commit()
    [group] = holds.list_holds(db, manager)
    holds.discard_hold(db, manager, group.id)
    db.commit()
    assert holds.list_holds(db, manager) == []
    actions = set(db.scalars(select(AuditEntry.action)))
    assert {"import.hold_import", "import.hold_discard"} <= actions


def test_probe_counters_hold_no_values(db: Session, hidden: dict[str, Any]) -> None:
    preview_import(db, hidden["trainer"], mobile_file(mobile_candidates(5, start=40)), "x.xlsx")
    db.expire_all()
    digests = [p.digest for p in db.scalars(select(HiddenKeyProbe))]
    assert len(digests) == 6  # five values and one match
    assert all(len(d) == 64 and "131" not in d[:3] for d in digests)


def test_status_held_has_labels() -> None:
    from core.i18n import t

    assert t("excel.status.held", "zh") and t("excel.status.held", "en")
    assert Status.HELD.value == "held"


def test_a_trainer_names_the_customer_of_a_record_by_number_not_by_hidden_mobile(
        db: Session, hidden: dict[str, Any]) -> None:
    from services.excel import KINDS

    header = ["客户编号", "手机号", "订单编号", "下单日期", "产品", "数量", "金额", "支付方式"]
    rows = [header, [None, HIDDEN_MOBILE, "SO-1", "2026-01-02", "咨询", 1, 10, None],
            [None, "13100000000", "SO-2", "2026-01-02", "咨询", 1, 10, None],
            [hidden["customer_no"], "13100000000", "SO-3", "2026-01-02", "咨询", 1, 10, None]]
    data = xlsx(rows, KINDS["orders"].sheet)
    preview = preview_import(db, hidden["trainer"], data, "orders.xlsx", kind="orders")
    # the existing and the unknown mobile get the same answer; the number names the customer
    first, second, third = preview.outcomes
    assert first.status is second.status is Status.REJECTED
    assert first.messages() == second.messages()
    assert third.status is Status.NEW
    manager = preview_import(db, hidden["manager"], data, "orders.xlsx", kind="orders")
    assert manager.outcomes[0].status is Status.NEW  # a manager may name it by mobile


def test_a_demo_reset_clears_held_rows(db: Session, engine: Any, hidden: dict[str, Any]) -> None:
    from services import demo
    from services.system import database_facts

    data = xlsx([HEADER, customer_row(name="某人", mobile=HIDDEN_MOBILE)])
    preview = preview_import(db, hidden["trainer"], data, "held.xlsx")
    assert commit_import(db, hidden["trainer"], preview).summary.held == 1
    db.commit()
    with engine.begin() as conn:
        database_facts.stamp_demo(conn)
    demo.reset_demo(engine, hidden["trainer"], customers=5)
    db.expire_all()
    assert db.scalars(select(ImportHold)).all() == []
