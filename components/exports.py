"""The app's one export control: a download-icon popover that prepares a file, then offers it.

Why two steps: building a workbook reads (and audits) the data, so it happens on a click, not
on every run; the file is kept in session state with what it was made for (``wanted``: the
filters, the scope), and offered only while the page still shows that — a file prepared for
other filters is never handed out for these. The download itself goes through
``components.downloads`` (audited), and the kept file is dropped once downloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components.actions import write, writing
from components.downloads import download_button
from components.i18n import tr
from services.access.roles import Actor

ICON = ":material/download:"


@contextmanager
def popover(label: str) -> Iterator[None]:
    """The popover of an export (for controls that need their own widgets in it, such as the
    customer list's scope; ``control`` is the whole thing)."""
    with st.popover(label, icon=ICON):
        yield


def prepare(actor: Actor, *, key: str, build: Callable[[Session], bytes], file_name: str,
            what: str, wanted: object = None, detail: Mapping[str, Any] | None = None,
            prepare_label: str | None = None, spinner: str | None = None,
            download_key: str | None = None) -> None:
    """The prepare button (key ``<key>_prepare``), then the audited download of the file
    ``build(session)`` made, kept in ``st.session_state[key]`` as ``(wanted, data)``."""
    if st.button(prepare_label or tr("io.export.prepare"), key=f"{key}_prepare"):
        if spinner:
            with st.spinner(spinner), writing() as session:
                st.session_state[key] = (wanted, build(session))
        else:
            st.session_state[key] = write(lambda session: (wanted, build(session)))
    prepared = st.session_state.get(key)
    if prepared and prepared[0] == wanted:  # made for what the page shows now
        download_button(actor, tr("io.export.download"), prepared[1], file_name=file_name,
                        what=what, icon=ICON, key=download_key, detail=detail,
                        after=lambda: st.session_state.pop(key, None))


def control(actor: Actor, label: str, *, key: str, build: Callable[[Session], bytes],
            file_name: str, what: str, help_text: str | None = None,
            before: Callable[[], object] | None = None, **options: Any) -> None:
    """The whole export control: popover, help line (and ``before``: anything else to say
    first), prepare, download. ``options`` as for ``prepare``."""
    with popover(label):
        if help_text:
            st.caption(help_text)
        if before is not None:
            before()
        prepare(actor, key=key, build=build, file_name=file_name, what=what, **options)
