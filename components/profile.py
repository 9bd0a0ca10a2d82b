"""The 客户档案 profile: header, tier explanation, contacts with audited reveal, and the tabs."""

from __future__ import annotations

import zlib
from collections.abc import Callable

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from components import picked_row, record_dialog_state, record_dialogs
from components.actions import write
from components.i18n import lang, lbl, tr
from components.tables import data_table
from components.text import fmt_when, plain
from core.errors import CatalogError
from core.money import money_text
from core.vocab import CustomerType, Tier
from services.access import audit_view
from services.access.roles import Actor, PermissionDenied
from services.customers import CustomerProfile, change_history, reveal, timeline

TIER_COLORS = {Tier.SILVER.value: "gray", Tier.GOLD.value: "orange",
               Tier.PLATINUM.value: "blue", Tier.DIAMOND.value: "violet"}
REVEALED = "profile_revealed"


def _revealed(customer_id: int) -> dict[str, str | None]:
    return st.session_state.setdefault(REVEALED, {}).setdefault(customer_id, {})


def header(p: CustomerProfile, actor: Actor) -> None:
    st.title(plain(p.name))
    st.caption(" · ".join([plain(p.customer_no), lbl(p.customer_type), lbl(p.lifecycle),
                           tr("profile.value_segment", segment=lbl(p.value_segment))]))
    badges = st.container(horizontal=True)
    with badges:
        st.badge(tr("profile.tier_badge", tier=lbl(p.tier)), color=TIER_COLORS.get(p.tier, "gray"),
                 icon=":material/workspace_premium:")
        if p.tier_source == "manual":
            st.badge(tr("profile.tier_manual"), color="gray", icon=":material/pan_tool:")
        for tag in p.tags:
            st.badge(plain(tag), color="blue", icon=":material/sell:")
        if p.review_overdue:
            st.badge(tr("profile.review_overdue"), color="red", icon=":material/schedule:")
        if p.deleted:
            st.badge(tr("profile.deleted"), color="red", icon=":material/delete:")
    with st.expander(tr("profile.why_tier"), icon=":material/help:"):
        tier_explanation(p)
    contacts(p, actor)


def tier_explanation(p: CustomerProfile) -> None:
    figures = p.tier_figures
    st.write(tr("profile.why_tier.figures", spend=money_text(figures.spend_12m),
                orders=figures.orders_12m, years=f"{figures.tenure_years:.1f}"))
    if p.tier_source == "manual":
        st.info(tr("profile.why_tier.manual", tier=lbl(p.tier), rule_tier=lbl(p.rule_tier),
                   by=plain(p.tier_set_by or "—"), reason=plain(p.tier_reason or "—")))
    rows = []
    for rule in figures.explanation.rules:
        for check in rule.checks:
            rows.append({
                tr("profile.col.tier"): lbl(rule.tier),
                tr("profile.col.threshold"): tr(f"profile.threshold.{check.name}"),
                tr("profile.col.required"): str(check.required),
                tr("profile.col.actual"): money_text(check.actual) if check.name == "spend"
                else (f"{check.actual:.1f}" if check.name == "tenure" else str(check.actual)),
                tr("profile.col.met"): "✔" if check.met else "✘",
            })
    data_table(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("profile.why_tier.rule", tier=lbl(figures.rule_tier)))


def _reveal_button(p: CustomerProfile, actor: Actor, field: str) -> None:
    def do_reveal() -> None:
        _revealed(p.id)[field] = write(lambda session: reveal(session, actor, p.id, field))

    st.button(tr("profile.reveal"), key=f"reveal_{field}_{p.id}", icon=":material/visibility:",
              on_click=do_reveal, help=tr("profile.reveal.help"), type="tertiary")


