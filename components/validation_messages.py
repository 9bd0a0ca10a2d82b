"""The one place a form turns validation errors into the messages it shows (the customer form
and every record dialog), so a trainee's mistakes are noted here for the class's "common
mistakes" (issue 17): the message key and the field, never the value typed."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.actions import write
from components.i18n import lang
from components.session import USER_KEY, SessionUser
from services.customers.validation import FieldError
from services.training.course import record_mistakes

_NOTED = "course_mistakes_noted"
"""The error lists already noted (kept, so one list shown on several reruns counts once)."""


def messages(errors: Sequence[FieldError]) -> list[tuple[str | None, str]]:
    """``(field, message in the reader's language)`` per error."""
    _note(errors)
    return [(error.field, error.message(lang())) for error in errors]


def _note(errors: Sequence[FieldError]) -> None:
    user = st.session_state.get(USER_KEY)
    if not errors or not isinstance(user, SessionUser) or not user.trainee:
        return
    noted: list[Sequence[FieldError]] = st.session_state.setdefault(_NOTED, [])
    if any(seen is errors for seen in noted):
        return
    noted[:] = [*noted[-19:], errors]
    actor = user.actor()
    write(lambda s: record_mistakes(s, actor, [(e.key, e.field) for e in errors]))
