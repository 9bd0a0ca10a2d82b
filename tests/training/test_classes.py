"""Issue 17 "The class": a trainer creates N trainee accounts in one step (a login sheet with
the passwords, once), the class expires or is closed and its trainees cannot log in, and a
reset puts the demo data back to the class's starting snapshot keeping the accounts, with the
progress kept or cleared. SQLite and PostgreSQL (databases of their own: a class's starting
snapshot is a backup, see tests/backup/test_backup_restore.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session

from core.clock import now, today
from core.settings import load_settings
from core.vocab import Role
from db.engine import make_engine
from db.models import (
    AuditEntry,
    CourseFeedback,
    CourseProgress,
    CourseQuizResult,
    Customer,
    TrainingClass,
    TrainingMistake,
    User,
)
from services.access.auth import LoginOutcome, session_user, verify_login
from services.access.passwords import check_password
from services.access.roles import Perm, PermissionDenied
from services.access.secrets import get_secrets
from services.system.database_facts import DEMO, delete_fact
from services.training import (
    ClassError,
    SnapshotRefused,
    close_class,
    create_class,
    delete_snapshot,
    expire_classes,
    list_classes,
    list_snapshots,
    login_sheet_xlsx,
    reset_class,
    reset_passwords,
    save_snapshot,
    snapshot_classes,
)
from tests.backup.test_backup_restore import manage, new_database, ok, source  # noqa: F401
from tests.support.factories import actor_for, make_user


@pytest.fixture
def demo(new_database: Callable[..., str]) -> Engine:  # noqa: F811
    """A migrated, demo-stamped, empty database of its own, with one user per role."""
    engine = make_engine(new_database())
    with Session(engine) as session:
        for role in Role:
            make_user(session, role.value, role)
        session.commit()
    return engine


def actor(engine: Engine, username: str = "trainer", *, demo_mode: bool = True):
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        return actor_for(user, demo_mode=demo_mode)


def new_class(engine: Engine, root: Path, name: str = "一班", n: int = 3, by: str = "trainer"):
    return create_class(engine, actor(engine, by), name, n, today() + timedelta(days=7),
                        get_secrets(), snapshot_root=root)


def login(engine: Engine, username: str, password: str):
    with Session(engine) as session:
        result = verify_login(session, username, password, load_settings())
        session.commit()
    return result


def actions(engine: Engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_create_makes_trainees_and_a_sheet_once(demo: Engine, tmp_path: Path) -> None:
    sheet = new_class(demo, tmp_path)
    assert [(x.display_name, x.username) for x in sheet.logins] == [
        ("学员01", f"c{sheet.class_id}-01"), ("学员02", f"c{sheet.class_id}-02"),
        ("学员03", f"c{sheet.class_id}-03")]
    with Session(demo) as session:
        cls = session.get(TrainingClass, sheet.class_id)
        trainees = list(session.scalars(select(User).where(
            User.training_class_id == cls.id).order_by(User.id)))
        assert cls.dataset == "general" and cls.snapshot_name
        assert cls.expires_at > now() + timedelta(days=7)
        assert cls.created_by == actor(demo).user_id
        for user, shown in zip(trainees, sheet.logins, strict=True):
            assert user.role == Role.CLERK.value and user.active
            assert shown.password not in user.password_hash  # only hashed
            assert check_password(shown.password, user.password_hash)
            trainee = actor_for(user)
            assert trainee.trainee and trainee.can(Perm.COURSE)
            assert not trainee.can(Perm.REVEAL_CONTACT)
            assert not trainee.can(Perm.REVEAL_ID_NUMBER)
    assert [s.name for s in list_snapshots(tmp_path)] == [cls.snapshot_name]
    (entry,) = actions(demo, "training.class_create")
    assert entry.detail["trainees"] == 3 and entry.detail["class"] == "一班"
    assert login(demo, sheet.logins[0].username, sheet.logins[0].password).ok
    rows = list_classes(Session(demo), actor(demo))
    assert [(r.name, r.trainees, r.active_trainees, r.state) for r in rows] == [
        ("一班", 3, 3, "open")]


@pytest.mark.parametrize("who", ["clerk", "manager"])
def test_clerks_and_managers_cannot_run_classes(demo: Engine, tmp_path: Path,
                                                who: str) -> None:
    with pytest.raises(PermissionDenied):
        new_class(demo, tmp_path, by=who)
    with pytest.raises(PermissionDenied):
        list_classes(Session(demo), actor(demo, who))


def test_no_class_on_a_database_that_is_not_demo(demo: Engine, tmp_path: Path) -> None:
    with demo.begin() as conn:
        delete_fact(conn, DEMO)
    with pytest.raises(PermissionDenied):  # the stamp is read again, whatever the actor says
        new_class(demo, tmp_path)
    assert not list_snapshots(tmp_path)
    with Session(demo) as session:
        assert session.scalar(select(func.count()).select_from(TrainingClass)) == 0


@pytest.mark.parametrize(("name", "n", "days", "key"), [
    ("", 3, 7, "classes.error.name_needed"), ("班" * 51, 3, 7, "classes.error.name_long"),
    ("一班", 0, 7, "classes.error.count"), ("一班", 61, 7, "classes.error.count"),
    ("一班", 3, -1, "classes.error.expiry"), ("一\x07班", 3, 7, "classes.error.name_control")])
def test_refused_input(demo: Engine, tmp_path: Path, name: str, n: int, days: int,
                       key: str) -> None:
    with pytest.raises(ClassError) as refused:
        create_class(demo, actor(demo), name, n, today() + timedelta(days=days), get_secrets(),
                     snapshot_root=tmp_path)
    assert refused.value.key == key
    assert not list_snapshots(tmp_path)  # refused before the snapshot


def test_names_are_unique(demo: Engine, tmp_path: Path) -> None:
    new_class(demo, tmp_path, n=1)
    with pytest.raises(ClassError, match="name_taken"):
        new_class(demo, tmp_path, n=1)


def test_login_sheet_prints_on_a4(demo: Engine, tmp_path: Path) -> None:
    sheet = new_class(demo, tmp_path, n=2)
    book = openpyxl.load_workbook(io.BytesIO(login_sheet_xlsx(sheet)))
    ws = book.active
    assert ws["A1"].value == "一班 学员登录表"
    assert "账号有效期至" in ws["A2"].value
    assert [c.value for c in ws[4]] == ["姓名", "用户名", "初始密码"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=5)] == [
        [x.display_name, x.username, x.password] for x in sheet.logins]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # one page wide (1 is the default)
    assert ws.page_setup.fitToHeight == 0 and "&P" in ws.oddFooter.center.text
    assert ws.print_title_rows == "$4:$4"  # the column headings on every page


def test_reset_passwords_makes_a_new_sheet(demo: Engine, tmp_path: Path) -> None:
    first = new_class(demo, tmp_path, n=2)
    with Session(demo) as session:
        again = reset_passwords(session, actor(demo), first.class_id)
        session.commit()
    assert [x.username for x in again.logins] == [x.username for x in first.logins]
    assert not login(demo, first.logins[0].username, first.logins[0].password).ok
    assert login(demo, again.logins[0].username, again.logins[0].password).ok
    (entry,) = actions(demo, "training.class_passwords")
    assert entry.detail["trainees"] == 2


def test_expired_trainee_cannot_log_in_and_is_deactivated(demo: Engine, tmp_path: Path
                                                          ) -> None:
    sheet = new_class(demo, tmp_path, n=2)
    first, second = sheet.logins
    issued = now()
    with demo.begin() as conn:
        conn.execute(update(TrainingClass).values(expires_at=now() - timedelta(minutes=1)))
    with Session(demo) as session:  # a session already open ends too
        assert session_user(session, first.username, issued, load_settings()) is None
    wrong = login(demo, first.username, "not-the-password")
    assert wrong.outcome is LoginOutcome.FAILED and wrong.reason != "class_ended"
    refused = login(demo, first.username, first.password)
    assert refused.outcome is LoginOutcome.REFUSED and refused.reason == "class_ended"
    with Session(demo) as session:
        assert not session.scalar(select(User.active).where(User.username == first.username))
        assert session.scalar(select(User.active).where(User.username == second.username))
    # deactivated, still told why with the right password
    assert login(demo, first.username, first.password).reason == "class_ended"
    assert actions(demo, "training.trainee_deactivate")
    assert len(actions(demo, "login.refused_trainee")) == 2


def test_expire_classes_command_and_closing(demo: Engine, tmp_path: Path, monkeypatch) -> None:
    ended = new_class(demo, tmp_path, name="旧班", n=2)
    open_ = new_class(demo, tmp_path, name="新班", n=1)
    other = new_class(demo, tmp_path, name="三班", n=2)
    with demo.begin() as conn:
        conn.execute(update(TrainingClass).where(TrainingClass.id == ended.class_id)
                     .values(expires_at=now() - timedelta(days=1)))
    out = ok(manage(str(demo.url.render_as_string(hide_password=False)), "expire-classes"))
    assert "旧班" in out.stdout and "2" in out.stdout
    with Session(demo) as session:
        assert session.scalar(select(func.count()).select_from(User).where(
            User.training_class_id == ended.class_id, User.active.is_(True))) == 0
        assert session.scalar(select(func.count()).select_from(User).where(
            User.training_class_id == open_.class_id, User.active.is_(True))) == 1
        assert close_class(session, actor(demo), other.class_id) == 2
        session.commit()
    assert not login(demo, other.logins[0].username, other.logins[0].password).ok
    assert len(actions(demo, "training.class_expire")) == 1
    assert len(actions(demo, "training.class_close")) == 1
    with Session(demo) as session:  # nothing left to do: no entry
        assert expire_classes(session, None) == {}


def test_trainee_logins_refused_on_a_database_that_is_not_demo(demo: Engine, tmp_path: Path
                                                               ) -> None:
    sheet = new_class(demo, tmp_path, n=1)
    with demo.begin() as conn:
        delete_fact(conn, DEMO)
    result = login(demo, sheet.logins[0].username, sheet.logins[0].password)
    assert result.outcome is LoginOutcome.REFUSED and result.reason == "not_demo"
    assert actor_for(Session(demo).scalar(select(User).where(
        User.username == sheet.logins[0].username)), demo_mode=False).can(
        Perm.VIEW_CUSTOMERS) is False
    assert login(demo, "clerk", "secret-pass").ok  # others log in as before


def _progress(session: Session, user_id: int, class_id: int, tag: str) -> None:
    stamp = now()
    session.add(CourseProgress(user_id=user_id, chapter="overview", exercise=f"e-{tag}",
                               done_at=stamp, answer=tag))
    session.add(CourseQuizResult(user_id=user_id, chapter="overview", score=3, total=5,
                                 answers="[]", taken_at=stamp))
    session.add(CourseFeedback(user_id=user_id, class_id=class_id, rating=5, created_at=stamp,
                               updated_at=stamp))
    session.add(TrainingMistake(user_id=user_id, class_id=class_id,
                                message_key="validation.mobile", field="mobile",
                                created_at=stamp))


def _course_rows(engine: Engine, usernames: list[str]) -> int:
    with Session(engine) as session:
        ids = select(User.id).where(User.username.in_(usernames))
        return sum(int(session.scalar(select(func.count()).select_from(m).where(
            m.user_id.in_(ids))) or 0) for m in (CourseProgress, CourseQuizResult,
                                                 CourseFeedback, TrainingMistake))


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "cleared"])
def test_reset_keeps_trainees_and_progress_kept_or_cleared(source: str, tmp_path: Path,  # noqa: F811
                                                           keep: bool) -> None:
    engine = make_engine(source)  # seed-demo made the user trainer
    mine = new_class(engine, tmp_path, name="一班", n=2)
    with Session(engine) as session:  # new passwords after the snapshot: these must stay
        sheet = reset_passwords(session, actor(engine), mine.class_id)
        session.commit()
    theirs = new_class(engine, tmp_path, name="二班", n=1)  # made after 一班's snapshot
    with Session(engine) as session:
        for username, class_id in ((sheet.logins[0].username, mine.class_id),
                                   (theirs.logins[0].username, theirs.class_id)):
            uid = session.scalar(select(User.id).where(User.username == username))
            _progress(session, uid, class_id, username)
        cid = session.scalar(select(Customer.id).order_by(Customer.id))
        name = session.get(Customer, cid).name
        session.execute(update(Customer).where(Customer.id == cid).values(name="培训改过"))
        session.commit()

    done = reset_class(engine, actor(engine), mine.class_id, get_secrets(),
                       keep_progress=keep, snapshot_root=tmp_path)

    assert (done.trainees, done.progress) == (2, "kept" if keep else "cleared")
    with Session(engine) as session:
        assert session.get(Customer, cid).name == name  # the demo data went back
        names = {n: i for n, i in session.execute(select(TrainingClass.name, TrainingClass.id))}
        assert set(names) == {"一班", "二班"}
    for login_ in (*sheet.logins, *theirs.logins):  # accounts as they are now
        assert login(engine, login_.username, login_.password).ok
    assert _course_rows(engine, [sheet.logins[0].username]) == (4 if keep else 0)
    assert _course_rows(engine, [theirs.logins[0].username]) == 4  # another class: kept
    (entry,) = actions(engine, "training.class_reset")
    assert entry.detail["progress"] == done.progress and entry.detail["trainees"] == 2
    # the write-back leaves the id sequences ahead of the rows (PostgreSQL)
    again = new_class(engine, tmp_path, name="三班", n=1)
    assert again.class_id > max(names.values())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() >= 5


def test_reset_to_a_fresh_dataset_keeps_accounts_and_clears_progress(source: str,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    engine = make_engine(source)
    mine = new_class(engine, tmp_path, name="一班", n=1)
    other = new_class(engine, tmp_path, name="二班", n=1)
    with Session(engine) as session:
        for sheet in (mine, other):
            uid = session.scalar(select(User.id).where(
                User.username == sheet.logins[0].username))
            _progress(session, uid, sheet.class_id, sheet.logins[0].username)
        session.commit()
    with pytest.raises(ClassError, match="dataset"):
        reset_class(engine, actor(engine), mine.class_id, None, keep_progress=True,
                    dataset="space")

    done = reset_class(engine, actor(engine), mine.class_id, None, keep_progress=False,
                       dataset="retail", customers=30)

    assert (done.source, done.progress, done.cleared_rows) == ("dataset:retail", "cleared", 4)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 30
        assert session.get(TrainingClass, mine.class_id).dataset == "retail"
    assert login(engine, mine.logins[0].username, mine.logins[0].password).ok
    assert _course_rows(engine, [mine.logins[0].username]) == 0
    assert _course_rows(engine, [other.logins[0].username]) == 4
    (entry,) = actions(engine, "training.class_reset")
    assert entry.detail["dataset"] == "retail"


def _snapshot_of(engine: Engine, class_id: int) -> str | None:
    with Session(engine) as session:
        return session.get(TrainingClass, class_id).snapshot_name


def test_an_ended_class_takes_its_snapshot_away(demo: Engine, tmp_path: Path) -> None:
    """Snapshots do not pile up: closing or the expiry of a class removes its starting
    snapshot (audited), unless an open class starts from it too."""
    one, two, three = (new_class(demo, tmp_path, name=n, n=1) for n in ("一班", "二班", "三班"))
    snap_one, snap_two, snap_three = (_snapshot_of(demo, c.class_id) for c in (one, two, three))
    with demo.begin() as conn:  # 三班 shares 二班's snapshot
        conn.execute(update(TrainingClass).where(TrainingClass.id == three.class_id)
                     .values(snapshot_name=snap_two))
    with Session(demo) as session:
        close_class(session, actor(demo), one.class_id, snapshot_root=tmp_path)
        close_class(session, actor(demo), two.class_id, snapshot_root=tmp_path)
        session.commit()
    assert sorted(s.name for s in list_snapshots(tmp_path)) == sorted([snap_two, snap_three])
    assert _snapshot_of(demo, one.class_id) is None
    assert _snapshot_of(demo, two.class_id) == snap_two  # 三班 (open) still uses it
    (entry,) = actions(demo, "training.snapshot_delete")
    assert entry.detail == {"snapshot": snap_one, "classes": ["一班"], "reason": "class_ended"}
    with demo.begin() as conn:
        conn.execute(update(TrainingClass).where(TrainingClass.id == three.class_id)
                     .values(expires_at=now() - timedelta(minutes=1)))
    with Session(demo) as session:
        expire_classes(session, None, snapshot_root=tmp_path)
        session.commit()
    assert sorted(s.name for s in list_snapshots(tmp_path)) == [snap_three]  # nobody's now
    assert _snapshot_of(demo, two.class_id) is None
    assert _snapshot_of(demo, three.class_id) is None
    assert len(actions(demo, "training.snapshot_delete")) == 2


def test_deleting_a_snapshot_an_open_class_uses_is_refused(demo: Engine, tmp_path: Path
                                                           ) -> None:
    one = new_class(demo, tmp_path, name="一班", n=1)
    name = _snapshot_of(demo, one.class_id)
    save_snapshot(demo, "自己存的", get_secrets(), actor(demo), root=tmp_path)
    with Session(demo) as session:
        assert snapshot_classes(session) == {name: [("一班", "open")]}
    with pytest.raises(SnapshotRefused) as refused:
        delete_snapshot(name, actor(demo), demo, root=tmp_path)
    assert refused.value.code == "in_use" and refused.value.params["classes"] == "一班"
    delete_snapshot("自己存的", actor(demo), demo, root=tmp_path)
    with demo.begin() as conn:  # ended without taking its snapshot away (an older class)
        conn.execute(update(TrainingClass).values(expires_at=now() - timedelta(minutes=1)))
    with Session(demo) as session:
        assert snapshot_classes(session) == {name: [("一班", "expired")]}
    delete_snapshot(name, actor(demo), demo, root=tmp_path)
    assert not list_snapshots(tmp_path)
    assert _snapshot_of(demo, one.class_id) is None
    first, second = actions(demo, "training.snapshot_delete")
    assert first.detail == {"snapshot": "自己存的", "classes": []}
    assert second.detail == {"snapshot": name, "classes": ["一班"]}
    with pytest.raises(PermissionDenied):
        delete_snapshot("x", actor(demo, "clerk"), demo, root=tmp_path)
