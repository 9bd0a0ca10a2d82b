"""用户管理: create users, change roles, reset passwords, deactivate, unlock."""

import pandas as pd
import streamlit as st

from components.actions import perform, writing
from components.i18n import tr
from components.session import require
from components.tables import data_table
from core.clock import shown
from core.vocab import Role
from services.access.login_locks import current_locks
from services.access.roles import Perm
from services.access.users import (
    UserError,
    change_display_name,
    change_role,
    create_user,
    list_users,
    reset_password,
    set_active,
    unlock,
)
from services.training import class_names

user = require(Perm.MANAGE_USERS)
actor = user.actor()
roles = [r.value for r in Role]


def role_label(role: str) -> str:
    return tr(f"role.{role}")


def run_action(action, *args) -> bool:
    """Run one user action in its own transaction; show the refusal reason if any."""
    return perform(lambda session: action(session, actor, *args), refusals=(UserError,)).ok


def done(message: str) -> None:
    """After a change the table and the picker above were drawn from the old data: rerun so
    they show it at once, carrying the confirmation across the rerun."""
    st.session_state[FLASH] = message
    st.rerun()


FLASH = "users_flash"
# The create form's widgets are keyed by a generation that a successful creation bumps: the
# next run draws new, empty fields (no password left behind), while a refused attempt keeps
# what the admin typed so it can be corrected.
FORM_GEN = "users_create_gen"

st.title(tr("users.title"))
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)

with writing() as session:
    users = list_users(session, actor)
    locks = current_locks(session, actor)
    classes = class_names(session)
    table = pd.DataFrame([{
        tr("users.username"): u.username,
        tr("users.display_name"): u.display_name,
        tr("users.role"): role_label(u.role),
        tr("users.training_class"): classes.get(u.training_class_id or 0, ""),
        tr("users.active"): tr("users.status.active" if u.active else "users.status.inactive"),
        tr("users.locked_until"): tr(
            "login_lock.cell", until=shown(locks[u.id].until),
            count=len(locks[u.id].clients)) if u.id in locks else "",
        tr("users.last_login"): shown(u.last_login_at),
    } for u in users])
    by_name = {u.username: (u.id, u.display_name, u.role, u.active) for u in users}
data_table(table, hide_index=True, width="stretch")

gen = st.session_state.get(FORM_GEN, 0)
with (st.expander(tr("users.create"), icon=":material/person_add:"),
      st.form(f"create_user_{gen}", clear_on_submit=False)):
    username = st.text_input(tr("users.username"), key=f"create_user_name_{gen}")
    display_name = st.text_input(tr("users.display_name"), key=f"create_user_display_{gen}")
    role = st.selectbox(tr("users.role"), roles, format_func=role_label,
                        index=roles.index(Role.CLERK.value), key=f"create_user_role_{gen}")
    password = st.text_input(tr("users.password"), type="password",
                             key=f"create_user_pw_{gen}")
    if st.form_submit_button(tr("users.submit_create"), type="primary") and run_action(
            create_user, username, display_name, role, password):
        for field in ("name", "display", "role", "pw"):
            st.session_state.pop(f"create_user_{field}_{gen}", None)
        st.session_state[FORM_GEN] = gen + 1
        done(tr("users.created", username=username.strip().lower()))

st.subheader(tr("users.select"))
# Keyed: a renamed user (a new label) stays the one chosen rather than the first user.
chosen = st.selectbox(tr("users.select"), list(by_name), label_visibility="collapsed",
                      format_func=lambda u: f"{by_name[u][1]}（{u}）", key="users_pick")
if chosen:
    user_id, current_name, current_role, active = by_name[chosen]
    with st.form(f"rename_{user_id}"):
        new_name = st.text_input(tr("users.display_name"), value=current_name, max_chars=50)
        if st.form_submit_button(tr("journeys.users.rename")) and run_action(
                change_display_name, user_id, new_name):
            done(tr("users.saved"))
    role_col, pw_col, state_col = st.columns(3)
    with role_col, st.form("change_role"):
        new_role = st.selectbox(tr("users.role"), roles, index=roles.index(current_role),
                                format_func=role_label)
        if st.form_submit_button(tr("users.change_role")) and run_action(
                change_role, user_id, new_role):
            done(tr("users.saved"))
    with pw_col, st.form("reset_password", clear_on_submit=True):
        new_password = st.text_input(tr("users.new_password"), type="password")
        if st.form_submit_button(tr("users.reset_password")) and run_action(
                reset_password, user_id, new_password):
            st.success(tr("users.saved"))
    with state_col:
        if active:
            if st.button(tr("users.deactivate"), icon=":material/block:") and run_action(
                    set_active, user_id, False):
                st.rerun()
        elif st.button(tr("users.activate"), icon=":material/check_circle:") and run_action(
                set_active, user_id, True):
            st.rerun()
        if st.button(tr("users.unlock"), icon=":material/lock_open:") and run_action(
                unlock, user_id):
            done(tr("users.saved"))
