"""Widgets of the 导入导出 page: progress, column mapping, preview summary, the result of an
import, history."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.downloads import download_button
from components.i18n import lang, tr
from components.tables import data_table
from components.text import md, plain
from core.clock import shown
from services.access.roles import Actor
from services.excel import (
    KINDS,
    ImportKind,
    ImportPreview,
    ImportRecord,
    ImportResult,
    ImportSummary,
)
from services.excel.reader import ColumnInfo

IMPORT_DONE = "io_done"
"""Session key of the last committed import's result (an ``ImportDone``)."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ImportDone:
    """What a committed import did, kept in the session so the page shows it until the user
    closes it or starts another import: a toast vanished after seconds and never said that
    rows were rejected. Holds the figures and warnings (no row data) and the rejected rows'
    workbook, made at commit time."""

    file_name: str
    kind: str
    summary: ImportSummary
    rejected_xlsx: bytes | None

    @classmethod
    def of(cls, result: ImportResult, language: str) -> ImportDone:
        summary = dataclasses.replace(result.summary, errors=[])
        rejected = result.rejected_xlsx(language) if result.summary.rejected else None
        return cls(result.file_name, result.kind, summary, rejected)


def progress_reporter() -> Callable[[str, int, int], None]:
    """A progress bar fed by the import's ``progress(stage, done, total)`` callback."""
    bar = st.progress(0.0, text=tr("io.progress.start"))

    def report(stage: str, done: int, total: int) -> None:
        share = min(1.0, done / total) if total else 1.0
        bar.progress(share, text=tr(f"io.progress.{stage}", done=f"{done:,}",
                                    total=f"{total:,}"))

    return report


def column_mapping(kind: ImportKind, columns: Sequence[ColumnInfo], key: str
                   ) -> dict[int, str | None]:
    """Let the user correct which field each column of the file is read as."""
    options: list[str | None] = [None, *kind.column_keys()]
    labels = {c.key: (c.label_en if lang() == "en" else c.header) for c in kind.columns}
    overrides: dict[int, str | None] = {}
    with st.expander(tr("io.mapping.title"), icon=":material/table_view:"):
        st.caption(tr("io.mapping.help"))
        cols = st.columns(3)
        for i, column in enumerate(columns):
            current = options.index(column.key) if column.key in options else 0
            chosen = cols[i % 3].selectbox(
                f"{column.letter} · {column.name}", options, index=current,
                key=f"{key}_map_{column.index}",
                format_func=lambda k: tr("io.mapping.ignore") if k is None else labels[k])
            if chosen != column.key:
                overrides[column.index] = chosen
    return overrides


def summary_metrics(summary: ImportSummary, *, committed: bool = False) -> None:
    if summary.held:
        new, updated, dups, rejected, blank, held = st.columns(6)
        held.metric(tr("oracle.io.summary.held"), f"{summary.held:,}")
        st.info(tr("oracle.io.held_notice", n=f"{summary.held:,}"), icon=":material/lock:")
    else:
        new, updated, dups, rejected, blank = st.columns(5)
    new.metric(tr("io.summary.inserted" if committed else "io.summary.new"),
               f"{summary.inserted:,}")
    updated.metric(tr("io.summary.updated"), f"{summary.updated:,}")
    dups.metric(tr("io.summary.duplicates"), f"{summary.duplicates:,}")
    rejected.metric(tr("io.summary.rejected"), f"{summary.rejected:,}")
    blank.metric(tr("io.summary.blank"), f"{summary.blank:,}")


def import_done(actor: Actor, done: ImportDone) -> None:
    """The result of the last import, until closed: every count in words and figures, the
    file's warnings, and the rejected rows to download, fix and import again."""
    summary = done.summary
    with st.container(border=True):
        text = md("importx.done.summary", file=done.file_name,
                  kind=KINDS[done.kind].label.text(lang()), inserted=f"{summary.inserted:,}",
                  updated=f"{summary.updated:,}", duplicates=f"{summary.duplicates:,}",
                  rejected=f"{summary.rejected:,}", held=f"{summary.held:,}")
        if summary.rejected or summary.held:
            st.warning(text, icon=":material/rule:")
        else:
            st.success(text, icon=":material/check_circle:")
        summary_metrics(summary, committed=True)
        for warning in summary.warnings:
            st.warning(plain(warning.message(lang())), icon=":material/warning:")
        if done.rejected_xlsx is not None:
            st.caption(tr("importx.done.rejected_help", n=f"{summary.rejected:,}"))
            download_button(actor, tr("io.rejected.download"), done.rejected_xlsx,
                            file_name=f"rejected-{done.file_name}", what="import.rejected",
                            mime=XLSX, icon=":material/download:", key="io_done_rejected",
                            detail={"rows": summary.rejected})
        if st.button(tr("importx.done.close"), key="io_done_close", icon=":material/close:"):
            st.session_state.pop(IMPORT_DONE, None)
            st.rerun()


def preview_tables(preview: ImportPreview) -> None:
    for warning in preview.warnings:
        st.warning(plain(warning.message(lang())), icon=":material/warning:")
    rejected = preview.rejected()
    if rejected:
        st.subheader(tr("io.rejected.title", n=len(rejected)))
        data_table(pd.DataFrame([{
            tr("io.col.row"): issue.row or outcome.row,
            tr("io.col.column"): issue.column or "—",
            tr("io.col.reason"): issue.message(lang()),
        } for outcome in rejected[:2000] for issue in outcome.issues]), hide_index=True,
            width="stretch")
    if preview.sample:
        st.subheader(tr("io.sample.title"))
        data_table(pd.DataFrame([{
            tr("io.col.row"): s.row, tr("io.col.status"): s.status_label(lang()),
            **{h: ("" if s.values.get(h) is None else str(s.values.get(h)))
               for h in preview.sample_headers},
        } for s in preview.sample]), hide_index=True, width="stretch")


def history_table(records: Sequence[ImportRecord]) -> list[int]:
    """The import history; returns the ids of the selected rows."""
    frame = pd.DataFrame([{
        tr("io.history.when"): shown(r.created_at),
        tr("io.history.who"): r.username,
        tr("io.history.kind"): r.kind_label(lang()),
        tr("io.history.file"): r.file_name,
        tr("io.summary.inserted"): r.inserted, tr("io.summary.updated"): r.updated,
        tr("io.summary.duplicates"): r.duplicates, tr("io.summary.rejected"): r.rejected,
        tr("io.history.undone"): r.undone_by or "",
    } for r in records])
    event = data_table(frame, hide_index=True, width="stretch", on_select="rerun",
                       selection_mode="single-row", key="import_history")
    picked = event.selection.rows if event is not None else []
    return [records[i].id for i in picked if i < len(records)]
