"""The demo seeder: counts, determinism, validity, coverage of every vocabulary, and reset.

Small numbers of customers keep this file fast; the million-customer run lives in bench/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select

from core.regions import PROVINCES
from core.settings import Settings, load_settings
from core.vocab import COMPLAINT_TYPES, Lifecycle, Tier, ValueSegment
from db.engine import make_engine
from db.models import (
    AuditEntry,
    Complaint,
    Contract,
    Customer,
    FollowUp,
    Interaction,
    NumberCounter,
    Order,
    Renewal,
    Survey,
    Tag,
    User,
    customer_tags,
)
from services import demo
from services.access import crypto
from services.access.passwords import check_password
from services.customers import idcodes
from services.customers import tier_rules as tiering
from services.demo import DEMO_ACCOUNTS, DEMO_TAGS, DemoDataPresent, seed_demo
from services.demo import seed as demo_seed

TODAY = date(2026, 6, 30)
PROJECT = Path(__file__).resolve().parents[2]
TABLES = {
    "customers": Customer.__table__, "customer_tags": customer_tags,
    "orders": Order.__table__, "interactions": Interaction.__table__,
    "follow_ups": FollowUp.__table__, "complaints": Complaint.__table__,
    "surveys": Survey.__table__, "contracts": Contract.__table__,
    "renewals": Renewal.__table__,
}


def fresh_sqlite(template: Path, tmp_path: Path, name: str) -> Engine:
    path = tmp_path / f"{name}.db"
    shutil.copy(template, path)
    return make_engine(f"sqlite:///{path}")


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Customers (without the randomly salted ciphertext) and orders, as Python values."""
    cols = [c for c in Customer.__table__.columns if c.name != "id_number_enc"]
    with engine.connect() as conn:
        return {
            "customers": [tuple(r) for r in conn.execute(select(*cols).order_by(Customer.id))],
            "orders": [tuple(r) for r in conn.execute(select(Order).order_by(Order.id))],
            "complaints": [tuple(r) for r in conn.execute(
                select(Complaint).order_by(Complaint.id))],
        }


def count(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table)) or 0


# ---- one seeded database per backend --------------------------------------------------------

def test_counts_users_and_audit(engine: Engine) -> None:
    report = seed_demo(engine, customers=200, seed=7, today=TODAY)
    assert report.counts["customers"] == 200
    for name, table in TABLES.items():
        assert count(engine, table) == report.counts[name], name
    # Believable volumes per customer (averages over a small sample, so loose).
    assert 1.5 <= report.counts["orders"] / 200 <= 4
    assert 1 <= report.counts["interactions"] / 200 <= 3
    assert report.counts["contracts"] > 0 and report.counts["renewals"] > 0
    assert str(report.counts["orders"]) in report.summary().replace(",", "")

    with engine.connect() as conn:
        users = {u.username: u for u in conn.execute(select(User))}
        assert {a.username for a in DEMO_ACCOUNTS} | {u for u, _ in demo.ACCOUNT_MANAGERS} \
            <= set(users)
        for account in DEMO_ACCOUNTS:
            assert (users[account.username].role, users[account.username].display_name) == (
                account.role, account.display_name)
        assert check_password("admin-demo", users["admin"].password_hash)
        assert users["am01"].password_hash.startswith("$argon2id$")  # hash of an unknown password
        managers = set(conn.scalars(select(Customer.account_manager_id).distinct()))
        allowed = {users[u].id for u in ("manager", "clerk", *(u for u, _ in
                                                               demo.ACCOUNT_MANAGERS))}
        assert managers <= allowed and len(managers) >= 6
        assert sorted(conn.scalars(select(Tag.name))) == sorted(DEMO_TAGS)
        audit = conn.execute(select(AuditEntry)).all()
        assert [(a.action, a.username, a.user_id) for a in audit] == [("demo.seed", "cli", None)]
        assert audit[0].detail["customers"] == 200


