"""首页: what this role can do, with links, and a few figures."""

import streamlit as st

from components.actions import engine, write
from components.demo_datasets import current_dataset_line, dataset_label, dataset_picker
from components.i18n import tr
from components.navigation import home_links
from components.session import require
from components.text import md
from components.training import snapshot_section
from services.access.roles import Perm
from services.customers.lookup import home_counts
from services.demo import reset_demo

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()

st.title(md("home.welcome", name=user.display_name))
if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")
st.write(tr("home.role_intro.trainee" if user.trainee else f"home.role_intro.{user.role}"))

counts = write(lambda session: home_counts(session, actor))

total, new, mine = st.columns(3)
total.metric(tr("home.stats.customers"), f"{counts.total:,}")
new.metric(tr("home.stats.new_30d"), f"{counts.new_30d:,}")
mine.metric(tr("home.stats.my_customers"), f"{counts.mine:,}")
if counts.total == 0:
    st.info(tr("home.empty"))

st.subheader(tr("home.can_do"))
home_links(actor)

RESET_POPOVER = "home_demo_reset"
RESET_DONE = "home_demo_reset_done"

if actor.can(Perm.RESET_DEMO):
    st.subheader(tr("home.demo.title"))
    st.caption(tr("home.demo.help"))
    dataset = current_dataset_line()
    if done := st.session_state.pop(RESET_DONE, None):
        # Closed before the popover is drawn: it stayed open after a reset, ready to reset
        # again; the result is shown in its place instead of a toast that vanishes.
        st.session_state[RESET_POPOVER] = False
        st.success(tr("cases.home.done", **done), icon=":material/check_circle:")
    with st.popover(tr("home.demo.reset"), icon=":material/restart_alt:", key=RESET_POPOVER,
                    on_change="rerun"):
        st.warning(tr("home.demo.confirm"))
        picked = dataset_picker("demo_reset_dataset", dataset)
        if st.button(tr("home.demo.reset"), type="primary", key="demo_reset"):
            with st.spinner(tr("home.demo.running")):
                report = reset_demo(engine(), actor, dataset=picked)
            st.session_state[RESET_DONE] = {
                **{name: f"{report.counts.get(name, 0):,}"
                   for name in ("customers", "orders", "complaints")},
                "dataset": dataset_label(picked)}
            st.rerun()

    snapshot_section(actor)
