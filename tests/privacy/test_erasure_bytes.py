"""Erasure (data-protection.md, "Erasure"): ``manage.py erase-customer`` clears exactly the
personal fields, scrubs every copy (search index, audit entries, import history, held rows),
leaves the KPIs as they were, keeps ``verify-audit`` passing, and on SQLite leaves none of
the erased bytes in the main file or the WAL."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, String, Text, cast, select
from sqlalchemy.orm import Session

import manage
from core import clock
from core.vocab import Role
from db.models import (
    AuditEntry,
    Complaint,
    Customer,
    FollowUp,
    ImportRun,
    Interaction,
    Survey,
    User,
)
from services import customers as customer_records
from services.access import audit, audit_view, crypto
from services.analysis.filters import DashboardFilter
from services.analysis.kpis import period_figures
from services.customers.lookup import CustomerQuery, search
from services.excel import run_import
from services.privacy import consent
from services.records import complaints, surveys
from services.records.contacts import add_interaction
from services.records.orders import add_order
from services.records.visits import record_unplanned
from tests.support.excel import rid, xlsx
from tests.support.factories import actor_for, make_user

NAME = "司马懿然"
MOBILE = "13987654321"
NEW_MOBILE = "13712340987"
LANDLINE = "020-87654321"
EMAIL = "simayi_ran.erase@example.cn"
OLD_EMAIL = "old.simayiran@example.cn"
ID_NUMBER = rid(417, "19850312", "44")
ADDRESS = "广州市天河区体育西路一九一号金辉大厦"
NOTES = "周末联系，家住中山大道西八十八号"
COMPANY = "蜀汉远景科技有限公司"
TITLE = "首席技术官"
TAG = "司马懿然专属"
CONTACT = "电话沟通续约事宜，客户提到女儿在读高三"
VISIT = "上门拜访讨论扩容方案细节"
FEEDBACK = "对售后响应速度非常满意的反馈"
COMPLAINT = "快递延误十天且包装破损严重的投诉"
STEP = "已联系物流公司核实延误原因"
SOLUTION = "补发新品并赠送一年延保服务"
SURVEY = "处理及时，态度很好，下次还会购买"
CONSENT_NOTE = "客户在门店签署纸质授权书编号九九八"
REASON = "客户书面要求删除个人信息"


def _escaped(value: str) -> str:
    return json.dumps(value)[1:-1]


@pytest.fixture
def seeded(engine: Engine, db: Session) -> dict[str, Any]:
    """One customer with every personal field, each kind of record with free text, an edit
    (old email in the audit), a reveal, an import that overwrote the mobile; then closed
    sessions so only the command touches the database."""
    admin = actor_for(make_user(db, "admin", role=Role.ADMIN))
    clerk = actor_for(make_user(db, "clerk", role=Role.CLERK))
    db.commit()
    cid = customer_records.create_customer(db, clerk, {
        "name": NAME, "customer_type": "个人", "gender": "男", "mobile": MOBILE,
        "phone": LANDLINE, "email": OLD_EMAIL, "id_number": ID_NUMBER, "company": COMPANY,
        "title": TITLE, "industry": "科技", "province": "广东省", "city": "广州市",
        "address": ADDRESS, "notes": NOTES, "tags": [TAG, "重要客户"]})
    db.commit()
    customer = db.get(Customer, cid)
    assert customer is not None
    customer_records.update_customer(db, clerk, cid, {"email": EMAIL}, customer.version)
    db.commit()
    customer_records.reveal(db, admin, cid, "mobile")
    today = clock.today()
    add_order(db, clerk, cid, {"order_date": today - timedelta(days=2), "product": "年度维保",
                               "quantity": 2, "amount": "8800", "payment_method": "银行转账"})
    add_interaction(db, clerk, cid, {"occurred_at": clock.now() - timedelta(hours=5),
                                     "method": "电话", "content": CONTACT})
    record_unplanned(db, clerk, cid, {"done_date": today - timedelta(days=1), "method": "上门",
                                      "purpose": "回访", "content": VISIT, "feedback": FEEDBACK,
                                      "result": "满意"}, plan_next=False)
    db.commit()
    c = complaints.create_complaint(db, clerk, cid, {
        "channel": "电话", "complaint_type": "物流配送", "description": COMPLAINT,
        "received_at": clock.now() - timedelta(hours=30)})
    db.commit()
    c = complaints.start(db, clerk, c.id, c.version)
    db.commit()
    c = complaints.add_step(db, clerk, c.id, c.version, STEP)
    db.commit()
    complaints.resolve(db, clerk, c.id, c.version, SOLUTION)
    db.commit()
    surveys.add_survey(db, clerk, cid, {"survey_date": today - timedelta(days=1), "score": 5,
                                        "channel": "短信", "comment": SURVEY})
    db.commit()
    # an export of a search by the email (the filters quote it): an entry about no record
    audit.record(db, admin, "export.customers", "customer", None,
                 detail={"rows": 1, "masked": False, "filters": {"text": EMAIL}})
    consent.record(db, clerk, cid, "营销", True, channel="表单", note=CONSENT_NOTE)
    db.commit()
    number = db.get(Customer, cid).customer_no  # type: ignore[union-attr]
    run_import(db, admin, xlsx([["客户编号", "客户名称", "手机号"], [number, NAME, NEW_MOBILE]]),
               "更新.xlsx", on_duplicate="update")
    db.commit()
    stored = db.get(Customer, cid)
    assert stored is not None and stored.mobile == NEW_MOBILE
    assert db.scalar(select(ImportRun.id).where(
        cast(ImportRun.updates, Text).contains(MOBILE))) is not None  # kept in plain text
    secrets = {"enc": stored.id_number_enc, "hash": stored.id_number_hash}
    db.close()
    return {"id": cid, "no": number, **secrets, "admin": admin}


def _values(seeded: dict[str, Any]) -> list[str]:
    return [NAME, MOBILE, NEW_MOBILE, "87654321", EMAIL, OLD_EMAIL, ID_NUMBER, ADDRESS, NOTES,
            COMPANY, TITLE, TAG, CONTACT, VISIT, FEEDBACK, COMPLAINT, STEP, SOLUTION, SURVEY,
            CONSENT_NOTE, seeded["enc"], seeded["hash"]]


def _figures(engine: Engine) -> Any:
    with Session(engine) as session:
        flt = DashboardFilter.for_period("month")
        return period_figures(session, flt), period_figures(session, flt.previous())


def _erase(no: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = manage.main(["erase-customer", no, "--reason", REASON])
    out = capsys.readouterr()
    assert code == 0, out
    return out.out


def test_erased_bytes_are_gone_from_sqlite_files(engine: Engine, seeded, capsys) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the database files are SQLite's")
    path = Path(engine.url.database or "")
    before = path.read_bytes() + (Path(f"{path}-wal").read_bytes()
                                  if Path(f"{path}-wal").exists() else b"")
    assert NAME.encode() in before or _escaped(NAME).encode() in before  # the search works
    engine.dispose()  # the command's own connections only, as in production
    _erase(seeded["no"], capsys)
    wal = Path(f"{path}-wal")
    files = {"main": path.read_bytes(), "wal": wal.read_bytes() if wal.exists() else b""}
    found = []
    for value in _values(seeded):
        for form in {value, _escaped(value)}:
            for name, data in files.items():
                for encoding in ("utf-8", "utf-16-le"):
                    if form.encode(encoding) in data:
                        found.append(f"{value!r} as {form!r} ({encoding}) in {name}")
    assert found == []


def test_erasure_clears_exactly_the_personal_fields(engine: Engine, seeded, capsys) -> None:
    figures = _figures(engine)
    with Session(engine) as session:
        kept = session.execute(select(
            Customer.customer_type, Customer.industry, Customer.province, Customer.city,
            Customer.tier, Customer.created_at, Customer.first_order_at, Customer.last_order_at,
            Customer.source).where(Customer.id == seeded["id"])).one()
    _erase(seeded["no"], capsys)
    with Session(engine) as session:
        c = session.get(Customer, seeded["id"])
        assert c is not None
        assert c.name == f"已删除客户{seeded['no']}"
        for field in ("gender", "mobile", "mobile_last4", "phone", "email", "id_number_enc",
                      "id_number_hash", "address", "notes", "company", "title"):
            assert getattr(c, field) is None, field
        assert [t.name for t in c.tags] == ["重要客户"]  # the tag naming the person went
        assert session.execute(select(
            Customer.customer_type, Customer.industry, Customer.province, Customer.city,
            Customer.tier, Customer.created_at, Customer.first_order_at, Customer.last_order_at,
            Customer.source).where(Customer.id == seeded["id"])).one() == kept
        assert session.scalars(select(Interaction.content)).all() == [""]
        assert set(session.execute(select(FollowUp.content, FollowUp.feedback)).all()) == {
            (None, None)}
        assert session.execute(select(Complaint.description, Complaint.handling_steps,
                                      Complaint.solution, Complaint.status)).one()[:3] == (
            "", None, None)
        assert session.scalars(select(Survey.comment)).all() == [None]
        assert search(session, seeded["admin"], CustomerQuery(text=NAME[:2]))[1] == 0
        assert search(session, seeded["admin"], CustomerQuery(text="已删除客户"))[1] == 1
        erasure = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "customer.erase")).one()
        assert erasure.detail["customer_no"] == seeded["no"]
        assert erasure.detail["reason"] == REASON
        assert erasure.detail["entries"] > 5
        assert erasure.username == "cli"
        texts = " ".join(str(v) for v in session.execute(select(
            cast(AuditEntry.changes, String), cast(AuditEntry.detail, String))).all())
        for value in _values(seeded):
            assert value not in texts and _escaped(value) not in texts, value
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        shown = " ".join(line.details for line in audit_view.lines(session, entries))
        assert NAME not in shown and "客户名称：— → —" in shown  # scrubbed, still readable
        history = customer_records.change_history(session, seeded["admin"], seeded["id"])
        assert history
        imports = " ".join(str(v) for v in session.scalars(
            select(cast(ImportRun.updates, String))))
        assert MOBILE not in imports and "before" in imports
    assert _figures(engine) == figures  # the orders, visit, complaint and survey still count
    assert figures[0].active_customers == 1 and figures[0].resolved_complaints == 1


def test_every_table_is_free_of_the_values(engine: Engine, seeded, capsys) -> None:
    """Both engines: no text column of any table holds an erased value afterwards."""
    _erase(seeded["no"], capsys)
    meta = MetaData()
    meta.reflect(engine)
    found = []
    with engine.connect() as conn:
        for table in sorted(meta.tables.values(), key=lambda t: t.name):
            for row in conn.execute(select(*[cast(c, Text) for c in table.columns])):
                text = " ".join(v for v in row if v)
                found += [f"{v} in {table.name}" for v in _values(seeded)
                          if v in text or _escaped(v) in text]
    assert found == []


def test_verify_audit_passes_after_erasures(engine: Engine, seeded, capsys) -> None:
    _erase(seeded["no"], capsys)
    assert manage.main(["verify-audit"]) == 0, capsys.readouterr()
    assert manage.main(["erase-customer", seeded["no"], "--reason", "again"]) == 1
    assert "已经删除" in capsys.readouterr().err
    assert manage.main(["verify-audit"]) == 0


def test_a_scrubbed_entry_changed_afterwards_is_caught(engine: Engine, seeded, capsys) -> None:
    """Erasure opens no door: an entry marked erased without an erasure counting it fails."""
    from sqlalchemy import text
    _erase(seeded["no"], capsys)
    with engine.begin() as conn:
        other = conn.scalar(select(AuditEntry.id).where(AuditEntry.erased_by.is_(None),
                                                        AuditEntry.action != "customer.erase"))
        erasure = conn.scalar(select(AuditEntry.id).where(AuditEntry.action == "customer.erase"))
        conn.execute(text("UPDATE audit_log SET salt = NULL, changes = NULL, erased_by = :e "
                          "WHERE id = :i"), {"e": erasure, "i": other})
    assert manage.main(["verify-audit"]) == 1
    assert "审计日志已被篡改" in capsys.readouterr().err


def test_erasure_needs_a_reason_and_an_admin(engine: Engine, seeded, capsys) -> None:
    from services.access.roles import PermissionDenied
    from services.privacy.erasure import ErasureError, erase_customer

    with Session(engine) as session:
        clerk = actor_for(session.scalars(select(User).where(User.username == "clerk")).one())
        with pytest.raises(PermissionDenied):
            erase_customer(session, clerk, seeded["id"], REASON)
        with pytest.raises(ErasureError):
            erase_customer(session, seeded["admin"], seeded["id"], "   ")
    assert manage.main(["erase-customer", "C0000000000", "--reason", "x"]) == 1
    assert crypto.keyed_hash(ID_NUMBER) == seeded["hash"]
