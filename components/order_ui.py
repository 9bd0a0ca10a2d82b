"""交易记录 dialogs of the profile: add an order, correct or delete one picked in the 时间线."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from components import record_dialog_state, record_form
from components.actions import write
from components.i18n import lbl, tr
from components.record_dialog_state import RecordDialogs
from components.text import plain
from core import clock
from core.errors import CatalogError
from core.money import money_number
from core.vocab import PaymentMethod
from services.access.roles import Actor, Perm
from services.customers import CustomerProfile
from services.records.orders import add_order, delete_order, get_order, update_order

_PAYMENTS = [None, *(m.value for m in PaymentMethod)]


def _fields(prefix: str, start: dict[str, Any]) -> dict[str, Any]:
    """The order form's widgets (inside an ``st.form``); returns the raw values."""
    today = clock.today()
    values: dict[str, Any] = {}
    left, right = st.columns(2)
    with left:
        values["order_date"] = st.date_input(
            record_form.req("field.order.order_date"), value=start.get("order_date", today),
            max_value=today, min_value=date(2000, 1, 1), format="YYYY-MM-DD",
            key=f"{prefix}_order_date")
        record_form.field_errors(prefix, "order_date")
    with right:
        values["payment_method"] = st.selectbox(
            tr("field.order.payment_method"), _PAYMENTS,
            index=_PAYMENTS.index(start.get("payment_method")),
            format_func=lambda v: tr("recform.none") if v is None else lbl(v),
            key=f"{prefix}_payment_method")
        record_form.field_errors(prefix, "payment_method")
    values["product"] = st.text_input(record_form.req("field.order.product"),
                                      value=start.get("product", ""), max_chars=100,
                                      key=f"{prefix}_product")
    record_form.field_errors(prefix, "product")
    left, right = st.columns(2)
    with left:
        values["quantity"] = st.number_input(
            record_form.req("field.order.quantity"), min_value=1, step=1,
            value=start.get("quantity", 1), key=f"{prefix}_quantity")
        record_form.field_errors(prefix, "quantity")
    with right:
        amount = start.get("amount")
        values["amount"] = st.number_input(
            record_form.req("field.order.amount"), min_value=0.0, step=100.0, format="%.2f",
            value=money_number(amount), placeholder="0.00",
            key=f"{prefix}_amount")
        record_form.field_errors(prefix, "amount")
    if values["amount"] is not None:
        values["amount"] = f"{values['amount']:.2f}"
    return values


def add(p: CustomerProfile, actor: Actor) -> None:
    record_form.add_dialog(p, "orders.add.title", f"order_add_{p.id}",
                           lambda prefix: _fields(prefix, {}),
                           lambda session, raw: add_order(session, actor, p.id, raw),
                           "orders.added", enter_to_submit=True, note_key="orders.no_issued")


def edit(p: CustomerProfile, actor: Actor, order_id: int) -> None:
    @record_dialog_state.dialog(tr("orders.edit.title"), width="medium")
    def dialog() -> None:
        prefix = f"order_edit_{order_id}"
        try:
            order = write(lambda session: get_order(session, actor, order_id))
        except CatalogError:  # deleted meanwhile: say so, never a traceback
            st.warning(tr("orders.error.gone"))
            return
        st.caption(plain(tr("orders.edit.caption", order_no=order.order_no, name=p.name)))
        record_form.general_errors(prefix)
        with st.form(prefix, border=False, enter_to_submit=True):
            raw = _fields(prefix, order.values())
            submitted = st.form_submit_button(tr("recform.save"), type="primary",
                                              icon=":material/save:")
        if submitted:
            def _save(session: Session) -> None:
                update_order(session, actor, order_id, raw)
            record_form.save(prefix, _save, "orders.saved")
        if actor.can(Perm.DELETE_CUSTOMERS):
            def _delete(session: Session) -> None:
                delete_order(session, actor, order_id)
            record_form.delete_section(prefix, _delete, "orders.deleted")

    dialog()


DIALOGS = RecordDialogs(kind="order", label_key="orders.add", icon=":material/receipt_long:",
                        add=add, edit=edit)
