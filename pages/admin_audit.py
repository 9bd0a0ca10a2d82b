"""审计日志: who did what and when, filtered by user, action and date."""

import json

import pandas as pd
import streamlit as st

from components.i18n import tr
from components.session import require
from components.tables import data_table
from db.engine import session_scope
from services import audit
from services.clock import shown, shown_text
from services.roles import Perm


def local_times(value: object) -> object:
    """Stored details keep UTC ISO text; a person reads them in the configured zone."""
    if isinstance(value, dict):
        return {k: local_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [local_times(v) for v in value]
    return shown_text(value) if isinstance(value, str) else value


user = require(Perm.READ_AUDIT)
actor = user.actor()
PAGE_SIZE = 50

st.title(tr("audit.title"))
with session_scope() as session:
    known_actions = audit.actions(session, actor)
    usernames = audit.usernames(session, actor)

c1, c2, c3, c4 = st.columns(4)
who = c1.selectbox(tr("audit.filter.user"), usernames, index=None,
                   placeholder=tr("common.any"), key="audit_user")
action = c2.selectbox(tr("audit.filter.action"), known_actions, index=None,
                      placeholder=tr("common.any"), key="audit_action")
date_from = c3.date_input(tr("audit.filter.from"), value=None, key="audit_from")
date_to = c4.date_input(tr("audit.filter.to"), value=None, key="audit_to")
flagged = st.toggle(tr("oracle.audit.flagged_only"), key="audit_flagged")
page = int(st.session_state.get("audit_page") or 1)

flt = audit.AuditFilter(username=who, action=action, date_from=date_from, date_to=date_to,
                        flagged=flagged)
with session_scope() as session:
    entries, total = audit.query(session, actor, flt, offset=(page - 1) * PAGE_SIZE,
                                 limit=PAGE_SIZE)
    rows = [{
        tr("audit.col.at"): shown(e.at, seconds=True),
        tr("audit.col.user"): e.username,
        tr("audit.col.action"): e.action,
        tr("audit.col.entity"): f"{e.entity or ''} {e.entity_id or ''}".strip(),
        tr("audit.col.changes"): json.dumps(local_times(e.changes or e.detail or {}),
                                            ensure_ascii=False),
    } for e in entries]

if not rows:
    st.info(tr("audit.none"))
else:
    data_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("audit.total", total=f"{total:,}"))
    st.pagination(max(1, -(-total // PAGE_SIZE)), key="audit_page")
