"""新建客户: enter a customer; checks and duplicate warnings before saving."""

import streamlit as st

from components import consent_ui, customer_form, records_ui
from components.actions import write, writing
from components.i18n import lang, tr
from components.session import require
from components.text import plain
from services.access.probes import ProbeRefused
from services.access.roles import Perm
from services.customers import (
    DuplicateCustomer,
    InvalidCustomer,
    SimilarCustomer,
    check_customer,
    create_customer,
)
from services.privacy import consent

PREFIX = "new"
STATE = "new_customer_state"

user = require(Perm.EDIT_CUSTOMERS)
actor = user.actor()

st.title(tr("new.title"))
st.caption(tr("new.intro"))
ctype = customer_form.customer_type_picker(PREFIX)
state: dict = st.session_state.setdefault(STATE, {"errors": [], "duplicates": [],
                                                   "similar": []})
form_state = customer_form.FormState.from_errors(state["errors"])
if state["duplicates"]:
    records_ui.duplicate_list(state["duplicates"])
if state["similar"]:
    records_ui.similar_list(state["similar"])

raw = customer_form.render(PREFIX, ctype, records_ui.manager_choices(), form_state,
                           tr("new.submit"), similar_prompt=bool(state["similar"]),
                           tag_options=records_ui.tag_choices(actor), consent=True)
if raw is not None:
    answers, channel, evidence = consent_ui.form_answers(PREFIX)
    accept = customer_form.accept_similar(PREFIX) and bool(state["similar"])
    try:
        check = write(lambda session: check_customer(session, actor, raw))
    except ProbeRefused as exc:  # hidden-key look-ups past the hourly limit
        st.error(plain(exc.message(lang())), icon=":material/block:")
        st.stop()
    state.update(errors=check.errors, duplicates=check.duplicates,
                 similar=[] if accept else check.similar)
    if check.ok and (accept or not check.similar):
        try:
            with writing() as session:
                new_id = create_customer(session, actor, raw, accept_similar=accept)
                # in the same transaction: the customer and their consent, or neither
                consent.record_initial(session, actor, new_id, answers, channel=channel,
                                       note=evidence)
        except InvalidCustomer as exc:
            state["errors"] = exc.errors
        except DuplicateCustomer as exc:
            state["duplicates"] = exc.matches
        except SimilarCustomer as exc:
            state["similar"] = exc.matches
        except (ProbeRefused, consent.ConsentError) as exc:
            st.error(plain(exc.message(lang())), icon=":material/block:")
            st.stop()
        else:
            customer_form.clear(PREFIX)
            st.session_state.pop(STATE, None)
            st.session_state["flash"] = tr("new.saved")
            st.switch_page(records_ui.PROFILE_PAGE, query_params={"id": str(new_id)})
    st.rerun()
