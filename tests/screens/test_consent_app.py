"""Consent on the screens (AppTest): the new-customer form records it, the profile shows the
state and history and withdraws in one step (audited), the list filters on it, the export
controls offer a marketing export that says how many it leaves out; in Chinese and English."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.vocab import Role
from db.models import AuditEntry, ConsentEntry, Customer, User
from services.privacy import consent
from tests.support.app import logged_in, texts
from tests.support.factories import actor_for, make_customer, make_user

PROFILE = "screens/customers/profile.py"


def _clerk(db: Session, language: str | None = None) -> User:
    user = make_user(db, "clerk", Role.CLERK)
    user.language = language
    db.commit()
    return user


def _profile(customer_id: int, role: Role = Role.CLERK) -> AppTest:
    at = logged_in(role).run()
    at.switch_page(PROFILE)
    at.query_params["id"] = str(customer_id)
    at.run()
    assert not at.exception, at.exception
    return at


def test_new_customer_form_records_consent(db: Session) -> None:
    _clerk(db)
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    assert not at.exception, at.exception
    assert "个人信息授权" in texts(at)
    at.text_input(key="new_name").set_value("授权新客户")
    at.text_input(key="new_mobile").set_value("13700005555")
    at.radio(key="new_consent_service").set_value("yes")
    at.radio(key="new_consent_marketing").set_value("no")
    at.selectbox(key="new_consent_channel").set_value("电话")
    at.text_input(key="new_consent_note").set_value("来电录音 0815")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    saved = db.scalar(select(Customer).where(Customer.name == "授权新客户"))
    assert saved is not None
    assert (saved.consent_service, saved.consent_marketing) == (True, False)
    entries = db.scalars(select(ConsentEntry).where(ConsentEntry.customer_id == saved.id)
                         .order_by(ConsentEntry.purpose)).all()
    assert [(e.purpose, e.granted, e.channel, e.note) for e in entries] == [
        ("服务", True, "电话", "来电录音 0815"), ("营销", False, "电话", "来电录音 0815")]


def test_form_left_blank_records_nothing(db: Session) -> None:
    _clerk(db)
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.text_input(key="new_name").set_value("未问授权客户")
    at.text_input(key="new_mobile").set_value("13700006666")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    saved = db.scalar(select(Customer).where(Customer.name == "未问授权客户"))
    assert saved is not None and saved.consent_marketing is None
    assert db.scalar(select(ConsentEntry.id)) is None


def test_profile_shows_state_history_and_withdraws_in_one_step(db: Session) -> None:
    user = _clerk(db)
    customer = make_customer(db, name="撤回测试客户")
    db.commit()
    actor = actor_for(user)
    consent.record(db, actor, customer.id, "服务", True, channel="表单", note="纸质授权书 7 号")
    consent.record(db, actor, customer.id, "营销", True, channel="在线")
    db.commit()
    at = _profile(customer.id)
    assert "营销：已授权" in texts(at) and "服务：已授权" in texts(at)
    table = [df.value for df in at.dataframe]
    history = next(t for t in table if "依据说明" in t.columns)
    assert list(history["用途"]) == ["营销", "服务"]
    assert "纸质授权书 7 号" in list(history["依据说明"])
    at.button(key=f"consent_wd_{customer.id}_营销_do").click().run()
    assert not at.exception, at.exception
    db.expire_all()
    assert db.get(Customer, customer.id).consent_marketing is False
    entry = db.scalars(select(ConsentEntry).order_by(ConsentEntry.id.desc())).first()
    assert (entry.purpose, entry.granted, entry.channel) == ("营销", False, "电话")
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "consent.withdraw")).one()
    assert audit.entity_id == str(customer.id) and audit.username == "clerk"
    # the withdrawn purpose offers no second withdrawal; service still can be withdrawn
    keys = {b.key for b in at.button}
    assert f"consent_wd_{customer.id}_营销_do" not in keys
    assert f"consent_wd_{customer.id}_服务_do" in keys


def test_trainer_on_a_real_database_sees_state_but_cannot_withdraw(db: Session,
                                                                   real_database) -> None:
    user = _clerk(db)
    make_user(db, "trainer", Role.TRAINER)
    customer = make_customer(db, name="只读客户")
    db.commit()
    consent.record(db, actor_for(user, demo_mode=False), customer.id, "营销", True,
                   channel="表单")
    db.commit()
    at = _profile(customer.id, Role.TRAINER)
    assert f"consent_wd_{customer.id}_营销_do" not in {b.key for b in at.button}
    assert any("依据说明" in df.value.columns for df in at.dataframe)


def test_profile_in_english(db: Session) -> None:
    user = _clerk(db, "en")
    customer = make_customer(db, name="English consent")
    db.commit()
    consent.record(db, actor_for(user), customer.id, "营销", True, channel="电话")
    db.commit()
    at = _profile(customer.id)
    assert any(t.label == "Consent" for t in at.tabs)
    history = next(df.value for df in at.dataframe if "Evidence note" in df.value.columns)
    assert list(history["Purpose"]) == ["Marketing"]
    assert list(history["Channel"]) == ["Phone"]
    assert f"consent_wd_{customer.id}_营销_do" in {b.key for b in at.button}
    assert "Marketing: Granted" in texts(at)


def _list(db: Session, **params: str) -> AppTest:
    at = logged_in(Role.CLERK).run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("screens/customers/list.py").run()
    assert not at.exception, at.exception
    return at


def _names(at: AppTest) -> list[str]:
    frames = [df.value for df in at.dataframe if "客户名称" in df.value.columns]
    return sorted(frames[0]["客户名称"]) if frames else []


def test_list_filters_on_consent(db: Session) -> None:
    user = _clerk(db)
    a, b, c = (make_customer(db, name=n) for n in ("甲客户", "乙客户", "丙客户"))
    db.commit()
    actor = actor_for(user)
    consent.record(db, actor, a.id, "营销", True, channel="表单")
    consent.record(db, actor, b.id, "营销", True, channel="表单")
    consent.withdraw(db, actor, b.id, "营销")
    db.commit()
    # the address holds the state as shown (as for the other filters), so a link reproduces it
    assert _names(_list(db, cm="已授权")) == ["甲客户"]
    assert _names(_list(db, cm="已撤回")) == ["乙客户"]
    assert _names(_list(db, cm="未记录")) == ["丙客户"]
    assert _names(_list(db, cm="未记录", cs="已授权")) == []
    at = _list(db)
    assert at.selectbox(key="cm").label == "营销授权"
    at.selectbox(key="cm").set_value("withdrawn").run()
    assert _names(at) == ["乙客户"]


def test_list_export_for_marketing_says_how_many_are_left_out(db: Session) -> None:
    user = _clerk(db)
    a = make_customer(db, name="营销甲")
    make_customer(db, name="营销乙")
    make_customer(db, name="营销丙")
    db.commit()
    consent.record(db, actor_for(user), a.id, "营销", True, channel="表单")
    db.commit()
    at = _list(db)
    at.checkbox(key="lookup_export_marketing").check().run()
    assert not at.exception, at.exception
    notes = " ".join(i.value for i in at.info)
    assert "营销导出：1 位客户，另有 2 位因无有效营销授权未导出" in notes, notes
    at.button(key="lookup_export_prepare").click().run()
    assert not at.exception, at.exception
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export.customers")).one()
    assert entry.detail["marketing"] is True and entry.detail["left_out"] == 2
    assert entry.detail["rows"] == 1


def test_import_export_page_offers_the_marketing_export(db: Session) -> None:
    _clerk(db)
    make_customer(db, name="只有一位")
    db.commit()
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/import_export.py").run()
    assert not at.exception, at.exception
    at.checkbox(key="io_export_marketing").check().run()
    assert not at.exception, at.exception
    notes = " ".join(i.value for i in at.info)
    assert "营销导出：0 位客户，另有 1 位因无有效营销授权未导出" in notes, notes


def test_form_in_english(db: Session) -> None:
    _clerk(db, "en")
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    assert not at.exception, at.exception
    labels = {r.label for r in at.radio}
    assert {"Service consent", "Marketing consent"} <= labels, labels
    assert "Consent to personal information use" in texts(at)
    assert at.selectbox(key="new_consent_channel").options[0] == "Form"


def test_organisation_form_and_profile_say_whose_consent_it_is(db: Session) -> None:
    _clerk(db)
    at = logged_in(Role.CLERK).run()
    at.switch_page("screens/customers/new.py").run()
    at.segmented_control(key="new_customer_type").set_value("企业").run()
    assert not at.exception, at.exception
    assert "联系人个人信息授权" in texts(at)
    customer = make_customer(db, name="杭州授权科技有限公司", customer_type="企业",
                             company="杭州授权科技有限公司")
    db.commit()
    at = _profile(customer.id)
    assert "联系人个人信息授权" in [h.value for h in at.subheader]
    assert "记录本单位联系人" in texts(at)
