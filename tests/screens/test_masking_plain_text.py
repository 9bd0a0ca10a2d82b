"""Point 15 of issue 13: every user-supplied string reaches the screen as plain text. A payload
of Markdown/HTML (an image that makes the browser fetch an address, a link, bold, a raw tag, a
colour directive) goes into every free-text field; every page is rendered with AppTest as each
role, and no element that Streamlit renders as Markdown carries any of it unescaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine, String, cast, literal, select, text, update
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from core.clock import now
from core.vocab import Role
from db.models import (
    Complaint,
    ComplaintEvent,
    Contract,
    Customer,
    FollowUp,
    ImportRun,
    Interaction,
    Order,
    Renewal,
    Survey,
    Tag,
    TierChange,
    User,
)
from services import customers as cr
from services.demo import seed_demo
from tests.support.app import PAGES, REACHABLE, logged_in
from tests.support.factories import actor_for

LONG = "![x](http://198.51.100.10/ui.png) [link](http://x) **bold** <b>y</b> :red[x] _i_"
MID = "![x](http://198.51.100.10/u.png)**b**<b>:red[x]"  # for 50-character columns
SHORT = "[l](http://x)**b**"  # for 20-character columns

# Unescaped Markdown/HTML from the payloads: a backslash in front means "shown as typed".
UNSAFE = re.compile(r"(?<!\\)\]\((?:http|\\)|(?<!\\)\*\*b|(?<!\\)<b>|(?<!\\):red\[")

# Elements whose text Streamlit renders as plain text, never as Markdown.
PLAIN_ELEMENTS = {"text", "code", "arrow_data_frame", "dataframe", "json", "exception"}
MARKDOWN_FIELDS = ("body", "label", "help", "caption", "placeholder")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(proto: Any, names: tuple[str, ...]) -> Iterator[str]:
    for field, value in proto.ListFields():
        if field.name in names and isinstance(value, str):
            yield value
        elif field.name == "options" and field.type == field.TYPE_STRING:
            pass  # selectbox / multiselect options: shown as plain text
        elif hasattr(value, "ListFields"):  # a nested message (not a repeated field)
            yield from _strings(value, names)


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of everything the browser renders as Markdown: bodies of markdown,
    captions, headings, alerts, toasts, badges; labels and help of widgets, expanders, tabs,
    popovers, metrics; the options of radios (which Streamlit renders as Markdown)."""
    found: list[tuple[str, str]] = []
    for root in at.main.root.children.values():  # main, sidebar and dialogs (event)
        for node in _walk(root):
            kind = getattr(node, "type", "")
            proto = getattr(node, "proto", None)
            if proto is None or kind in PLAIN_ELEMENTS:
                continue
            found += [(kind, s) for s in _strings(proto, MARKDOWN_FIELDS)]
            if kind == "radio":
                found += [(kind, s) for s in proto.options]
    return found


def unsafe(at: AppTest) -> list[tuple[str, str]]:
    return [(kind, s) for kind, s in markdown_texts(at) if UNSAFE.search(s)]


def _poison(engine: Engine) -> int:
    """Fill every free-text field of a small demo database with the payloads; returns the id
    of a customer whose profile has records of every kind."""
    seed_demo(engine, customers=25, seed=11)
    with Session(engine) as s:
        busiest = s.execute(text(
            "SELECT customer_id FROM complaints GROUP BY customer_id "
            "ORDER BY count(*) DESC, customer_id LIMIT 1")).scalar_one()
        admin = s.scalars(select(User).where(User.username == "admin")).one()
        # A change through the service first, so the change history and audit log hold it.
        actor = actor_for(admin)
        form = cr.edit_form(s, actor, busiest)
        cr.update_customer(s, actor, busiest, {"title": MID, "tags": SHORT}, form.version)
        s.commit()
        s.execute(update(Customer).values(
            name=LONG, company=LONG, title=MID, city=MID, address=LONG, notes=LONG,
            tier_reason=LONG, customer_no=literal(SHORT).concat(cast(Customer.id, String))))
        s.execute(update(Contract).values(
            contract_no=literal(SHORT).concat(cast(Contract.id, String))))
        s.execute(update(User).values(display_name=MID))
        first_tag = s.scalars(select(Tag.id).order_by(Tag.id).limit(1)).first()
        if first_tag is not None:
            s.execute(update(Tag).where(Tag.id == first_tag).values(name=SHORT + "1"))
        s.execute(update(TierChange).values(reason=LONG))
        s.execute(update(Interaction).values(content=LONG))
        s.execute(update(FollowUp).values(purpose=LONG, content=LONG, feedback=LONG,
                                          result=LONG))
        s.execute(update(Order).values(product=LONG))
        s.execute(update(Complaint).values(description=LONG, handling_steps=LONG,
                                           solution=LONG))
        s.execute(update(ComplaintEvent).values(note=LONG))
        s.execute(update(Survey).values(comment=LONG))
        s.execute(update(Renewal).values(reason=LONG))
        s.add(ImportRun(kind="customers", file_name=LONG + ".xlsx", user_id=admin.id,
                        username="admin", created_at=now(), on_duplicate="skip",
                        inserted=1, inserted_ids=[], updates=[], detail={}))
        s.commit()
    return busiest


@pytest.fixture
def poisoned(engine) -> int:
    return _poison(engine)


class _State(dict):
    """Like Streamlit's selection state: a dict whose keys are attributes too."""

    __getattr__ = dict.__getitem__


def _select_first_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every selectable table answers "first row selected", so what a selection opens (the
    undo button of 导入记录, a complaint's or a visit's dialog, a timeline item) renders too."""
    original = st.dataframe

    def selecting(data: Any = None, **kwargs: Any) -> Any:
        shown = original(data, **kwargs)
        if kwargs.get("on_select", "ignore") == "ignore":
            return shown
        return _State(selection=_State(rows=[0], columns=[], cells=[]))

    monkeypatch.setattr(st, "dataframe", selecting)


def _render(role: Role, page: str, customer_id: int) -> AppTest:
    at = logged_in(role).run()
    if page == "screens/customers/profile.py":
        at.query_params["id"] = str(customer_id)
    return at.switch_page(page).run()


@pytest.mark.parametrize("selected", [False, True], ids=["as_opened", "first_rows_selected"])
@pytest.mark.parametrize("role", list(Role))
def test_user_text_is_never_rendered_as_markdown(poisoned: int, role: Role, selected: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if selected:
        _select_first_rows(monkeypatch)
    problems: dict[str, list[tuple[str, str]]] = {}
    shown_payload = False
    for page in sorted(REACHABLE[role] & set(PAGES)):
        at = _render(role, page, poisoned)
        assert not at.exception, (page, at.exception)
        bad = unsafe(at)
        if bad:
            problems[page] = bad
        shown_payload |= any("198" in s for _, s in markdown_texts(at))
    assert problems == {}
    assert shown_payload  # the payloads did reach Markdown elements (escaped)