def contacts(p: CustomerProfile, actor: Actor) -> None:
    shown = _revealed(p.id)
    cols = st.columns(5)
    items: list[tuple[str, str | None, bool]] = [
        ("mobile", p.mobile, p.can_reveal_contact),
        ("phone", p.phone, p.can_reveal_contact and p.phone_masked),
        ("email", p.email, p.can_reveal_contact),
        ("id_number", p.id_number, p.can_reveal_id_number),
    ]
    for col, (field, masked, can) in zip(cols, items, strict=False):
        with col:
            value = shown.get(field, masked) if field in shown else masked
            st.markdown(f"**{tr('field.' + field)}**")
            st.text(value or "—")
            if can and masked and field not in shown:
                _reveal_button(p, actor, field)
    with cols[4]:
        st.markdown(f"**{tr('field.account_manager')}**")
        st.text(p.account_manager or "—")


def details(p: CustomerProfile) -> None:
    personal = p.customer_type == CustomerType.PERSONAL.value
    pairs = [("field.customer_type", lbl(p.customer_type))]
    if personal:  # an enterprise has no gender, and its company is its name (the header)
        pairs += [("field.gender", lbl(p.gender)), ("field.company", p.company)]
    elif p.company and p.company != p.name:  # older records may hold another spelling
        pairs += [("field.company", p.company)]
    pairs += [
        ("field.title", p.title),
        ("field.industry", lbl(p.industry)), ("field.province", p.province),
        ("field.city", p.city), ("field.address", p.address), ("field.source", lbl(p.source)),
        ("profile.first_order", fmt_when(p.first_order_at)),
        ("profile.last_order", fmt_when(p.last_order_at)),
        ("profile.last_contact", fmt_when(p.last_contact_at)),
        ("profile.created", f"{fmt_when(p.created_at)} · {p.created_by or '—'}"),
        ("profile.updated", f"{fmt_when(p.updated_at)} · {p.updated_by or '—'}"),
        ("profile.last_reviewed", fmt_when(p.last_reviewed_at)),
        ("profile.review_due", fmt_when(p.review_due)),
    ]
    cols = st.columns(3)
    for i, (key, value) in enumerate(pairs):
        with cols[i % 3]:
            st.caption(tr(key))
            st.text(value or "—")
    if p.texts_hidden:
        st.info(tr("cases.sensitive.hidden"), icon=":material/health_and_safety:")
    if p.notes:
        st.markdown(f"**{tr('field.notes')}**")
        st.text(p.notes)


def tier_history_table(p: CustomerProfile) -> None:
    if not p.tier_history:
        st.caption(tr("profile.tier_history.none"))
        return
    data_table(pd.DataFrame([{
        tr("profile.col.when"): fmt_when(h.changed_at),
        tr("profile.col.from"): lbl(h.from_tier) or "—",
        tr("profile.col.to"): lbl(h.to_tier),
        tr("profile.col.by"): h.user or tr("profile.by_rule"),
        tr("profile.col.reason"): h.reason_text(lang()),
    } for h in p.tier_history]), hide_index=True, width="stretch")


