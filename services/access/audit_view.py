"""The audit log and the change log as a person reads them.

Entries store what the code knows: action codes (``customer.update``), field keys, vocabulary
codes (``rule``), lists, UTC ISO times, usernames and entity ids. A reader needs labels in
their language, local times (``core.clock.shown``), display names and the customer an
entry is about. Used by the audit page, its export and the profile's 变更记录."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.clock import shown, shown_text
from core.i18n import has, label, t
from db.bulk import read_pairs
from db.models import AuditEntry, Complaint, Contract, Customer, FollowUp, Survey, Tag, User
from services.access.users import display_names, names_by_username

# Entities whose rows belong to one customer: an entry about one of them leads to it.
_CUSTOMER_OWNED: dict[str, Any] = {"complaint": Complaint, "contract": Contract,
                                   "survey": Survey, "follow_up": FollowUp}
_LIST_JOIN = {"zh": "、", "en": ", "}
_SEP = {"zh": "；", "en": "; "}
_COLON = {"zh": "：", "en": ": "}
"""Ids per IN list: an export reads up to 100,000 entries, over SQLite's bound-parameter cap."""
_MAX_LIST = 10
"""A list longer than this (e.g. the ids of a bulk action) is shown as its length."""


def action_label(action: str, lang: str = "zh") -> str:
    """``customer.update`` -> 修改客户; an action without a label keeps its code."""
    for key in (f"records.action.{action}", f"lists.action.{action}",
                f"auditlog.action.{action}"):
        if has(key):
            return t(key, lang)
    head, _, tail = action.partition(".")
    if head in ("import", "export") and tail and has(f"lists.action.{head}.any"):
        kind = t(f"excel.kind.{tail}", lang) if has(f"excel.kind.{tail}") else tail
        return t(f"lists.action.{head}.any", lang, what=kind)
    return action


def field_label(name: str, entity: str | None = None, lang: str = "zh") -> str:
    keys = [f"field.{name}", f"records.field.{name}", f"lists.field.{name}",
            f"auditlog.field.{name}"]
    if entity:
        keys.insert(0, f"field.{entity}.{name}")
    for key in keys:
        if has(key):
            return t(key, lang)
    return name


def value_text(value: Any, lang: str = "zh", name: str | None = None) -> str:
    """One stored value for reading: lists joined, vocabulary and codes labelled, ISO times
    in local time, nothing as ``['…']`` or JSON."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return t("lists.value.yes" if value else "lists.value.no", lang)
    if isinstance(value, (list, tuple)):
        if len(value) > _MAX_LIST:
            return t("lists.value.many", lang, n=len(value))
        return _LIST_JOIN.get(lang, ", ").join(value_text(v, lang, name) for v in value)
    if isinstance(value, Mapping):
        return _SEP.get(lang, "; ").join(
            f"{field_label(str(k), None, lang)}{_COLON.get(lang, ': ')}{value_text(v, lang, k)}"
            for k, v in value.items())
    if isinstance(value, str):
        for key in (f"lists.code.{name}.{value}", f"tiers.source.{value}" if name ==
                    "tier_source" else "", f"role.{value}" if name == "role" else ""):
            if key and has(key):
                return t(key, lang)
        return label(shown_text(value), lang)
    return str(value)


def changes_text(changes: Mapping[str, Any] | None, detail: Mapping[str, Any] | None,
                 entity: str | None = None, lang: str = "zh") -> str:
    """``{field: [before, after]}`` as "字段：旧 → 新", then the detail's items."""
    colon = _COLON.get(lang, ": ")
    parts = []
    for name, pair in (changes or {}).items():
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            parts.append(f"{field_label(name, entity, lang)}{colon}"
                         f"{value_text(pair[0], lang, name)} → {value_text(pair[1], lang, name)}")
        else:
            parts.append(f"{field_label(name, entity, lang)}{colon}{value_text(pair, lang, name)}")
    for name, value in (detail or {}).items():
        if name in ("version",):  # bookkeeping of optimistic locking, nothing to read
            continue
        parts.append(f"{field_label(name, entity, lang)}{colon}{value_text(value, lang, name)}")
    return _SEP.get(lang, "; ").join(parts)


def who(names: Mapping[Any, str], key: Any, username: str) -> str:
    """"张三（zhangsan）" — the name people know, with the login that did it."""
    name = names.get(key) if key is not None else None
    return f"{name}（{username}）" if name and name != username else username


@dataclass(frozen=True)
class AuditLine:
    """One audit entry for reading; ``customer_id`` is the customer it is about, if any."""

    id: int
    at: str
    who: str
    action: str
    target: str
    details: str
    customer_id: int | None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def lines(session: Session, entries: Sequence[AuditEntry], lang: str = "zh") -> list[AuditLine]:
    """Readable lines for a page (or an export) of entries; a few queries per page."""
    names = display_names(session, [e.user_id for e in entries])
    # Logins and lockouts are written before anyone is signed in: no user id, only the name.
    by_login = names_by_username(session, {e.username for e in entries if e.user_id is None})
    owned: dict[tuple[str, int], int] = {}
    for entity, model in _CUSTOMER_OWNED.items():
        ids = [i for e in entries if e.entity == entity and (i := _int(e.entity_id))]
        owned.update({(entity, rid): cid for rid, cid in
                      read_pairs(session, model.id, model.customer_id, ids).items()})
    customer_ids = {i for e in entries if e.entity == "customer" and (i := _int(e.entity_id))}
    customer_ids |= set(owned.values())
    customers = read_pairs(session, Customer.id, Customer.customer_no, customer_ids, Customer.name)
    user_ids = [i for e in entries if e.entity == "user" and (i := _int(e.entity_id))]
    users = read_pairs(session, User.id, User.display_name, user_ids)
    tag_ids = [i for e in entries if e.entity == "tag" and (i := _int(e.entity_id))]
    tags = read_pairs(session, Tag.id, Tag.name, tag_ids)
    out = []
    for e in entries:
        rid = _int(e.entity_id)
        customer_id = rid if e.entity == "customer" else owned.get((e.entity or "", rid or 0))
        out.append(AuditLine(
            id=e.id, at=shown(e.at, seconds=True),
            who=(who(names, e.user_id, e.username) if e.user_id is not None
                 else who(by_login, e.username, e.username)),
            action=action_label(e.action, lang),
            target=_target(e, rid, customer_id, customers, users, tags, lang),
            details=changes_text(e.changes, e.detail, e.entity, lang),
            customer_id=customer_id if customer_id in customers else None))
    return out


def _target(e: AuditEntry, rid: int | None, customer_id: int | None,
            customers: Mapping[int, tuple[str, str]], users: Mapping[int, str],
            tags: Mapping[int, str], lang: str) -> str:
    if e.entity is None:
        return ""
    kind = t(f"lists.entity.{e.entity}", lang) if has(f"lists.entity.{e.entity}") else e.entity
    if e.entity == "customer" and rid is None:
        return kind
    if customer_id is not None and customer_id in customers:
        no, name = customers[customer_id]
        whose = f"{no} {name}"
        return whose if e.entity == "customer" else f"{kind} #{rid} · {whose}"
    if e.entity == "user" and rid in users:
        return f"{kind} {users[rid]}"
    if e.entity == "tag" and rid in tags:
        return f"{kind} {tags[rid]}"
    if e.entity == "file":
        return action_label(e.entity_id or "", lang)
    return f"{kind} #{e.entity_id}" if e.entity_id else kind