def test_rows_are_valid_and_consistent(engine: Engine, settings: Settings) -> None:
    seed_demo(engine, customers=200, seed=11, today=TODAY)
    with engine.connect() as conn:
        customers = conn.execute(select(Customer.__table__)).all()
        orders = conn.execute(select(Order.customer_id, Order.order_date, Order.amount,
                                     Order.order_no)).all()
        contacts = conn.execute(select(Interaction.customer_id, Interaction.occurred_at)).all()
        done = conn.execute(select(FollowUp.customer_id, FollowUp.done_date)
                            .where(FollowUp.done_date.is_not(None))).all()
        sequences = dict(conn.execute(select(NumberCounter.name, NumberCounter.value)).all())

    mobiles = [c.mobile for c in customers]
    assert all(re.fullmatch(r"1[3-9]\d{9}", m) for m in mobiles)
    assert len(set(mobiles)) == len(mobiles)
    emails = [c.email for c in customers if c.email]
    assert len(set(emails)) == len(emails) and all("@" in e for e in emails)
    assert len({o.order_no for o in orders}) == len(orders)
    assert set(c.province for c in customers) <= set(PROVINCES)
    assert set(c.industry for c in customers) <= set(settings.industries)

    per_year: Counter[str] = Counter()
    for c in customers:
        number = crypto.decrypt(c.id_number_enc)
        assert c.id_number_hash == crypto.keyed_hash(number)
        if c.customer_type == "个人":
            assert idcodes.is_valid_resident_checksum(number), number
            assert idcodes.resident_is_male(number) == (c.gender == "男")
            assert idcodes.resident_birth_date(number) is not None
        else:
            assert idcodes.is_valid_credit_code(number), number
            assert c.gender is None
        year = tiering.local_date(c.created_at).year
        assert re.fullmatch(rf"C{year}\d{{6}}", c.customer_no)
        per_year[str(year)] += 1
    assert {k.split(":")[1]: v for k, v in sequences.items()} == dict(per_year)
    numbers = sorted(c.customer_no for c in customers)
    assert numbers == sorted(f"C{y}{n:06d}" for y, count in per_year.items()
                             for n in range(1, count + 1))
    by_id = sorted(customers, key=lambda c: c.id)  # ids, numbers and creation follow time
    assert [c.customer_no for c in by_id] == numbers
    assert [c.created_at for c in by_id] == sorted(c.created_at for c in customers)

    by_customer: dict[int, list] = {}
    for o in orders:
        by_customer.setdefault(o.customer_id, []).append(o)
    last_contact: dict[int, date] = {}
    for cid, when in contacts:
        day = tiering.local_date(when)
        last_contact[cid] = max(last_contact.get(cid, day), day)
    for cid, day in done:
        last_contact[cid] = max(last_contact.get(cid, day), day)
    since = tiering.twelve_months_start(TODAY)
    for c in customers:
        mine = by_customer.get(c.id, [])
        assert c.first_order_at == min((o.order_date for o in mine), default=None)
        assert c.last_order_at == max((o.order_date for o in mine), default=None)
        assert c.last_contact_at == last_contact.get(c.id)
        recent = [o for o in mine if o.order_date >= since]
        spend = sum((o.amount for o in recent), Decimal(0))
        tenure = tiering.tenure_years(c.created_at, TODAY)
        assert c.tier == tiering.compute_tier(spend, len(recent), tenure, settings.tier_rules)
        assert c.lifecycle == tiering.compute_lifecycle(
            c.created_at, c.first_order_at, c.last_order_at, c.last_contact_at, TODAY, settings)
        assert c.value_segment == tiering.compute_value_segment(
            c.tier, c.lifecycle, spend, settings.tier_rules)
        assert all(o.order_date < TODAY for o in mine)


