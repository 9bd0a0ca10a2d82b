"""AppTest of 续约管理 for every role: the due list with risk beside each contract, the window
picker, the outcome dialog (refusal under its field, renewal creating the next contract,
read-only outside demo mode), renewal records, targets (set by managers only), and the
profile's contract dialogs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from components.contract_ui import PAGE_OPEN_KEY
from components.record_dialog_state import OPEN_KEY
from core import clock
from core.vocab import Role
from db.models import AuditEntry, Complaint, Contract, Renewal, RenewalTarget, Survey
from tests.support.app import logged_in, texts, unescaped
from tests.support.factories import make_customer, make_user

PAGE = "screens/service/renewals.py"


@pytest.fixture
def data(db):
    users = {role: make_user(db, role.value, role=role, display_name=f"{role.value}-name")
             for role in Role}
    today = clock.today()
    stamp = clock.now()
    nana = make_customer(db, name="欧阳娜娜", mobile="13912345678", tier="钻石",
                         account_manager_id=users[Role.CLERK].id)
    li = make_customer(db, name="李华", mobile="13800002222", tier="白银")
    far = make_customer(db, name="远期客户", mobile="13700003333")

    def contract(customer, no: str, days: int, amount: str = "50000") -> Contract:
        row = Contract(customer_id=customer.id, contract_no=no,
                       start_date=today + timedelta(days=days - 364),
                       end_date=today + timedelta(days=days), amount=Decimal(amount),
                       created_at=stamp)
        db.add(row)
        db.flush()
        return row

    rows = {"nana": contract(nana, "HT-NANA", 10, "88000"), "li": contract(li, "HT-LI", 40),
            "far": contract(far, "HT-FAR", 200), "done": contract(li, "HT-DONE", -30)}
    db.add_all([
        Survey(customer_id=nana.id, survey_date=today - timedelta(days=20), score=2,
               created_at=stamp),
        Complaint(customer_id=nana.id, channel="电话", complaint_type="服务态度",
                  description="等待太久", received_at=stamp, status="待处理", created_at=stamp),
        Survey(customer_id=li.id, survey_date=today - timedelta(days=5), score=5,
               created_at=stamp),
        Renewal(contract_id=rows["done"].id, customer_id=li.id, due_date=rows["done"].end_date,
                decided_at=stamp, outcome="未续约", reason="预算削减", created_at=stamp),
    ])
    db.commit()
    return users, rows, {"nana": nana, "li": li}


def renewals_page(role: Role, **params: str):
    at = logged_in(role).run()
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(PAGE).run()


def group(at, key: str):
    found = [g for g in at.get("button_group") if g.key == key]
    assert found, (key, [g.key for g in at.get("button_group")])
    return found[0]


def button(at, label: str):
    found = [b for b in at.button if b.label == label]
    found += [b for b in at.get("form_submit_button") if b.label == label]
    assert found, (label, [b.label for b in at.button])
    return found[0]


@pytest.mark.parametrize("role", list(Role))
def test_due_list_with_risk_for_every_role(data, role: Role) -> None:
    at = renewals_page(role)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    frame = at.dataframe[0].value
    assert frame["合同编号"].tolist() == ["HT-NANA", "HT-LI"]  # soonest first, 90 days
    nana, li = frame.iloc[0], frame.iloc[1]
    assert nana["风险"] == "⚠" and li["风险"] == ""
    assert (nana["客户等级"], nana["最近满意度"], nana["未结投诉"]) == ("钻石", "2 · 不满意", 1)
    assert (li["最近满意度"], li["未结投诉"], li["续约状态"]) == ("5 · 非常满意", 0, "未记录")
    assert nana["剩余天数"] == "还有 10 天" and nana["合同金额（元）"] == "88,000.00"
    assert "13912345678" not in frame.to_string() and nana["手机号"] == "139****5678"
    assert "共 2 份合同" in texts(at)


def test_window_picker_and_filters_live_in_the_address(data) -> None:
    at = renewals_page(Role.CLERK, rwin="30")
    assert at.dataframe[0].value["合同编号"].tolist() == ["HT-NANA"]
    at.selectbox(key="rout").set_value("all").run()
    assert at.dataframe[0].value["合同编号"].tolist() == ["HT-DONE", "HT-NANA"]
    at.toggle(key="roverdue").set_value(False).run()
    assert at.dataframe[0].value["合同编号"].tolist() == ["HT-NANA"]
    at.selectbox(key="rtier").set_value("白银").run()
    assert "没有符合条件的合同" in texts(at)
    at = renewals_page(Role.CLERK)
    at.selectbox(key="ram").set_value("me").run()  # the clerk manages 欧阳娜娜
    assert at.dataframe[0].value["合同编号"].tolist() == ["HT-NANA"]


def open_contract(role: Role, contract_id: int):
    at = logged_in(role).run()
    at.switch_page(PAGE).run()
    at.session_state[PAGE_OPEN_KEY] = contract_id
    return at.run()


def test_not_renewed_needs_a_reason_shown_under_the_field(data, db) -> None:
    users, rows, _ = data
    cid = rows["li"].id
    at = open_contract(Role.CLERK, cid)
    assert not at.exception, at.exception
    assert "HT-LI" in texts(at) + unescaped(" ".join(str(b.value) for b in at.get("badge")))
    group(at, f"contract_{cid}_o_outcome").set_value("未续约").run()
    button(at, "保存续约结果").click().run()
    assert not at.exception, at.exception
    assert any(e.value.startswith("未续约原因") for e in at.error)
    assert db.scalars(select(Renewal).where(Renewal.contract_id == cid)).all() == []
    at.text_area(key=f"contract_{cid}_o_reason").set_value("转投竞品")
    button(at, "保存续约结果").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    row = db.scalars(select(Renewal).where(Renewal.contract_id == cid)).one()
    assert (row.outcome, row.reason, row.user_id) == ("未续约", "转投竞品",
                                                      users[Role.CLERK].id)
    assert PAGE_OPEN_KEY not in at.session_state  # saved: the dialog closed
    assert at.dataframe[0].value["合同编号"].tolist() == ["HT-NANA"]  # decided: off the list


def test_renewed_creates_the_next_contract(data, db) -> None:
    _, rows, people = data
    cid = rows["nana"].id
    at = open_contract(Role.MANAGER, cid)
    group(at, f"contract_{cid}_o_outcome").set_value("已续约").run()
    assert at.number_input(key=f"contract_{cid}_o_new_amount").value == 88000.0
    at.text_input(key=f"contract_{cid}_o_new_contract_no").set_value("HT-NANA-2")
    at.number_input(key=f"contract_{cid}_o_new_amount").set_value(95000.0)
    button(at, "保存续约结果").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    new = db.scalars(select(Contract).where(Contract.contract_no == "HT-NANA-2")).one()
    old = db.get(Contract, cid)
    assert new.previous_contract_id == cid and new.amount == Decimal("95000.00")
    assert new.start_date == old.end_date + timedelta(days=1)
    assert new.customer_id == people["nana"].id
    row = db.scalars(select(Renewal).where(Renewal.contract_id == cid)).one()
    assert (row.outcome, row.new_contract_id, row.amount) == ("已续约", new.id,
                                                              Decimal("95000.00"))
    # Opened again, it cannot be renewed twice: no outcome form, the reason why.
    at = open_contract(Role.MANAGER, cid)
    assert not [g for g in at.get("button_group") if g.key == f"contract_{cid}_o_outcome"]
    assert "不能再次续约" in " ".join(i.value for i in at.info)


def test_trainer_outside_demo_mode_reads_only(data, real_database) -> None:
    _, rows, _ = data
    at = open_contract(Role.TRAINER, rows["done"].id)
    assert not at.exception, at.exception
    assert "预算削减" in " ".join(t.value for t in at.text)
    outcome_key = f"contract_{rows['done'].id}_o_outcome"
    assert not [g for g in at.get("button_group") if g.key == outcome_key]
    assert "只能查看" in texts(at)


def test_correcting_a_decision_needs_the_checkbox(data, db) -> None:
    _, rows, _ = data
    cid = rows["done"].id
    at = open_contract(Role.CLERK, cid)
    group(at, f"contract_{cid}_o_outcome").set_value("跟进中").run()
    assert button(at, "保存续约结果").disabled
    at.checkbox(key=f"contract_{cid}_o_correct").check().run()
    at.text_area(key=f"contract_{cid}_o_note").set_value("客户又有意向")
    button(at, "保存续约结果").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    row = db.scalars(select(Renewal).where(Renewal.contract_id == cid)).one()
    assert (row.outcome, row.reason, row.decided_at) == ("跟进中", "客户又有意向", None)
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "renewal.correct")).one()


@pytest.mark.parametrize("role", list(Role))
def test_records_tab(data, role: Role) -> None:
    at = renewals_page(role, rtab="续约记录")
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert frame["合同编号"].tolist() == ["HT-DONE"]
    assert frame.iloc[0]["续约状态"] == "未续约" and frame.iloc[0]["原因 / 说明"] == "预算削减"


@pytest.mark.parametrize("role", list(Role))
def test_targets_are_set_by_managers_only(data, db, role: Role) -> None:
    at = renewals_page(role, rtab="续约目标")
    assert not at.exception, at.exception
    can_set = role in (Role.ADMIN, Role.MANAGER)
    assert bool([b for b in at.button if b.label == "保存目标"]) is can_set
    if not can_set:
        assert "您可以查看" in texts(at)
        return
    today = clock.today()
    slot = f"month_{date(today.year, today.month, 1).isoformat()}"
    at.number_input(key=f"target_set_rate_{slot}").set_value(82.5)
    at.number_input(key=f"target_set_amount_{slot}").set_value(1200000.0)
    button(at, "保存目标").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    target = db.scalars(select(RenewalTarget)).one()
    assert (target.period_kind, target.period_start, target.target_rate,
            target.target_amount) == ("month", date(today.year, today.month, 1),
                                      Decimal("82.50"), Decimal("1200000.00"))
    at.run()
    assert "82.50%" in at.dataframe[0].value.to_string()


def test_profile_adds_a_contract_that_shows_in_the_timeline(data, db) -> None:
    _, _, people = data
    li = people["li"]
    at = logged_in(Role.CLERK).run()
    at.query_params["id"] = str(li.id)
    at.switch_page("screens/customers/profile.py").run()
    assert any(b.label == "合同" for b in at.button)
    at.session_state[OPEN_KEY] = {"customer_id": li.id, "kind": "contract", "record_id": None}
    at.run()
    prefix = f"contract_add_{li.id}"
    at.text_input(key=f"{prefix}_contract_no").set_value("HT-NEW-1")
    at.date_input(key=f"{prefix}_end_date").set_value(clock.today() - timedelta(days=400))
    button(at, "保存").click().run()
    assert not at.exception, at.exception
    assert any("结束日期" in e.value for e in at.error)  # under its field
    at.date_input(key=f"{prefix}_end_date").set_value(clock.today() + timedelta(days=364))
    at.number_input(key=f"{prefix}_amount").set_value(30000.0)
    button(at, "保存").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    new = db.scalars(select(Contract).where(Contract.contract_no == "HT-NEW-1")).one()
    assert new.customer_id == li.id and new.amount == Decimal("30000.00")
    at.run()
    timeline = " ".join(df.value.to_string() for df in at.dataframe)
    assert "合同 HT-NEW-1" in timeline


@pytest.mark.parametrize("role,masked", [(Role.CLERK, True), (Role.MANAGER, False)])
def test_export_of_the_due_list_is_audited_and_masked_by_role(data, db, role: Role,
                                                              masked: bool) -> None:
    at = renewals_page(role)
    button(at, "生成 Excel 文件").click().run()
    assert not at.exception, at.exception
    assert at.get("download_button"), "no download offered"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.renewals_due")
                       ).one()
    assert entry.detail["rows"] == 2 and entry.detail["filters"]["masked"] is masked
