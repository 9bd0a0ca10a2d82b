"""Streamlit's own English texts replaced on pages shown in Chinese.

Streamlit 1.67 draws a few texts itself, with no parameter for them: the placeholder of a
select box ("Choose an option"), the "Select all" row of a multiselect, the empty state of a
dropdown ("No results"), the file uploader's button and limit ("Upload", "20MB per file"), the
box of an unexpected error, the keyboard's "Skip to main content" link and the hint under a
focused text or number input ("Press Enter to apply", in a form "… to submit form"). Two mechanisms,
installed once for every widget of every page (also those a page adds later), so no call site
has to remember them:

- ``install_widget_defaults``: every ``selectbox`` / ``multiselect`` gets a placeholder from the
  catalog unless the caller gives one, and multiselects no "Select all" row unless asked for;
- ``apply_style_sheet``: for the texts with no parameter, a style sheet (catalog text only,
  never user data) hides Streamlit's words and shows the catalog's in their place. It selects
  elements by Streamlit's ``data-testid`` and, for the dropdowns' empty state, by the class names
  of Streamlit 1.67.0's build (``requirements.txt`` pins it; a test checks they still exist).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sized
from typing import Any, Final

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.delta_generator_singletons import get_dg_singleton_instance

from components.i18n import lang
from core.i18n import t

# Class names Streamlit 1.67.0's build gives the empty state of a select box's and of a
# multiselect's dropdown ("No results").
EMPTY_STATE_CLASSES: Final = ("equpb2c9", "eo2qvtu11")
TEXT_KEYS: Final = ("shell.builtin.upload", "shell.builtin.limit", "shell.builtin.no_results",
                    "shell.builtin.error", "shell.builtin.skip")
ENTER_KEYS: Final = ("shell.builtin.enter_apply", "shell.builtin.enter_submit",
                     "shell.builtin.ctrl_enter_apply", "shell.builtin.ctrl_enter_submit")
_INSTALLED: Final = "_crm_widget_defaults"

# Streamlit's hint under an input (``data-testid="InputInstructions"``) is a row of spans: the
# Enter hint first when Enter does something, then the character count of a ``max_chars``
# input. So the hint is the first of two spans, or the only one of an input without a
# ``maxlength`` (a lone span of an input with one is its count, left alone).
_HINT = '[data-testid="InputInstructions"] > span'
_SINGLE = ('[data-testid="stTextInput"]', '[data-testid="stNumberInput"]')
_MULTI = ('[data-testid="stTextArea"]',)


def _placeholder(options: object, *, multiple: bool, can_add: bool) -> str:
    """The catalog's placeholder for a widget with these options, in the current language."""
    if isinstance(options, Sized) and len(options) == 0 and not can_add:
        return t("shell.widget.no_options", lang())
    if can_add:
        return t("shell.widget.choose_or_add", lang())
    return t("shell.widget.choose_many" if multiple else "shell.widget.choose", lang())


def _with_defaults(original: Callable[..., Any], *, multiple: bool) -> Callable[..., Any]:
    @functools.wraps(original)
    def widget(self: DeltaGenerator, label: str, options: Any = (), *args: Any,
               **kwargs: Any) -> Any:
        if kwargs.get("placeholder") is None:
            kwargs["placeholder"] = _placeholder(
                options, multiple=multiple, can_add=bool(kwargs.get("accept_new_options")))
        if multiple:
            kwargs.setdefault("select_all", False)
        return original(self, label, options, *args, **kwargs)

    return widget


def install_widget_defaults() -> None:
    """Give ``selectbox`` and ``multiselect`` the catalog's defaults, once per process, on every
    container (``st.…``, ``st.sidebar.…``, columns, forms)."""
    if getattr(DeltaGenerator, _INSTALLED, False):
        return
    DeltaGenerator.selectbox = _with_defaults(DeltaGenerator.selectbox,  # type: ignore[method-assign]
                                              multiple=False)
    DeltaGenerator.multiselect = _with_defaults(  # type: ignore[method-assign]
        DeltaGenerator.multiselect, multiple=True)
    setattr(DeltaGenerator, _INSTALLED, True)
    # ``st.selectbox`` and ``st.multiselect`` are methods bound to the main area at import.
    main = get_dg_singleton_instance().main_dg
    st.selectbox = main.selectbox
    st.multiselect = main.multiselect


def css_text(text: str) -> str:
    """A CSS string literal for a catalog text (no quote, backslash or tag can break out)."""
    escaped = "".join(c if c.isalnum() or c in " ·，。：；、（）()-" else f"\\{ord(c):x} "
                      for c in text)
    return f'"{escaped}"'


def _replace(selector: str, text: str, size: str) -> str:
    """Hide the element's own words (also from innerText) and show the catalog's instead."""
    return (f"{selector}{{visibility:hidden;font-size:0 !important}}"
            f"{selector}::after{{visibility:visible;font-size:{size};content:{css_text(text)}}}")


def _hint_selectors(widgets: tuple[str, ...], form: bool) -> list[str]:
    """Where the Enter hint of these widgets stands, in a form or outside one."""
    where = '[data-testid="stForm"] ' if form else ""  # a form's rule outweighs the other
    found = []
    for widget in widgets:
        found.append(f"{where}{widget} {_HINT}:first-child:not(:last-child)")
        alone = widget if "NumberInput" in widget else f"{widget}:not(:has([maxlength]))"
        found.append(f"{where}{alone} {_HINT}:only-child")
    return found


def _enter_hints(code: str) -> list[str]:
    rules = []
    for widgets, prefix in ((_SINGLE, "enter"), (_MULTI, "ctrl_enter")):
        for form, ending in ((False, "apply"), (True, "submit")):
            text = t(f"shell.builtin.{prefix}_{ending}", code)
            rules += [_replace(s, text, "0.75rem") for s in _hint_selectors(widgets, form)]
    return rules


def style_sheet(code: str) -> str:
    """The style sheet for language ``code`` (none for English: Streamlit's words are English)."""
    if code == "en":
        return ""
    limit = int(st.get_option("server.maxUploadSize"))
    rules = [
        # The button keeps its frame: its icon and words go, the catalog's label comes.
        '[data-testid="stFileUploaderDropzone"] button > *{display:none}'
        '[data-testid="stFileUploaderDropzone"] button::after'
        f'{{content:{css_text(t("shell.builtin.upload", code))}}}',
        _replace('[data-testid="stFileUploaderDropzoneInstructions"] span',
                 t("shell.builtin.limit", code, mb=limit), "0.875rem"),
        *(_replace(f"span.{cls}", t("shell.builtin.no_results", code), "0.875rem")
          for cls in EMPTY_STATE_CLASSES),
        _replace('[data-testid="stExceptionMessage"]', t("shell.builtin.error", code), "1rem"),
        # The keyboard's skip link must stay focusable: its words shrink rather than hide.
        '[data-testid="stSkipToContent"]{font-size:0 !important}'
        '[data-testid="stSkipToContent"]::after'
        f'{{font-size:1rem;content:{css_text(t("shell.builtin.skip", code))}}}',
        *_enter_hints(code),
    ]
    return "<style>" + "".join(rules) + "</style>"


def apply_style_sheet() -> None:
    """Send the style sheet of the current language (it takes no room on the page)."""
    sheet = style_sheet(lang())
    if sheet:
        st.html(sheet)
