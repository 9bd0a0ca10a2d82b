"""Issue 13 point 8: long passwords, argon2id with bcrypt upgrade, changing one's own password."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role
from db.models import AuditEntry, User
from services.access.auth import LoginOutcome, session_user, verify_login
from services.access.passwords import check_password, hash_password
from services.access.roles import cli_actor
from services.access.users import UserError, change_own_password, create_user, reset_password
from tests.support.factories import actor_for, make_user

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SUBMIT = "FormSubmitter:login_pw_form-修改密码"
# 26 Chinese characters: 78 bytes in UTF-8, over bcrypt's 72.
LONG = "客户档案管理系统的密码可以很长而且全部使用中文字符也没有问题吧"[:26]
# The same first 72 bytes (24 characters), different after: bcrypt could not tell them apart.
LONG_TWIN = LONG[:24] + "不同"


def _login(engine, settings, username: str, password: str) -> LoginOutcome:
    with Session(engine) as s:
        outcome = verify_login(s, username, password, settings).outcome
        s.commit()
    return outcome


def test_the_long_password_is_over_72_bytes() -> None:
    assert len(LONG) == 26 and len(LONG.encode()) == 78
    assert LONG.encode()[:72] == LONG_TWIN.encode()[:72] and LONG != LONG_TWIN


def test_long_password_for_create_reset_and_login(engine, settings, db) -> None:
    admin = cli_actor(demo_mode=False)
    user = create_user(db, admin, "clerk9", "长密码", Role.CLERK, LONG)
    db.commit()
    assert user.password_hash.startswith("$argon2id$")
    assert _login(engine, settings, "clerk9", LONG) is LoginOutcome.OK
    assert _login(engine, settings, "clerk9", LONG_TWIN) is LoginOutcome.FAILED

    reset_password(db, admin, user.id, LONG_TWIN)
    db.commit()
    assert _login(engine, settings, "clerk9", LONG_TWIN) is LoginOutcome.OK
    assert _login(engine, settings, "clerk9", LONG) is LoginOutcome.FAILED


def test_very_long_and_odd_input_never_raises() -> None:
    stored = hash_password("x" * 4096)
    assert check_password("x" * 4096, stored)
    assert not check_password("x" * 4095, stored)
    assert not check_password("anything", "not-a-hash")
    assert not check_password("anything", None)
    assert not check_password("", stored)


def test_bcrypt_hash_is_verified_and_upgraded_at_login(engine, settings, db) -> None:
    user = make_user(db, "old1", password="irrelevant")
    user.password_hash = bcrypt.hashpw(b"legacy-pass", bcrypt.gensalt(4)).decode()
    db.commit()
    assert _login(engine, settings, "old1", "wrong-pass") is LoginOutcome.FAILED
    db.expire_all()
    assert db.get(User, user.id).password_hash.startswith("$2b$")  # not on a failure
    assert _login(engine, settings, "old1", "legacy-pass") is LoginOutcome.OK
    db.expire_all()
    upgraded = db.get(User, user.id).password_hash
    assert upgraded.startswith("$argon2id$")
    assert _login(engine, settings, "old1", "legacy-pass") is LoginOutcome.OK
    db.expire_all()
    assert db.get(User, user.id).password_hash == upgraded  # upgraded once
    # A long password against an old bcrypt hash is a plain failure, not a crash.
    assert _login(engine, settings, "old1", LONG) is LoginOutcome.FAILED


def test_change_own_password_needs_current_and_revokes_other_sessions(settings, db) -> None:
    user = make_user(db, "clerk1", password="first-pass")
    actor = actor_for(user)
    other_session = now() - timedelta(minutes=5)
    assert session_user(db, "clerk1", other_session, settings) is not None

    with pytest.raises(UserError) as refused:
        change_own_password(db, actor, "not-my-pass", LONG)
    assert refused.value.key == "login_pw.error.current_wrong"
    with pytest.raises(UserError) as short:
        change_own_password(db, actor, "first-pass", "short")
    assert short.value.key == "users.error.password_short"
    assert check_password("first-pass", db.get(User, user.id).password_hash)

    issued = change_own_password(db, actor, "first-pass", LONG)
    db.flush()
    db.expire_all()
    stored = db.get(User, user.id)
    assert check_password(LONG, stored.password_hash)
    assert not check_password("first-pass", stored.password_hash)
    assert session_user(db, "clerk1", other_session, settings) is None   # other browsers
    assert session_user(db, "clerk1", issued, settings) is not None      # this one goes on
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.password_change")
                         ).all()
    assert [e.entity_id for e in entries] == [str(user.id)]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_the_change_password_form_in_the_sidebar(db, role: Role) -> None:
    make_user(db, role.value, role=role)
    db.commit()
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = role.value
    at.session_state["crm_login_at"] = now() - timedelta(seconds=1)
    at.run()
    assert not at.exception, at.exception
    assert SUBMIT in [b.key for b in at.sidebar.button]
    assert [t.key for t in at.sidebar.text_input] == ["login_pw_current", "login_pw_new",
                                                      "login_pw_repeat"]


def _password_form_script(user_id: int, username: str, role: str) -> None:
    """The sidebar's password form alone, for one logged-in user."""
    from components.account_ui import password_popover
    from components.session import SessionUser
    from core.vocab import Role

    password_popover(SessionUser(id=user_id, username=username, display_name=username,
                                 role=Role(role), language=None))


def _submit(at: AppTest, current: str, new: str, repeat: str) -> AppTest:
    at.text_input(key="login_pw_current").input(current)
    at.text_input(key="login_pw_new").input(new)
    at.text_input(key="login_pw_repeat").input(repeat)
    at.button(key=SUBMIT).click().run()
    assert not at.exception, at.exception
    return at


def test_change_password_form_keeps_this_session_and_ends_the_others(engine, settings,
                                                                    db) -> None:
    user = make_user(db, "clerk1", password="first-pass")
    db.commit()
    before = now() - timedelta(minutes=1)   # this browser's and another browser's login
    at = AppTest.from_function(_password_form_script, args=(user.id, "clerk1", "clerk"),
                               default_timeout=30)
    at.session_state["crm_login_at"] = before
    at.session_state["username"] = "clerk1"
    at.run()

    _submit(at, "wrong-pass", LONG, LONG)
    assert [e.value for e in at.error] == ["当前密码不正确。"]
    _submit(at, "first-pass", LONG, LONG_TWIN)
    assert [e.value for e in at.error] == ["两次输入的新密码不一致。"]
    assert _login(engine, settings, "clerk1", "first-pass") is LoginOutcome.OK

    _submit(at, "first-pass", LONG, LONG)
    assert not at.error
    assert "密码已修改" in "".join(e.value for e in at.success)
    assert _login(engine, settings, "clerk1", LONG) is LoginOutcome.OK
    assert _login(engine, settings, "clerk1", "first-pass") is LoginOutcome.FAILED
    db.expire_all()
    assert session_user(db, "clerk1", before, settings) is None          # the other browser
    renewed = at.session_state["crm_login_at"]
    assert session_user(db, "clerk1", renewed, settings) is not None     # this one, renewed
    assert at.session_state["crm_cookie_op"][0] == "set"                  # with a new cookie


def test_argon2_hash_fits_the_column() -> None:
    """users.password_hash stays String(100): argon2id with pwdlib's defaults is 97 long."""
    stored = hash_password(LONG)
    assert stored.startswith("$argon2id$")
    assert len(stored) <= User.__table__.c.password_hash.type.length
