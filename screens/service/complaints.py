"""投诉处理: the complaint queue — filters kept in the address, overdue complaints marked,
server-side paging, Excel export — and each complaint's detail with its workflow."""

import zlib

import streamlit as st

from components import complaint_queue, complaint_ui, exports
from components.actions import write, writing
from components.i18n import lang, tr
from components.session import require
from core.settings import get_settings
from services.access.probes import ProbeRefused
from services.access.roles import Perm
from services.excel import can_export
from services.records import complaints

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()
page_size = get_settings().page_size
team = actor.can(Perm.TEAM_WORK)

st.title(tr("complaints.title"))
if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")
    complaint_ui.close_queue_dialog()  # a deleted complaint's dialog has done its job

with writing() as session:
    handlers = complaints.handler_choices(session, actor) if team else {}
    counts = complaints.queue_counts(session, actor)
complaint_queue.summary(counts)
query = complaint_queue.filter_bar(handlers, team)
page = complaint_queue.requested_page()
try:
    result = write(lambda session: complaints.queue(session, actor, query,
                                                    offset=(page - 1) * page_size,
                                                    limit=page_size))
except ProbeRefused as refused:  # a whole mobile / email this role may not see, too often
    st.error(refused.message(lang()), icon=":material/block:")
    st.stop()

if result.total == 0:
    st.info(tr("complaints.none"))
else:
    st.caption(tr("complaints.pick_hint", hours=result.overdue_hours))
    shown = ",".join(str(r.id) for r in result.rows)
    picked = complaint_queue.table(result.rows,
                                   key=f"cq_grid_{zlib.crc32(shown.encode()):08x}")
    left, right = st.columns([2, 3], vertical_alignment="center")
    with right:
        page = complaint_queue.pager(result.total, page_size)
    with left:
        st.caption(tr("complaints.total", total=f"{result.total:,}", page=page,
                      pages=max(1, -(-result.total // page_size))))
    complaint_queue.open_picked(picked)
    if can_export(actor):
        exports.control(actor, tr("complaints.export"), key="complaints_export",
                        build=lambda session: complaints.export_queue_xlsx(
                            session, actor, query, lang()),
                        file_name=tr("complaints.export.file"), what="export.complaints",
                        help_text=tr("complaints.export.help.full"
                                     if actor.can(Perm.EXPORT_FULL)
                                     else "complaints.export.help.masked"))

complaint_ui.show_queue_dialog(actor)
