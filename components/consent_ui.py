"""Consent (个人信息授权) on screen: the entry form's questions, the profile's state, history
and one-step withdrawal, the list filter and the marketing-export option.

For an enterprise or institution the consent is its contact person's (the person the record's
手机号 and 邮箱 reach), and the wording says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from components.actions import perform, read
from components.i18n import tr
from components.tables import data_table
from core.clock import shown
from core.vocab import CustomerType
from services.access.roles import Actor
from services.privacy import consent

_COLORS = {"granted": "green", "withdrawn": "red", "none": "gray"}
_ICONS = {"granted": ":material/check_circle:", "withdrawn": ":material/block:",
          "none": ":material/help:"}


def _k(prefix: str, name: str) -> str:
    return f"{prefix}_consent_{name}"


def purpose_label(purpose: str) -> str:
    return tr(f"consent.purpose.{purpose}")


def state_label(state: str) -> str:
    return tr(f"consent.state.{state}")


def channel_label(channel: str) -> str:
    return tr(f"consent.channel.{channel}")


# ---- the entry form -------------------------------------------------------------------------

def form_section(prefix: str, personal: bool) -> None:
    """The consent questions, inside the new-customer ``st.form``: per purpose 同意 / 不同意
    or nothing (nothing recorded), the channel it was given through, an evidence note."""
    st.markdown(f"**{tr('consent.form.title' if personal else 'consent.form.title.org')}**")
    st.caption(tr("consent.form.caption" if personal else "consent.form.caption.org"))
    cols = st.columns([2, 2, 2, 3])
    for col, purpose in zip(cols, consent.PURPOSES, strict=False):
        col.radio(tr("consent.form.purpose", purpose=purpose_label(purpose)), ["yes", "no"],
                  index=None, key=_k(prefix, purpose.name.lower()), horizontal=True,
                  format_func=lambda v: tr(f"consent.form.{v}"),
                  help=tr(f"consent.purpose.help.{purpose}"))
    cols[2].selectbox(tr("consent.form.channel"), list(consent.HAND_CHANNELS),
                      key=_k(prefix, "channel"), format_func=channel_label)
    cols[3].text_input(tr("consent.form.note"), key=_k(prefix, "note"),
                       max_chars=consent.NOTE_MAX,
                       placeholder=tr("consent.form.note.placeholder"))


def form_answers(prefix: str) -> tuple[dict[str, bool | None], str, str | None]:
    """What the form's consent questions hold: ``({purpose: True/False/None}, channel, note)``."""
    answers: dict[str, bool | None] = {}
    for purpose in consent.PURPOSES:
        value = st.session_state.get(_k(prefix, purpose.name.lower()))
        answers[purpose.value] = None if value is None else value == "yes"
    channel = st.session_state.get(_k(prefix, "channel")) or consent.Channel.FORM.value
    note = st.session_state.get(_k(prefix, "note"))
    return answers, str(channel), note if isinstance(note, str) else None


# ---- the profile ----------------------------------------------------------------------------

def _run(action: Callable[[Session], object], flash_key: str) -> None:
    """One consent action; a refusal shown as its message, never as a traceback."""
    if perform(action).ok:
        st.session_state["flash"] = tr(flash_key)
        st.rerun()


