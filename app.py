"""客户档案 entry point: login, then the pages this user's role may use."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import builtin_texts, concurrency, layout, navigation, tables
from components.i18n import tr
from components.session import authenticator, flush_cookie, render_login, resolve_user
from components.startup import require_config, require_keys, require_schema, start_request
from core import logs

# The favicon is a file of the project, sent inline: a Material or emoji icon would make every
# page fetch it from the internet (fonts.gstatic.com), which fails offline or behind a firewall.
FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.svg")
require_config()  # a wrong config.toml: say which key, before anything reads a setting
start_request()  # this run's request id, on its log lines and on an unexpected error
st.set_page_config(page_title=tr("app.title"), page_icon=FAVICON, layout="wide")
tables.forbid_data_export()  # before anything is shown: no table offers an unaudited download
builtin_texts.install_widget_defaults()  # no "Choose an option" / "Select all" in Chinese
require_schema()  # a database never migrated: say what to run, not a failed query
require_keys()

auth = authenticator()
# A lost race anywhere: the stale-record message; any other error: a short message with the
# request id, the details in the log.
with concurrency.stale_message():
    user = resolve_user(auth)
    logs.set_context(user_id=user.id if user else None)
    builtin_texts.apply_style_sheet()  # nor "Upload", "per file", "No results", the error box

    if user is None:
        navigation.remember_requested_page()

        def login() -> None:
            st.title(tr("app.title"))
            render_login(auth)

        st.navigation(navigation.login_pages(login), position="hidden").run()
    else:
        layout.sidebar(auth, user)
        # expanded: every page listed, none behind Streamlit's English "View N more".
        pages = st.navigation(navigation.build(user.actor()), expanded=True)
        navigation.go_to_requested_page(user.actor())
        logs.set_context(page=pages.url_path or "home")
        pages.run()

flush_cookie(auth)
