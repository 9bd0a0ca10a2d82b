"""Widgets of the 导入导出 page: progress, column mapping, preview summary, history."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from components.i18n import lang, tr
from components.tables import data_table
from components.text import plain
from services.clock import shown
from services.excel import ImportKind, ImportPreview, ImportRecord, ImportSummary
from services.excel.reader import ColumnInfo


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
