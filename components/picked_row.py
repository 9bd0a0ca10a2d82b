"""The one way a picked table row opens its dialog (complaint queue, renewals, 时间线).

Why once: a selected row stays selected over reruns, so opening on "a row is selected" would
bring the dialog back after the person closed it. It opens when the pick changes; the same row,
still picked after the dialog was closed, offers a small button to open it again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st


def open_once(state_key: str, picked: Hashable | None, open_dialog: Callable[[], None], *,
              again_label: str | None = None, again_key: str | None = None,
              again_icon: str = ":material/open_in_new:", can_again: bool = True) -> None:
    """Call ``open_dialog`` when ``picked`` (a row's id, None: nothing picked) differs from
    the last pick remembered under ``state_key``; else, with ``again_label`` and while
    ``can_again`` (no dialog of it open), a button that opens it again."""
    if picked is None:
        st.session_state.pop(state_key, None)
        return
    if st.session_state.get(state_key) != picked:
        st.session_state[state_key] = picked
        open_dialog()
    elif again_label is not None and can_again and st.button(
            again_label, icon=again_icon, type="tertiary", key=again_key):
        open_dialog()
