"""Tamper evidence for the audit log: every entry is linked, in commit order, to the one before.

Triggers refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE of the audit tables, but whoever owns
the tables can drop or disable triggers. So each entry also gets a link in ``audit_chain``:
``seq`` (1, 2, 3 … without gaps), the entry's id, and ``HMAC(key, previous hash, seq, entry)``.
``audit_chain_head`` holds the last seq and hash. Changing, removing or inserting an entry
around the service breaks a link that cannot be recomputed without the key; ``verify`` finds
the first one. (A consistent *prefix*, the newest entries cut off together with the head
rolled back, can only be caught against a copy of the head kept elsewhere: ``verify`` prints it
so cron can log it.)

Links are written at commit (``services.access.audit`` calls ``link`` from the session's
``before_commit``, or right after a bulk insert), under a row lock on the head on PostgreSQL and
under SQLite's single writer lock, so concurrent writers are serialised only for the few
statements of linking and the chain can never fork.

The key is derived from ``CRM_HASH_KEY`` (HMAC with a fixed label), so there is no fourth
secret to keep; ``rekey`` relinks the chain when that key is rotated.

Erasure (``services.privacy.erasure``): the personal values of an entry (``changes`` and
``detail``) are not hashed into its link directly. The link covers the entry's other columns and
a *digest* of those values, ``SHA-256(salt, changes, detail)``, kept apart from the entry in the
link row; ``salt`` is a random value stored with the entry. Erasing a person scrubs the values of
their entries, clears the salt and names the erasure entry in ``erased_by``: every link still
checks against its kept digest, and without the salt the digest tells nothing about the values
that were there (no guessing a mobile number from it). ``verify`` checks that each scrubbed entry
names an erasure entry whose recorded count of scrubbed entries matches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from secrets import token_hex
from typing import Any

from sqlalchemy import Connection, Text, bindparam, cast, func, select, update

from db.models import AuditChainHead, AuditChainLink, AuditEntry
from services.access.rotation import Rotation, register_rotation
from services.access.secrets import get_secrets

GENESIS = "0" * 64
"""The 'previous hash' of the first link."""

_LABEL = b"crm-audit-chain-v1"
BATCH = 5000
ERASE_ACTION = "customer.erase"
"""The action of an erasure entry; its ``detail["entries"]`` counts the entries it scrubbed."""

ENTRY_COLUMNS = ("id", "at", "user_id", "username", "action", "entity", "entity_id",
                 "changes", "detail", "salt")
EntryRow = Sequence[Any]
"""An entry's values in ``ENTRY_COLUMNS`` order (``salt`` None once erased)."""


def derive_key(hash_key: str) -> bytes:
    """The chain's HMAC key, derived from the hash key so it rotates with it."""
    return hmac.new(hash_key.encode(), _LABEL, hashlib.sha256).digest()


def current_key() -> bytes:
    return derive_key(get_secrets().hash_key)


_FIELDS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def stored_json(value: Any) -> str | None:
    """The text a JSON column stores for ``value``: SQLAlchemy's default serializer (which
    the ORM uses on both engines; ``services.access.audit`` writes bulk rows with it too).
    PostgreSQL ``json`` and SQLite keep that text verbatim, so it is what the hash covers."""
    return None if value is None else json.dumps(value)


def new_salt() -> str:
    """A fresh random salt for an entry's value digest."""
    return token_hex(16)


def _json_text(value: str | None) -> str | None:
    return None if value is None or value == "null" else value


def entry_bytes(row: EntryRow) -> bytes:
    """Canonical bytes of an entry's columns but its personal values (``changes``, ``detail``,
    which the digest covers): nothing is parsed or re-sorted."""
    entry_id, at, user_id, username, action, entity, entity_id = row[:7]
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds") if isinstance(at, datetime) \
        else at
    return _FIELDS([int(entry_id), stamp, user_id, username, action, entity, entity_id]).encode()


def values_digest(row: EntryRow) -> str | None:
    """SHA-256 of the entry's salt and its ``changes``/``detail`` as stored JSON text; None for
    an erased entry (no salt: the digest kept in its link stands for the scrubbed values)."""
    changes, detail, salt = row[7], row[8], row[9]
    if salt is None:
        return None
    message = _FIELDS([salt, _json_text(changes), _json_text(detail)]).encode()
    return hashlib.sha256(message).hexdigest()


def link_hash(key: bytes, previous: str, seq: int, row: EntryRow, digest: str) -> str:
    message = b"%s\n%d\n%s\n%s" % (previous.encode(), seq, entry_bytes(row), digest.encode())
    return hmac.digest(key, message, "sha256").hex()


