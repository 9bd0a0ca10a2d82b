"""Streamlit's own English on pages shown in Chinese, the sidebar labels and the home page of
each role: every page as every role, in AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from components.builtin_texts import (
    EMPTY_STATE_CLASSES,
    ENTER_KEYS,
    TEXT_KEYS,
    css_text,
    style_sheet,
)
from components.navigation import PAGES
from core.i18n import LANGUAGES, t
from core.vocab import Role
from db.models import Customer
from tests.support.app import REACHABLE, logged_in

# What Streamlit shows where the app gives no text of its own.
ENGLISH = ("Choose an option", "Choose options", "No options to select", "Choose or add",
           "Add an option", "Add options", "No results", "Select all", "Upload", "per file",
           "This app has encountered an error", "View ")


def _widget_problems(at: AppTest, where: str, *, first_run: bool = False) -> list[str]:
    problems = []
    for box in at.selectbox:
        if not box.proto.placeholder or any(e in box.proto.placeholder for e in ENGLISH):
            problems.append(f"{where}: selectbox {box.label!r} placeholder "
                            f"{box.proto.placeholder!r}")
    for box in at.multiselect:
        if not box.proto.placeholder or any(e in box.proto.placeholder for e in ENGLISH):
            problems.append(f"{where}: multiselect {box.label!r} placeholder "
                            f"{box.proto.placeholder!r}")
        if box.proto.select_all != 0:
            problems.append(f"{where}: multiselect {box.label!r} offers Select all")
    if not first_run:  # later runs in AppTest run the page alone, without app.py
        return problems
    sheets = [h.proto.body for h in at.get("html") if "stFileUploaderDropzone" in h.proto.body]
    if len(sheets) != 1 or css_text(t("shell.builtin.upload", "zh")) not in sheets[0]:
        problems.append(f"{where}: no style sheet with the Chinese texts ({len(sheets)})")
    return problems


@pytest.mark.parametrize("role", list(Role))
def test_no_page_shows_streamlits_english_defaults(db, app_people, role: Role) -> None:
    customer_id = db.scalars(select(Customer.id).order_by(Customer.id)).first()
    at = logged_in(role).run()
    assert not at.exception, at.exception
    problems = _widget_problems(at, "home", first_run=True)
    for page in sorted(REACHABLE[role]):
        at.switch_page(page)
        if page == "screens/customers/profile.py":
            at.query_params["id"] = str(customer_id)
        at.run()
        assert not at.exception, (page, at.exception)
        problems += _widget_problems(at, page)
    assert problems == []


def test_the_style_sheet_is_only_for_chinese_and_escapes_its_texts() -> None:
    assert style_sheet("en") == ""
    sheet = style_sheet("zh")
    for key in TEXT_KEYS:
        text = t(key, "zh", mb=20) if key == "shell.builtin.limit" else t(key, "zh")
        assert css_text(text) in sheet
    assert sheet.startswith("<style>") and sheet.count("<") == 2  # no markup from the texts


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", list(Role))
def test_sidebar_labels_are_distinct(role: Role, lang: str) -> None:
    from services.access.roles import Actor

    actor = Actor(user_id=1, username="u", role=role, demo_mode=True)
    listed = [t(p.title_key, lang) for p in PAGES if not p.hidden and actor.can(p.perm)]
    assert len(listed) == len(set(listed)), listed


@pytest.mark.parametrize("role", list(Role))
def test_home_links_to_the_roles_main_pages(app_people, role: Role) -> None:
    at = logged_in(role).run()
    assert not at.exception, at.exception
    links = {link.proto.page.strip("/").rsplit("/", 1)[-1] for link in at.get("page_link")}
    wanted = {p.url_path for p in PAGES if p.path in REACHABLE[role] and not p.hidden
              and p.url_path != "home"}
    assert wanted <= links, (wanted - links, links)


def test_the_class_names_used_are_in_the_installed_streamlit() -> None:
    """The dropdowns' empty state is found by the class names of Streamlit's build: an upgrade
    that renames them fails here rather than showing "No results" again."""
    import streamlit

    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    sources = "".join(p.read_text(encoding="utf-8") for p in bundle.glob("*elect*.js"))
    for cls in EMPTY_STATE_CLASSES:
        assert f"target:`{cls}`" in sources, cls


def test_error_boxes_offer_no_links_out_of_the_app() -> None:
    """Under an error Streamlit offers "Copy / Ask Google / Ask ChatGPT" (English, and the
    message sent to outside sites) unless the config turns them off."""
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml")
                           .read_text(encoding="utf-8"))
    assert config["client"]["showErrorLinks"] == "false"
    assert config["client"]["showErrorDetails"] == "none"


def test_enter_hints_of_text_inputs_are_in_chinese() -> None:
    """Under a focused text / number input Streamlit writes "Press Enter to apply" (in a form
    "… to submit form"; a text area "Press ⌘+Enter …"): the Chinese sheet replaces the hint,
    never the character count beside it, and the bundle still draws the hint that way."""
    import streamlit

    sheet = style_sheet("zh")
    for key in ENTER_KEYS:
        assert css_text(t(key, "zh")) in sheet, key
    hints = [rule for rule in sheet.split("}") if "InputInstructions" in rule]
    assert hints and all("span:first-child:not(:last-child)" in r or "span:only-child" in r
                         for r in hints)
    # a count alone (a max_chars input where Enter does nothing) is never replaced
    alone = [r for r in hints if "span:only-child" in r and "stNumberInput" not in r]
    assert alone and all(":not(:has([maxlength]))" in r for r in alone)
    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    source = "".join(p.read_text(encoding="utf-8") for p in bundle.glob("InputInstructions*.js"))
    assert '"data-testid":`InputInstructions`' in source
    assert "Press Enter to ${" in source and "+Enter to ${" in source
