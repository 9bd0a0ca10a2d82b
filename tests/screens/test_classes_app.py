"""Issue 17 in the app (AppTest): the 班级管理 page for trainers (create a class, the login sheet
offered once and its download audited, reset passwords, close, reset the class), refused to
clerks and managers; a trainee's pages (no reveal of full numbers); the 首页's 培训快照 section
(save, list, restore) for trainers and admins; the users page shows a trainee's class.

SQLite only: a class starts from a snapshot, a backup of the database, and a PostgreSQL backup
is of a database of its own, not of a test's schema (tests/training/ covers PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role
from db.models import AuditEntry, Customer, TrainingClass, User
from services.training import snapshots
from tests.support.app import APP, logged_in, navigation_pages, texts

CLASSES = "screens/training/classes.py"


@pytest.fixture
def scene(app_people, db, engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    if engine.dialect.name != "sqlite":
        pytest.skip("a snapshot of a test's schema: SQLite only (see the module docstring)")
    monkeypatch.setattr(snapshots, "snapshot_root", lambda: tmp_path / "snaps")
    return app_people


def open_classes(role: Role) -> AppTest:
    at = logged_in(role).run()
    return at.switch_page(CLASSES).run()


def create(at: AppTest, name: str = "周末班", count: int = 2) -> AppTest:
    at.text_input(key="classes_name_0").input(name)
    at.number_input(key="classes_count_0").set_value(count)
    [b for b in at.button if b.label == "创建班级和学员账号"][0].click()
    return at.run()


def entries(db: Session, action: str) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_trainer_creates_a_class_and_gets_the_sheet_once(scene, db: Session) -> None:
    at = create(open_classes(Role.TRAINER))
    assert not at.exception
    shown = texts(at)
    assert "班级“周末班”已创建：2 个学员账号。" in [s.value for s in at.success][0]
    assert "初始密码只在这里出现一次" in shown
    (sheet,) = at.get("download_button")
    assert not entries(db, "download")
    sheet.click().run()
    (download,) = entries(db, "download")
    assert download.detail["what"] == "training.login_sheet"
    assert download.detail["trainees"] == 2
    assert entries(db, "training.class_create")[0].detail["trainees"] == 2
    trainees = db.scalars(select(User).where(User.training_class_id.is_not(None))).all()
    assert sorted(u.display_name for u in trainees) == ["学员01", "学员02"]
    assert at.selectbox(key="classes_pick").value == trainees[0].training_class_id
    # the list of classes; the sheet goes once dismissed, and cannot be made again
    assert "周末班" in at.dataframe[0].value.to_string()
    [b for b in at.button if b.key == "classes_sheet_dismiss"][0].click().run()
    assert not at.get("download_button")
    # 重置学员密码: a new sheet
    at.button(key="classes_passwords").click().run()
    assert not at.exception
    assert at.get("download_button") and entries(db, "training.class_passwords")


def test_trainer_closes_and_resets_a_class(scene, db: Session) -> None:
    at = create(open_classes(Role.TRAINER), count=1)
    cid = db.scalar(select(Customer.id).order_by(Customer.id))
    db.execute(update(Customer).where(Customer.id == cid).values(name="课上改过"))
    db.commit()
    at.radio(key="classes_reset_keep").set_value(False)
    at.button(key="classes_reset").click().run()
    assert not at.exception, at.exception
    assert "已重置到快照" in [s.value for s in at.success][0]
    db.expire_all()
    assert db.get(Customer, cid).name != "课上改过"
    assert db.scalar(select(TrainingClass.name)) == "周末班"
    (entry,) = entries(db, "training.class_reset")
    assert entry.detail["progress"] == "cleared"
    at.button(key="classes_close").click().run()
    assert not at.exception
    assert "1 个学员账号已停用" in [s.value for s in at.success][0]
    db.expire_all()
    assert not db.scalar(select(User.active).where(User.training_class_id.is_not(None)))


@pytest.mark.parametrize("role", [Role.CLERK, Role.MANAGER])
def test_clerks_and_managers_are_refused(scene, role: Role) -> None:
    at = logged_in(role).run()
    assert CLASSES not in navigation_pages(at)
    page = AppTest.from_file(str(Path(APP).parent / CLASSES), default_timeout=30)
    page.session_state["authentication_status"] = True
    page.session_state["username"] = role.value
    page.session_state["crm_login_at"] = now()
    page.run()
    assert "无权" in texts(page) or page.error
    assert not page.get("download_button") and not page.text_input


def test_trainee_sees_the_clerks_pages_and_no_reveal(scene, db: Session) -> None:
    create(open_classes(Role.TRAINER), count=1)
    trainee = db.scalar(select(User).where(User.training_class_id.is_not(None)))
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = trainee.username
    at.session_state["crm_login_at"] = now()
    at.run()
    assert not at.exception
    assert "您是培训学员" in texts(at)
    who = [c.value for c in at.sidebar.caption]
    assert "学员01（学员）" in who and not [c for c in who if "录入员" in c]
    pages = navigation_pages(at)
    assert "screens/customers/new.py" in pages and CLASSES not in pages
    assert not {p for p in pages if p.startswith(("screens/admin", "screens/analysis"))}
    customer = db.scalar(select(Customer).order_by(Customer.id))
    at.query_params["id"] = str(customer.id)
    at.switch_page("screens/customers/profile.py").run()
    assert not at.exception
    assert customer.name in texts(at) + " ".join(str(e.value) for e in at.subheader)
    assert not [b for b in at.button if (b.key or "").startswith("reveal_")]
    assert not [b for b in at.button if b.label == "查看完整"]


def test_users_page_shows_the_trainees_class(scene, db: Session) -> None:
    create(open_classes(Role.TRAINER), name="晚班", count=1)
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/users.py").run()
    table = at.dataframe[0].value
    assert "培训班级" in table.columns and "晚班" in set(table["培训班级"])


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_home_snapshot_section_saves_lists_restores(scene, db: Session, role: Role) -> None:
    at = logged_in(role).run()
    assert "培训快照" in [s.value for s in at.subheader]
    assert "还没有快照。" in texts(at)
    at.text_input(key="training_snap_name").input("第一课")
    [b for b in at.button if b.label == "保存快照"][0].click().run()
    assert not at.exception
    assert "快照 第一课 已保存" in [s.value for s in at.success][0]
    assert at.selectbox(key="training_snap_pick").value == "第一课"
    cid = db.scalar(select(Customer.id).order_by(Customer.id))
    name = db.get(Customer, cid).name
    db.execute(update(Customer).where(Customer.id == cid).values(name="快照后改过"))
    db.commit()
    at.button(key="training_snap_restore").click().run()
    assert not at.exception
    assert "快照 第一课 已恢复" in [s.value for s in at.success][0]
    db.expire_all()
    assert db.get(Customer, cid).name == name
    assert entries(db, "training.snapshot_restore")


def test_home_snapshot_list_names_the_class_and_deletes(scene, db: Session) -> None:
    """Snapshots do not pile up: the list says which class a snapshot starts, and one no open
    class uses can be deleted (audited); a running class's is refused."""
    create(open_classes(Role.TRAINER), name="周末班", count=1)
    at = logged_in(Role.TRAINER).run()
    at.text_input(key="training_snap_name").input("第一课")
    [b for b in at.button if b.label == "保存快照"][0].click().run()
    pick = at.selectbox(key="training_snap_pick")
    (of_class,) = [o for o in pick.options if "周末班" in o]
    assert "班级：周末班（进行中）" in of_class
    pick.set_value(db.scalar(select(TrainingClass.snapshot_name))).run()
    at.button(key="training_snap_delete").click().run()
    assert "进行中班级（周末班）的起始快照，不能删除" in at.error[0].value
    at.selectbox(key="training_snap_pick").set_value("第一课").run()
    at.button(key="training_snap_delete").click().run()
    assert not at.exception
    assert "快照 第一课 已删除。" in [s.value for s in at.success][0]
    assert not [o for o in at.selectbox(key="training_snap_pick").options if "第一课" in o]
    assert entries(db, "training.snapshot_delete")[0].detail["snapshot"] == "第一课"


