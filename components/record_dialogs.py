"""The service records of a profile (orders, contacts, visits, complaints, surveys, contracts):
each kind registers its "add" dialog and its "edit" dialog here, so the profile page offers
them without knowing each form.

A kind's module (``components/<kind>_ui.py``) defines the two dialogs with ``@st.dialog`` and
is listed in ``_MODULES``; it exposes ``DIALOGS: RecordDialogs``. The profile calls ``add``
from its "add record" buttons and ``edit`` for a row picked in the 时间线 (its timeline kind and
record id).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from services.customer_records import CustomerProfile
from services.roles import Actor

AddDialog = Callable[[CustomerProfile, Actor], None]
EditDialog = Callable[[CustomerProfile, Actor, int], None]


@dataclass(frozen=True)
class RecordDialogs:
    kind: str                 # the timeline kind ("order", "complaint", ...)
    label_key: str            # catalog key of the "add …" button
    icon: str
    add: AddDialog | None     # None: this kind is not added from the profile
    edit: EditDialog | None   # None: rows of this kind are not edited from the timeline


# Modules defining ``DIALOGS``, in the order of the profile's buttons.
_MODULES: tuple[str, ...] = ()


def all_dialogs() -> list[RecordDialogs]:
    return [importlib.import_module(name).DIALOGS for name in _MODULES]


def for_kind(kind: str) -> RecordDialogs | None:
    return next((d for d in all_dialogs() if d.kind == kind), None)
