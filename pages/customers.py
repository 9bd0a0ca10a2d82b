"""客户列表: search and filter customers, one page at a time."""

from dataclasses import replace

import streamlit as st

from components import customer_list
from components.i18n import tr
from components.session import require
from db.engine import session_scope
from services.customers import account_managers, search
from services.roles import Perm
from services.settings import get_settings

user = require(Perm.VIEW_CUSTOMERS)
page_size = get_settings().page_size

st.title(tr("customers.title"))
with session_scope() as session:
    managers = {u.username: (u.id, u.display_name) for u in account_managers(session)}
    query, manager = customer_list.filter_bar({k: v[1] for k, v in managers.items()})
    if manager in managers:
        query = replace(query, account_manager_id=managers[manager][0])
    page = customer_list.requested_page()
    rows, total = search(session, user.actor(), query, offset=(page - 1) * page_size,
                         limit=page_size)

if total == 0:
    st.info(tr("customers.none"))
else:
    customer_list.table(rows)
    left, right = st.columns([2, 3], vertical_alignment="center")
    with right:
        page = customer_list.pager(total, page_size)
    with left:
        st.caption(tr("customers.total", total=f"{total:,}", page=page,
                      pages=max(1, -(-total // page_size))))
