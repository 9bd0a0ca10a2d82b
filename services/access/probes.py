"""Look-ups through keys a role may not see in full: counted, limited and audited.

Why: a duplicate check must say "this 手机号 exists" (else the same customer is entered twice),
but to a trainer, who never sees a 手机号 in full, or a clerk, who never sees a 证件号码, that
answer is an oracle: try every candidate for the hidden digits of a masked value and the one
that matches is the value. So every action that submits such values (an import or its
preview, a search, a form check) goes through ``admit`` first, which

- counts the distinct values the user submitted in the last hour, per kind (contacts, IDs):
  past ``security.hidden_contact_values_per_hour`` / ``hidden_id_values_per_hour`` the action
  is refused before anything is matched (10,000 candidates for one mobile take 10 hours);
- counts the actions that found an existing customer through such a value: past
  ``security.hidden_match_limit_per_hour`` the action is refused;
- writes a flagged audit entry (``FLAGGED_ACTION``) for every refusal.

Values are kept only as keyed hashes, so asking again for the same value in the hour (a
preview, then the commit) is not counted twice. The counters and the refusal entry are written
in a session of their own and committed at once: rolling back the action cannot undo them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Final

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from core.settings import Settings, get_settings
from db.models import HiddenKeyProbe
from services.access import audit, crypto
from services.access.roles import Actor, Perm

KEY_PERMS: Final = {"mobile": Perm.REVEAL_CONTACT, "email": Perm.REVEAL_CONTACT,
                    "id_number": Perm.REVEAL_ID_NUMBER}
"""Duplicate keys that are masked for a role without the right next to them."""
KIND_OF: Final = {"mobile": "contact", "email": "contact", "id_number": "id"}
FLAGGED_ACTION: Final = f"{audit.FLAGGED_PREFIX}hidden_key_limit"
"""Audit action of a refusal; the audit log's "flagged only" filter finds it."""
WINDOW: Final = timedelta(hours=1)


class ProbeRefused(CatalogError):
    """The user went past an hourly limit on look-ups through keys they may not see."""


def hidden_keys(actor: Actor) -> frozenset[str]:
    """The duplicate keys (``mobile``, ``email``, ``id_number``) masked for this actor."""
    return frozenset(key for key, perm in KEY_PERMS.items() if not actor.can(perm))


def digest(key: str, value: str) -> str:
    """Keyed hash of one submitted value; for ``id_number`` pass the stored keyed hash."""
    return crypto.keyed_hash(f"probe:{KIND_OF[key]}:{key}:{value}")


@dataclass
class Submitted:
    """The hidden-key values one action submitted and those that found a customer."""

    values: dict[str, set[str]] = field(default_factory=lambda: {"contact": set(), "id": set()})
    matched: set[str] = field(default_factory=set)

    def add(self, key: str, value: str, *, matched: bool = False) -> str:
        d = digest(key, value)
        self.values[KIND_OF[key]].add(d)
        if matched:
            self.matched.add(d)
        return d

    def __bool__(self) -> bool:
        return any(self.values.values())

    def counts(self) -> dict[str, int]:
        return {kind: len(found) for kind, found in self.values.items()}


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind  # type: ignore[return-value]


def _caller_writing(session: Session) -> bool:
    """Whether the caller's SQLite connection holds an open write transaction: a second
    connection would then wait for its lock (and time out)."""
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return False
    dbapi = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi, "in_transaction", False))


@contextmanager
def side_session(session: Session) -> Iterator[Session]:
    """A session of its own on ``session``'s database, committed on leaving.

    Every action admits before it writes, so on SQLite the caller holds no write lock then.
    A caller that has written already (a script, a test) gets its own session back: the
    entries then commit or roll back with its work."""
    if _caller_writing(session):
        yield session
        return
    own = Session(_engine(session), expire_on_commit=False)
    try:
        yield own
        own.commit()
    except BaseException:
        own.rollback()
        raise
    finally:
        own.close()


def audit_apart(session: Session, actor: Actor, action: str, *, entity: str | None = None,
                entity_id: object = None, detail: Mapping[str, Any] | None = None) -> None:
    """An audit entry that stays even when the caller's transaction is rolled back (a
    preview or a dry run writes nothing else, and a search runs in a read-only session)."""
    with side_session(session) as own:
        audit.record(own, actor, action, entity, entity_id, detail=detail)