def _locked_head(conn: Connection) -> tuple[int, str]:
    """The head, locked until commit (PostgreSQL row lock; SQLite: the caller already wrote,
    so it holds the database's write lock and reads the newest committed head)."""
    head = conn.execute(select(AuditChainHead.seq, AuditChainHead.hash)
                        .where(AuditChainHead.id == 1).with_for_update()).first()
    if head is None:
        raise RuntimeError("audit chain head is missing: run manage.py verify-audit")
    return int(head.seq), str(head.hash)


def link(conn: Connection, rows: Iterable[EntryRow], key: bytes | None = None) -> int:
    """Append links for these new entries (in id order; JSON as its stored text) to the
    chain. Returns the count."""
    ordered = sorted(rows, key=lambda r: int(r[0]))
    if not ordered:
        return 0
    from services.excel.bulk import bulk_insert  # the package imports this module

    key = key or current_key()
    seq, previous = _locked_head(conn)
    links = []
    for row in ordered:
        seq += 1
        digest = values_digest(row)
        if digest is None:
            raise ValueError(f"audit entry {row[0]} has no salt: it cannot be linked")
        previous = link_hash(key, previous, seq, row, digest)
        links.append((seq, int(row[0]), previous, digest))
    # COPY on PostgreSQL, executemany on SQLite: an update import links 100,000 entries
    bulk_insert(conn, AuditChainLink.__table__, ("seq", "entry_id", "hash", "digest"), links)
    conn.execute(update(AuditChainHead).where(AuditChainHead.id == 1)
                 .values(seq=seq, hash=previous))
    return len(links)


def link_unlinked(conn: Connection) -> int:
    """Link every entry that has no link yet, in id order: only for the migration that
    introduces digests (entries from before the chain). Afterwards an unlinked entry is
    tampering."""
    linked = select(AuditChainLink.entry_id)
    entry = AuditEntry.__table__
    rows = conn.execute(select(*stored_columns()).where(entry.c.id.not_in(linked))
                        .order_by(entry.c.id)).all()
    return link(conn, rows) if rows else 0


def stored_columns() -> list[Any]:
    """The entry's columns in ``ENTRY_COLUMNS`` order, the JSON ones as their stored text."""
    entry = AuditEntry.__table__
    return [cast(entry.c[name], Text) if name in ("changes", "detail") else entry.c[name]
            for name in ENTRY_COLUMNS]


# ---- verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """The result of ``verify``: ``problem`` is None when the chain is intact."""

    checked: int
    head_seq: int
    head_hash: str
    problem: str | None = None  # an i18n key of core/i18n/auditchain.py
    entry_id: int | None = None
    seq: int | None = None
    previous_entry_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _walk(conn: Connection) -> Iterator[tuple[int, int, str, str, EntryRow | None, int | None]]:
    """(seq, entry_id, stored hash, kept digest, entry row or None if gone, erased_by) in seq
    order, in batches."""
    entry = AuditEntry.__table__
    cols = stored_columns()
    after = 0
    while True:
        batch = conn.execute(
            select(AuditChainLink.seq, AuditChainLink.entry_id, AuditChainLink.hash,
                   AuditChainLink.digest, entry.c.erased_by, *cols)
            .select_from(AuditChainLink.__table__.outerjoin(
                entry, entry.c.id == AuditChainLink.entry_id))
            .where(AuditChainLink.seq > after).order_by(AuditChainLink.seq).limit(BATCH)).all()
        if not batch:
            return
        for r in batch:
            row = None if r[5] is None else tuple(r[5:])
            yield (int(r[0]), int(r[1]), str(r[2]), str(r[3] or ""), row,
                   None if r[4] is None else int(r[4]))
        after = int(batch[-1][0])


def _erasures_hold(conn: Connection) -> int | None:
    """The first scrubbed entry whose erasure does not account for it: ``erased_by`` must name
    an erasure entry whose ``detail["entries"]`` equals the entries naming it. None if all do."""
    entry = AuditEntry.__table__
    named = conn.execute(select(entry.c.erased_by, func.count(), func.min(entry.c.id))
                         .where(entry.c.erased_by.is_not(None))
                         .group_by(entry.c.erased_by)).all()
    if not named:
        return None
    erasures = {int(r.id): r for r in conn.execute(
        select(entry.c.id, entry.c.action, cast(entry.c.detail, Text).label("detail"))
        .where(entry.c.id.in_([int(n[0]) for n in named]))).all()}
    for erased_by, count, first in sorted(named, key=lambda n: int(n[2])):
        erasure = erasures.get(int(erased_by))
        if erasure is None or erasure.action != ERASE_ACTION or erasure.detail is None:
            return int(first)
        try:
            recorded = json.loads(erasure.detail).get("entries")
        except (ValueError, AttributeError):
            return int(first)
        if recorded != int(count):
            return int(first)
    return None


