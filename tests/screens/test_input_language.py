"""Point 11 of issue 13: a language choice offers only valid values, and no language value
(typed into the picker, left in the session, stored for the user) may crash a page or cost the
sidebar its logout."""

from __future__ import annotations

import pytest

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalize_language, pick_language
from core.vocab import Role
from tests.support.app import logged_in, texts

# What the picker may hand back after the user typed into it (in English the option read
# "中文 (Chinese)" before), or what an older run left in the session.
ODD_VALUES = ["中文", "中文 (Chinese)", "English", "klingon", "", "EN", "zh\x00", "x" * 500]


@pytest.mark.parametrize("odd", ODD_VALUES)
def test_any_language_value_in_the_session_renders_with_logout(app_people, odd: str) -> None:
    at = logged_in(Role.CLERK)
    at.session_state["crm_lang"] = odd
    at.session_state["crm_lang_picker"] = odd
    at.run()
    assert not at.exception, at.exception
    assert at.button(key="crm_logout")
    assert at.selectbox(key="crm_lang_picker").value in LANGUAGES
    at.switch_page("screens/customers/list.py").run()
    assert not at.exception, at.exception


def test_picker_offers_only_the_languages_named_alike_in_both(app_people) -> None:
    at = logged_in(Role.CLERK).run()
    picker = at.selectbox(key="crm_lang_picker")
    assert picker.options == ["中文", "English"]
    assert not picker.proto.accept_new_options  # no free text: typing only filters
    picker.set_value("en").run()
    assert "You are a clerk" in texts(at)
    # The next run (a fresh script run, as after the next click) is in English, with the
    # same two labels and the logout button.
    again = logged_in(Role.CLERK).run()
    assert not again.exception, again.exception
    assert "You are a clerk" in texts(again)
    assert again.selectbox(key="crm_lang_picker").options == ["中文", "English"]
    assert again.selectbox(key="crm_lang_picker").value == "en"
    assert again.button(key="crm_logout")


def test_odd_language_stored_for_the_user_falls_back(app_people, db) -> None:
    from db.models import User

    db.get(User, app_people[Role.CLERK].id).language = "中文"
    db.commit()
    at = logged_in(Role.CLERK).run()
    assert not at.exception, at.exception
    assert at.button(key="crm_logout")
    assert at.selectbox(key="crm_lang_picker").value == DEFAULT_LANGUAGE


@pytest.mark.parametrize(("value", "code"), [
    ("zh", "zh"), ("en", "en"), ("EN", "en"), (" en-US ", "en"), ("zh-CN", "zh"),
    ("中文", "zh"), ("中文 (Chinese)", "zh"), ("English", "en"),
    ("klingon", None), ("", None), (None, None), (3, None), (["en"], None), ("zh\x00", None),
    ("en" * 100, None),
])
def test_normalize_language(value: object, code: str | None) -> None:
    assert normalize_language(value) == code


def test_pick_language_takes_the_first_valid_candidate() -> None:
    assert pick_language("klingon", None, "en", "zh") == "en"
    assert pick_language(None, "", "中文") == "zh"
    assert pick_language("x", None) == DEFAULT_LANGUAGE
    assert pick_language() == DEFAULT_LANGUAGE
