"""标签管理: tags with their usage; administrators rename and merge them."""

import pandas as pd
import streamlit as st

from components.actions import perform, write
from components.i18n import tr
from components.session import require
from components.tables import data_table
from services.access.roles import Perm
from services.customers.tags import TagError, delete_unused_tag, list_tags, merge_tags, rename_tag

user = require(Perm.MANAGE_USERS)
actor = user.actor()

st.title(tr("tags.title"))
if flash := st.session_state.pop("tags_flash", None):
    st.success(flash)
usage = write(lambda session: list_tags(session, actor))
if not usage:
    st.info(tr("tags.none"))
    st.stop()

data_table(pd.DataFrame([{tr("tags.col.name"): u.name, tr("tags.col.count"): u.count}
                           for u in usage]), hide_index=True, width="stretch")
names = {u.id: u.name for u in usage}


def attempt(action) -> None:
    if perform(action, refusals=(TagError,)).ok:
        st.rerun()


rename_col, merge_col = st.columns(2)
with rename_col, st.form("rename_tag"):
    st.subheader(tr("tags.rename"))
    tag_id = st.selectbox(tr("tags.col.name"), list(names), format_func=names.get)
    new_name = st.text_input(tr("tags.rename.to"))
    if st.form_submit_button(tr("tags.rename"), type="primary"):
        attempt(lambda s: rename_tag(s, actor, tag_id, new_name))
with merge_col, st.form("merge_tags"):
    st.subheader(tr("tags.merge"))
    sources = st.multiselect(tr("tags.merge.sources"), list(names), format_func=names.get,
                             placeholder=tr("form.choose"))
    target = st.selectbox(tr("tags.merge.target"), list(names), format_func=names.get)
    if st.form_submit_button(tr("tags.merge"), type="primary"):
        attempt(lambda s: merge_tags(s, actor, [i for i in sources if i != target], target))

unused = {u.id: u.name for u in usage if u.count == 0}
with st.form("delete_tag"):
    st.subheader(tr("lists.tags.delete"))
    st.caption(tr("lists.tags.delete.help"))
    doomed = st.selectbox(tr("lists.tags.delete.pick"), list(unused), format_func=unused.get,
                          index=None, placeholder=tr("lists.tags.delete.none") if not unused
                          else tr("form.choose"), key="tags_delete_pick")
    if st.form_submit_button(tr("lists.tags.delete"), icon=":material/delete:",
                             disabled=not unused) and doomed is not None:
        st.session_state["tags_flash"] = tr("lists.tags.deleted", name=unused[doomed])
        attempt(lambda s: delete_unused_tag(s, actor, doomed))
        st.session_state.pop("tags_flash", None)
