"""客户查询: find customers by any key, filter, sort, page; tag or assign them in bulk."""

from dataclasses import replace

import streamlit as st
from sqlalchemy.orm import Session

from components import consent_ui, customer_list, exports, managers, records_ui
from components.actions import perform, read, reading
from components.i18n import lang, tr
from components.session import require
from components.text import md
from core.settings import get_settings
from services.access.probes import ProbeRefused
from services.access.roles import Perm
from services.customers import RecordError, bulk_assign_manager
from services.customers import tags as tag_service
from services.customers.lookup import CustomerQuery, search
from services.excel import can_export, export_customers_xlsx, marketing_split

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()
page_size = get_settings().page_size

st.title(tr("lookup.title"))
if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")

people = managers.assigned()
with reading() as session:
    tag_names = [t.name for t in tag_service.list_tags(session, actor)]
    query, manager = customer_list.filter_bar(people.names(), tag_names,
                                              actor.can(Perm.DELETE_CUSTOMERS))
    if people.id_of(manager) is not None:
        query = replace(query, account_manager_id=people.id_of(manager))
    page = customer_list.requested_page()
    try:
        rows, total = search(session, actor, query, offset=(page - 1) * page_size,
                             limit=page_size)
    except ProbeRefused as refused:  # a whole mobile / email this role may not see, too often
        st.error(refused.message(lang()), icon=":material/block:")
        st.stop()

if total == 0:
    st.info(tr("customers.none"))
    st.stop()

if can_export(actor):
    with exports.popover(tr("lists.export.open")):
        everyone = read(lambda session: search(session, actor, CustomerQuery(), limit=1)[1])
        scope = st.radio(tr("lists.export.scope"), ["result", "all"], key="lookup_export_scope",
                         format_func=lambda s: tr(f"lists.export.scope.{s}",
                                                  n=f"{total if s == 'result' else everyone:,}"))
        st.caption(tr("lists.export.help.full" if actor.can(Perm.EXPORT_FULL)
                      else "lists.export.help.masked"))
        marketing = consent_ui.marketing_option("lookup_export_marketing")
        chosen = query if scope == "result" else None
        if marketing:  # says before the export how many it leaves out
            consent_ui.marketing_note(*read(lambda session: marketing_split(session, actor,
                                                                            chosen)))
        # A file prepared for another scope or other filters is not offered for this one.
        exports.prepare(actor, key="lookup_export",
                        wanted=f"{scope}:{query!r}:{manager}:{marketing}",
                        build=lambda session: export_customers_xlsx(
                            session, actor, chosen, marketing=marketing),
                        file_name=tr("consent.file.marketing" if marketing
                                     else "io.file.lookup"),
                        what="export.customers", detail={"scope": scope, "marketing": marketing})
if total == 1:
    records_ui.profile_link(rows[0].id, md("lookup.open_one", name=rows[0].name,
                                           no=rows[0].customer_no))
can_edit = actor.can(Perm.EDIT_CUSTOMERS)
st.caption(tr("lists.lookup.hint.edit" if can_edit else "lists.lookup.hint.view"))
selected = customer_list.table(rows, selectable=can_edit)
left, right = st.columns([2, 3], vertical_alignment="center")
with right:
    page = customer_list.pager(total, page_size)
with left:
    st.caption(tr("customers.total", total=f"{total:,}", page=page,
                  pages=max(1, -(-total // page_size))))

if can_edit and selected:
    st.subheader(tr("lookup.selected", n=len(selected)))
    if len(selected) == 1:
        records_ui.profile_link(selected[0], tr("lookup.open"))
    tag_col, manager_col = st.columns(2)
    with tag_col, st.form("bulk_tags", clear_on_submit=True):
        names = st.text_input(tr("lookup.bulk.tags"), placeholder=tr("form.tags.placeholder"))
        add, remove = st.columns(2)
        do_add = add.form_submit_button(tr("lookup.bulk.tag"), icon=":material/sell:")
        do_remove = remove.form_submit_button(tr("lookup.bulk.untag"),
                                              icon=":material/label_off:")
    with manager_col, st.form("bulk_manager"):
        assignable = managers.assignable()
        choices = assignable.labels()
        chosen = st.selectbox(tr("lookup.bulk.manager"), list(choices), index=None,
                              format_func=choices.get, placeholder=tr("form.choose"))
        do_assign = st.form_submit_button(tr("lookup.bulk.assign"),
                                          icon=":material/assignment_ind:")
    def bulk(session: Session) -> int | None:
        """The pressed bulk action on the selected customers: how many it changed."""
        if (do_add or do_remove) and names:
            action = tag_service.bulk_tag if do_add else tag_service.bulk_untag
            return action(session, actor, selected, names)
        if do_assign and chosen:
            return bulk_assign_manager(session, actor, selected, assignable.id_of(chosen))
        return None

    changed = perform(bulk, refusals=(tag_service.TagError, RecordError)).value
    if changed is not None:
        st.session_state["flash"] = tr("lookup.bulk.done", n=changed)
        st.rerun()
