"""The page list for a role, rebuilt on every run: a page a role may not use is not listed, and
``st.navigation`` then refuses its address too.

Page files live in ``screens/<section>/`` (not in a folder named ``pages/``, which would put
Streamlit in its legacy multipage mode, running a page file without ``app.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st

from components.i18n import tr
from core.vocab import Role
from services.access.roles import Actor, Perm


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    section_key: str
    perm: Perm
    url_path: str
    hidden: bool = False  # reached by links (with ?id=…), not listed


PAGES: tuple[PageSpec, ...] = (
    PageSpec("screens/home.py", "nav.home", ":material/home:", "nav.section.work",
             Perm.VIEW_CUSTOMERS, "home"),
    PageSpec("screens/customers/list.py", "nav.customers", ":material/group:",
             "nav.section.customers", Perm.VIEW_CUSTOMERS, "customers"),
    PageSpec("screens/customers/new.py", "nav.customer_new", ":material/person_add:",
             "nav.section.customers", Perm.EDIT_CUSTOMERS, "new-customer"),
    PageSpec("screens/customers/profile.py", "nav.customer_profile", ":material/badge:",
             "nav.section.customers", Perm.VIEW_CUSTOMERS, "customer", hidden=True),
    PageSpec("screens/customers/import_export.py", "nav.import_export",
             ":material/upload_file:", "nav.section.customers", Perm.VIEW_CUSTOMERS,
             "import-export"),
    PageSpec("screens/service/complaints.py", "nav.complaints", ":material/report:",
             "nav.section.service", Perm.VIEW_CUSTOMERS, "complaints"),
    PageSpec("screens/service/follow_ups.py", "nav.follow_ups", ":material/event_available:",
             "nav.section.service", Perm.VIEW_CUSTOMERS, "follow-ups"),
    PageSpec("screens/service/renewals.py", "nav.renewals", ":material/autorenew:",
             "nav.section.service", Perm.VIEW_CUSTOMERS, "renewals"),
    PageSpec("screens/analysis/overview.py", "nav.dash_overview", ":material/dashboard:",
             "nav.section.analysis", Perm.DASHBOARDS, "overview"),
    PageSpec("screens/analysis/churn.py", "nav.churn_warning", ":material/trending_down:",
             "nav.section.analysis", Perm.DASHBOARDS, "churn-warning"),
    PageSpec("screens/analysis/satisfaction.py", "nav.dash_satisfaction",
             ":material/sentiment_satisfied:", "nav.section.analysis", Perm.DASHBOARDS,
             "dash-satisfaction"),
    PageSpec("screens/analysis/renewals.py", "nav.dash_renewals", ":material/autorenew:",
             "nav.section.analysis", Perm.DASHBOARDS, "dash-renewals"),
    PageSpec("screens/analysis/complaints.py", "nav.dash_complaints", ":material/feedback:",
             "nav.section.analysis", Perm.DASHBOARDS, "dash-complaints"),
    PageSpec("screens/analysis/composition.py", "nav.dash_composition", ":material/pie_chart:",
             "nav.section.analysis", Perm.DASHBOARDS, "dash-composition"),
    PageSpec("screens/analysis/account_managers.py", "nav.dash_account_managers",
             ":material/leaderboard:", "nav.section.analysis", Perm.DASHBOARDS,
             "dash-account-managers"),
    PageSpec("screens/admin/users.py", "nav.users", ":material/manage_accounts:",
             "nav.section.admin", Perm.MANAGE_USERS, "users"),
    PageSpec("screens/admin/tags.py", "nav.tags", ":material/sell:", "nav.section.admin",
             Perm.MANAGE_USERS, "tags"),
    PageSpec("screens/admin/audit.py", "nav.audit", ":material/history:", "nav.section.admin",
             Perm.READ_AUDIT, "audit"),
    PageSpec("screens/admin/retention.py", "nav.retention", ":material/auto_delete:",
             "nav.section.admin", Perm.DELETE_CUSTOMERS, "retention"),
    # Training (issue 17): the trainer's classes; the course pages join this section.
    PageSpec("screens/training/classes.py", "nav.classes", ":material/school:",
             "nav.section.training", Perm.RUN_CLASS, "classes"),
    # The course (issue 17): its chapters in order, the course's survey, the class's progress.
    *(PageSpec(f"screens/training/chapter_{chapter_id}.py", f"nav.course.{chapter_id}", icon,
               "nav.section.training", Perm.COURSE, f"course-{chapter_id}")
      for chapter_id, icon in (("overview", ":material/menu_book:"),
                               ("collect", ":material/edit_note:"),
                               ("profile", ":material/folder_shared:"),
                               ("query", ":material/search:"),
                               ("analysis", ":material/insights:"),
                               ("service", ":material/support_agent:"),
                               ("security", ":material/shield_lock:"))),
    PageSpec("screens/training/course_feedback.py", "nav.course.feedback",
             ":material/reviews:", "nav.section.training", Perm.COURSE, "course-feedback"),
    PageSpec("screens/training/class_progress.py", "nav.course.progress",
             ":material/monitoring:", "nav.section.training", Perm.RUN_CLASS, "class-progress"),
)


# The section a role works in most, shown first on its home page.
MAIN_SECTION: dict[Role, str] = {Role.MANAGER: "nav.section.analysis"}


def allowed_pages(actor: Actor) -> list[PageSpec]:
    return [p for p in PAGES if actor.can(p.perm)]


def build(actor: Actor) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in allowed_pages(actor):
        page = st.Page(spec.path, title=tr(spec.title_key), icon=spec.icon,
                       url_path=spec.url_path, default=spec.url_path == "home",
                       visibility="hidden" if spec.hidden else "visible")
        sections.setdefault(tr(spec.section_key), []).append(page)
    refused = _refused_request(actor)
    if refused is not None and sections:
        # The run right after login, on the address of a page this role may not use: a
        # stand-in that never runs (go_to_requested_page leads home first), so Streamlit does
        # not answer the address with its "Page not found".
        first = next(iter(sections))
        sections[first].append(st.Page(_stand_in, title=tr("nav.home"), url_path=refused.url_path,
                                       visibility="hidden"))
    return sections


def login_pages(login: Callable[[], None]) -> list[st.Page]:
    """Before login: the login form under every page's address, so a link opened before
    login shows the form there (no "Page not found"), and after login the same address opens
    that page. The default one (the bare address) stands under the home page's path."""
    pages = [st.Page(login, title=tr("nav.login"), icon=":material/login:", url_path="home",
                     default=True)]
    pages += [st.Page(login, title=tr("nav.login"), icon=":material/login:",
                      url_path=spec.url_path, visibility="hidden")
              for spec in PAGES if spec.url_path != "home"]
    return pages


