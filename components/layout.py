"""The frame around every page: title, the user's name and role, language switch, logout."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from components.account_ui import password_popover
from components.actions import write
from components.i18n import LANG_KEY, lang, tr
from components.session import SessionUser, demo_database, logout
from components.text import md
from core.i18n import LANGUAGES, normalize_language, t
from services.access.users import set_language

PICKER_KEY = "crm_lang_picker"


def _on_language_change(user: SessionUser) -> None:
    chosen = normalize_language(st.session_state.get(PICKER_KEY))
    if chosen is None:  # not a language: keep the current one (the picker is reset below)
        return
    st.session_state[LANG_KEY] = chosen
    write(lambda s: set_language(s, user.id, chosen))


def _language_picker(user: SessionUser) -> None:
    """A choice between the supported languages only (no free text), each named in itself so
    the labels do not change when the language does."""
    # Set before the widget exists in this run: any stale or foreign value becomes the
    # current language, so the widget never holds something outside its options.
    st.session_state[PICKER_KEY] = lang()
    st.selectbox(tr("sidebar.language"), LANGUAGES,
                 format_func=lambda code: t(f"lang.{code}", code), key=PICKER_KEY,
                 accept_new_options=False, on_change=_on_language_change, args=(user,))


def sidebar(auth: stauth.Authenticate, user: SessionUser) -> None:
    with st.sidebar:
        st.markdown(f"**{tr('app.title')}** · {tr('app.tagline')}")
        role = tr("role.trainee") if user.trainee else tr(f"role.{user.role}")
        st.caption(md("sidebar.user", name=user.display_name, role=role))
        if demo_database():
            st.badge(tr("app.demo_badge"), color="orange")
        _language_picker(user)
        password_popover(user)
        if st.button(tr("auth.logout"), icon=":material/logout:", key="crm_logout"):
            logout(auth, user)
            st.rerun()
