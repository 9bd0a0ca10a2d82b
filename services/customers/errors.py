"""Refusals of customer-record actions, and the values they carry (the matches of a
duplicate check, the form of a stale edit and the changes that made it stale)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import CatalogError
from core.i18n import has, t
from services.customers.validation import (
    FieldError,
)


class RecordError(CatalogError):
    """A refused customer-record action; ``key`` and ``params`` name the catalog message."""


class CustomerNotFound(RecordError):
    """No such customer (or deleted, for anyone who may not see deleted records)."""

    def __init__(self, customer_id: int) -> None:
        super().__init__("records.error.not_found", customer_id=customer_id)
        self.customer_id = customer_id


class CustomerErased(RecordError):
    """The customer's personal information was erased (data-protection.md, Erasure): the record
    stays for its facts and takes no edit and no new record."""

    def __init__(self, customer_no: str) -> None:
        super().__init__("customers.error.erased", customer_no=customer_no)
        self.customer_no = customer_no


class InvalidCustomer(RecordError):
    """The record breaks the spec's rules; ``errors`` go next to their fields in the form."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("records.error.invalid", count=len(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing live customer that is the same customer, and the fields that say so."""

    customer_id: int
    customer_no: str
    name: str
    fields: tuple[str, ...]
    hidden: bool = False
    """Found only through keys the user may not see in full: the customer is not named
    (``customer_id`` 0), or the check would reveal the key (``services.access.probes``)."""

    def message(self, lang: str = "zh") -> str:
        sep = ", " if lang == "en" else "、"
        labels = sep.join(t(f"field.{f}", lang) for f in self.fields)
        if self.hidden:
            return t("oracle.duplicate.hidden", lang, fields=labels)
        return t("records.duplicate.match", lang, name=self.name, customer_no=self.customer_no,
                 fields=labels)


@dataclass(frozen=True)
class SimilarMatch:
    """An existing live customer with the same name and a similar company: maybe the same."""

    customer_id: int
    customer_no: str
    name: str
    company: str | None

    def message(self, lang: str = "zh") -> str:
        return t("records.similar.match", lang, name=self.name, customer_no=self.customer_no,
                 company=self.company or "—")


class DuplicateCustomer(RecordError):
    """An exact collision (客户编号, 手机号, 邮箱 or 证件号码): cannot be saved."""

    def __init__(self, matches: Sequence[DuplicateMatch]) -> None:
        super().__init__("records.error.duplicate", count=len(matches))
        self.matches = list(matches)


class SimilarCustomer(RecordError):
    """Same name and similar company: a warning; save again with ``accept_similar=True``."""

    def __init__(self, matches: Sequence[SimilarMatch]) -> None:
        super().__init__("records.warning.similar", count=len(matches))
        self.matches = list(matches)


@dataclass(frozen=True)
class ChangeEntry:
    """One field changed by one audited action: who, when, from what to what (masked)."""

    audit_id: int
    at: datetime
    user_id: int | None
    username: str
    action: str
    field: str | None
    before: Any
    after: Any

    def action_label(self, lang: str = "zh") -> str:
        key = f"records.action.{self.action}"
        return t(key, lang) if has(key) else self.action

    def field_label(self, lang: str = "zh") -> str:
        if self.field is None:
            return ""
        for key in (f"field.{self.field}", f"records.field.{self.field}"):
            if has(key):
                return t(key, lang)
        return self.field


@dataclass(frozen=True)
class CustomerForm:
    """The edit form's starting values (spec keys) and the version they belong to.

    手机号 / 邮箱 / 证件号码 are masked: sent back unchanged they mean "keep". ``tier`` is set
    only for a manual tier (blank: the rules decide); ``account_manager`` is a username.
    """

    customer_id: int
    version: int
    values: dict[str, Any]
    tier_reason: str | None = None
    fingerprints: dict[str, str | None] = field(default_factory=dict)


class StaleRecord(RecordError):
    """The record changed since the form was opened; nothing was written.

    ``current`` holds the record as it is now, ``changes`` what others changed since
    ``expected_version`` to the ``conflicts`` (the fields both changed; oldest first),
    ``submitted`` the values the user sent, untouched, so the form can keep them.
    """

    def __init__(self, customer_id: int, expected_version: int, current: CustomerForm,
                 changes: Sequence[ChangeEntry], submitted: Mapping[str, Any],
                 conflicts: Sequence[str] = ()) -> None:
        super().__init__("records.error.stale", expected=expected_version,
                         current=current.version)
        self.customer_id = customer_id
        self.expected_version = expected_version
        self.current_version = current.version
        self.current = current
        self.changes = list(changes)
        self.submitted = dict(submitted)
        self.conflicts = list(conflicts)
