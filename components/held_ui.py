"""The 待核对 tab of the 导入导出 page: import rows held because they matched an existing
customer through a key their uploader may not see in full (``services.access.holds``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.actions import perform, write
from components.i18n import tr
from components.tables import data_table
from core.clock import shown
from services.access import holds
from services.access.roles import Actor
from services.excel import ExcelRefused, held_rows, import_hold

SHOWN = "held_shown"


def can_review(actor: Actor) -> bool:
    try:
        holds.require_review(actor)
    except holds.PermissionDenied:
        return False
    return True


def tab_label(actor: Actor) -> str:
    """待核对, with the number of groups waiting."""
    waiting = write(lambda session: holds.open_holds(session, actor))
    return tr("oracle.io.tab.held") + (f" ({waiting})" if waiting else "")


def held_review(actor: Actor) -> None:
    """The open groups; a picked group's rows (audited) and its import / discard buttons."""
    groups = write(lambda session: holds.list_holds(session, actor))
    if not groups:
        st.info(tr("oracle.io.held.none"))
        return
    st.caption(tr("oracle.io.held.help"))
    frame = pd.DataFrame([{
        tr("oracle.io.held.col.when"): shown(g.created_at),
        tr("oracle.io.held.col.who"): g.username,
        tr("oracle.io.held.col.file"): g.file_name,
        tr("oracle.io.held.col.mode"): tr(f"io.on_duplicate.{g.on_duplicate}"),
        tr("oracle.io.held.col.rows"): g.rows,
    } for g in groups])
    event = data_table(frame, hide_index=True, width="stretch", on_select="rerun",
                       selection_mode="single-row", key="held_groups")
    picked = event.selection.rows if event is not None else []
    if not picked or picked[0] >= len(groups):
        return
    group = groups[picked[0]]
    if st.session_state.get(SHOWN) != group.id:
        if st.button(tr("oracle.io.held.show"), icon=":material/visibility:"):
            st.session_state[SHOWN] = group.id
            st.rerun()
        return
    rows = write(lambda session: held_rows(session, actor, group.id))
    data_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    left, right = st.columns(2)
    if left.button(tr("oracle.io.held.import", n=group.rows), type="primary",
                   icon=":material/upload:", key="held_import"):
        done = perform(lambda session: import_hold(session, actor, group.id),
                       refusals=(ExcelRefused, holds.HoldError))
        if done.ok:
            st.session_state.pop(SHOWN, None)
            st.session_state["flash"] = tr("oracle.io.held.imported",
                                           **done.value.summary.counts())
            st.rerun()
    if right.button(tr("oracle.io.held.discard", n=group.rows), icon=":material/delete:",
                    key="held_discard"):
        discarded = perform(lambda session: holds.discard_hold(session, actor, group.id),
                            refusals=(holds.HoldError,))
        if discarded.ok:
            st.session_state.pop(SHOWN, None)
            st.session_state["flash"] = tr("oracle.io.held.discarded")
            st.rerun()