def verify(conn: Connection, key: bytes | None = None) -> Verdict:
    """Walk the chain from the first link; report the first broken or missing one."""
    key = key or current_key()
    head = conn.execute(select(AuditChainHead.seq, AuditChainHead.hash)
                        .where(AuditChainHead.id == 1)).first()
    if head is None:
        return Verdict(0, 0, "", "auditchain.verify.head_missing")
    head_seq, head_hash = int(head.seq), str(head.hash)
    previous, expected_seq, last_entry = GENESIS, 1, None
    checked = 0
    for seq, entry_id, stored, kept, row, erased_by in _walk(conn):
        bad = dict(checked=checked, head_seq=head_seq, head_hash=head_hash, seq=expected_seq,
                   previous_entry_id=last_entry)
        if seq != expected_seq:
            return Verdict(**bad, problem="auditchain.verify.link_missing")
        if row is None:
            return Verdict(**bad, problem="auditchain.verify.entry_missing", entry_id=entry_id)
        digest = values_digest(row)
        if digest is None and erased_by is None:  # no salt: only an erasure clears it
            return Verdict(**bad, problem="auditchain.verify.entry_changed", entry_id=entry_id)
        if (digest is not None and digest != kept) \
                or link_hash(key, previous, seq, row, kept) != stored:
            return Verdict(**bad, problem="auditchain.verify.entry_changed", entry_id=entry_id)
        previous, expected_seq, last_entry = stored, seq + 1, entry_id
        checked += 1
    bad = dict(checked=checked, head_seq=head_seq, head_hash=head_hash, seq=expected_seq,
               previous_entry_id=last_entry)
    if expected_seq - 1 != head_seq or previous != head_hash:
        return Verdict(**bad, problem="auditchain.verify.tail_missing")
    entry = AuditEntry.__table__
    stray = conn.execute(select(func.min(entry.c.id)).where(
        entry.c.id.not_in(select(AuditChainLink.entry_id)))).scalar()
    if stray is not None:
        return Verdict(**bad, problem="auditchain.verify.unlinked", entry_id=int(stray))
    unaccounted = _erasures_hold(conn)
    if unaccounted is not None:
        return Verdict(**bad, problem="auditchain.verify.entry_changed", entry_id=unaccounted)
    return Verdict(checked, head_seq, head_hash)


# ---- key rotation ---------------------------------------------------------------------------

def rekey(conn: Connection, old_key: str, new_key: str) -> int:
    """Recompute every link under the key derived from ``new_key`` (a new ``CRM_HASH_KEY``),
    in the caller's transaction, after checking the chain under ``old_key``: a chain that is
    already broken is refused, so rotation never launders tampering. Returns the links."""
    old, new = derive_key(old_key), derive_key(new_key)
    conn.execute(select(AuditChainHead.seq).where(AuditChainHead.id == 1).with_for_update())
    verdict = verify(conn, old)
    if not verdict.ok:
        raise ValueError(f"audit chain is broken ({verdict.problem}, entry {verdict.entry_id},"
                         f" link {verdict.seq}); run manage.py verify-audit")
    previous, changed = GENESIS, []
    for seq, _entry_id, _stored, kept, row, _erased_by in _walk(conn):
        assert row is not None  # verified above, under the lock
        previous = link_hash(new, previous, seq, row, kept)
        changed.append({"s": seq, "h": previous})
    link_table = AuditChainLink.__table__
    stmt = (link_table.update().where(link_table.c.seq == bindparam("s"))
            .values(hash=bindparam("h")))
    for start in range(0, len(changed), BATCH):
        conn.execute(stmt, changed[start:start + BATCH])
    conn.execute(update(AuditChainHead).where(AuditChainHead.id == 1)
                 .values(hash=previous if changed else GENESIS))
    return len(changed)


def _rotate(conn: Connection, rot: Rotation) -> int:
    """``rotate-keys``: the chain's key derives from the hash key, so relink it."""
    if rot.new_hash_key == rot.old.hash_key:
        return 0
    return rekey(conn, rot.old.hash_key, rot.new_hash_key)


register_rotation("audit_chain", _rotate)
