"""Consent (个人信息授权, data-protection.md "Consent"; PIPL Art. 13-15).

Each customer (for an enterprise or institution: the contact person the record's contacts
reach) has a consent state per purpose, ``服务`` and ``营销``. Every grant or withdrawal is an
entry of ``consent_ledger`` (purpose, granted or withdrawn, when, channel, who, an evidence
note); the current state is the latest entry (by time, then by entry order). The state is
cached on the customer row (``consent_service`` / ``consent_marketing``: True, False, or None
when nothing was ever recorded) so list filters and the marketing export read one column;
every write here keeps the cache equal to the ledger in the same transaction.

A grant or withdrawal by a person is audited (``consent.grant`` / ``consent.withdraw``, the
state before and after, purpose and channel; never the evidence note, which is free text
about the person). An import's entries are audited by the import's own per-customer entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select, update
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from db.models import ConsentEntry, Customer, User
from services.access import audit
from services.access.roles import Actor, Perm
from services.privacy.consent_terms import (
    CACHE_COLUMN,
    CHANNELS,
    CONSENT_KEYS,
    HAND_CHANNELS,
    IMPORT_HEADERS,
    NOTE_MAX,
    PURPOSES,
    STATES,
    Channel,
    Purpose,
    flag_text,
    parse_flag,
)

__all__ = ["CACHE_COLUMN", "CHANNELS", "CONSENT_KEYS", "HAND_CHANNELS", "IMPORT_HEADERS",
           "NOTE_MAX", "PURPOSES", "STATES", "Channel", "ConsentError", "ConsentState",
           "LedgerEntry", "Purpose", "bulk_record", "clear_evidence", "condition", "flag_text",
           "history", "marketing_condition", "parse_flag", "record", "record_initial",
           "states", "undo_import", "withdraw"]


class ConsentError(CatalogError):
    """A consent entry that cannot be recorded (unknown customer, purpose or channel)."""


@dataclass(frozen=True)
class ConsentState:
    """One purpose's current state: ``granted`` None when never recorded."""

    purpose: str
    granted: bool | None
    at: datetime | None = None
    channel: str | None = None

    @property
    def key(self) -> str:
        return "none" if self.granted is None else ("granted" if self.granted else "withdrawn")


@dataclass(frozen=True)
class LedgerEntry:
    """One row of a customer's consent history, as the profile shows it."""

    id: int
    purpose: str
    granted: bool
    at: datetime
    channel: str
    recorded_by: str
    note: str | None


# ---- reading --------------------------------------------------------------------------------

def _live(session: Session, customer_id: int) -> Any:
    """The customer's number and cached states, its row locked until commit: two entries for
    one customer are serialised, so the cache always follows the ledger."""
    row = session.execute(
        select(Customer.id, Customer.customer_no, Customer.deleted_at,
               Customer.consent_service, Customer.consent_marketing)
        .where(Customer.id == customer_id).with_for_update()).first()
    if row is None or row.deleted_at is not None:
        raise ConsentError("consent.error.not_found", id=customer_id)
    return row


def states(session: Session, actor: Actor, customer_id: int) -> dict[str, ConsentState]:
    """The current state of each purpose, from the ledger's latest entries."""
    actor.require(Perm.VIEW_CUSTOMERS)
    found: dict[str, ConsentState] = {p.value: ConsentState(p.value, None) for p in Purpose}
    for purpose in Purpose:
        row = session.execute(
            select(ConsentEntry.granted, ConsentEntry.at, ConsentEntry.channel)
            .where(ConsentEntry.customer_id == customer_id,
                   ConsentEntry.purpose == purpose.value)
            .order_by(ConsentEntry.at.desc(), ConsentEntry.id.desc()).limit(1)).first()
        if row is not None:
            found[purpose.value] = ConsentState(purpose.value, row.granted, row.at, row.channel)
    return found


def history(session: Session, actor: Actor, customer_id: int, *, limit: int = 50,
            offset: int = 0) -> tuple[list[LedgerEntry], int]:
    """A customer's entries, latest first, and how many there are."""
    actor.require(Perm.VIEW_CUSTOMERS)
    where = ConsentEntry.customer_id == customer_id
    total = session.scalar(select(func.count()).select_from(ConsentEntry).where(where)) or 0
    rows = session.execute(
        select(ConsentEntry, User.display_name).outerjoin(User, User.id == ConsentEntry.user_id)
        .where(where).order_by(ConsentEntry.at.desc(), ConsentEntry.id.desc())
        .offset(offset).limit(limit)).all()
    return [LedgerEntry(e.id, e.purpose, e.granted, e.at, e.channel, name or e.username,
                        e.note) for e, name in rows], total


def condition(purpose: str, state: str) -> ColumnElement[bool]:
    """A customer list filter: the purpose's current state is ``state`` (``STATES``)."""
    column = getattr(Customer, CACHE_COLUMN[Purpose(purpose)])
    if state == "granted":
        return column.is_(True)
    if state == "withdrawn":
        return column.is_(False)
    if state == "none":
        return column.is_(None)
    raise ValueError(state)


def marketing_condition() -> ColumnElement[bool]:
    """Customers a marketing export may hold: 营销 consent granted and not withdrawn since."""
    return condition(Purpose.MARKETING, "granted")


# ---- writing --------------------------------------------------------------------------------

def _clean_note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise ConsentError("consent.error.note_long", max=NOTE_MAX)
    return text or None


