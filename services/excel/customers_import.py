"""Customer rows: duplicates against the database and earlier rows, update diffs, bulk write.

Duplicates (spec: "Duplicates"): a row is the same customer as a live customer, or as an earlier
accepted row of the file, when they share the 客户编号, 手机号, 邮箱 or 证件号码 (keyed hash).
The database is asked with one query per chunk of keys (all four at once), never once per row.

With ``skip`` a duplicate row is left alone. With ``update`` the file's non-blank cells overwrite
the matched customer's values (version bumped, audited per customer); a row whose cells equal
what is stored changes nothing and counts as a duplicate, so re-importing a file is a no-op in
both modes. A row that matches two different customers, or names another 客户编号 than the
customer it matches, is rejected in ``update`` mode: which one to overwrite is not clear.

New customers are written with ``executemany`` of plain tuples (ids and 客户编号 issued up front,
the numbers through the same ``sequences`` row ``customer_no:YYYY`` as the form), then their
tags and tier history. Their search grams (``services.customers.search_index``) are written in
batches of ``GRAM_BATCH`` customers, from the grams the parsing child made for each chunk.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any, Final

from sqlalchemy import (
    Row,
    String,
    any_,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from core import clock
from core.fields import FIELD_BY_KEY
from core.settings import Settings
from core.vocab import CustomerType, Tier, TierSource
from db.models import Customer, Tag, TierChange, User, customer_tags
from services.access import audit, crypto, masking, probes
from services.access.masking import mask_field
from services.access.roles import Actor
from services.customers import mask_value, numbering, review_days, search_index, tags, tiers
from services.customers.search_index import GramPositions, Postings
from services.customers.validation import (
    FieldError,
    FieldValidationError,
    normalize_id_number,
)
from services.excel.bulk import allocate_ids, bulk_insert, chunks
from services.excel.issues import ExcelActionError, Issue, Label
from services.excel.outcomes import OnDuplicate, RowOutcome, Status
from services.excel.progress import ProgressFn
from services.excel.rows import VALUE_KEYS, CheckedCustomer, shown
from services.privacy import consent
from services.privacy.consent_terms import CONSENT_KEYS, PURPOSE_OF

IDENTITY: Final = ("customer_no", "mobile", "email", "id_number")
PLAIN_FIELDS: Final = ("name", "customer_type", "gender", "mobile", "phone", "email", "company",
                       "title", "industry", "province", "city", "address", "source", "notes")
_STORED: Final = (
    Customer.id, Customer.customer_no, Customer.name, Customer.version, Customer.customer_type,
    Customer.gender, Customer.mobile, Customer.phone, Customer.email, Customer.id_number_enc,
    Customer.id_number_hash, Customer.company, Customer.title, Customer.industry,
    Customer.province, Customer.city, Customer.address, Customer.tier, Customer.tier_source,
    Customer.tier_set_by_id, Customer.tier_reason, Customer.account_manager_id,
    Customer.source, Customer.notes, Customer.deleted_at, Customer.consent_service,
    Customer.consent_marketing,
)
INSERT_COLUMNS: Final = (
    "id", "customer_no", "name", "customer_type", "gender", "mobile", "mobile_last4", "phone",
    "email", "id_number_enc", "id_number_hash", "company", "title", "industry", "province",
    "city", "address", "tier", "tier_source", "tier_set_by_id", "tier_reason", "lifecycle",
    "value_segment", "account_manager_id", "source", "notes", "created_at", "created_by_id",
    "updated_at", "updated_by_id", "version", "consent_service", "consent_marketing",
)
GRAM_BATCH: Final = 20_000
"""New customers whose search grams are written together. Ten chunks share most grams, so a
batch writes each gram's ids in one statement and one pass over its B-tree pages; for 100,000
customers on SQLite that took 1.5 s instead of 2.7 s written chunk by chunk."""
TIER_COLUMNS: Final = ("customer_id", "from_tier", "to_tier", "source", "user_id", "reason",
                       "changed_at")


def field_label(key: str) -> Label:
    spec = FIELD_BY_KEY[key]
    return Label(spec.header, spec.label_en)


def tier_reason(file_name: str) -> str:
    """Stored reason of a tier given in a file: where it came from."""
    return f"Excel 导入：{file_name}"[:tiers.REASON_MAX_LENGTH]


# ---- matching -----------------------------------------------------------------------------------

@dataclass
class Matches:
    """Live customers sharing a key with some row, and the 客户编号 of deleted customers."""

    stored: dict[int, Row[Any]] = field(default_factory=dict)
    by_key: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {k: defaultdict(list) for k in IDENTITY})
    deleted_numbers: set[str] = field(default_factory=set)

    def hits(self, row: CheckedCustomer) -> dict[int, list[str]]:
        """Matched customer id -> the identity fields it shares with ``row``."""
        found: dict[int, list[str]] = {}
        for key, value in row_keys(row):
            for cid in self.by_key[key].get(value, ()):
                found.setdefault(cid, []).append(key)
        return found


def row_keys(row: CheckedCustomer) -> list[tuple[str, str]]:
    """The identity keys of a row; masked values (from a masked export) are not keys."""
    masked = {d.field for d in row.deferred if d.reason == "masked"}
    keys = [(k, row.values[k]) for k in ("customer_no", "mobile", "email")
            if row.values.get(k) and k not in masked]
    if row.id_hash and "id_number" not in masked:
        keys.append(("id_number", row.id_hash))
    return keys


def hidden_values(rows: Iterable[CheckedCustomer], hidden: frozenset[str]) -> probes.Submitted:
    """The values of keys in ``hidden`` that these rows submit (rows that passed
    validation: the others are never matched)."""
    submitted = probes.Submitted()
    if hidden:
        for row in rows:
            if not row.errors:
                for key, value in row_keys(row):
                    if key in hidden:
                        submitted.add(key, value)
    return submitted


_KEY_COLUMNS: Final = {"customer_no": Customer.customer_no, "mobile": Customer.mobile,
                       "email": Customer.email, "id_number": Customer.id_number_hash}
# One statement per chunk for all four keys (a UNION ALL of one branch per key), each key's
# list bound at execution as ONE parameter (2,000 rendered and bound placeholders cost more
# than the lookup): a JSON array read by json_each on SQLite (each value one probe of the
# key's index), an array (= ANY) on PostgreSQL. Deleted customers are filtered in Python, not
# in SQL: "deleted_at IS NULL" can lead SQLite's planner to the deleted_at index (every live
# row) instead of the key's.
def _json_values(name: str) -> Any:
    return select(literal_column("value")).select_from(
        func.json_each(bindparam(name))).scalar_subquery()


def _by_keys(condition: Callable[[Any, str], Any]) -> Any:
    """A UNION ALL of one branch per key, labelled with the key it matched."""
    return union_all(*(
        select(literal_column(f"'{key}'").label("matched_key"), *_STORED)
        .where(condition(column, key))
        for key, column in _KEY_COLUMNS.items()))


_BY_KEYS: Final = _by_keys(lambda column, key: column.in_(_json_values(key)))
_BY_KEYS_PG: Final = _by_keys(
    lambda column, key: column == any_(bindparam(key, type_=ARRAY(String))))


def load_matches(session: Session, keys: Iterable[Sequence[tuple[str, str]]]) -> Matches:
    """Every live customer sharing a 客户编号, 手机号, 邮箱 or 证件号码 hash with the given
    rows' keys (``row_keys`` of each row that passed validation): one query per chunk of
    each key's values."""
    wanted: dict[str, set[str]] = {k: set() for k in IDENTITY}
    for row_key_list in keys:
        for key, value in row_key_list:
            wanted[key].add(value)
    matches = Matches()
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = _BY_KEYS_PG if postgres else _BY_KEYS
    parts = {key: list(chunks(sorted(values))) for key, values in wanted.items()}
    for n in range(max(map(len, parts.values()))):
        params: dict[str, Any] = {}
        for key, key_parts in parts.items():
            part = list(key_parts[n]) if n < len(key_parts) else []
            params[key] = part if postgres else json.dumps(part, ensure_ascii=False)
        for found in session.execute(stmt, params):
            if found.deleted_at is None:
                matches.stored.setdefault(found.id, found)
            elif found.matched_key == "customer_no":  # a number stays taken by a deleted one
                matches.deleted_numbers.add(found.customer_no)
    for cid, found in matches.stored.items():
        for key, value in (("customer_no", found.customer_no), ("mobile", found.mobile),
                           ("email", found.email), ("id_number", found.id_number_hash)):
            if value and value in wanted[key]:
                matches.by_key[key][value].append(cid)
    return matches


