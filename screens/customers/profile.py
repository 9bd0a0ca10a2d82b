"""客户档案: one customer's profile — header, details and edit, timeline, change history."""

import streamlit as st
from sqlalchemy.orm import Session

from components import (
    consent_ui,
    customer_form,
    privacy_actions,
    profile,
    record_dialog_state,
    record_dialogs,
    records_ui,
    survey_ui,
)
from components.actions import write
from components.i18n import lang, lbl, tr
from components.session import require
from components.text import fmt_when, plain
from core.vocab import Tier
from services.access.probes import ProbeRefused
from services.access.roles import Perm
from services.customers import (
    CustomerNotFound,
    DuplicateCustomer,
    InvalidCustomer,
    SimilarCustomer,
    StaleRecord,
    delete_customer,
    edit_form,
    get_profile,
    mark_reviewed,
    restore_customer,
    tiers,
    update_customer,
)
from services.customers import tags as tag_service

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()

try:
    customer_id = int(st.query_params.get("id", ""))
except ValueError:
    st.info(tr("profile.pick_customer"))
    st.page_link("screens/customers/list.py", label=tr("nav.customers"), icon=":material/search:")
    st.stop()

try:
    p = write(lambda session: get_profile(session, actor, customer_id))
except CustomerNotFound:
    st.warning(tr("profile.not_found"))
    st.page_link("screens/customers/list.py", label=tr("nav.customers"), icon=":material/search:")
    st.stop()

if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")
    record_dialog_state.close()  # a record dialog that saved has done its job

profile.header(p, actor)
survey_ui.satisfaction_summary(p, actor)  # latest score and trend

# ---- actions: review, tags, manual tier, delete / restore -----------------------------------
actions = st.container(horizontal=True)
with actions:
    if p.can_edit and not p.deleted:
        if st.button(tr("profile.mark_reviewed"), icon=":material/fact_check:",
                     help=tr("profile.review_due_help", due=str(p.review_due))):
            def _review(session: Session) -> None:
                mark_reviewed(session, actor, p.id)
            if profile.act(_review, "profile.reviewed"):
                st.rerun()
        with st.popover(tr("profile.tags.edit"), icon=":material/sell:"):
            offered = [name for name in records_ui.tag_choices(actor) if name not in p.tags]
            customer_form.tag_picker(tr("profile.tags.add"), offered, f"tag_pick_{p.id}",
                                     new_key=f"tag_new_{p.id}",
                                     new_label="forms.tags.new_and_add")
            new_tags = customer_form.picked_tags(f"tag_pick_{p.id}", f"tag_new_{p.id}")
            drop = st.multiselect(tr("profile.tags.remove"), p.tags, key=f"tag_drop_{p.id}",
                                  placeholder=tr("form.choose"))
            if st.button(tr("common.apply"), key=f"tag_apply_{p.id}", type="primary"):
                def _tags(session: Session) -> None:
                    if new_tags:
                        tag_service.add_tags(session, actor, p.id, new_tags)
                    if drop:
                        tag_service.remove_tags(session, actor, p.id, drop)
                if profile.act(_tags, "profile.saved"):
                    for done in (f"tag_pick_{p.id}", f"tag_new_{p.id}", f"tag_drop_{p.id}"):
                        st.session_state.pop(done, None)  # applied: start the next one empty
                    st.rerun()
        with st.popover(tr("profile.tier.manual"), icon=":material/workspace_premium:"):
            tier = st.selectbox(tr("field.tier"), [t.value for t in Tier], format_func=lbl,
                                key=f"mt_tier_{p.id}", index=[t.value for t in Tier]
                                .index(p.tier))
            reason = st.text_input(tr("form.tier_reason"), key=f"mt_reason_{p.id}")
            if st.button(tr("profile.tier.set"), key=f"mt_set_{p.id}", type="primary"):
                def _set_tier(session: Session) -> None:
                    tiers.set_manual_tier(session, actor, p.id, tier, reason)
                if profile.act(_set_tier, "profile.saved"):
                    st.rerun()
            if p.tier_source == "manual" and st.button(tr("profile.tier.clear"),
                                                       key=f"mt_clear_{p.id}"):
                def _clear_tier(session: Session) -> None:
                    tiers.clear_manual_tier(session, actor, p.id)
                if profile.act(_clear_tier, "profile.saved"):
                    st.rerun()
    if p.can_delete:
        if not p.deleted:
            with st.popover(tr("profile.delete"), icon=":material/delete:"):
                st.warning(tr("profile.delete.confirm"))
                if st.button(tr("profile.delete"), key=f"del_{p.id}", type="primary"):
                    def _delete(session: Session) -> None:
                        delete_customer(session, actor, p.id)
                    if profile.act(_delete, "profile.deleted_done"):
                        st.rerun()
        elif st.button(tr("profile.restore"), icon=":material/restore_from_trash:"):
            def _restore(session: Session) -> None:
                restore_customer(session, actor, p.id)
            if profile.act(_restore, "profile.restored"):
                st.rerun()
        privacy_actions.actions(p, actor)  # copy for the person, erasure (admins)

