"""The app's one download button: every file handed to a browser is audited.

Pages never call ``st.download_button`` themselves (a test checks it): they call
``download_button`` here, which writes a ``download`` audit entry (who, what, file name, size)
when the button is clicked, through Streamlit's ``on_click`` callback, which runs on the server
before the rerun. Preparing an export is audited separately, where the data is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from components.actions import write
from services.access import audit
from services.access.roles import Actor

ACTION = "download"


def download_button(actor: Actor, label: str, data: bytes | str, *, file_name: str,
                    what: str, mime: str | None = None, key: str | None = None,
                    icon: str | None = None, after: Callable[[], Any] | None = None,
                    detail: Mapping[str, Any] | None = None) -> None:
    """``st.download_button`` that audits the click (``what`` names the kind of file, e.g.
    ``export.customers`` or ``template.orders``); ``after`` runs once the entry is written."""
    size = len(data.encode() if isinstance(data, str) else data)
    st.download_button(label, data, file_name=file_name, mime=mime, key=key, icon=icon,
                       on_click=record_download,
                       args=(actor, what, file_name, size, dict(detail or {}), after))


def record_download(actor: Actor, what: str, file_name: str, size: int,
                    detail: Mapping[str, Any], after: Callable[[], Any] | None = None) -> None:
    """The audit entry of one download (also the click callback)."""
    write(lambda session: audit.record(
        session, actor, ACTION, "file", what,
        detail={"what": what, "file_name": file_name, "bytes": size, **detail}))
    if after is not None:
        after()