def _stand_in() -> None:
    """Holds a refused address for one run; never shown (see ``build``)."""


_WANTED_KEY = "crm_requested_page"


def remember_requested_page() -> None:
    """Before login: note the page and filters of the address the browser opened (a link
    someone sent), once per browser session, so that login can lead there."""
    if _WANTED_KEY in st.session_state:
        return
    slug = urlsplit(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    spec = next((p for p in PAGES if p.url_path == slug and slug != "home"), None)
    params = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        params[key] = values[0] if len(values) == 1 else values
    st.session_state[_WANTED_KEY] = (spec.path, params) if spec is not None else None


def _refused_request(actor: Actor) -> PageSpec | None:
    """The remembered link's page, when this role may not use it."""
    wanted = st.session_state.get(_WANTED_KEY)
    spec = next((p for p in PAGES if wanted and p.path == wanted[0]), None)
    return spec if spec is not None and not actor.can(spec.perm) else None


def go_to_requested_page(actor: Actor) -> None:
    """After login: open the page of the remembered link with its filters, if this role may
    use it (otherwise the app starts on its home page, as for a bare address)."""
    wanted = st.session_state.pop(_WANTED_KEY, None)
    if not wanted:
        return
    path, params = wanted
    spec = next((p for p in PAGES if p.path == path), None)
    if spec is None:
        return
    if actor.can(spec.perm):
        st.switch_page(spec.path, query_params=params)
    st.switch_page(PAGES[0].path)


def link(path: str, label_key: str, actor: Actor) -> None:
    """A page link, shown only when the actor may open that page."""
    spec = next((p for p in PAGES if p.path == path), None)
    if spec is not None and actor.can(spec.perm):
        st.page_link(spec.path, label=tr(label_key), icon=spec.icon)


def home_links(actor: Actor) -> None:
    """The home page's map of this role's pages, one column per sidebar section (the role's
    main section first), so nothing a role works with is hidden behind the sidebar."""
    sections: dict[str, list[PageSpec]] = {}
    for spec in allowed_pages(actor):
        if not spec.hidden and spec.url_path != "home":
            sections.setdefault(spec.section_key, []).append(spec)
    order = sorted(sections, key=lambda key: key != MAIN_SECTION.get(actor.role))
    for column, key in zip(st.columns(len(order) or 1), order, strict=False):
        with column:
            st.markdown(f"**{tr(key)}**")  # a catalog text, no user text
            for spec in sections[key]:
                st.page_link(spec.path, label=tr(spec.title_key), icon=spec.icon)
