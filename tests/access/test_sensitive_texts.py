"""Sensitive records (issue 17, the 医疗 case): a customer tagged 健康信息 has every free text
of its record hidden from a trainee, on every path that shows, fills in or writes one out;
other roles, and other customers, are unaffected; a hidden text sent back is never stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.vocab import Role
from db.models import AuditEntry, Complaint, Customer, FollowUp, Interaction, Order, Survey
from services.access.masking import HIDDEN_TEXT, SENSITIVE_TAGS, hide_record, keep_hidden
from services.access.roles import Actor
from services.customers import tags
from services.customers.editing import edit_form, update_customer
from services.customers.history import change_history
from services.customers.profile import get_profile
from services.customers.timelines import timeline
from services.excel import run_import
from services.excel.export import export_customers_xlsx
from services.records import complaints, renewals, surveys
from services.records.contacts import add_interaction, get_interaction, update_interaction
from services.records.contracts import add_contract
from services.records.orders import add_order, get_order, update_order
from services.records.visits import (
    Due,
    WorklistFilter,
    get_visit,
    open_visits_of,
    plan_visit,
    record_unplanned,
    update_visit,
    worklist,
    worklist_xlsx,
)
from tests.support.excel import HEADER, customer_row, read_xlsx, xlsx
from tests.support.factories import make_customer, make_user

NOTES = "高血压病史，青霉素过敏"
TREATMENT = "根管治疗（右下6）"
CONTACT = "电话告知化验结果：血糖偏高"
VISIT = "术后第三天回访，伤口愈合良好"
FEEDBACK = "仍有轻微疼痛"
COMPLAINT = "拔牙后出血未得到及时处理"
STEP = "联系主治医生复核病历"
SOLUTION = "安排复诊并减免挂号费"
COMMENT = "医生讲解病情很耐心"
NOTE = "患者住院中，出院后再谈续签"
REASON = "确诊后转至肿瘤专科医院"
SECRETS = (NOTES, TREATMENT, CONTACT, VISIT, FEEDBACK, COMPLAINT, STEP, SOLUTION, COMMENT,
           NOTE, REASON)


def trainee_of(db: Session, name: str = "学员01") -> Actor:
    user = make_user(db, name, Role.CLERK)
    return Actor(user_id=user.id, username=user.username, role=Role.CLERK, demo_mode=True,
                 trainee=True)


@pytest.fixture
def clinic(db: Session, people: dict[str, Any]) -> dict[str, Any]:
    """A patient (tagged 健康信息) with one record of every kind, a plain customer with the
    same texts, the clerk who wrote them and a trainee managing both."""
    clerk = people["clerk"]
    trainee = trainee_of(db)
    patient = make_customer(db, name="病人甲", notes=NOTES, account_manager_id=trainee.user_id)
    plain = make_customer(db, name="顾客乙", notes=NOTES, account_manager_id=trainee.user_id)
    db.commit()
    tags.add_tags(db, clerk, patient.id, [SENSITIVE_TAGS[0]])
    today = clock.today()
    ids: dict[str, Any] = {"patient": patient.id, "plain": plain.id}
    for key, cid in (("p", patient.id), ("q", plain.id)):
        ids[f"{key}_order"] = add_order(db, clerk, cid, {
            "order_date": today - timedelta(days=2), "product": TREATMENT, "quantity": 1,
            "amount": "800", "payment_method": "微信支付"})
        ids[f"{key}_contact"] = add_interaction(db, clerk, cid, {
            "occurred_at": clock.now() - timedelta(hours=5), "method": "电话",
            "content": CONTACT})
        ids[f"{key}_done"] = record_unplanned(db, clerk, cid, {
            "done_date": today - timedelta(days=1), "method": "上门", "purpose": "术后回访",
            "content": VISIT, "feedback": FEEDBACK, "result": "满意"}, plan_next=False
        ).follow_up_id
        ids[f"{key}_plan"] = plan_visit(db, clerk, cid, {
            "planned_date": today, "method": "电话", "purpose": "术后回访",
            "assignee_id": trainee.user_id})
        db.commit()
        c = complaints.create_complaint(db, clerk, cid, {
            "channel": "电话", "complaint_type": "服务态度", "description": COMPLAINT,
            "received_at": clock.now() - timedelta(hours=30)})
        c = complaints.start(db, clerk, c.id, c.version)
        c = complaints.add_step(db, clerk, c.id, c.version, STEP)
        c = complaints.resolve(db, clerk, c.id, c.version, SOLUTION).complaint
        ids[f"{key}_complaint"] = c.id
        ids[f"{key}_survey"] = surveys.add_survey(db, clerk, cid, {
            "survey_date": today - timedelta(days=1), "score": 5, "channel": "短信",
            "comment": COMMENT}).id
        db.commit()
    return {"clerk": clerk, "trainee": trainee, "ids": ids, "people": people}


def texts_of(value: Any) -> str:
    return repr(value)


def leaks(value: Any) -> list[str]:
    shown = texts_of(value)
    return [s for s in SECRETS if s in shown]


# ---- the rule itself ------------------------------------------------------------------------

def test_hide_record_and_keep_hidden() -> None:
    record = {"content": CONTACT, "method": "电话", "purpose": None}
    assert hide_record(record, "follow_up") == {"content": HIDDEN_TEXT, "method": "电话",
                                                "purpose": None}
    assert hide_record(record, "follow_up", hidden=False) is record
    assert keep_hidden({"content": HIDDEN_TEXT, "method": "短信"}, record) \
        == {"content": CONTACT, "method": "短信"}


# ---- screens ----------------------------------------------------------------------------------

def test_profile_timeline_and_history_hide_texts_from_a_trainee(db: Session,
                                                                clinic: dict[str, Any]) -> None:
    trainee, clerk, ids = clinic["trainee"], clinic["clerk"], clinic["ids"]
    seen = get_profile(db, trainee, ids["patient"])
    assert seen.notes == HIDDEN_TEXT and seen.texts_hidden
    assert "*" in (seen.mobile or "")  # and never a full number
    page = timeline(db, trainee, ids["patient"])
    assert page.items and not leaks([(i.title(), i.detail_text()) for i in page.items])
    assert HIDDEN_TEXT in texts_of([i.detail_text() for i in page.items])

    # The same customer for the clerk, and the plain customer for the trainee: all shown.
    assert get_profile(db, clerk, ids["patient"]).notes == NOTES
    latest = surveys.satisfaction_summary(db, trainee, ids["patient"]).latest
    assert latest is not None and latest.comment == HIDDEN_TEXT
    latest = surveys.satisfaction_summary(db, clerk, ids["patient"]).latest
    assert latest is not None and latest.comment == COMMENT
    assert not get_profile(db, clerk, ids["patient"]).texts_hidden
    assert get_profile(db, trainee, ids["plain"]).notes == NOTES
    assert CONTACT in texts_of([i.detail_text() for i in timeline(db, clerk,
                                                                  ids["patient"]).items])
    assert CONTACT in texts_of([i.detail_text() for i in timeline(db, trainee,
                                                                  ids["plain"]).items])

    # 变更记录: an edit of the 备注 made by the clerk, its values hidden from the trainee.
    customer = db.get(Customer, ids["patient"])
    assert customer is not None
    update_customer(db, clerk, ids["patient"], {"notes": NOTES + "；糖尿病"}, customer.version)
    db.commit()
    assert not leaks([(e.before, e.after) for e in change_history(db, trainee,
                                                             ids["patient"]).entries])
    assert leaks([(e.before, e.after) for e in change_history(db, clerk, ids["patient"]).entries])


def test_complaint_queue_detail_and_worklist_hide_texts(db: Session,
                                                        clinic: dict[str, Any]) -> None:
    trainee, clerk, ids = clinic["trainee"], clinic["clerk"], clinic["ids"]
    detail = complaints.get_detail(db, trainee, ids["p_complaint"])
    assert detail.description == HIDDEN_TEXT
    assert not leaks(detail)
    assert COMPLAINT in texts_of(complaints.get_detail(db, clerk, ids["p_complaint"]))
    assert COMPLAINT in texts_of(complaints.get_detail(db, trainee, ids["q_complaint"]))

    query = complaints.ComplaintQuery(statuses=())
    rows = {r.customer_id: r for r in complaints.queue(db, trainee, query).rows}
    assert rows[ids["patient"]].description == HIDDEN_TEXT
    assert rows[ids["plain"]].description == COMPLAINT
    mine = complaints.customer_complaints(db, trainee, ids["patient"])
    assert [r.description for r in mine] == [HIDDEN_TEXT]

    work = {r.customer_id: r for r in worklist(db, trainee, WorklistFilter(due=Due.TODAY)).rows}
    assert work[ids["patient"]].purpose == HIDDEN_TEXT
    assert work[ids["plain"]].purpose == "术后回访"
    open_ones = open_visits_of(db, trainee, ids["patient"])
    assert open_ones and {v.purpose for v in open_ones} == {HIDDEN_TEXT}
    assert "术后回访" in {v.purpose for v in open_visits_of(db, trainee, ids["plain"])}


# ---- forms ----------------------------------------------------------------------------------

def test_forms_show_hidden_texts_and_keep_the_stored_ones(db: Session,
                                                          clinic: dict[str, Any]) -> None:
    trainee, ids = clinic["trainee"], clinic["ids"]
    order = get_order(db, trainee, ids["p_order"])
    contact = get_interaction(db, trainee, ids["p_contact"])
    visit = get_visit(db, trainee, ids["p_done"])
    survey = surveys.get_survey(db, trainee, ids["p_survey"])
    form = edit_form(db, trainee, ids["patient"])
    for view in (order, contact, visit, survey, form.values):
        assert not leaks(view), view
        assert HIDDEN_TEXT in texts_of(view)
    assert get_order(db, trainee, ids["q_order"]).product == TREATMENT

    # The trainee saves each form with the hidden texts as shown and one real change.
    update_order(db, trainee, ids["p_order"], {**order.values(), "quantity": 2})
    update_interaction(db, trainee, ids["p_contact"], {**contact.values(), "method": "短信"})
    update_visit(db, trainee, ids["p_done"], {
        **visit.values(("done_date", "method", "purpose", "content", "feedback", "result",
                        "next_date")), "method": "电话"})
    surveys.update_survey(db, trainee, ids["p_survey"], {**survey.values(), "score": 4})
    detail = complaints.get_detail(db, trainee, ids["p_complaint"])
    complaints.update_complaint(db, trainee, ids["p_complaint"], detail.version,
                                {**detail.values(), "channel": "邮件"})
    update_customer(db, trainee, ids["patient"], {**form.values, "title": "教师",
                                                  "tags": []}, form)
    db.commit()
    db.expire_all()
    assert db.get(Order, ids["p_order"]).product == TREATMENT  # type: ignore[union-attr]
    assert db.get(Order, ids["p_order"]).quantity == 2  # type: ignore[union-attr]
    assert db.get(Interaction, ids["p_contact"]).content == CONTACT  # type: ignore[union-attr]
    visit_row = db.get(FollowUp, ids["p_done"])
    assert visit_row is not None and (visit_row.content, visit_row.feedback, visit_row.method) \
        == (VISIT, FEEDBACK, "电话")
    survey_row = db.get(Survey, ids["p_survey"])
    assert survey_row is not None and (survey_row.comment, survey_row.score) == (COMMENT, 4)
    complaint_row = db.get(Complaint, ids["p_complaint"])
    assert complaint_row is not None
    assert (complaint_row.description, complaint_row.solution, complaint_row.channel) \
        == (COMPLAINT, SOLUTION, "邮件")
    customer = db.get(Customer, ids["patient"])
    assert customer is not None and (customer.notes, customer.title) == (NOTES, "教师")
    # The trainee's empty tag list did not take the mark off; nor does removing it by name.
    assert SENSITIVE_TAGS[0] in [t.name for t in customer.tags]
    assert SENSITIVE_TAGS[0] in tags.remove_tags(db, trainee, ids["patient"], SENSITIVE_TAGS[0])
    assert tags.bulk_untag(db, trainee, [ids["patient"]], SENSITIVE_TAGS[0]) == 0
    assert get_profile(db, trainee, ids["patient"]).texts_hidden


# ---- downloads ------------------------------------------------------------------------------

def test_downloads_hide_texts_from_a_trainee(db: Session, clinic: dict[str, Any]) -> None:
    trainee, clerk = clinic["trainee"], clinic["clerk"]
    sheets = read_xlsx(export_customers_xlsx(db, trainee))
    rows = {r[1]: r for sheet in sheets.values() for r in sheet}
    assert HIDDEN_TEXT in rows["病人甲"] and NOTES not in rows["病人甲"]
    assert NOTES in rows["顾客乙"]
    assert not any(r[1] == "病人甲" and "13800" in texts_of(r) and "*" not in texts_of(r)
                   for r in rows.values())  # the 手机号 masked as for any clerk
    clerk_rows = {r[1]: r for sheet in read_xlsx(export_customers_xlsx(db, clerk)).values()
                  for r in sheet}
    assert NOTES in clerk_rows["病人甲"]

    queue_sheets = read_xlsx(complaints.export_queue_xlsx(
        db, trainee, complaints.ComplaintQuery(statuses=())))
    queue_rows = [r for sheet in queue_sheets.values() for r in sheet]
    patient_rows = [r for r in queue_rows if "病人甲" in r]
    assert patient_rows and all(HIDDEN_TEXT in r and COMPLAINT not in r for r in patient_rows)
    assert any(COMPLAINT in r for r in queue_rows if "顾客乙" in r)

    work_sheets = read_xlsx(worklist_xlsx(db, trainee, WorklistFilter(due=Due.TODAY)))
    work_rows = [r for sheet in work_sheets.values() for r in sheet]
    assert any("病人甲" in r and HIDDEN_TEXT in r for r in work_rows)
    assert any("顾客乙" in r and "术后回访" in r for r in work_rows)


# ---- uploads --------------------------------------------------------------------------------

def test_an_update_import_by_a_trainee_keeps_hidden_texts_and_the_mark(
        db: Session, clinic: dict[str, Any]) -> None:
    """The trainee fills the export back in (备注 as ******, tags emptied): the title changes,
    the stored 备注 and the 健康信息 tag stay, and the audited change shows no text."""
    trainee, ids = clinic["trainee"], clinic["ids"]
    patient = db.get(Customer, ids["patient"])
    assert patient is not None
    row = customer_row(customer_no=patient.customer_no, name=patient.name, title="护士",
                       notes=HIDDEN_TEXT, tags="VIP")
    result = run_import(db, trainee, xlsx([HEADER, row]), "t.xlsx", on_duplicate="update")
    db.commit()
    assert result.summary.updated == 1
    db.expire_all()
    patient = db.get(Customer, ids["patient"])
    assert patient is not None and (patient.title, patient.notes) == ("护士", NOTES)
    assert sorted(t.name for t in patient.tags) == sorted(["VIP", SENSITIVE_TAGS[0]])
    entry = db.scalars(select(AuditEntry).where(
        AuditEntry.action == "customer.import_update")).one()
    assert not leaks(entry.changes)


# ---- 续约 ------------------------------------------------------------------------------------

def test_renewal_notes_and_reasons_are_hidden_from_a_trainee(
        db: Session, clinic: dict[str, Any]) -> None:
    """A contract ending soon with a 跟进中 note, one decided 未续约 with a reason: the due list,
    the records and both downloads hide them for the patient only."""
    trainee, clerk, ids = clinic["trainee"], clinic["clerk"], clinic["ids"]
    today = clock.today()
    for cid in (ids["patient"], ids["plain"]):
        soon = add_contract(db, clerk, cid, {"start_date": today - timedelta(days=300),
                                             "end_date": today + timedelta(days=20),
                                             "amount": "1200"})
        renewals.record_outcome(db, clerk, soon, "跟进中", {"note": NOTE})
        ended = add_contract(db, clerk, cid, {"start_date": today - timedelta(days=400),
                                              "end_date": today - timedelta(days=40),
                                              "amount": "1200"})
        renewals.record_outcome(db, clerk, ended, "未续约", {"reason": REASON})
    db.commit()
    due = renewals.due_renewals(db, trainee, renewals.DueQuery(outcome=None))
    notes = {r.customer_id: r.note for r in due.rows}
    assert notes[ids["patient"]] == HIDDEN_TEXT and notes[ids["plain"]] == NOTE
    records = renewals.renewal_records(db, trainee, renewals.RecordQuery(outcome="未续约"))
    reasons = {r.customer_id: r.reason for r in records.rows}
    assert reasons[ids["patient"]] == HIDDEN_TEXT and reasons[ids["plain"]] == REASON
    assert {r.customer_id: r.reason for r in renewals.renewal_records(
        db, clerk, renewals.RecordQuery(outcome="未续约")).rows}[ids["patient"]] == REASON
    for data in (renewals.export_due_renewals(db, trainee, renewals.DueQuery(outcome=None)),
                 renewals.export_renewal_records(db, trainee,
                                                 renewals.RecordQuery(outcome="未续约"))):
        rows = [r for sheet in read_xlsx(data).values() for r in sheet]
        assert any("病人甲" in r and HIDDEN_TEXT in r for r in rows)
        assert not any("病人甲" in r and (NOTE in r or REASON in r) for r in rows)
        assert any("顾客乙" in r and (NOTE in r or REASON in r) for r in rows)