# ---- add a service record (order, contact, visit, complaint, …) in its dialog ----------------
profile.add_record_row(p, actor)

# ---- tabs ------------------------------------------------------------------------------------
basic, events, consents, history = st.tabs([tr("profile.tab.basic"), tr("profile.tab.timeline"),
                                            tr("consent.profile.tab"), tr("profile.tab.history")])

def edit_section() -> None:
    """The edit form. It keeps the record as it was opened: a save writes only the fields
    changed in the form, onto the record as it is now, so tags, review or tier changed on
    this page meanwhile stay. Only a field someone else also changed, to another value, stops
    the save; the clerk's edits stay in the form and "overwrite" writes just those fields."""
    prefix = f"edit{p.id}"
    if st.session_state.get(f"{prefix}_opened") is None:
        form = write(lambda session: edit_form(session, actor, p.id))
        customer_form.seed_values(prefix, {**form.values, "tier_reason": form.tier_reason})
        st.session_state[f"{prefix}_opened"] = form
    opened = st.session_state[f"{prefix}_opened"]
    state = st.session_state.setdefault(f"{prefix}_state", {"errors": [], "duplicates": [],
                                                            "similar": [], "stale": None})

    if refused := state.pop("refused", None):
        st.error(plain(refused), icon=":material/block:")

    def save(raw: dict, *, overwrite: bool = False, accept: bool = False) -> None:
        state.update(errors=[], duplicates=[], similar=[], stale=None)
        try:
            write(lambda session: update_customer(session, actor, p.id, raw, opened,
                                                  overwrite=overwrite, accept_similar=accept))
        except InvalidCustomer as exc:
            state["errors"] = exc.errors
        except DuplicateCustomer as exc:
            state["duplicates"] = exc.matches
        except SimilarCustomer as exc:
            state["similar"] = exc.matches
        except StaleRecord as exc:
            state["stale"] = exc
        except ProbeRefused as exc:  # hidden-key look-ups past the hourly limit
            state["refused"] = exc.message(lang())
        else:
            customer_form.clear(prefix)
            st.session_state["flash"] = tr("profile.saved")
        st.rerun()

    if state["stale"] is not None:
        stale: StaleRecord = state["stale"]
        st.error(tr("edits.stale", current=stale.current_version), icon=":material/sync:")
        for change in stale.changes:
            st.markdown("- " + plain(tr(
                "profile.stale.change", who=change.username, when=fmt_when(change.at),
                field=change.field_label(lang()),
                before=change.before if change.before is not None else "—",
                after=change.after if change.after is not None else "—")))
        logged = {change.field for change in stale.changes}
        for name in [f for f in stale.conflicts if f not in logged]:  # changed unaudited
            now = stale.current.values.get(name)
            st.markdown("- " + plain(tr(
                "edits.stale.now", field=tr(f"field.{name}"),
                value="、".join(now) if isinstance(now, list) else (now or "—"))))
        keep, reload = st.columns(2)
        if keep.button(tr("profile.stale.overwrite"), icon=":material/save_as:"):
            save(stale.submitted, overwrite=True, accept=True)
        if reload.button(tr("profile.stale.reload"), icon=":material/refresh:"):
            customer_form.clear(prefix)
            st.rerun()
    if state["duplicates"]:
        records_ui.duplicate_list(state["duplicates"])
    if state["similar"]:
        records_ui.similar_list(state["similar"])
    ctype = customer_form.customer_type_picker(prefix)
    raw = customer_form.render(prefix, ctype, records_ui.manager_choices(),
                               customer_form.FormState.from_errors(state["errors"]),
                               tr("profile.save"), similar_prompt=bool(state["similar"]),
                               tag_options=records_ui.tag_choices(actor))
    if raw is not None:
        save(raw, accept=customer_form.accept_similar(prefix) and bool(state["similar"]))


with basic:
    profile.details(p)
    st.subheader(tr("profile.tier_history"))
    profile.tier_history_table(p)
    if p.can_edit and not p.deleted:
        pending = st.session_state.get(f"edit{p.id}_state") or {}
        problems = any(pending.get(k) for k in ("errors", "duplicates", "similar", "stale"))
        with st.expander(tr("profile.edit"), icon=":material/edit:", expanded=problems):
            edit_section()

with events:
    profile.timeline_tab(p, actor)

with consents:
    consent_ui.profile_tab(p, actor)

with history:
    profile.history_tab(p, actor)

# ---- the record dialog that is open, if any (one per run) ------------------------------------
record_dialogs.show_open(p, actor)