def _paged(key: str, total: int, size: int) -> int:
    pages = max(1, -(-total // size))
    return st.pagination(pages, key=key) if pages > 1 else 1


def add_record_row(p: CustomerProfile, actor: Actor) -> None:
    """One "add …" button per registered record kind, for those who may edit a live customer;
    a click opens that kind's dialog (``components.record_dialogs``)."""
    kinds = [d for d in record_dialogs.all_dialogs() if d.add is not None]
    if not kinds or not p.can_edit or p.deleted:
        return
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    with row:
        st.caption(tr("profile.add_record"), width="content")
        for d in kinds:
            if st.button(tr(d.label_key), icon=d.icon, key=f"add_{d.kind}_{p.id}"):
                record_dialog_state.open_add(p.id, d.kind)


def timeline_tab(p: CustomerProfile, actor: Actor, size: int = 30) -> None:
    page = int(st.session_state.get(f"tl_page_{p.id}") or 1)
    result = write(lambda session: timeline(session, actor, p.id, limit=size,
                                            offset=(page - 1) * size))
    if not result.items:
        st.info(tr("profile.timeline.none"))
        return
    frame = pd.DataFrame([{
        tr("profile.col.when"): fmt_when(i.when.date() if i.all_day else i.when),
        tr("profile.col.kind"): tr(f"profile.kind.{i.kind}"),
        tr("profile.col.event"): i.title(lang()),
        tr("forms.col.quantity"): "" if i.quantity is None else str(i.quantity),
        tr("forms.col.amount"): i.amount_text,
        tr("profile.col.detail"): i.detail_text(lang()),
    } for i in result.items])
    if not (p.can_edit and not p.deleted):
        data_table(frame, hide_index=True, width="stretch")
        _paged(f"tl_page_{p.id}", result.total, size)
        return
    # Selectable: picking a row opens its kind's edit dialog. The key follows the rows shown,
    # so a change to the list (a record added or deleted) starts with nothing selected.
    shown = ",".join(f"{i.kind}:{i.record_id}" for i in result.items)
    key = f"tl_df_{p.id}_{page}_{zlib.crc32(shown.encode()):08x}"
    event = data_table(frame, hide_index=True, width="stretch", key=key,
                       on_select="rerun", selection_mode="single-row")
    _paged(f"tl_page_{p.id}", result.total, size)
    rows = list(event.selection.rows) if event is not None else []
    picked_key = f"tl_picked_{p.id}"
    if not rows or rows[0] >= len(result.items):
        st.session_state.pop(picked_key, None)
        st.caption(tr("profile.timeline.pick_hint"))
        return
    item = result.items[rows[0]]
    dialogs = record_dialogs.for_kind(item.kind)
    if dialogs is None or dialogs.edit is None:
        st.caption(tr("profile.timeline.not_editable", kind=tr(f"profile.kind.{item.kind}")))
        return
    picked_row.open_once(picked_key, f"{key}:{item.kind}:{item.record_id}",
                         lambda: record_dialog_state.open_edit(p.id, item.kind, item.record_id),
                         again_label=tr("profile.timeline.open_selected"),
                         again_icon=":material/edit_note:", again_key=f"tl_open_{p.id}")


def history_tab(p: CustomerProfile, actor: Actor, size: int = 30) -> None:
    page = int(st.session_state.get(f"hist_page_{p.id}") or 1)
    result = write(lambda session: change_history(session, actor, p.id, limit=size,
                                                  offset=(page - 1) * size))
    if not result.entries:
        st.info(tr("profile.history.none"))
        return
    names = write(lambda session: audit_view.display_names(
        session, [e.user_id for e in result.entries]))
    # Values as a person reads them: labels, lists joined, local times (not ['…'] or ISO).
    data_table(pd.DataFrame([{
        tr("profile.col.when"): fmt_when(e.at),
        tr("profile.col.by"): audit_view.who(names, e.user_id, e.username),
        tr("profile.col.action"): e.action_label(lang()),
        tr("profile.col.field"): e.field_label(lang()),
        tr("profile.col.before"): "" if e.field is None
        else audit_view.value_text(e.before, lang(), e.field),
        tr("profile.col.after"): "" if e.field is None
        else audit_view.value_text(e.after, lang(), e.field),
    } for e in result.entries]), hide_index=True, width="stretch")
    _paged(f"hist_page_{p.id}", result.total, size)


def act(action: Callable[[Session], object], success_key: str | None = None) -> bool:
    """``run_action`` of ``action(session)`` in its own unit of work."""
    return run_action(lambda: write(action), success_key)


def run_action(action: Callable[[], object], success_key: str | None = None) -> bool:
    """Run one profile action; a refusal is shown as its message, never as a traceback."""
    try:
        action()
    except CatalogError as exc:
        st.error(plain(exc.message(lang())))
        return False
    except PermissionDenied:
        st.error(tr("auth.forbidden", role="—"))
        return False
    if success_key:
        st.session_state["flash"] = tr(success_key)
    return True
