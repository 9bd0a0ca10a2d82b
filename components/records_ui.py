"""Small pieces shared by the customer pages: links to a profile, duplicate lists, managers."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import managers
from components.actions import write
from components.i18n import lang, tr
from components.text import plain
from services.access.roles import Actor
from services.customers import DuplicateMatch, SimilarMatch
from services.customers.tags import list_tags

PROFILE_PAGE = "screens/customers/profile.py"


def profile_link(customer_id: int, label: str, icon: str = ":material/person:") -> None:
    st.page_link(PROFILE_PAGE, label=label, icon=icon, query_params={"id": str(customer_id)})


def duplicate_list(matches: Sequence[DuplicateMatch]) -> None:
    """Blocking: the same customer exists; link to it instead of saving a second one."""
    st.error(tr("form.duplicates.title"), icon=":material/content_copy:")
    for match in matches:
        if match.hidden:  # the customer is not named to this user: nothing to link to
            st.markdown("- " + plain(match.message(lang())))
        else:
            profile_link(match.customer_id, plain(match.message(lang())))


def similar_list(matches: Sequence[SimilarMatch]) -> None:
    st.warning(tr("forms.similar.title"), icon=":material/help:")
    for match in matches:
        profile_link(match.customer_id, plain(match.message(lang())))


def tag_choices(actor: Actor) -> list[str]:
    """The names of every existing tag, for the tag pickers."""
    return write(lambda session: [tag.name for tag in list_tags(session, actor)])


def manager_choices() -> dict[str, str]:
    """username -> display name of the active users a customer can be assigned to."""
    return managers.assignable().labels()