def _match_issue(found: Row[Any], fields: Sequence[str]) -> Issue:
    return Issue("excel.duplicate.match", {"name": found.name, "customer_no": found.customer_no,
                                           "fields": [field_label(f) for f in fields]})


def masked_form(field_name: str, stored: str | None, settings: Settings, *,
                customer_type: str | None = None) -> str | None:
    """A stored value as a masked export writes it (and may bring it back): the one masking
    rule, ``services.access.masking.mask_field`` (a protected 固定电话 masked like a 手机号)."""
    return mask_field(field_name, stored, customer_type=customer_type, settings=settings)


def _lifted(deferred_reason: str, field_name: str | None, hint: Any, target: Row[Any] | None,
            settings: Settings) -> bool:
    """Whether a deferred error goes away because the row is ``target``'s own row."""
    if target is None:
        return False
    if deferred_reason == "contact":
        return True
    if deferred_reason == "manager":
        return target.account_manager_id == hint
    if deferred_reason == "masked" and field_name is not None:
        if field_name == "id_number":
            stored = crypto.decrypt(target.id_number_enc) if target.id_number_enc else None
        else:
            stored = getattr(target, field_name)
        return stored is not None and masked_form(
            field_name, stored, settings, customer_type=target.customer_type) == hint
    return False


