"""班级管理 (issue 17): a trainer's classes of trainees on the demo database. Create a class
(its accounts and its starting snapshot), hand out the login sheet once, see the classes,
reset passwords, close a class, reset its demo data with the progress kept or cleared."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from components.actions import engine, perform, writing
from components.demo_datasets import current_dataset, dataset_label, dataset_picker
from components.downloads import download_button
from components.i18n import lang, tr
from components.session import require
from components.tables import data_table
from components.text import md, plain
from core.clock import shown, today
from services.access.roles import Perm, PermissionDenied
from services.access.secrets import MissingKeys, load_secrets
from services.backup import BackupFailed, RestoreRefused, ToolFailed, ToolMissing
from services.training import (
    MAX_TRAINEES,
    ClassError,
    LoginSheet,
    SnapshotRefused,
    close_class,
    create_class,
    last_day,
    list_classes,
    login_sheet_xlsx,
    reset_class,
    reset_passwords,
    trainee_logins,
)

user = require(Perm.RUN_CLASS)
actor = user.actor()

SHEET = "classes_sheet"  # the LoginSheet just made: its passwords live only in this session
FLASH = "classes_flash"
FORM_GEN = "classes_form_gen"
PICK_NEXT = "classes_pick_next"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSALS = (ClassError, SnapshotRefused, RestoreRefused, BackupFailed, PermissionDenied,
            ToolMissing, ToolFailed, MissingKeys)


def failure(exc: Exception) -> str:
    """The refusal as the trainer can act on it."""
    if isinstance(exc, (ClassError, RestoreRefused)):
        return exc.message(lang())
    if isinstance(exc, SnapshotRefused):
        return tr(f"training.snapshot.refused.{exc.code}", **exc.params)
    if isinstance(exc, BackupFailed):
        return tr(f"backup.failed.{exc.code}", **exc.params)
    if isinstance(exc, PermissionDenied):
        return tr("classes.error.not_demo")
    if isinstance(exc, MissingKeys):
        return tr("training.snapshot.refused.keys")
    return tr("backup.failed.tool", tool=getattr(exc, "tool", "-"),
              detail=str(getattr(exc, "stderr", exc))[-500:])


def show_failure(exc: Exception) -> None:
    st.error(plain(tr("classes.failed", message=failure(exc))))


def keep_sheet(sheet: LoginSheet, message: str) -> None:
    st.session_state[SHEET] = sheet
    st.session_state[PICK_NEXT] = sheet.class_id  # the class the sheet is of, picked next run
    st.session_state[FLASH] = message
    st.rerun()


st.title(tr("classes.title"))
st.caption(tr("classes.help"))
if flash := st.session_state.pop(FLASH, None):
    st.success(plain(flash), icon=":material/check_circle:")

sheet: LoginSheet | None = st.session_state.get(SHEET)
if sheet is not None:
    with st.container(border=True):
        st.subheader(md("classes.sheet.ready", name=sheet.class_name, count=len(sheet.logins)))
        st.warning(tr("classes.sheet.once"), icon=":material/print:")
        download_button(actor, tr("classes.sheet.download"), login_sheet_xlsx(sheet, lang()),
                        file_name=tr("classes.sheet.file", name=sheet.class_name),
                        what="training.login_sheet", mime=XLSX, icon=":material/download:",
                        key="classes_sheet_download",
                        detail={"class": sheet.class_name, "trainees": len(sheet.logins)})
        if st.button(tr("classes.sheet.dismiss"), key="classes_sheet_dismiss"):
            st.session_state.pop(SHEET, None)
            st.rerun()

with writing() as session:
    classes = list_classes(session, actor)

gen = st.session_state.get(FORM_GEN, 0)
with st.expander(tr("classes.create"), icon=":material/group_add:",
                 expanded=sheet is None and not classes), \
        st.form(f"classes_create_{gen}"):
    name = st.text_input(tr("classes.name"), max_chars=50, key=f"classes_name_{gen}")
    count = st.number_input(tr("classes.count"), min_value=1, max_value=MAX_TRAINEES, value=20,
                            step=1, key=f"classes_count_{gen}")
    final_day = st.date_input(tr("classes.last_day"), value=today() + timedelta(days=14),
                              min_value=today(), max_value=today() + timedelta(days=366),
                              key=f"classes_last_day_{gen}")
    if st.form_submit_button(tr("classes.submit"), type="primary", icon=":material/add:"):
        try:
            with st.spinner(tr("classes.running")):
                made = create_class(engine(), actor, name, int(count), final_day,
                                    load_secrets())
        except REFUSALS as exc:
            show_failure(exc)
        else:
            st.session_state[FORM_GEN] = gen + 1
            keep_sheet(made, tr("classes.created", name=made.class_name,
                                count=len(made.logins)))

st.subheader(tr("classes.list"))
if not classes:
    st.caption(tr("classes.none"))
    st.stop()

data_table(pd.DataFrame([{
    tr("classes.col.name"): c.name,
    tr("classes.col.dataset"): dataset_label(c.dataset),
    tr("classes.col.trainees"): c.trainees,
    tr("classes.col.active"): c.active_trainees,
    tr("classes.col.expires"): last_day(c.expires_at).isoformat(),
    tr("classes.col.state"): tr(f"classes.state.{c.state}"),
    tr("classes.col.created"): shown(c.created_at),
} for c in classes]), hide_index=True, width="stretch")

by_id = {c.id: c for c in classes}
if (pending := st.session_state.pop(PICK_NEXT, None)) in by_id:
    st.session_state["classes_pick"] = pending  # before the picker is drawn
labels = {c.id: f"{c.name}（{tr(f'classes.state.{c.state}')}）" for c in classes}
picked = st.selectbox(tr("classes.pick"), list(by_id), key="classes_pick",
                      format_func=labels.get)
chosen = by_id[picked]

with writing() as session:
    accounts = trainee_logins(session, actor, chosen.id)
with st.expander(tr("classes.trainees"), icon=":material/badge:"):
    data_table(pd.DataFrame([{
        tr("classes.sheet.name"): display, tr("classes.sheet.username"): username,
        tr("classes.col.state"): tr("classes.trainee.active" if active
                                    else "classes.trainee.inactive"),
    } for display, username, active in accounts]), hide_index=True, width="stretch")

pw_col, close_col, reset_col = st.columns(3)
if chosen.state == "open":
    with pw_col, st.popover(tr("classes.passwords"), icon=":material/key:"):
        st.warning(tr("classes.passwords.confirm"))
        if st.button(tr("classes.passwords"), type="primary", key="classes_passwords"):
            done = perform(lambda s: reset_passwords(s, actor, chosen.id), refusals=(ClassError,))
            if done.ok and done.value is not None:
                keep_sheet(done.value, tr("classes.passwords.done",
                                          count=len(done.value.logins)))
if chosen.state != "closed":
    with close_col, st.popover(tr("classes.close"), icon=":material/block:"):
        st.warning(tr("classes.close.confirm"))
        if st.button(tr("classes.close"), type="primary", key="classes_close"):
            closed = perform(lambda s: close_class(s, actor, chosen.id), refusals=(ClassError,))
            if closed.ok:
                st.session_state[FLASH] = tr("classes.close.done", name=chosen.name,
                                             count=closed.value)
                st.rerun()
with reset_col, st.popover(tr("classes.reset"), icon=":material/settings_backup_restore:"):
    to_snapshot = st.radio(tr("classes.reset.source"), (True, False), key="classes_reset_source",
                           format_func=lambda s: tr("classes.reset.to_snapshot" if s
                                                    else "classes.reset.to_dataset"))
    if to_snapshot:
        st.caption(md("classes.reset.help", snapshot=chosen.snapshot_name or "-"))
        dataset = None
    else:
        st.caption(tr("classes.reset.dataset_help"))
        dataset = dataset_picker("classes_reset_dataset", current_dataset())
    keep = st.radio(tr("classes.reset.progress"), (True, False), key="classes_reset_keep",
                    format_func=lambda k: tr("classes.reset.keep" if k else "classes.reset.clear"))
    st.warning(tr("classes.reset.confirm"))
    if st.button(tr("classes.reset"), type="primary", key="classes_reset"):
        try:
            keys = load_secrets() if dataset is None else None
            with st.spinner(tr("classes.reset.running")):
                result = reset_class(engine(), actor, chosen.id, keys, keep_progress=keep,
                                     dataset=dataset)
        except REFUSALS as exc:
            show_failure(exc)
        else:
            st.cache_data.clear()
            progress = tr(f"classes.reset.{result.progress}")
            st.session_state[FLASH] = tr(
                "classes.reset.done", name=result.class_name, snapshot=result.source,
                trainees=result.trainees, seconds=f"{result.seconds:.1f}",
                progress=progress) if dataset is None else tr(
                "classes.reset.done_dataset", name=result.class_name,
                dataset=dataset_label(dataset), trainees=result.trainees,
                seconds=f"{result.seconds:.1f}", progress=progress)
            st.rerun()