def test_home_has_no_snapshot_section_for_clerks(scene) -> None:
    at = logged_in(Role.CLERK).run()
    assert "培训快照" not in [s.value for s in at.subheader]


def _login_form(username: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_expired_trainee_is_told_on_the_login_page(db: Session) -> None:
    from datetime import timedelta

    from tests.support.factories import make_user

    stamp = now()
    cls = TrainingClass(name="旧班", dataset="general", created_at=stamp,
                        expires_at=stamp - timedelta(minutes=1))
    db.add(cls)
    db.flush()
    trainee = make_user(db, "c9-01", password="right-pass-1")
    trainee.training_class_id = cls.id
    db.commit()
    wrong = _login_form("c9-01", "wrong-pass-1")
    assert not [e for e in wrong.error if "班级已结束" in e.value]  # only with the password
    told = _login_form("c9-01", "right-pass-1")
    assert [e.value for e in told.error] == [
        "你的培训班级已结束（已到期或已关闭），账号已停用。如需继续练习，请联系培训讲师。"]
    db.expire_all()
    assert not db.get(User, trainee.id).active
    cls.expires_at = stamp + timedelta(days=1)
    db.commit()
    db.execute(update(User).where(User.id == trainee.id).values(active=True))
    db.commit()
    assert not _login_form("c9-01", "right-pass-1").error  # an open class: logged in
