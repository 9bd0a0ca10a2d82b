"""The administrator's personal-data actions on a profile (data-protection.md): download a
copy for the person, and erase the person's data after typing the 客户编号 to confirm."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components.actions import engine, write
from components.downloads import download_button
from components.i18n import lang, tr
from components.profile import act, run_action
from components.text import md
from services.access.roles import Actor, Perm
from services.privacy.erasure import ErasureError, erase_customer, erased_name, finish
from services.privacy.person_copy import person_copy_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _copy_key(customer_id: int) -> str:
    return f"person_copy_{customer_id}"


def person_copy(p: Any, actor: Actor) -> None:
    """Prepare the copy (audited when made), then hand it over (the download is audited)."""
    key = _copy_key(p.id)
    ready = st.session_state.get(key)
    if ready is None:
        if st.button(tr("person.page.button"), key=f"{key}_make", icon=":material/badge:",
                     help=tr("person.page.help")):
            def _make(session: Session) -> None:
                st.session_state[key] = person_copy_xlsx(session, actor, p.id, lang())[0]
            if act(_make):
                st.rerun()
        return
    download_button(actor, tr("person.page.button"), ready,
                    file_name=tr("person.page.file", customer_no=p.customer_no), what="person_copy",
                    mime=XLSX, key=f"{key}_get", icon=":material/download:",
                    detail={"customer_no": p.customer_no},
                    after=lambda: st.session_state.pop(key, None))


def erase(p: Any, actor: Actor) -> None:
    """删除个人信息: the reason and the 客户编号 typed to confirm, then the erasure."""
    if p.name == erased_name(p.customer_no):
        st.caption(tr("erasure.page.erased"))
        return
    with st.popover(tr("erasure.page.expander"), icon=":material/person_remove:"):
        st.warning(tr("erasure.page.explain"))
        reason = st.text_input(tr("erasure.page.reason"), key=f"erase_reason_{p.id}",
                               max_chars=200)
        typed = st.text_input(md("erasure.page.confirm", customer_no=p.customer_no),
                              key=f"erase_confirm_{p.id}")
        if st.button(tr("erasure.page.button"), key=f"erase_{p.id}", type="primary"):
            def _erase() -> None:
                if typed.strip() != p.customer_no:
                    raise ErasureError("erasure.error.confirm", customer_no=p.customer_no)
                write(lambda session: erase_customer(session, actor, p.id, reason))
                finish(engine())
            if run_action(_erase):
                st.session_state["flash"] = tr("erasure.page.done", customer_no=p.customer_no)
                for done in (f"erase_reason_{p.id}", f"erase_confirm_{p.id}"):
                    st.session_state.pop(done, None)
                st.rerun()


def actions(p: Any, actor: Actor) -> None:
    """Both actions, for administrators only (the services check again)."""
    if not actor.can(Perm.DELETE_CUSTOMERS):
        return
    person_copy(p, actor)
    erase(p, actor)


__all__ = ["actions", "erase", "person_copy"]