def profile_tab(p: Any, actor: Actor, *, size: int = 20) -> None:
    """State per purpose (with when and how), withdraw in one step, record a new answer, and
    the whole history, latest first."""
    personal = p.customer_type == CustomerType.PERSONAL.value
    st.subheader(tr("consent.profile.title" if personal else "consent.profile.title.org"))
    if not personal:
        st.caption(tr("consent.form.caption.org"))
    states = read(lambda session: consent.states(session, actor, p.id))
    editable = bool(p.can_edit and not p.deleted)
    cols = st.columns(len(consent.PURPOSES))
    for col, purpose in zip(cols, consent.PURPOSES, strict=True):
        state = states[purpose.value]
        with col, st.container(border=True):
            st.badge(tr("consent.profile.state", purpose=purpose_label(purpose),
                        state=state_label(state.key)),
                     color=_COLORS[state.key], icon=_ICONS[state.key])
            if state.at is not None:
                st.caption(tr("consent.profile.since", when=shown(state.at) or "—",
                              channel=channel_label(state.channel or consent.Channel.OTHER)))
            if editable and state.key == "granted":
                _withdraw_popover(p.id, actor, purpose.value)
    if editable:
        _record_popover(p.id, actor)
    st.markdown(f"**{tr('consent.profile.history')}**")
    page = int(st.session_state.get(f"consent_page_{p.id}") or 1)
    entries, total = read(lambda session: consent.history(session, actor, p.id, limit=size,
                                                          offset=(page - 1) * size))
    if not entries:
        st.caption(tr("consent.profile.history.none"))
        return
    data_table(pd.DataFrame([{
        tr("consent.col.when"): shown(e.at) or "—",
        tr("consent.col.purpose"): purpose_label(e.purpose),
        tr("consent.col.action"): tr("consent.entry.granted" if e.granted
                                     else "consent.entry.withdrawn"),
        tr("consent.col.channel"): channel_label(e.channel),
        tr("consent.col.by"): e.recorded_by,
        tr("consent.col.note"): e.note or "",
    } for e in entries]), hide_index=True, width="stretch")
    pages = max(1, -(-total // size))
    if pages > 1:
        st.pagination(pages, key=f"consent_page_{p.id}")


def _withdraw_popover(customer_id: int, actor: Actor, purpose: str) -> None:
    """Withdrawal: one popover, one confirming click (channel and note optional)."""
    key = f"consent_wd_{customer_id}_{purpose}"
    with st.popover(tr("consent.profile.withdraw", purpose=purpose_label(purpose)),
                    icon=":material/block:", width="stretch"):
        st.caption(tr("consent.profile.withdraw.confirm"))
        channel = st.selectbox(tr("consent.form.channel"), list(consent.HAND_CHANNELS),
                               index=list(consent.HAND_CHANNELS).index(consent.Channel.PHONE),
                               key=f"{key}_channel", format_func=channel_label)
        note = st.text_input(tr("consent.form.note"), key=f"{key}_note",
                             max_chars=consent.NOTE_MAX)
        if st.button(tr("consent.profile.withdraw.do"), key=f"{key}_do", type="primary",
                     icon=":material/block:"):
            def _withdraw(session: Session) -> None:
                consent.withdraw(session, actor, customer_id, purpose,
                                 channel=str(channel), note=note)
            _run(_withdraw, "consent.profile.withdrawn_done")


def _record_popover(customer_id: int, actor: Actor) -> None:
    key = f"consent_rec_{customer_id}"
    with st.popover(tr("consent.profile.grant"), icon=":material/verified_user:"):
        purpose = st.selectbox(tr("consent.profile.grant.purpose"), list(consent.PURPOSES),
                               key=f"{key}_purpose", format_func=purpose_label)
        answer = st.radio(tr("consent.col.action"), ["yes", "no"], key=f"{key}_answer",
                          horizontal=True, format_func=lambda v: tr(f"consent.form.{v}"))
        channel = st.selectbox(tr("consent.form.channel"), list(consent.HAND_CHANNELS),
                               key=f"{key}_channel", format_func=channel_label)
        note = st.text_input(tr("consent.form.note"), key=f"{key}_note",
                             max_chars=consent.NOTE_MAX,
                             placeholder=tr("consent.form.note.placeholder"))
        if st.button(tr("consent.profile.grant.do"), key=f"{key}_do", type="primary"):
            def _record(session: Session) -> None:
                consent.record(session, actor, customer_id, str(purpose), answer == "yes",
                               channel=str(channel), note=note)
            _run(_record, "consent.profile.granted_done")


# ---- the customer list ----------------------------------------------------------------------

def state_select(purpose: str, key: str, on_change: Callable[[], None]) -> str | None:
    """A list filter on one purpose's current state (bound to the page address)."""
    return st.selectbox(tr(f"consent.filter.{purpose}"), list(consent.STATES), index=None,
                        key=key, format_func=state_label,
                        placeholder=tr("customers.filter.any"), bind="query-params",
                        on_change=on_change)


def marketing_option(key: str) -> bool:
    """The export control's "for marketing" choice, with what it means."""
    return bool(st.checkbox(tr("consent.export.marketing"), key=key,
                            help=tr("consent.export.marketing.help")))


def marketing_note(kept: int, left: int) -> None:
    st.info(tr("consent.export.left_out", kept=f"{kept:,}", left=f"{left:,}"),
            icon=":material/campaign:")