def test_refuses_existing_data_and_reset_keeps_users_and_audit(engine: Engine) -> None:
    seed_demo(engine, customers=60, seed=1, today=TODAY)
    with engine.connect() as conn:
        users_before = conn.execute(select(User.id, User.username).order_by(User.id)).all()
        audit_before = conn.execute(select(AuditEntry).order_by(AuditEntry.id)).all()
    with pytest.raises(DemoDataPresent):
        seed_demo(engine, customers=60, seed=1, today=TODAY)
    assert count(engine, AuditEntry.__table__) == len(audit_before)

    report = seed_demo(engine, customers=40, seed=2, today=TODAY, reset=True)
    assert report.reset and report.users_created == 0
    for name, table in TABLES.items():
        assert count(engine, table) == report.counts[name], name
    assert count(engine, Customer.__table__) == 40
    with engine.connect() as conn:
        assert conn.execute(select(User.id, User.username).order_by(User.id)).all() \
            == users_before
        audit_after = conn.execute(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert count(engine, Tag.__table__) == len(DEMO_TAGS)
        assert sum(conn.scalars(select(NumberCounter.value))) == 40
    assert audit_after[:-1] == audit_before
    assert (audit_after[-1].action, audit_after[-1].username) == ("demo.reset", "cli")


def test_same_seed_same_data_on_every_backend(engine: Engine, sqlite_template: Path,
                                              tmp_path: Path) -> None:
    """This backend's database against a fresh SQLite file: identical rows, value for value."""
    seed_demo(engine, customers=150, seed=5, today=TODAY)
    other = fresh_sqlite(sqlite_template, tmp_path, "other")
    seed_demo(other, customers=150, seed=5, today=TODAY)
    assert snapshot(engine) == snapshot(other)


def test_large_loads_rebuild_the_same_indexes_and_keys(engine: Engine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Big loads drop secondary indexes (and PostgreSQL foreign keys) and rebuild them."""
    def schema() -> dict[str, tuple]:
        insp = inspect(engine)
        return {t: (sorted((i["name"], tuple(i["column_names"]), i["unique"])
                           for i in insp.get_indexes(t)),
                    sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"],
                            f.get("options", {}).get("ondelete"))
                           for f in insp.get_foreign_keys(t)))
                for t in insp.get_table_names()}

    before = schema()
    deferred: list[demo_seed.Deferred] = []
    real = demo_seed.defer_indexes

    def spy(conn, tables):
        deferred.append(real(conn, tables))
        return deferred[-1]

    monkeypatch.setattr(demo_seed, "DEFER_INDEXES_MIN", 1)
    monkeypatch.setattr(demo_seed, "defer_indexes", spy)
    seed_demo(engine, customers=50, seed=3, today=TODAY)
    engine.dispose()
    assert len(deferred[0].indexes) >= 20
    if engine.dialect.name == "postgresql":
        assert len(deferred[0].foreign_keys) >= 15
    assert schema() == before
    assert count(engine, Customer.__table__) == 50


# ---- SQLite only ----------------------------------------------------------------------------

def test_different_seed_or_day_differs(sqlite_template: Path, tmp_path: Path) -> None:
    base = snapshot_of(sqlite_template, tmp_path, "a", seed=5, today=TODAY)
    assert snapshot_of(sqlite_template, tmp_path, "b", seed=6, today=TODAY) != base
    assert snapshot_of(sqlite_template, tmp_path, "c", seed=5,
                       today=date(2026, 7, 1)) != base


def snapshot_of(template: Path, tmp_path: Path, name: str, *, seed: int,
                today: date) -> dict[str, list[tuple]]:
    engine = fresh_sqlite(template, tmp_path, name)
    seed_demo(engine, customers=80, seed=seed, today=today)
    return snapshot(engine)


def test_generator_process_gives_the_same_rows(sqlite_template: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Large loads generate in a child process; it must produce exactly the inline rows."""
    monkeypatch.setattr(demo_seed, "CHUNK_CUSTOMERS", 30)  # several chunks, through the pipe too
    inline = snapshot_of(sqlite_template, tmp_path, "inline", seed=9, today=TODAY)
    monkeypatch.setattr(demo_seed, "PARALLEL_MIN_CUSTOMERS", 1)
    assert snapshot_of(sqlite_template, tmp_path, "child", seed=9, today=TODAY) == inline


def test_a_failing_generator_process_fails_the_load(sqlite_template: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in the child surfaces here (no hang) and the transaction rolls back."""
    broken = replace(load_settings(), industries=())  # nothing to draw an industry from
    monkeypatch.setattr(demo_seed, "get_settings", lambda: broken)
    monkeypatch.setattr(demo_seed, "PARALLEL_MIN_CUSTOMERS", 1)
    engine = fresh_sqlite(sqlite_template, tmp_path, "broken")
    with pytest.raises(RuntimeError, match="demo generator failed"):
        seed_demo(engine, customers=20, seed=1, today=TODAY)
    assert count(engine, Customer.__table__) == 0
    assert count(engine, User.__table__) == 0


def test_a_few_thousand_cover_every_vocabulary(sqlite_template: Path, tmp_path: Path) -> None:
    engine = fresh_sqlite(sqlite_template, tmp_path, "wide")
    seed_demo(engine, customers=1500, seed=42, today=TODAY)

    def values(column) -> set:
        with engine.connect() as conn:
            return set(conn.scalars(select(column).distinct()))

    assert values(Customer.province) == set(PROVINCES)
    assert values(Customer.customer_type) == {"个人", "企业", "机构"}
    assert values(Customer.industry) == set(load_settings().industries)
    assert values(Customer.tier) == {t.value for t in Tier}
    assert values(Customer.lifecycle) == {s.value for s in Lifecycle}
    assert values(Customer.value_segment) == {s.value for s in ValueSegment}
    assert values(Interaction.method) == {"电话", "邮件", "短信", "拜访", "在线"}
    assert values(Complaint.channel) == {"电话", "在线客服", "邮件", "反馈表"}
    assert values(Complaint.complaint_type) == set(COMPLAINT_TYPES)
    assert values(Complaint.status) == {"待处理", "处理中", "已解决", "已关闭"}
    assert values(Survey.score) == {1, 2, 3, 4, 5}
    assert values(Renewal.outcome) == {"已续约", "未续约", "跟进中"}
    assert values(Tag.name) == set(DEMO_TAGS)
    with engine.connect() as conn:
        channels = Counter(conn.scalars(select(Complaint.channel)))
        assert channels.most_common(1)[0][0] == "电话"
        scores = Counter(conn.scalars(select(Survey.score)))
        assert scores[4] + scores[5] > 0.6 * sum(scores.values())
        assert conn.scalar(select(func.count()).select_from(Survey)
                           .where(Survey.complaint_id.is_not(None))) > 0
        assert conn.scalar(select(func.count()).select_from(FollowUp)
                           .where(FollowUp.planned_date >= TODAY)) > 0
        assert conn.scalar(select(func.count()).select_from(Contract)
                           .where(Contract.previous_contract_id.is_not(None))) > 0
        tagged = conn.scalar(select(func.count(func.distinct(customer_tags.c.customer_id))))
        assert 0.2 * 1500 < tagged < 0.8 * 1500


def test_manage_seed_demo_help() -> None:
    result = subprocess.run([sys.executable, "manage.py", "seed-demo", "--help"], cwd=PROJECT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--customers" in result.stdout and "--seed" in result.stdout
