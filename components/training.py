"""The trainer's section of the home page (issue 17): snapshots of the demo database, and
classes of trainees. Shown only to a role with the demo reset right on a demo database."""

from __future__ import annotations

import streamlit as st

from components.actions import engine, reading
from components.i18n import lang, tr
from components.text import plain
from core import clock
from services.access.roles import Actor, PermissionDenied
from services.access.secrets import MissingKeys, load_secrets
from services.backup import BackupFailed, RestoreRefused, ToolFailed, ToolMissing
from services.training import (
    SnapshotRefused,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
    save_snapshot,
    snapshot_classes,
)

SNAP_DONE = "training_snapshot_done"


def _failure(exc: Exception) -> str:
    """The refusal as the person can act on it."""
    if isinstance(exc, RestoreRefused):
        return exc.message(lang())
    if isinstance(exc, SnapshotRefused):
        return tr(f"training.snapshot.refused.{exc.code}", **exc.params)
    if isinstance(exc, BackupFailed):
        return tr(f"backup.failed.{exc.code}", **exc.params)
    if isinstance(exc, PermissionDenied):
        return tr("training.snapshot.refused.not_demo")
    return tr("backup.failed.tool", tool=getattr(exc, "tool", "-"),
              detail=str(getattr(exc, "stderr", exc))[-500:])


def snapshot_section(actor: Actor) -> None:
    """Save the demo database as a named snapshot; restore one (confirmed in a popover)."""
    st.subheader(tr("training.page.title"))
    st.caption(tr("training.page.help"))
    if done := st.session_state.pop(SNAP_DONE, None):
        st.success(plain(done), icon=":material/check_circle:")
    refusals = (SnapshotRefused, RestoreRefused, BackupFailed, PermissionDenied, ToolMissing,
                ToolFailed, MissingKeys)
    with st.form("training_snapshot_save", clear_on_submit=True, border=False):
        name = st.text_input(tr("training.page.name"), max_chars=40, key="training_snap_name")
        if st.form_submit_button(tr("training.page.save"), icon=":material/photo_camera:"):
            try:
                with st.spinner(tr("training.page.running")):
                    snap = save_snapshot(engine(), name, load_secrets(), actor)
            except refusals as exc:
                st.error(plain(tr("training.page.failed", message=_failure(exc))))
            else:
                st.session_state[SNAP_DONE] = tr("training.page.saved", name=snap.name,
                                                 customers=f"{snap.customers:,}")
                st.rerun()
    snaps = list_snapshots()
    if not snaps:
        st.caption(tr("training.snapshot.none"))
        return
    with reading() as session:
        uses = snapshot_classes(session)
    labels = {s.name: _option(s.name, s.created_at, s.customers, uses.get(s.name, []))
              for s in snaps}
    picked = st.selectbox(tr("training.page.pick"), list(labels), format_func=labels.get,
                          key="training_snap_pick")
    with st.popover(tr("training.page.restore"), icon=":material/settings_backup_restore:"):
        st.warning(tr("training.page.restore_confirm"))
        if st.button(tr("training.page.restore"), type="primary", key="training_snap_restore"):
            try:
                with st.spinner(tr("training.page.running")):
                    done = restore_snapshot(engine(), picked, load_secrets(), actor)
            except refusals as exc:
                st.error(plain(tr("training.page.failed", message=_failure(exc))))
            else:
                st.cache_data.clear()
                st.session_state[SNAP_DONE] = tr(
                    "training.page.restored", name=done.name, customers=f"{done.customers:,}",
                    seconds=f"{done.seconds:.1f}")
                st.rerun()
    in_use = any(state == "open" for _, state in uses.get(picked, []))
    with st.popover(tr("training.page.delete"), icon=":material/delete:", disabled=in_use,
                    help=tr("training.page.delete_confirm")):
        st.warning(tr("training.page.delete_confirm"))
        if st.button(tr("training.page.delete"), type="primary", key="training_snap_delete"):
            try:
                delete_snapshot(picked, actor, engine())
            except refusals as exc:
                st.error(plain(tr("training.page.failed", message=_failure(exc))))
            else:
                st.session_state[SNAP_DONE] = tr("training.page.deleted", name=picked)
                st.rerun()


def _option(name: str, created_at: str, customers: int, classes: list[tuple[str, str]]) -> str:
    """A snapshot as the picker names it: when, how many customers, and the classes that
    start from it with their state (one an open class uses cannot be deleted)."""
    text = tr("training.page.option", name=name, when=clock.shown_text(created_at),
              customers=f"{customers:,}")
    if not classes:
        return text
    named = "、".join(tr("training.page.class_state", name=c, state=tr(f"classes.state.{st_}"))
                     for c, st_ in classes)
    return tr("training.page.of_class", option=text, classes=named)