def _refresh(session: Session, customer_ids: Iterable[int]
             ) -> dict[int, dict[str, bool | None]]:
    """Set the cache columns of these customers from their latest ledger entries."""
    done: dict[int, dict[str, bool | None]] = {}
    for cid in dict.fromkeys(customer_ids):
        values: dict[str, bool | None] = {}
        for purpose in Purpose:
            values[CACHE_COLUMN[purpose]] = session.scalar(
                select(ConsentEntry.granted)
                .where(ConsentEntry.customer_id == cid, ConsentEntry.purpose == purpose.value)
                .order_by(ConsentEntry.at.desc(), ConsentEntry.id.desc()).limit(1))
        session.execute(update(Customer.__table__).where(Customer.__table__.c.id == cid)
                        .values(**values))
        done[cid] = values
    return done


def record(session: Session, actor: Actor, customer_id: int, purpose: str, granted: bool, *,
           channel: str, note: str | None = None, at: datetime | None = None) -> LedgerEntry:
    """Add one grant (``granted``) or withdrawal to the ledger, update the cached state,
    audit it. ``at``: when it was given (default now; never in the future)."""
    actor.require(Perm.EDIT_CUSTOMERS)
    if purpose not in PURPOSES:
        raise ConsentError("consent.error.purpose", value=str(purpose))
    if channel not in CHANNELS:
        raise ConsentError("consent.error.channel", value=str(channel))
    stamp = clock.now()
    when = at or stamp
    if when > stamp:
        raise ConsentError("consent.error.future")
    text = _clean_note(note)
    customer = _live(session, customer_id)
    column = CACHE_COLUMN[Purpose(purpose)]
    before = getattr(customer, column)
    entry = ConsentEntry(customer_id=customer.id, purpose=purpose, granted=bool(granted),
                         at=when, channel=channel, user_id=actor.user_id,
                         username=actor.username, note=text)
    session.add(entry)
    session.flush()
    after = _refresh(session, [customer.id])[customer.id][column]
    loaded = session.identity_map.get(session.identity_key(Customer, customer.id))  # type: ignore[attr-defined]
    if loaded is not None:  # an ORM copy in this session must not show the old state
        session.expire(loaded, [column])
    audit.record(session, actor, "consent.grant" if granted else "consent.withdraw",
                 "customer", customer.id,
                 changes={column: [before, after]} if before != after else None,
                 detail={"purpose": purpose, "channel": channel,
                         "customer_no": customer.customer_no})
    return LedgerEntry(entry.id, purpose, bool(granted), when, channel, actor.username, text)


def withdraw(session: Session, actor: Actor, customer_id: int, purpose: str, *,
             channel: str = Channel.OTHER, note: str | None = None) -> LedgerEntry:
    """Withdraw one purpose's consent: the profile's one action."""
    return record(session, actor, customer_id, purpose, False, channel=channel, note=note)


def record_initial(session: Session, actor: Actor, customer_id: int,
                   choices: Mapping[str, bool | None], *, channel: str,
                   note: str | None = None) -> list[LedgerEntry]:
    """The entry form's answers for a new customer: one entry per purpose answered."""
    return [record(session, actor, customer_id, purpose, granted, channel=channel, note=note)
            for purpose, granted in choices.items() if granted is not None]


def bulk_record(session: Session, actor: Actor,
                entries: Sequence[tuple[int, str, bool]], *, note: str | None,
                import_id: int | None, at: datetime | None = None, cache: bool = True) -> int:
    """Entries ``(customer_id, purpose, granted)`` of one Excel import (channel 导入), and the
    cache set to them: written now, they are each customer's latest entries. The caller
    decides which entries change a state (blank cells and unchanged states write none);
    ``cache=False`` when it wrote the customers' cached states itself."""
    if not entries:
        return 0
    stamp = at or clock.now()
    session.execute(ConsentEntry.__table__.insert(), [
        {"customer_id": cid, "purpose": purpose, "granted": granted, "at": stamp,
         "channel": Channel.IMPORT.value, "user_id": actor.user_id,
         "username": actor.username, "note": note, "import_id": import_id}
        for cid, purpose, granted in entries])
    if not cache:
        return len(entries)
    table = Customer.__table__
    for purpose in Purpose:
        column = CACHE_COLUMN[purpose]
        for granted in (True, False):
            ids = [cid for cid, p, g in entries if p == purpose.value and g is granted]
            for start in range(0, len(ids), 500):
                session.execute(update(table).where(table.c.id.in_(ids[start:start + 500]))
                                .values({column: granted}))
    return len(entries)


def undo_import(session: Session, import_id: int, customer_ids: Iterable[int]) -> int:
    """Remove an undone import's entries; the cache of the customers it touched (still
    present) goes back to their latest remaining entries. Returns the entries removed."""
    removed = session.execute(delete(ConsentEntry).where(ConsentEntry.import_id == import_id))
    _refresh(session, customer_ids)
    return int(removed.rowcount or 0)  # type: ignore[attr-defined]


def clear_evidence(session: Session, customer_id: int) -> int:
    """Blank the evidence notes of a customer's entries (erasure): the grants, withdrawals,
    dates and channels stay, as facts without personal text."""
    result = session.execute(update(ConsentEntry.__table__)
                             .where(and_(ConsentEntry.__table__.c.customer_id == customer_id,
                                         ConsentEntry.__table__.c.note.is_not(None)))
                             .values(note=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
