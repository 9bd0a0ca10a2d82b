"""首页: what this role can do, with links, and a few figures."""

import streamlit as st

from components.i18n import tr
from components.navigation import link
from components.session import require
from db.engine import session_scope
from services.customers import home_counts
from services.roles import Perm

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()

st.title(tr("home.welcome", name=user.display_name))
st.write(tr(f"home.role_intro.{user.role}"))

with session_scope() as session:
    counts = home_counts(session, actor)

total, new, mine = st.columns(3)
total.metric(tr("home.stats.customers"), f"{counts.total:,}")
new.metric(tr("home.stats.new_30d"), f"{counts.new_30d:,}")
mine.metric(tr("home.stats.my_customers"), f"{counts.mine:,}")
if counts.total == 0:
    st.info(tr("home.empty"))

st.subheader(tr("home.can_do"))
link("pages/customers.py", "home.link.customers", actor)
link("pages/admin_users.py", "home.link.users", actor)
link("pages/admin_audit.py", "home.link.audit", actor)
