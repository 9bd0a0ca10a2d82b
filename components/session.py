"""Who is logged in.

streamlit-authenticator renders the login form and keeps the cookie; this module plugs our
database checks into it (``services.access.auth``): lockout per account and client address and
constant-time failure in ``check_credentials``, an issue time in the cookie, and revocation and
lifetime checks when a cookie is read and on every run.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth

from components.actions import write, writing
from components.i18n import LANG_KEY, tr
from core.clock import now
from core.i18n import normalize_language
from core.settings import get_settings
from core.vocab import Role
from services.access import audit
from services.access.auth import (
    LoginOutcome,
    client_address,
    decode_session_token,
    encode_session_token,
    revoke_sessions,
    session_user,
    verify_login,
)
from services.access.roles import Actor, Perm
from services.access.secrets import get_secrets
from services.access.users import active_users
from services.system.database_facts import is_demo_database

COOKIE_NAME = "crm_session"
USER_KEY = "crm_user"
LOGIN_AT_KEY = "crm_login_at"
ENDED_KEY = "crm_session_ended"
COOKIE_OP_KEY = "crm_cookie_op"
REFUSAL_KEY = "crm_login_refusal"


@dataclass(frozen=True)
class SessionUser:
    id: int
    username: str
    display_name: str
    role: Role
    language: str | None
    trainee: bool = False  # a member of a training class (users.training_class_id)

    def actor(self) -> Actor:
        """This user as an actor; demo rights only on a database stamped by seed-demo."""
        return Actor(user_id=self.id, username=self.username, role=self.role,
                     demo_mode=demo_database(), trainee=self.trainee)


def demo_database() -> bool:
    """Whether this database is a demo database, read from the database on every call."""
    return write(lambda s: is_demo_database(s))


def _credentials() -> dict[str, Any]:
    with writing() as s:
        users = active_users(s)
        return {"usernames": {
            u.username: {"name": u.display_name, "password": u.password_hash, "email": None,
                         "roles": [u.role]}
            for u in users
        }}


def _client() -> str:
    """This browser's address, from the trusted proxy's header if one is configured."""
    header = get_settings().trusted_proxy_header
    values = st.context.headers.get_all(header) if header else []
    return client_address(st.context.ip_address, header, values)


def _check_credentials(username: str, password: str) -> bool:
    settings = get_settings()
    result = write(lambda s: verify_login(s, username, password, settings, client=_client()))
    # A trainee's refusal (class ended, not a demo database) is told; all else is one message.
    st.session_state[REFUSAL_KEY] = result.reason if result.outcome is LoginOutcome.REFUSED \
        else None
    if result.ok:
        st.session_state[LOGIN_AT_KEY] = now()
        st.session_state["logout"] = None
    return result.ok


def _get_cookie() -> dict[str, Any] | None:
    if st.session_state.get("logout"):
        return None
    decoded = decode_session_token(st.context.cookies.get(COOKIE_NAME), get_secrets().cookie_key)
    if decoded is None:
        return None
    username, issued_at = decoded
    user = write(lambda s: session_user(s, username, issued_at, get_settings()))
    if user is None:
        return None
    st.session_state[LOGIN_AT_KEY] = issued_at
    return {"username": user.username}


def _encode_cookie() -> str:
    issued_at: datetime = st.session_state.get(LOGIN_AT_KEY) or now()
    return encode_session_token(st.session_state["username"], issued_at, get_settings(),
                                get_secrets().cookie_key)


def _queue_set_cookie() -> None:
    st.session_state[COOKIE_OP_KEY] = ("set", _encode_cookie())


def renew_session(issued_at: datetime) -> None:
    """Keep this browser logged in after revoking the user's other sessions.

    ``issued_at`` comes after the revocation; the cookie is issued again with it.
    """
    st.session_state[LOGIN_AT_KEY] = issued_at
    _queue_set_cookie()


def _queue_delete_cookie() -> None:
    st.session_state[COOKIE_OP_KEY] = ("delete", "")


def flush_cookie(auth: stauth.Authenticate) -> None:
    """Send a queued cookie change to the browser, at the end of a run.

    The cookie component acts when it mounts in the browser; rendered in the run that reruns
    right after login or logout it would be dropped unmounted, so the change waits for here.
    """
    op = st.session_state.pop(COOKIE_OP_KEY, None)
    if op is None:
        return
    manager = auth.cookie_controller.cookie_model.cookie_manager
    if op[0] == "set":
        lifetime = timedelta(hours=get_settings().session_lifetime_hours)
        manager.set(COOKIE_NAME, op[1], key=f"crm_cookie_set_{now().timestamp()}",
                    max_age=lifetime.total_seconds(), same_site="strict")
    else:
        with contextlib.suppress(KeyError):
            manager.delete(COOKIE_NAME, key=f"crm_cookie_delete_{now().timestamp()}")


def authenticator() -> stauth.Authenticate:
    """A per-run authenticator over the users table, with our checks plugged in."""
    settings = get_settings()
    auth = stauth.Authenticate(
        _credentials(), cookie_name=COOKIE_NAME, cookie_key=get_secrets().cookie_key,
        cookie_expiry_days=settings.session_lifetime_hours / 24, auto_hash=False,
        login_sleep_time=0.05,
    )
    auth.authentication_controller.authentication_model.check_credentials = _check_credentials
    cookie_model = auth.cookie_controller.cookie_model
    cookie_model.get_cookie = _get_cookie
    cookie_model._token_encode = _encode_cookie
    cookie_model.set_cookie = _queue_set_cookie
    cookie_model.delete_cookie = _queue_delete_cookie
    return auth


def _session_user() -> SessionUser | None:
    """The logged-in user of this browser session, re-checked in the database.

    Called on every run by the app and again by each page, so a page never trusts what an
    earlier run left in the session: deactivation, revocation and role changes apply at once.
    """
    username = st.session_state.get("username")
    issued_at = st.session_state.get(LOGIN_AT_KEY)
    if not st.session_state.get("authentication_status") or not username or not issued_at:
        return None
    with writing() as s:
        user = session_user(s, username, issued_at, get_settings())
        if user is None:
            return None
        return SessionUser(id=user.id, username=user.username, display_name=user.display_name,
                           role=Role(user.role), language=user.language,
                           trainee=user.training_class_id is not None)


def resolve_user(auth: stauth.Authenticate) -> SessionUser | None:
    """Log in from a valid cookie if there is one, then re-check the user in the database."""
    auth.login(location="unrendered")
    if not st.session_state.get("authentication_status"):
        st.session_state.pop(USER_KEY, None)
        return None
    current = _session_user()
    if current is None:
        auth.logout(location="unrendered")
        st.session_state.pop(USER_KEY, None)
        st.session_state[ENDED_KEY] = True
        return None
    stored = normalize_language(current.language)
    if st.session_state.get(USER_KEY) is None and stored is not None:
        st.session_state[LANG_KEY] = stored
    st.session_state[USER_KEY] = current
    return current


def render_login(auth: stauth.Authenticate) -> None:
    settings = get_settings()
    if st.session_state.pop(ENDED_KEY, False):
        st.info(tr("login.session_ended"))
    auth.login(location="main", fields={
        "Form name": tr("login.form_title"), "Username": tr("login.username"),
        "Password": tr("login.password"), "Login": tr("login.submit"),
    })
    if st.session_state.get("authentication_status"):
        st.rerun()
    if st.session_state.get("authentication_status") is False:
        if refusal := st.session_state.get(REFUSAL_KEY):
            st.error(tr(f"login.trainee.{refusal}"))
        else:
            # Unknown name, wrong password and locked address: one message (no enumeration).
            st.error(tr("login.failed", attempts=settings.lockout_attempts,
                        minutes=settings.lockout_minutes))
    st.caption(tr("login.intro"))


def logout(auth: stauth.Authenticate, user: SessionUser) -> None:
    """Log out here and invalidate every cookie issued to this user so far."""
    with writing() as s:
        revoke_sessions(s, user.id)
        audit.record(s, user.actor(), "logout", "user", user.id)
    auth.logout(location="unrendered")
    for key in (USER_KEY, LOGIN_AT_KEY):
        st.session_state.pop(key, None)


def require(perm: Perm) -> SessionUser:
    """First line of every page: stop with a message unless someone allowed is logged in.

    A page file run on its own, with nobody logged in, stops here without showing data.
    """
    user = _session_user()
    if user is None:
        st.warning(tr("auth.login_required"))
        st.stop()
    if not user.actor().can(perm):
        st.error(tr("auth.forbidden", role=tr(f"role.{user.role}")))
        st.stop()
    return user
