"""The customer form shared by 新建客户 and the profile's edit tab.

One ``st.form``: Tab moves through the fields and Enter submits. The widgets keep their values
across reruns (and across a change of customer type), so nothing typed is lost when a check
fails; each field's message is shown right under it. The server-side checks are the one
validation module (``services.customers.validation`` through ``services.customers``); the few
client-side rules here only catch obvious slips while typing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from components import consent_ui, validation_messages
from components.i18n import lbl, tr
from components.text import plain
from core.regions import MAJOR_CITIES, PROVINCE_CHOICES
from core.settings import get_settings
from core.vocab import CustomerType, Gender, Source, Tier
from services.customers.validation import FieldError, split_tags


@dataclass
class FormState:
    """What the form shows besides the widgets: messages per field and record-level notes."""

    errors: dict[str | None, list[str]] = field(default_factory=dict)

    @classmethod
    def from_errors(cls, errors: Sequence[FieldError]) -> FormState:
        state = cls()
        for name, message in validation_messages.messages(errors):
            state.errors.setdefault(name, []).append(message)
        return state


def _show_errors(state: FormState, key: str | None) -> None:
    for message in state.errors.get(key, []):
        st.error(plain(message), icon=":material/error:")


def _k(prefix: str, name: str) -> str:
    return f"{prefix}_{name}"


def seed_values(prefix: str, values: Mapping[str, Any]) -> None:
    """Put starting values into the widgets (once, before the form first renders)."""
    for name, value in values.items():
        if name == "tags":  # the tag picker holds a list of names
            st.session_state[_k(prefix, name)] = list(value or [])
            continue
        if hasattr(value, "value"):
            value = value.value
        st.session_state[_k(prefix, name)] = value if value is not None else (
            None if name in _SELECTS else "")


_SELECTS = {"gender", "industry", "province", "city", "tier", "source", "account_manager"}


def customer_type_picker(prefix: str) -> str:
    """Outside the form, so the form adapts at once to 个人 / 企业 / 机构."""
    key = _k(prefix, "customer_type")
    if st.session_state.get(key) not in [c.value for c in CustomerType]:
        st.session_state[key] = CustomerType.PERSONAL.value
    return st.segmented_control(tr("field.customer_type"), [c.value for c in CustomerType],
                                key=key, format_func=lbl,
                                required=True) or CustomerType.PERSONAL.value


def tag_picker(label: str, options: Sequence[str], key: str, *, new_key: str,
               new_label: str = "forms.tags.new") -> None:
    """Tags chosen from the existing ones (no near-duplicate spellings), and a separate, explicit
    field for a tag that does not exist yet."""
    chosen = st.session_state.get(key)
    if not isinstance(chosen, list):  # a value from before the picker: names in one text
        st.session_state[key] = split_tags(chosen) if chosen else []
    names = sorted(set(options) | set(st.session_state[key]))
    st.multiselect(label, names, key=key, placeholder=tr("forms.tags.pick"))
    st.text_input(tr(new_label), key=new_key, max_chars=200,
                  placeholder=tr("forms.tags.new.placeholder"))


def picked_tags(key: str, new_key: str) -> list[str]:
    """The tags chosen plus those typed as new (one list; validation splits and checks it)."""
    chosen = [str(name) for name in st.session_state.get(key) or []]
    typed = st.session_state.get(new_key)
    return chosen + ([typed] if isinstance(typed, str) and typed.strip() else [])


def render(prefix: str, customer_type: str, managers: Mapping[str, str], state: FormState,
           submit_label: str, *, show_customer_no: bool = True,
           similar_prompt: bool = False, tag_options: Sequence[str] = (),
           consent: bool = False) -> dict[str, Any] | None:
    """Draw the form; on submit return the raw values by spec key (else None).
    ``tag_options``: the existing tags, offered for picking. ``consent``: ask the consent
    questions too (a new customer; read them with ``consent_ui.form_answers``)."""
    personal = customer_type == CustomerType.PERSONAL.value
    settings = get_settings()
    req = " *"

    def text(name: str, label: str | None = None, **kwargs: Any) -> None:
        st.text_input(label or tr(f"field.{name}"), key=_k(prefix, name),
                      persist_state="page", **kwargs)
        _show_errors(state, name)

    def select(name: str, options: Sequence[str], fmt=lbl, **kwargs: Any) -> None:
        st.selectbox(tr(f"field.{name}"), list(options), index=None, key=_k(prefix, name),
                     format_func=fmt, placeholder=tr("form.choose"), persist_state="page",
                     **kwargs)
        _show_errors(state, name)

    # 省份 sits outside the form, like the customer type, so that 城市 offers its cities at once.
    province = st.selectbox(tr("field.province"), list(PROVINCE_CHOICES), index=None,
                            key=_k(prefix, "province"), placeholder=tr("form.choose"),
                            persist_state="page")
    _show_errors(state, "province")
    with st.form(_k(prefix, "form"), clear_on_submit=False, enter_to_submit=True):
        _show_errors(state, None)
        st.caption(tr("form.required_note"))
        left, right = st.columns(2)
        with left:
            text("name", tr("field.name") + req, max_chars=100)
            if personal:  # for an enterprise or institution the name is the company's
                select("gender", [g.value for g in Gender])
            text("id_number", tr("form.id_number.person" if personal else "form.id_number.org"),
                 max_chars=18, placeholder=tr("form.id_number.placeholder.person" if personal
                                              else "form.id_number.placeholder.org"))
            text("mobile", placeholder="13812345678",
                 validate=(r"^[^A-Za-z]*$", tr("form.mobile.no_letters")))
            text("phone", placeholder="010-12345678",
                 validate=(r"^[^A-Za-z]*$", tr("form.mobile.no_letters")))
            text("email", placeholder="name@example.cn",
                 validate=(r"^\s*([^@\s]+@[^@\s]+\.[^@\s]+)?\s*$", tr("form.email.shape")))
            st.caption(tr("form.contact_note"))
            _show_errors(state, "contact")
            if personal:
                text("company", tr("form.employer"), max_chars=200)
            text("title", max_chars=50)
        with right:
            select("industry", settings.industries)
            city_key = _k(prefix, "city")
            stored = st.session_state.get(city_key) or None
            cities = list(MAJOR_CITIES.get(province or "", ()))
            if stored and stored not in cities:  # kept as stored (杭州 stays until changed)
                cities.insert(0, stored)
            st.session_state[city_key] = stored
            # A city not in the list goes in its own field: Streamlit's own "add a new option"
            # entry of a selectbox is English.
            st.selectbox(tr("field.city"), cities, index=None, key=city_key,
                         placeholder=tr("forms.city.placeholder"), persist_state="page")
            text("city_other", tr("forms.city.other"), max_chars=50,
                 placeholder=tr("forms.city.other.placeholder"))
            _show_errors(state, "city")
            text("address", max_chars=200)
            select("tier", [t.value for t in Tier], help=tr("form.tier.help"))
            text("tier_reason", tr("form.tier_reason"), max_chars=200)
            tag_picker(tr("field.tags"), tag_options, _k(prefix, "tags"),
                       new_key=_k(prefix, "tags_new"))
            _show_errors(state, "tags")
            select("account_manager", list(managers), fmt=lambda u: managers.get(u, u))
            select("source", [s.value for s in Source])
            if show_customer_no:
                text("customer_no", placeholder=tr("form.customer_no.placeholder"),
                     max_chars=32)
        st.text_area(tr("field.notes"), key=_k(prefix, "notes"), max_chars=2000, height=90)
        _show_errors(state, "notes")
        if consent:
            consent_ui.form_section(prefix, personal)
        if similar_prompt:
            st.checkbox(tr("form.accept_similar"), key=_k(prefix, "accept_similar"))
        submitted = st.form_submit_button(submit_label, type="primary",
                                          icon=":material/save:")
    if not submitted:
        return None
    names = ["name", "customer_no", "mobile", "phone", "email", "id_number", "company",
             "title", "industry", "province", "city", "address", "tier", "tags",
             "account_manager", "source", "notes", "gender"]
    raw: dict[str, Any] = {name: st.session_state.get(_k(prefix, name)) for name in names}
    raw["customer_type"] = customer_type
    raw["tags"] = picked_tags(_k(prefix, "tags"), _k(prefix, "tags_new"))
    other_city = st.session_state.get(_k(prefix, "city_other"))
    if isinstance(other_city, str) and other_city.strip():
        raw["city"] = other_city
    raw["tier_reason"] = st.session_state.get(_k(prefix, "tier_reason"))
    if not personal:  # asked once: the customer's name is the company name
        raw["gender"] = None
        raw["company"] = raw["name"]
    if not show_customer_no:
        raw.pop("customer_no")
    return raw


def accept_similar(prefix: str) -> bool:
    return bool(st.session_state.get(_k(prefix, "accept_similar")))


def clear(prefix: str) -> None:
    for key in [k for k in st.session_state if str(k).startswith(prefix + "_")]:
        del st.session_state[key]
