"""审计日志: who did what and when, filtered by user, action and date; read as labels, local
times and display names (services.access.audit_view); a row about a customer opens it; exported
through the audited, formula-safe table export."""

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from components import exports
from components.actions import writing
from components.i18n import lang, tr
from components.session import require
from components.tables import data_table
from services.access import audit, audit_view
from services.access.roles import Perm
from services.excel import export_table_xlsx

user = require(Perm.READ_AUDIT)
actor = user.actor()
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
GRID_KEY = "audit_grid"
PROFILE_PAGE = "screens/customers/profile.py"

st.title(tr("audit.title"))
with writing() as session:
    known_actions = audit.actions(session, actor)
    usernames = audit.usernames(session, actor)
    names = audit_view.names_by_username(session, usernames)  # the picker shows them

c1, c2, c3, c4 = st.columns(4)
who = c1.selectbox(tr("audit.filter.user"), usernames, index=None,
                   format_func=lambda u: audit_view.who(names, u, u),
                   placeholder=tr("common.any"), key="audit_user")
action = c2.selectbox(tr("audit.filter.action"), known_actions, index=None,
                      format_func=lambda a: audit_view.action_label(a, lang()),
                      placeholder=tr("common.any"), key="audit_action")
date_from = c3.date_input(tr("audit.filter.from"), value=None, key="audit_from")
date_to = c4.date_input(tr("audit.filter.to"), value=None, key="audit_to")
flagged = st.toggle(tr("oracle.audit.flagged_only"), key="audit_flagged")
page = int(st.session_state.get("audit_page") or 1)

flt = audit.AuditFilter(username=who, action=action, date_from=date_from, date_to=date_to,
                        flagged=flagged)
COLUMNS = ("audit.col.at", "audit.col.user", "audit.col.action", "lists.audit.col.target",
           "audit.col.changes")


def as_row(line: audit_view.AuditLine) -> tuple[str, ...]:
    return (line.at, line.who, line.action, line.target, line.details)


with writing() as session:
    entries, total = audit.query(session, actor, flt, offset=(page - 1) * PAGE_SIZE,
                                 limit=PAGE_SIZE)
    lines = audit_view.lines(session, entries, lang())

if not lines:
    st.info(tr("audit.none"))
    st.stop()

def build_export(session: Session) -> bytes:
    everything, _ = audit.query(session, actor, flt, limit=EXPORT_LIMIT)
    rows = [as_row(line) for line in audit_view.lines(session, everything, lang())]
    return export_table_xlsx(session, actor, "audit_log", [tr(c) for c in COLUMNS], rows,
                             sheet=tr("lists.audit.sheet"),
                             filters={"user": who or "", "action": action or "",
                                      "from": str(date_from or ""), "to": str(date_to or ""),
                                      "flagged": flagged})


def truncation_note() -> None:
    if total > EXPORT_LIMIT:
        st.warning(tr("lists.audit.export.truncated", total=f"{total:,}",
                      limit=f"{EXPORT_LIMIT:,}"))


# wanted: a file prepared for other filters is not offered for these
exports.control(actor, tr("lists.audit.export"), key="audit_export", build=build_export,
                file_name=tr("lists.audit.file"), what="export.audit_log",
                help_text=tr("lists.audit.export.help", limit=f"{EXPORT_LIMIT:,}"),
                before=truncation_note, wanted=repr(flt))

st.caption(tr("lists.audit.hint"))
frame = pd.DataFrame([as_row(line) for line in lines], columns=[tr(c) for c in COLUMNS])
event = data_table(frame, hide_index=True, width="stretch", on_select="rerun",
                   selection_mode="single-cell", key=GRID_KEY,
                   column_config={tr("audit.col.changes"): st.column_config.TextColumn(
                       width="large")})
cells = list(event.selection.get("cells", [])) if event is not None else []
if cells and 0 <= int(cells[0][0]) < len(lines):
    picked = lines[int(cells[0][0])]
    if picked.customer_id is not None:
        st.session_state.pop(GRID_KEY, None)
        st.switch_page(PROFILE_PAGE, query_params={"id": str(picked.customer_id)})
st.caption(tr("audit.total", total=f"{total:,}"))
st.pagination(max(1, -(-total // PAGE_SIZE)), key="audit_page")