def _limits(settings: Settings) -> dict[str, int]:
    return {"contact": settings.hidden_contact_values_per_hour,
            "id": settings.hidden_id_values_per_hour,
            "match": settings.hidden_match_limit_per_hour}


def _refuse(own: Session, actor: Actor, action: str, kind: str, limit: int,
            detail: Mapping[str, Any]) -> ProbeRefused:
    audit.record(own, actor, FLAGGED_ACTION, "user", actor.user_id,
                 detail={"action": action, "limit": kind, "per_hour": limit, **detail})
    key = "oracle.refused.matches" if kind == "match" else f"oracle.refused.values.{kind}"
    return ProbeRefused(key, limit=limit)


def admit(session: Session, actor: Actor, action: str, submitted: Submitted, *,
          detail: Mapping[str, Any] | None = None,
          audit_action: str | None = None, values_counted: bool = False) -> None:
    """Count this action's hidden-key values and match against the user's hourly limits.

    Raises ``ProbeRefused`` (after committing a flagged audit entry) when the action would go
    past a limit; otherwise records it. ``audit_action``: also write this audit entry (with
    ``detail``) in the same side transaction. ``values_counted``: the values were admitted a
    moment ago by the same action (a preview admits them before matching, its match after).
    Actions of the command line (no user) and of users who see every key are not counted.
    """
    if actor.user_id is None or not (submitted or submitted.matched):
        if audit_action:
            audit_apart(session, actor, audit_action, detail=detail)
        return
    settings = get_settings()
    limits = _limits(settings)
    cutoff = clock.now() - WINDOW
    info = {**(detail or {}), "values": submitted.counts(), "matched": bool(submitted.matched)}
    refusal: ProbeRefused | None = None
    stamp = clock.now()
    with side_session(session) as own:
        def existing(kind: str) -> set[str]:
            return set(own.scalars(select(HiddenKeyProbe.digest).where(
                HiddenKeyProbe.user_id == actor.user_id, HiddenKeyProbe.kind == kind,
                HiddenKeyProbe.at >= cutoff)))

        fresh: list[dict[str, Any]] = []
        for kind, digests in submitted.values.items():
            if not digests or values_counted:
                continue
            known = existing(kind)
            new = digests - known
            if len(known) + len(new) > limits[kind]:
                refusal = _refuse(own, actor, action, kind, limits[kind], info)
                break
            fresh += [{"user_id": actor.user_id, "at": stamp, "kind": kind, "digest": d}
                      for d in sorted(new)]
        if refusal is None and submitted.matched:
            # One probe is one set of values asked: the same file previewed again and then
            # committed counts once, any other set of candidates (a binary search) anew.
            asked = submitted.matched.union(*submitted.values.values())
            match = crypto.keyed_hash("probe:match:" + ",".join(sorted(asked)))
            known = existing("match")
            if match not in known:
                if len(known) >= limits["match"]:
                    refusal = _refuse(own, actor, action, "match", limits["match"], info)
                else:
                    fresh.append({"user_id": actor.user_id, "at": stamp, "kind": "match",
                                  "digest": match})
        if refusal is None:
            if fresh:  # one executemany: a clerk's 1,000 new customers cost milliseconds
                own.execute(insert(HiddenKeyProbe.__table__), fresh)
            if audit_action:
                audit.record(own, actor, audit_action, detail=info)
    if refusal is not None:
        raise refusal


def used(session: Session, actor: Actor) -> dict[str, int]:
    """How much of each hourly allowance the user has used (for messages and tests)."""
    cutoff = clock.now() - WINDOW
    rows = session.execute(select(HiddenKeyProbe.kind, func.count()).where(
        HiddenKeyProbe.user_id == actor.user_id, HiddenKeyProbe.at >= cutoff)
        .group_by(HiddenKeyProbe.kind)).all()
    found = {kind: int(n) for kind, n in rows}
    return {kind: found.get(kind, 0) for kind in ("contact", "id", "match")}
