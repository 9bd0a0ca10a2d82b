"""AppTest of 投诉处理: the queue for every role, the detail dialog's workflow (start, resolve with
a satisfaction score, refusals shown in the dialog, read-only for a trainer outside demo mode),
and the profile's complaint and survey dialogs and satisfaction summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from components.complaint_ui import QUEUE_OPEN_KEY
from components.record_dialog_state import OPEN_KEY
from core import clock
from core.vocab import Role
from db.models import Complaint, ComplaintEvent, Survey
from tests.support.app import logged_in, texts
from tests.support.factories import make_customer, make_user


@pytest.fixture
def data(db):
    users = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
             for role in Role}
    nana = make_customer(db, name="欧阳娜娜", mobile="13912345678")
    li = make_customer(db, name="李华", mobile="13800002222")
    now = clock.now()

    def complaint(customer, hours, status="待处理", **kw):
        row = Complaint(customer_id=customer.id, channel="电话", complaint_type="物流配送",
                        description=kw.pop("description", "快递未送达"),
                        received_at=now - timedelta(hours=hours), status=status,
                        created_at=now, **kw)
        db.add(row)
        db.flush()
        return row

    old = complaint(nana, 72, description="超时的投诉", handling_steps="受理登记；联系客户核实情况")
    fresh = complaint(li, 2, "处理中", handler_id=users[Role.CLERK].id,
                      description="刚收到的投诉")
    done = complaint(li, 300, "已关闭", description="早已关闭的投诉",
                     resolved_at=now - timedelta(hours=290), resolution_minutes=600,
                     solution="已补发")
    db.commit()
    return users, {"old": old, "fresh": fresh, "done": done, "nana": nana, "li": li}


def queue_page(role: Role):
    at = logged_in(role).run()
    return at.switch_page("screens/service/complaints.py").run()


def button(at, label: str):
    found = [b for b in at.button if b.label == label]
    found += [b for b in at.get("form_submit_button") if b.label == label]
    assert found, (label, [b.label for b in at.button])
    return found[0]


@pytest.mark.parametrize("role", list(Role))
def test_queue_for_every_role(data, role: Role) -> None:
    at = queue_page(role)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    frame = at.dataframe[0].value  # (AppTest gives the data; the tint shows in a browser)
    shown = frame.to_string()
    assert "欧阳娜娜" in shown and "李华" in shown and "早已关闭" not in shown  # open only
    assert "13912345678" not in shown and "139****5678" in shown
    first = frame.iloc[0]
    assert first.iloc[0] == "⚠" and first["客户"] == "欧阳娜娜"  # oldest first, overdue
    assert frame.iloc[1].iloc[0] == ""
    page = texts(at)
    assert "超时未解决 1" in page and "共 2 条投诉" in page
    handler_filter = at.selectbox(key="chandler")
    people = [o for o in handler_filter.options if o.endswith("-name")]
    assert bool(people) == (role in (Role.ADMIN, Role.MANAGER))  # others' queues: TEAM_WORK


def test_filters_change_the_queue(data) -> None:
    at = queue_page(Role.CLERK)
    at.toggle(key="coverdue").set_value(True).run()
    assert at.dataframe[0].value["客户"].tolist() == ["欧阳娜娜"]
    at.toggle(key="coverdue").set_value(False).run()
    at.selectbox(key="cstatus").set_value("all").run()
    assert len(at.dataframe[0].value) == 3
    at.selectbox(key="chandler").set_value("mine").run()
    assert at.dataframe[0].value["客户"].tolist() == ["李华"]
    at.text_input(key="cq").set_value("没有这个人").run()
    assert "没有符合条件的投诉" in texts(at)


def open_detail(role: Role, complaint_id: int):
    at = logged_in(role).run()
    at.switch_page("screens/service/complaints.py").run()
    at.session_state[QUEUE_OPEN_KEY] = complaint_id
    return at.run()


def test_detail_shows_history_and_starts(data, db) -> None:
    _, rows = data
    at = open_detail(Role.CLERK, rows["old"].id)
    assert not at.exception, at.exception
    page = texts(at)
    assert "超时的投诉" in " ".join(t.value for t in at.text)
    assert "早期记录的处理过程" in page
    steps = at.dataframe[1].value.to_string()
    assert "联系客户核实情况" in steps
    control = at.get("button_group")[0]
    assert control.options == ["开始处理", "记录处理步骤", "分配"]
    control.set_value("start").run()
    at.text_area(key=f"complaint_{rows['old'].id}_note_start").set_value("已致电客户")
    button(at, "开始处理").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    c = db.get(Complaint, rows["old"].id)
    assert c.status == "处理中" and c.handler_id is not None
    event = db.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id)).one()
    assert (event.action, event.note) == ("start", "已致电客户")
    assert at.session_state[QUEUE_OPEN_KEY] == c.id  # the dialog stays open
    assert "已开始处理" in " ".join(s.value for s in at.success)


def test_resolve_needs_solution_then_records_satisfaction(data, db) -> None:
    _, rows = data
    cid = rows["fresh"].id
    at = open_detail(Role.MANAGER, cid)
    at.get("button_group")[0].set_value("resolve").run()
    button(at, "标记为已解决").click().run()
    assert not at.exception, at.exception
    assert any("解决方案" in e.value for e in at.error)
    db.expire_all()
    assert db.get(Complaint, cid).status == "处理中"
    at.text_area(key=f"complaint_{cid}_solution").set_value("补发并致歉")
    at.selectbox(key=f"complaint_{cid}_score").set_value(4)
    at.text_input(key=f"complaint_{cid}_survey_comment").set_value("处理及时")
    button(at, "标记为已解决").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    c = db.get(Complaint, cid)
    assert c.status == "已解决" and c.solution == "补发并致歉" and c.resolution_minutes >= 120
    survey = db.scalars(select(Survey).where(Survey.complaint_id == cid)).one()
    assert (survey.score, survey.comment) == (4, "处理及时")


def test_stale_dialog_refuses_the_step(data, db) -> None:
    _, rows = data
    cid = rows["old"].id
    at = open_detail(Role.CLERK, cid)
    at.get("button_group")[0].set_value("note").run()
    c = db.get(Complaint, cid)  # someone else starts it meanwhile
    c.status = "处理中"
    db.commit()
    at.text_area(key=f"complaint_{cid}_note_note").set_value("我也打了电话")
    button(at, "记录步骤").click().run()
    assert not at.exception, at.exception
    assert any("未保存" in e.value for e in at.error)
    assert db.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == cid)).all() \
        == []


def test_trainer_outside_demo_mode_reads_only(data, real_database) -> None:
    _, rows = data
    at = open_detail(Role.TRAINER, rows["old"].id)
    assert not at.exception, at.exception
    assert "超时的投诉" in " ".join(t.value for t in at.text)
    assert at.get("button_group") == [] or not at.get("button_group")
    assert not [b for b in at.button if b.label == "删除此记录"]


def test_admin_deletes_from_the_dialog(data, db) -> None:
    _, rows = data
    cid = rows["done"].id
    at = open_detail(Role.ADMIN, cid)
    at.checkbox(key=f"complaint_{cid}_del_sure").check().run()
    button(at, "删除此记录").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Complaint, cid) is None
    assert QUEUE_OPEN_KEY not in at.session_state


# ---- from the profile --------------------------------------------------------------------------


def open_profile(role: Role, customer_id: int):
    at = logged_in(role).run()
    at.query_params["id"] = str(customer_id)
    return at.switch_page("screens/customers/profile.py").run()


def test_profile_records_a_complaint_and_a_survey(data, db) -> None:
    _, rows = data
    nana = rows["nana"]
    at = open_profile(Role.CLERK, nana.id)
    assert not at.exception, at.exception
    assert "暂无满意度调查" in texts(at)
    at.session_state[OPEN_KEY] = {"customer_id": nana.id, "kind": "complaint", "record_id": None}
    at.run()
    prefix = f"complaint_add_{nana.id}"
    button(at, "保存").click().run()  # nothing chosen: the type is missing
    assert any("投诉类型" in e.value for e in at.error)
    at.selectbox(key=f"{prefix}_type").set_value("服务态度")
    at.text_area(key=f"{prefix}_description").set_value("客服态度差")
    button(at, "保存").click().run()
    assert not at.exception, at.exception
    saved = db.scalars(select(Complaint).where(Complaint.description == "客服态度差")).one()
    assert (saved.channel, saved.status, saved.customer_id) == ("电话", "待处理", nana.id)

    at.session_state[OPEN_KEY] = {"customer_id": nana.id, "kind": "survey", "record_id": None}
    at.run()
    prefix = f"survey_add_{nana.id}"
    at.radio(key=f"{prefix}_score").set_value(2)
    button(at, "保存").click().run()
    assert not at.exception, at.exception
    assert db.scalars(select(Survey).where(Survey.customer_id == nana.id)).one().score == 2
    at.run()
    assert "最近满意度" in [m.label for m in at.metric]
