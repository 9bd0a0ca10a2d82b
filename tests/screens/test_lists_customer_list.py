"""Bug 5 of issue 14: the customer list says what its export does, opens a profile with one
click in the same tab, and 清除条件 keeps a valid sort."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.vocab import Role
from tests.support.app import logged_in, texts


def _customers_page(role: Role = Role.CLERK):
    at = logged_in(role).run()
    at.switch_page("screens/customers/list.py").run()
    return at


def _exported_names(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    col = list(rows[0]).index("客户名称")
    return [r[col] for r in rows[1:] if r[col]]


def test_export_says_what_it_exports_and_offers_both(app_people) -> None:
    at = _customers_page()
    at.text_input(key="q").set_value("欧阳").run()
    shown = texts(at)
    assert "导出全部客户" not in shown  # the popover exported the filtered rows under that text
    scope = at.radio(key="lookup_export_scope")
    assert len(scope.options) == 2
    at.button(key="lookup_export_prepare").click().run()
    assert _exported_names(at.session_state["lookup_export"][1]) == ["欧阳娜娜"]
    at.radio(key="lookup_export_scope").set_value("all").run()
    at.button(key="lookup_export_prepare").click().run()
    assert sorted(_exported_names(at.session_state["lookup_export"][1])) == sorted(
        ["欧阳娜娜", "上海云帆科技有限公司"])


def test_one_click_on_a_row_opens_the_profile_in_this_tab(app_people) -> None:
    at = _customers_page()
    # No link column: Streamlit's link cells need a first click to select and open a new tab.
    assert not any(str(v).startswith("customer?id=")
                   for v in at.dataframe[0].value.to_numpy().ravel())
    frame = at.dataframe[0].value
    row = frame.index[frame["客户名称"] == "欧阳娜娜"][0]
    at.session_state["lookup_grid"] = {"selection": {"rows": [], "columns": [],
                                                     "cells": [[int(row), "客户编号"]]}}
    at.run()
    assert not at.exception
    assert "欧阳娜娜" in [t.value for t in at.title]


def test_clear_keeps_a_sort(app_people) -> None:
    at = _customers_page()
    at.selectbox(key="sort").set_value("name").run()
    at.text_input(key="q").set_value("欧阳").run()
    next(b for b in at.button if b.label == "清除条件").click().run()
    assert not at.exception
    assert at.selectbox(key="sort").value == "created_at"
    assert at.text_input(key="q").value == ""


def test_a_full_page_shows_every_row_without_an_inner_scroll_box(app_people, db,
                                                                 monkeypatch) -> None:
    """A 50-row page showed about ten rows in an inner scroll box: every table of more than
    ten rows is drawn as tall as its rows (through components.tables.data_table)."""
    import streamlit as st

    from tests.support.factories import make_customer

    for i in range(30):
        make_customer(db, name=f"王{i:02d}号测试客户有限公司", mobile=f"1381234{i:04d}")
    db.commit()
    heights: list[object] = []
    real = st.dataframe

    def spy(data, **kwargs):
        heights.append((len(data), kwargs.get("height")))
        return real(data, **kwargs)

    monkeypatch.setattr(st, "dataframe", spy)
    at = _customers_page()
    assert not at.exception
    rows, height = heights[-1]
    assert rows == 32
    assert isinstance(height, int) and height >= 35 * (rows + 1)
