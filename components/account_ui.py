"""The user's own account in the sidebar: change password (current one required)."""

from __future__ import annotations

import streamlit as st

from components.actions import perform
from components.i18n import tr
from components.session import SessionUser, renew_session
from services.access.users import UserError, change_own_password


def password_popover(user: SessionUser) -> None:
    """A small form behind a sidebar button; other sessions of the user end on success."""
    with (st.popover(tr("login_pw.open"), icon=":material/key:", width="stretch"),
          st.form("login_pw_form", clear_on_submit=True, border=False)):
        st.caption(tr("login_pw.help"))
        current = st.text_input(tr("login_pw.current"), type="password", key="login_pw_current")
        new = st.text_input(tr("login_pw.new"), type="password", key="login_pw_new")
        repeat = st.text_input(tr("login_pw.repeat"), type="password", key="login_pw_repeat")
        if not st.form_submit_button(tr("login_pw.submit"), type="primary"):
            return
        if new != repeat:
            st.error(tr("login_pw.error.mismatch"))
            return
        done = perform(lambda s: change_own_password(s, user.actor(), current, new),
                       refusals=(UserError,))
        if not done.ok:
            return
        renew_session(done.value)
        st.success(tr("login_pw.done"))
