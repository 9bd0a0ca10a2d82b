"""The frame around every page: title, the user's name and role, language switch, logout."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from components.i18n import LANG_KEY, lang, tr
from components.session import SessionUser, demo_database, logout
from db.engine import session_scope
from services.users import set_language


def _on_language_change(user: SessionUser) -> None:
    chosen = st.session_state["crm_lang_picker"]
    st.session_state[LANG_KEY] = chosen
    with session_scope() as s:
        set_language(s, user.id, chosen)


def sidebar(auth: stauth.Authenticate, user: SessionUser) -> None:
    with st.sidebar:
        st.markdown(f"**{tr('app.title')}** · {tr('app.tagline')}")
        st.caption(tr("sidebar.user", name=user.display_name, role=tr(f"role.{user.role}")))
        if demo_database():
            st.badge(tr("app.demo_badge"), color="orange")
        st.selectbox(tr("sidebar.language"), ["zh", "en"], index=["zh", "en"].index(lang()),
                     format_func=lambda code: tr(f"lang.{code}"), key="crm_lang_picker",
                     on_change=_on_language_change, args=(user,))
        if st.button(tr("auth.logout"), icon=":material/logout:", key="crm_logout"):
            logout(auth, user)
            st.rerun()