# ---- update diffs -------------------------------------------------------------------------------

@dataclass
class UpdateItem:
    """What an update row changes on one customer, and what was there before."""

    row: int
    customer_id: int
    version: int
    values: dict[str, Any]
    before: dict[str, Any]
    changes: dict[str, list[Any]]
    tags: list[str] | None = None
    tags_before: list[str] = field(default_factory=list)
    tier_from: str | None = None
    reindex: bool = False


def _stored_tags(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    for part in chunks(sorted(ids)):
        for cid, name in session.execute(
                select(customer_tags.c.customer_id, Tag.name)
                .join(Tag, Tag.id == customer_tags.c.tag_id)
                .where(customer_tags.c.customer_id.in_(part)).order_by(Tag.name)):
            result[cid].append(name)
    return result


def _usernames(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    names: dict[int, str] = {}
    for part in chunks(wanted):
        names.update(session.execute(select(User.id, User.username)
                                     .where(User.id.in_(part))).all())
    return names


def _type_problem(row: CheckedCustomer, target: Row[Any], given: frozenset[str]
                  ) -> FieldError | None:
    """The 证件号码 must suit the 客户类型 the customer has after the update: the form
    validates the merged record, a row carries only part of it."""
    type_given = "customer_type" in given
    new_type = row.values["customer_type"] if type_given else target.customer_type
    if "id_number" in given:
        if type_given or new_type == CustomerType.PERSONAL:
            return None  # validated with this very type already
        number = row.values.get("id_number")
    elif type_given and new_type != target.customer_type and target.id_number_enc:
        number = crypto.decrypt(target.id_number_enc)
    else:
        return None
    try:
        normalize_id_number(number, new_type)
    except FieldValidationError as exc:
        return exc.error
    return None


def diff_update(row: CheckedCustomer, target: Row[Any], given: frozenset[str],
                stored_tags: Sequence[str], actor: Actor, file_name: str,
                settings: Settings, usernames: Mapping[int, str],
                hidden: bool = False) -> UpdateItem | None:
    """The columns an update row changes (None: nothing differs from what is stored).
    ``hidden``: a trainee updating a sensitive record, who sees its 备注 hidden (and sends
    ``masking.HIDDEN_TEXT`` back unchanged) and cannot take its sensitive tag off."""
    v = row.values
    values: dict[str, Any] = {}
    before: dict[str, Any] = {}
    changes: dict[str, list[Any]] = {}

    def change(column: str, new: Any, audit_key: str | None = None,
               shown_old: Any = None, shown_new: Any = None) -> None:
        values[column] = new
        before[column] = getattr(target, column)
        if audit_key:
            changes[audit_key] = [shown_old, shown_new]

    for key in PLAIN_FIELDS:
        if key in given and v.get(key) != getattr(target, key):
            old, new = getattr(target, key), v.get(key)
            if key in ("mobile", "email"):
                change(key, new, key, mask_value(key, old, settings),
                       mask_value(key, new, settings))
            elif hidden and masking.is_text_key(key):
                if new != masking.HIDDEN_TEXT:
                    change(key, new, key, masking.hide_text(old), new)
            else:
                change(key, new, key, old, new)
    if "mobile" in values:
        values["mobile_last4"] = search_index.mobile_last4(values["mobile"])
    if "id_number" in given and row.id_hash != target.id_number_hash:
        old_id = crypto.decrypt(target.id_number_enc) if target.id_number_enc else None
        change("id_number_enc", row.id_enc or crypto.encrypt(v["id_number"]), "id_number",
               mask_value("id_number", old_id, settings),
               mask_value("id_number", v["id_number"], settings))
        change("id_number_hash", row.id_hash)
    if "account_manager" in given and v.get("account_manager_id") != target.account_manager_id:
        change("account_manager_id", v.get("account_manager_id"), "account_manager",
               usernames.get(target.account_manager_id),  # type: ignore[arg-type]
               usernames.get(v.get("account_manager_id")))  # type: ignore[arg-type]
    tier_from = None
    if "tier" in given and v.get("tier") and v["tier"] != target.tier:
        tier_from = target.tier
        change("tier", v["tier"], "tier", target.tier, v["tier"])
        change("tier_source", TierSource.MANUAL.value, "tier_source", target.tier_source,
               TierSource.MANUAL.value)
        change("tier_set_by_id", actor.user_id)
        change("tier_reason", tier_reason(file_name))
    for key in CONSENT_KEYS:  # 是 / 否 given and unlike the current state: a ledger entry
        if key in given and v.get(key) is not None and v[key] != getattr(target, key):
            change(key, v[key], key, getattr(target, key), v[key])
    new_tags = None
    if "tags" in given:
        wanted = list(v.get("tags") or [])
        if hidden:
            wanted += [n for n in stored_tags if n in masking.SENSITIVE_TAGS and n not in wanted]
        if {n.casefold() for n in wanted} != {n.casefold() for n in stored_tags}:
            new_tags = wanted
            changes["tags"] = [sorted(stored_tags), sorted(wanted)]
    if not values and new_tags is None:
        return None
    return UpdateItem(row=row.row, customer_id=target.id, version=target.version,
                      values=values, before=before, changes=changes, tags=new_tags,
                      tags_before=list(stored_tags), tier_from=tier_from,
                      reindex="name" in values or "company" in values)


# ---- planning and writing, chunk by chunk --------------------------------------------------------

def _issues_of(header_for: Callable[[str | None], str | None], row: int,
               errors: Iterable[FieldError]) -> list[Issue]:
    return [Issue(e.key, dict(e.params), row, header_for(e.field), e.field, e) for e in errors]


_SAME_AS_ROW: Final = "excel.duplicate.row"
_PICK: Final = itemgetter(*VALUE_KEYS)
_MANUAL: Final = TierSource.MANUAL.value
_RULE: Final = TierSource.RULE.value


class CustomerImport:
    """Decides every row (new, update, duplicate, rejected) and, with ``write``, writes it,
    a chunk of rows at a time in file order.

    Why in chunks: a large file is validated in a child process while this one matches and
    writes the chunks already checked. The outcome is the same as deciding the whole file
    against the database as it was before the import: keys of earlier rows are remembered
    (``seen``), customers already taken by an earlier row stay taken (``claimed``), and the
    old keys of customers this import updated are remembered too (``pre_keys``), so a later
    row with a customer's old 手机号 still finds that customer.
    """

    def __init__(self, session: Session, actor: Actor, settings: Settings, file_name: str,
                 on_duplicate: OnDuplicate, header_for: Callable[[str | None], str | None], *,
                 write: bool = False, import_id: int | None = None,
                 given_numbers: Iterable[str] = (), today: date | None = None,
                 progress: ProgressFn | None = None, total: int = 0) -> None:
        self.session = session
        self.actor = actor
        self.settings = settings
        self.file_name = file_name
        self.on_duplicate = on_duplicate
        self.header_for = header_for
        self.write = write
        self.import_id = import_id
        self.given_numbers = {str(n).strip().upper() for n in given_numbers}
        self.today = today
        self.notify = progress or (lambda stage, done, total: None)
        self.total = total
        self.outcomes: list[RowOutcome] = []
        self.inserted_ids: list[int] = []
        self.updates: list[dict[str, Any]] = []
        self.seen: dict[tuple[str, str], int] = {}
        self.claimed: dict[int, int] = {}
        self.pre_keys: dict[tuple[str, str], int] = {}
        self.tag_ids: dict[str, int] = {}
        self.derived: dict[str | None, tiers.Derived] = {}
        self.stamp = clock.now()
        self.done = 0
        self.pending_grams: Postings = {}
        self.pending_customers = 0
        self.hidden = probes.hidden_keys(actor)
        self.matched: set[str] = set()
        """Digests (``probes.digest``) of the hidden-key values that found a customer."""
        self.held: list[CheckedCustomer] = []

    # -- deciding --

    def _hits(self, keys: Sequence[tuple[str, str]], matches: Matches) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for key, value in keys:
            for cid in matches.by_key[key].get(value, ()):
                found.setdefault(cid, []).append(key)
            cid = self.pre_keys.get((key, value))
            if cid is not None and key not in found.get(cid, ()):
                found.setdefault(cid, []).append(key)
        return found

    def _decide(self, row: CheckedCustomer, keys: Sequence[tuple[str, str]],
                hits: dict[int, list[str]], matches: Matches
                ) -> tuple[RowOutcome, Row[Any] | None, frozenset[str]]:
        """The outcome of one row that passed validation (update: its target and fields)."""
        header_for = self.header_for
        earlier = [(self.seen[k], k[0]) for k in keys if k in self.seen]
        if earlier:
            first = min(r for r, _ in earlier)
            return RowOutcome(row.row, Status.DUPLICATE, (Issue(_SAME_AS_ROW, {
                "row": first, "fields": [field_label(f) for r, f in earlier if r == first]},
                row.row),)), None, row.given
        if self.hidden and any(all(k in self.hidden for k in found) for found in hits.values()):
            return self._held(row, matches), None, row.given
        claimed_by = min((self.claimed[cid] for cid in hits if cid in self.claimed), default=None)
        if claimed_by is not None:
            return RowOutcome(row.row, Status.DUPLICATE, (Issue(_SAME_AS_ROW, {
                "row": claimed_by, "fields": [field_label(f) for cid in hits
                                              if self.claimed.get(cid) == claimed_by
                                              for f in hits[cid]]}, row.row),)), None, row.given
        target = matches.stored.get(next(iter(hits))) if len(hits) == 1 else None
        given = row.given
        problems: list[FieldError] = []
        for d in row.deferred:
            if _lifted(d.reason, d.field, d.hint, target, self.settings):
                if d.reason in ("masked", "manager") and d.field:
                    given = given - {d.field}  # the customer's own value: keep it
            elif d.error is not None:
                problems.append(d.error)
        number = row.values.get("customer_no")
        if number and number in matches.deleted_numbers:
            problems.append(FieldError("customer_no", "records.error.customer_no_deleted",
                                       {"value": number}))
        if problems:
            return RowOutcome(row.row, Status.REJECTED,
                              tuple(_issues_of(header_for, row.row, problems))), None, given
        if not hits:
            return RowOutcome(row.row, Status.NEW), None, given
        found = [_match_issue(matches.stored[cid], fields) for cid, fields in hits.items()
                 if cid in matches.stored]
        if self.on_duplicate == "skip":
            return RowOutcome(row.row, Status.DUPLICATE, (Issue(
                "excel.duplicate.existing", {"matches": found}, row.row),),
                next(iter(hits))), None, given
        if target is None:
            return RowOutcome(row.row, Status.REJECTED, (Issue(
                "excel.duplicate.ambiguous", {"matches": found}, row.row),)), None, given
        if number and number != target.customer_no:
            return RowOutcome(row.row, Status.REJECTED, (Issue(
                "excel.duplicate.number_conflict",
                {"field": field_label("customer_no"), "value": shown(number),
                 "name": target.name, "customer_no": target.customer_no}, row.row,
                header_for("customer_no"), "customer_no"),)), None, given
        problem = _type_problem(row, target, given)
        if problem is not None:
            return RowOutcome(row.row, Status.REJECTED,
                              tuple(_issues_of(header_for, row.row, [problem]))), None, given
        return RowOutcome(row.row, Status.UPDATE, (), target.id), target, given

    def _held(self, row: CheckedCustomer, matches: Matches) -> RowOutcome:
        """A row matching a customer only through a key this user may not see: rejected for
        exactly the reasons it would be with no match at all (so the rejections say nothing
        about the match), else held, with no customer named."""
        problems = [d.error for d in row.deferred if d.error is not None]
        number = row.values.get("customer_no")
        if number and number in matches.deleted_numbers:
            problems.append(FieldError("customer_no", "records.error.customer_no_deleted",
                                       {"value": number}))
        if problems:
            return RowOutcome(row.row, Status.REJECTED,
                              tuple(_issues_of(self.header_for, row.row, problems)))
        return RowOutcome(row.row, Status.HELD)

    def _note_match(self, keys: Sequence[tuple[str, str]], matches: Matches) -> None:
        for key, value in keys:
            if key in self.hidden and (matches.by_key[key].get(value) or
                                       (key, value) in self.pre_keys):
                self.matched.add(probes.digest(key, value))

    def feed(self, rows: Sequence[CheckedCustomer], grams: GramPositions | None = None) -> None:
        """Decide (and write) the next rows of the file; ``grams``: their search grams by
        position in ``rows`` (``services.excel.rows.grams_for_writing``), when the parsing child
        made them; otherwise they are made here."""
        session = self.session
        keys_of = {id(r): row_keys(r) for r in rows if not r.errors}
        matches = load_matches(session, keys_of.values())
        outcomes: list[RowOutcome] = []
        new: list[CheckedCustomer] = []
        new_at: list[int] = []
        candidates: list[tuple[int, CheckedCustomer, Row[Any], frozenset[str]]] = []
        for position, row in enumerate(rows):
            if row.errors:
                outcomes.append(RowOutcome(row.row, Status.REJECTED, tuple(_issues_of(
                    self.header_for, row.row,
                    [*row.errors, *(d.error for d in row.deferred if d.error is not None)]))))
                continue
            keys = keys_of[id(row)]
            hits = self._hits(keys, matches)
            outcome, target, given = self._decide(row, keys, hits, matches)
            outcomes.append(outcome)
            if outcome.status is Status.REJECTED or outcome.issues and \
                    outcome.issues[0].key == _SAME_AS_ROW:
                continue  # not this row's customer to claim
            if outcome.status is Status.HELD:  # a file's own keys, as for a new row
                self._note_match(keys, matches)
                self.held.append(row)
                for k in keys:
                    self.seen.setdefault(k, row.row)
                continue
            for k in keys:
                self.seen.setdefault(k, row.row)
            for cid in hits:
                self.claimed.setdefault(cid, row.row)
            if outcome.status is Status.NEW:
                new.append(row)
                new_at.append(position)
            elif outcome.status is Status.UPDATE:
                assert target is not None
                candidates.append((len(outcomes) - 1, row, target, given))
        items = self._diffs(candidates, outcomes)
        self.outcomes.extend(outcomes)
        if self.write:
            ids = self._write(new, items)
            ids_at: Sequence[int | None] = ids
            if grams is None:
                grams = search_index.gram_positions(
                    (r.values.get("name"), r.values.get("company")) for r in new)
            else:  # positions in ``rows``: only the new ones get rows
                ids_at = [None] * len(rows)
                for position, cid in zip(new_at, ids, strict=True):
                    ids_at[position] = cid
            self._index(search_index.postings_at(grams, ids_at), len(new))
        if rows:  # rows seen so far: the Excel row of the last one, less the header
            self.done = max(self.done, rows[-1].row - 1)
        self.notify(self.stage, min(self.done, self.total), self.total)

    def _diffs(self, candidates: list[tuple[int, CheckedCustomer, Row[Any], frozenset[str]]],
               outcomes: list[RowOutcome]) -> list[UpdateItem]:
        """Turn update candidates into updates; those that change nothing are duplicates."""
        if not candidates:
            return []
        stored_tags = _stored_tags(self.session, [t.id for _, _, t, _ in candidates])
        names = _usernames(self.session, [t.account_manager_id for _, _, t, _ in candidates] +
                           [r.values.get("account_manager_id") for _, r, _, _ in candidates])
        items: list[UpdateItem] = []
        hidden = masking.hidden_ids(self.session, self.actor, (t.id for _, _, t, _ in candidates))
        for index, row, target, given in candidates:
            item = diff_update(row, target, given, stored_tags.get(target.id, []), self.actor,
                               self.file_name, self.settings, names, target.id in hidden)
            if item is None:
                outcomes[index] = RowOutcome(row.row, Status.DUPLICATE, (Issue(
                    "excel.duplicate.unchanged", {"name": target.name,
                                                  "customer_no": target.customer_no},
                    row.row),), target.id)
            else:
                items.append(item)
        return items

    # -- writing --

    def _write(self, new: Sequence[CheckedCustomer], items: Sequence[UpdateItem]) -> list[int]:
        """Write the new customers (their ids returned, in order) and the updates."""
        names = [t for r in new for t in (r.values.get("tags") or [])]
        names += [t for u in items for t in (u.tags or [])]
        missing = [n for n in dict.fromkeys(names) if n.casefold() not in self.tag_ids]
        if missing:
            self.tag_ids.update(tag_ids_by_name(self.session, missing))
        ids = self._insert(new) if new else []
        self.inserted_ids.extend(ids)
        if items:
            self._write_grams()  # an update reindexes renamed customers: index complete first
            self.updates.extend(_apply_updates(self.session, self.actor, items, self.tag_ids,
                                               self.import_id or 0, self.stamp))
            self._consent([(i.customer_id, PURPOSE_OF[key].value, i.values[key])
                           for i in items for key in CONSENT_KEYS if key in i.values])
            for item in items:
                for column, key in (("mobile", "mobile"), ("email", "email"),
                                    ("id_number_hash", "id_number")):
                    old = item.before.get(column)
                    if column in item.before and old:
                        self.pre_keys.setdefault((key, old), item.customer_id)
        return ids

    def _insert(self, rows: Sequence[CheckedCustomer]) -> list[int]:
        """The customers, their search grams, tags and first tier history."""
        session, actor, stamp = self.session, self.actor, self.stamp
        conn = session.connection()
        ids = allocate_ids(conn, Customer.__table__, len(rows))
        numbers = iter(issue_customer_numbers(
            session, sum(1 for r in rows if not r.values.get("customer_no")),
            self.given_numbers))
        reason = tier_reason(self.file_name)
        customer_rows: list[tuple[Any, ...]] = []
        consents: list[tuple[int, str, bool]] = []
        links: list[tuple[int, int]] = []
        tier_rows: list[tuple[Any, ...]] = []
        tag_ids = self.tag_ids
        for cid, row in zip(ids, rows, strict=True):
            v = row.values
            try:
                (number, name, ctype, gender, mobile, phone, email, id_number, company, title,
                 industry, province, city, address, manual, tag_names, manager, source,
                 notes, service, marketing) = _PICK(v)
            except KeyError:  # a row whose values lack a blank field: slower, same result
                (number, name, ctype, gender, mobile, phone, email, id_number, company, title,
                 industry, province, city, address, manual, tag_names, manager, source,
                 notes, service, marketing) = (v.get(k) for k in VALUE_KEYS)
            derived = self.derived.get(manual)
            if derived is None:
                derived = self.derived[manual] = tiers.initial_values(
                    Tier(manual) if manual else None, stamp, self.settings, self.today)
            source_kind = _MANUAL if manual else _RULE
            last4 = search_index.mobile_last4(mobile)
            enc = row.id_enc or (crypto.encrypt(id_number) if id_number else None)
            customer_rows.append((
                cid, number or next(numbers), name, ctype, gender, mobile, last4, phone, email,
                enc, row.id_hash, company, title, industry, province, city, address,
                derived.tier.value, source_kind, actor.user_id if manual else None,
                reason if manual else None, derived.lifecycle.value, derived.value_segment.value,
                manager, source, notes, stamp, actor.user_id, stamp, actor.user_id, 1,
                service, marketing))
            if service is not None:
                consents.append((cid, PURPOSE_OF["consent_service"].value, service))
            if marketing is not None:
                consents.append((cid, PURPOSE_OF["consent_marketing"].value, marketing))
            if tag_names:
                for tid in dict.fromkeys(tag_ids[n.casefold()] for n in tag_names
                                         if n.casefold() in tag_ids):
                    links.append((cid, tid))
            if manual or derived.tier != Tier.SILVER:
                tier_rows.append((cid, None, derived.tier.value, source_kind,
                                  actor.user_id if manual else None,
                                  reason if manual else tiers.RULE_REASON, stamp))
        with review_days.bulk_insert_counts(conn) as count:
            bulk_insert(conn, Customer.__table__, INSERT_COLUMNS, customer_rows)
            count({review_days.review_day(stamp): len(customer_rows)})
        bulk_insert(conn, customer_tags, ("customer_id", "tag_id"), links)
        bulk_insert(conn, TierChange.__table__, TIER_COLUMNS, tier_rows)
        self._consent(consents)
        return ids

    def _consent(self, entries: list[tuple[int, str, bool]]) -> None:
        """Ledger entries (channel 导入) for the 服务授权 / 营销授权 cells that set a state; the
        customer rows already hold it."""
        consent.bulk_record(self.session, self.actor, entries, import_id=self.import_id,
                            note=f"Excel 导入：{self.file_name}"[:consent.NOTE_MAX],
                            at=self.stamp, cache=False)

    def _index(self, postings: Postings, customers: int) -> None:
        """Add new customers' gram rows to the pending batch; write it once it is full."""
        pending = self.pending_grams
        for gram, ids in postings.items():
            held = pending.get(gram)
            if held is None:
                pending[gram] = ids
            else:
                held.extend(ids)
        self.pending_customers += customers
        if self.pending_customers >= GRAM_BATCH:
            self._write_grams()

    def _write_grams(self) -> None:
        if self.pending_grams:
            search_index.write_postings(self.session.connection(), self.pending_grams,
                                        conflicts=False)
        self.pending_grams = {}
        self.pending_customers = 0

    @property
    def stage(self) -> str:
        return "write" if self.write else "check"

    def finish(self) -> None:
        """After the last chunk: write the pending search grams, forget ORM state the bulk
        writes made stale."""
        if self.write:
            self._write_grams()
        self.notify(self.stage, self.total, self.total)
        if self.write:
            self.session.expire_all()


# ---- writing helpers ------------------------------------------------------------------------

def issue_customer_numbers(session: Session, count: int, exclude: set[str],
                           year: int | None = None) -> list[str]:
    """``count`` new 客户编号 ``C`` + year + 6 digits from the ``customer_no:YYYY`` counter,
    as ``services.customers.next_customer_no`` issues them one at a time: the counter moves by
    one UPDATE (locked until commit), numbers already taken (or given in the file) skipped."""
    if count <= 0:
        return []
    year = year or clock.today().year
    issued: list[str] = []
    while len(issued) < count:
        need = count - len(issued)
        top = numbering.advance(session, f"customer_no:{year}", need)
        numbers = [f"C{year}{value:06d}" for value in range(top - need + 1, top + 1)]
        taken = exclude & set(numbers)
        by_length: dict[int, list[str]] = defaultdict(list)
        for number in numbers:
            by_length[len(number)].append(number)
        for same in by_length.values():  # same width: string order is number order
            taken.update(session.scalars(select(Customer.customer_no).where(
                Customer.customer_no >= same[0], Customer.customer_no <= same[-1])))
        issued.extend(n for n in numbers if n not in taken)
    return issued


def tag_ids_by_name(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Tag id per case-folded name, creating missing tags (case-insensitively, like the form)."""
    distinct = list(dict.fromkeys(names))
    found: dict[str, int] = {}
    for part in chunks(distinct, 500):
        for tag in tags.get_or_create(session, list(part)):
            found.setdefault(tag.name.casefold(), tag.id)
    return {name.casefold(): found[name.casefold()] for name in distinct
            if name.casefold() in found}


def _json_safe(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _apply_updates(session: Session, actor: Actor, items: Sequence[UpdateItem],
                   tag_ids: Mapping[str, int], import_id: int, stamp: datetime
                   ) -> list[dict[str, Any]]:
    """One UPDATE ... WHERE id AND version per group of rows changing the same columns."""
    if not items:
        return []
    conn = session.connection()
    table = Customer.__table__
    groups: dict[tuple[str, ...], list[UpdateItem]] = defaultdict(list)
    for item in items:
        groups[tuple(sorted(item.values))].append(item)
    for columns, group in groups.items():
        stmt = update(table).where(table.c.id == bindparam("b_id"),
                                   table.c.version == bindparam("b_version")).values(
            {**{c: bindparam(f"b_{c}") for c in columns}, "version": table.c.version + 1,
             "updated_at": bindparam("b_stamp"), "updated_by_id": bindparam("b_user")})
        params = [{"b_id": i.customer_id, "b_version": i.version, "b_stamp": stamp,
                   "b_user": actor.user_id, **{f"b_{c}": i.values[c] for c in columns}}
                  for i in group]
        for part in chunks(params, 5000):
            result = conn.execute(stmt, list(part))
            if conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(part):
                raise ExcelActionError("excel.error.concurrent_change")
    ids = [i.customer_id for i in items]
    expected = {i.customer_id: i.version + 1 for i in items}
    for part in chunks(ids):
        for cid, version in session.execute(select(Customer.id, Customer.version)
                                            .where(Customer.id.in_(part))):
            if expected[cid] != version:
                raise ExcelActionError("excel.error.concurrent_change")
    retag = [i for i in items if i.tags is not None]
    for part in chunks([i.customer_id for i in retag]):
        conn.execute(delete(customer_tags).where(customer_tags.c.customer_id.in_(part)))
    links = []
    for item in retag:
        for tid in dict.fromkeys(tag_ids[n.casefold()] for n in item.tags or []
                                 if n.casefold() in tag_ids):
            links.append((item.customer_id, tid))
    bulk_insert(conn, customer_tags, ("customer_id", "tag_id"), links)
    reindex = [i for i in items if i.reindex]
    if reindex:
        rows = session.execute(select(Customer.id, Customer.name, Customer.company,
                                      Customer.mobile, Customer.mobile_last4).where(
            Customer.id.in_([i.customer_id for i in reindex]))).mappings().all()
        search_index.index_customers(conn, [dict(r) for r in rows], new=False)
    tier_rows = [(i.customer_id, i.tier_from, i.values["tier"], TierSource.MANUAL.value,
                  actor.user_id, i.values["tier_reason"], stamp)
                 for i in items if i.tier_from is not None]
    bulk_insert(conn, TierChange.__table__, TIER_COLUMNS, tier_rows)
    audit.insert_rows(session, [
        {"at": stamp, "user_id": actor.user_id, "username": actor.username,
         "action": "customer.import_update", "entity": "customer",
         "entity_id": str(i.customer_id), "changes": i.changes,
         "detail": {"version": i.version + 1, "import_id": import_id}} for i in items])
    return [{"id": i.customer_id, "row": i.row, "version": i.version + 1,
             "before": {k: _json_safe(v) for k, v in i.before.items()},
             **({"tags": i.tags_before} if i.tags is not None else {})} for i in items]
