"""回访工作台: the visits due today, overdue and coming up — mine, or everyone's for managers —
by method and assignee; record a visit from the list; export the list."""

import streamlit as st

from components import exports, follow_up_ui, records_ui, visit_worklist
from components.actions import write, writing
from components.i18n import lang, tr
from components.session import require
from components.text import md
from core.settings import get_settings
from services.access.roles import Perm
from services.access.users import active_users
from services.excel import can_export
from services.records.visits import UPCOMING_DAYS, worklist, worklist_xlsx

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()
page_size = get_settings().page_size

st.title(tr("worklist.title"))
if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")
    follow_up_ui.close_worklist_dialog()

people = write(lambda session: {u.username: (u.id, u.display_name) for u in active_users(session)})
flt = visit_worklist.filter_bar(actor, people)
with writing() as session:
    page = visit_worklist.requested_page()
    result = worklist(session, actor, flt, limit=page_size, offset=(page - 1) * page_size)

if result.total == 0:
    st.info(tr(f"worklist.none.{flt.due.value}", days=UPCOMING_DAYS))
    st.stop()

can_record = actor.can(Perm.EDIT_CUSTOMERS)
header = st.container(horizontal=True, vertical_alignment="center")
with header:
    st.caption(tr("worklist.total", total=f"{result.total:,}"))
    if can_export(actor):
        exports.control(actor, tr("worklist.export"), key="worklist_export", wanted=flt,
                        build=lambda session: worklist_xlsx(session, actor, flt, lang=lang()),
                        file_name=tr("worklist.file"), what="export.follow_ups",
                        help_text=tr("lists.export.help.full" if actor.can(Perm.EXPORT_FULL)
                                     else "lists.export.help.masked"))
# The selected row's actions sit above the table (filled in once the table says which row).
actions = st.container(horizontal=True, vertical_alignment="center")
picked = visit_worklist.table(result.rows, selectable=can_record,
                              key=f"worklist_grid_{flt.due.value}_{page}")
visit_worklist.pager(result.total, page_size)

if picked is None and can_record:
    with actions:
        st.caption(tr("worklist.select_hint"))
if picked is not None:
    with actions:
        if st.button(md("worklist.record", name=picked.customer_name), type="primary",
                     icon=":material/task_alt:", key="worklist_record"):
            st.session_state[follow_up_ui.WORKLIST_OPEN] = {
                "id": picked.id, "customer": f"{picked.customer_name} · {picked.customer_no}"}
        records_ui.profile_link(picked.customer_id, tr("worklist.open_profile"))

opened = st.session_state.get(follow_up_ui.WORKLIST_OPEN)
if opened and can_record:
    follow_up_ui.worklist_record(actor, int(opened["id"]), opened["customer"])
