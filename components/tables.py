"""Every table of the app goes through ``data_table`` (and ``data_editor``): Streamlit's
dataframe toolbar offers "Download as CSV", an export that writes no audit entry and copies
``=HYPERLINK(…)``, ``+…``, ``@…`` cells unescaped. Files leave the app only through the
audited, formula-safe exports (``services.excel``), so the built-in export is switched off
with Streamlit's supported option ``client.disableDataExport`` (shipped as ``true`` in
``.streamlit/config.toml``, and forced on at start-up if a deployment dropped it).
A test fails if ``st.dataframe`` / ``st.data_editor`` is called anywhere else."""

from __future__ import annotations

from typing import Any

import streamlit as st

OPTION = "client.disableDataExport"


def forbid_data_export() -> None:
    """Turn the option on if the configuration left it off. The browser learns it at the
    start of a run, so the run that switched it starts again before showing anything."""
    if not st.get_option(OPTION):
        st.set_option(OPTION, True)
        st.rerun()


ROW_PX = 35
"""Height of one grid row (and of the header) in Streamlit's data grid."""
AUTO_ROWS = 10
"""Streamlit's automatic height stops at about this many rows and scrolls inside the box."""


def fit_height(rows: int) -> int:
    """Pixels that show ``rows`` rows and the header without an inner scroll box."""
    return ROW_PX * (max(rows, 1) + 1) + 3


def data_table(data: Any = None, **kwargs: Any) -> Any:
    """``st.dataframe`` without the CSV download (same arguments, same return value).

    A page of more than ten rows gets the height that shows all of them: Streamlit's
    automatic height shows about ten in an inner scroll box, so a 50-row page hid 40."""
    forbid_data_export()
    rows = len(data) if hasattr(data, "__len__") else 0
    if "height" not in kwargs and AUTO_ROWS < rows <= 500:
        kwargs["height"] = fit_height(rows)
    return st.dataframe(data, **kwargs)


def data_editor(data: Any, **kwargs: Any) -> Any:
    """``st.data_editor`` without the CSV download (same arguments, same return value)."""
    forbid_data_export()
    return st.data_editor(data, **kwargs)
