"""导入导出: Excel templates, import with preview and row-level errors, history and undo,
and the export of all customers."""

import streamlit as st

from components import consent_ui, excel_ui, held_ui
from components.actions import perform, write
from components.downloads import download_button
from components.i18n import lang, tr
from components.session import require
from components.text import md, plain
from services.access.roles import Perm
from services.excel import (
    KINDS,
    ExcelActionError,
    ExcelRefused,
    can_export,
    can_undo,
    commit_import,
    export_customers_xlsx,
    list_imports,
    marketing_split,
    preview_import,
    template_xlsx,
    undo_import,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW = "io_preview"

user = require(Perm.VIEW_CUSTOMERS)
actor = user.actor()
st.title(tr("io.title"))
if flash := st.session_state.pop("flash", None):
    st.toast(flash, icon=":material/check_circle:")

reviewer = held_ui.can_review(actor)
tabs = st.tabs([tr("io.tab.import"), tr("io.tab.history"), tr("io.tab.export")] +
               ([held_ui.tab_label(actor)] if reviewer else []))
import_tab, history_tab, export_tab = tabs[:3]

with import_tab:
    if not actor.can(Perm.IMPORT):
        st.info(tr("io.import.not_allowed"))
    else:
        kind_name = st.selectbox(tr("io.kind"), list(KINDS), key="io_kind",
                                 format_func=lambda k: KINDS[k].label.text(lang()))
        kind = KINDS[kind_name]
        st.caption(tr(f"io.kind_help.{kind_name}"))
        download_button(actor, tr("io.template"), template_xlsx(kind_name),
                        file_name=tr("io.file.template", kind=kind.label.text(lang())),
                        what=f"template.{kind_name}", mime=XLSX, icon=":material/download:")
        # A new uploader after each import (popping its state leaves the browser holding the
        # file, which came back at the next rerun as a fresh preview of the imported file).
        upload_round = st.session_state.get("io_upload_round", 0)
        upload = st.file_uploader(tr("io.upload"), type=["xlsx"],
                                  key=f"io_file_{kind_name}_{upload_round}")
        on_duplicate = "skip"
        if kind.is_customers:
            on_duplicate = st.radio(tr("io.on_duplicate"), ["skip", "update"], horizontal=True,
                                    format_func=lambda o: tr(f"io.on_duplicate.{o}"),
                                    key="io_on_duplicate")
        if upload is None:
            st.session_state.pop(PREVIEW, None)
            if done := st.session_state.get(excel_ui.IMPORT_DONE):
                excel_ui.import_done(actor, done)
        else:
            st.session_state.pop(excel_ui.IMPORT_DONE, None)  # another import begins
            data = upload.getvalue()
            cached = st.session_state.get(PREVIEW)  # (inputs, preview) of the last preview
            previous = cached[1] if cached and cached[0][0] == upload.file_id else None
            overrides = excel_ui.column_mapping(kind, previous.columns, f"io_{upload.file_id}") \
                if previous is not None and previous.kind == kind_name else {}
            inputs = (upload.file_id, kind_name, on_duplicate, tuple(sorted(overrides.items())))
            preview = cached[1] if cached and cached[0] == inputs else None
            if preview is None:
                made = perform(lambda session: preview_import(
                    session, actor, data, upload.name, kind=kind_name,
                    on_duplicate=on_duplicate, column_map=overrides,
                    progress=excel_ui.progress_reporter()), refusals=(ExcelRefused,),
                    show=lambda message: st.error(message, icon=":material/block:"))
                if made.ok:
                    preview = made.value
                    st.session_state[PREVIEW] = (inputs, preview)
                    if previous is None:
                        st.rerun()  # show the mapping editor for this file's columns
            if preview is not None:
                excel_ui.summary_metrics(preview.summary)
                excel_ui.preview_tables(preview)
                if preview.summary.rejected:
                    download_button(actor, tr("io.rejected.download"),
                                    preview.rejected_xlsx(lang()),
                                    file_name=f"rejected-{upload.name}", what="import.rejected",
                                    mime=XLSX, icon=":material/download:",
                                    detail={"rows": preview.summary.rejected})
                todo = preview.summary.inserted + preview.summary.updated
                if st.button(tr("io.commit", n=f"{todo:,}"), type="primary", disabled=not todo,
                             icon=":material/upload:"):
                    done = perform(lambda session: commit_import(
                        session, actor, preview, progress=excel_ui.progress_reporter()),
                        refusals=(ExcelRefused,))
                    if done.ok:
                        st.session_state.pop(PREVIEW, None)
                        st.session_state[excel_ui.IMPORT_DONE] = excel_ui.ImportDone.of(
                            done.value, lang())
                        st.session_state.pop(f"io_file_{kind_name}_{upload_round}", None)
                        st.session_state["io_upload_round"] = upload_round + 1
                        st.rerun()

with history_tab:
    if not actor.can(Perm.IMPORT):
        st.info(tr("io.import.not_allowed"))
    else:
        records, total = write(lambda session: list_imports(session, actor, limit=100))
        if not records:
            st.info(tr("io.history.none"))
        else:
            chosen = excel_ui.history_table(records)
            if chosen and can_undo(actor):
                record = next(r for r in records if r.id == chosen[0])
                if record.can_undo and st.button(md("io.undo", file=record.file_name),
                                                 icon=":material/undo:"):
                    undone = perform(lambda session: undo_import(session, actor, record.id),
                                     refusals=(ExcelActionError,))
                    if undone.ok:
                        outcome = undone.value
                        if outcome.done:
                            st.session_state["flash"] = plain(outcome.message(lang()))
                            st.rerun()
                        st.error(plain(outcome.message(lang())))
                        for blocked in outcome.blocked[:200]:
                            st.markdown("- " + plain(blocked.message(lang())))

with export_tab:
    if not can_export(actor):
        st.info(tr("io.export.not_allowed"))
    else:
        st.caption(tr("io.export.help.full" if actor.can(Perm.EXPORT_FULL)
                      else "io.export.help.masked"))
        marketing = consent_ui.marketing_option("io_export_marketing")
        if marketing:  # says before the export how many it leaves out
            consent_ui.marketing_note(*write(lambda session: marketing_split(session, actor)))
        if st.button(tr("io.export.prepare"), icon=":material/table:"):
            st.session_state["io_export"] = write(lambda session: (marketing, export_customers_xlsx(
                                      session, actor, progress=excel_ui.progress_reporter(),
                                      marketing=marketing)))
        prepared = st.session_state.get("io_export")
        if prepared and prepared[0] == marketing:  # not a file made for the other choice
            download_button(actor, tr("io.export.download"), prepared[1],
                            file_name=tr("consent.file.marketing" if marketing
                                         else "io.file.customers"),
                            what="export.customers", mime=XLSX, icon=":material/download:",
                            detail={"marketing": marketing},
                            after=lambda: st.session_state.pop("io_export", None))

if reviewer:
    with tabs[3]:
        held_ui.held_review(actor)
