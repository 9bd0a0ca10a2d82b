"""Customer tags: add and remove on one customer or in bulk, get-or-create by name, and the
administrator's rename and merge. Every change is audited; a bulk change is one audit row.

Tag names follow the record's validation (``services.customers.validation.split_tags``), so a tag
the form refuses, the import refuses too. Names match case-insensitively ("vip" finds "VIP"), so
the same tag is not created twice in two spellings.

Every change to a customer's tags bumps ``Customer.version``: the edit form carries the tag
list, and a form opened before the change must not silently put the old list back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, delete, func, literal, select, tuple_, update
from sqlalchemy.orm import Session

from core import clock
from core.errors import CatalogError
from db.bulk import chunks, insert_or_ignore
from db.models import Customer, Tag, customer_tags
from services.access import audit, masking
from services.access.roles import Actor, Perm
from services.customers.validation import FieldError, FieldValidationError, split_tags
from services.customers.visibility import refuse_erased


class TagError(CatalogError):
    """A refused tag action: a catalog key and its parameters, or the validation's FieldError."""

    def __init__(self, key: str, error: FieldError | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.error = error

    def message(self, lang: str = "zh") -> str:
        return self.error.message(lang) if self.error is not None else super().message(lang)


@dataclass(frozen=True)
class TagUsage:
    """A tag and how many live (not deleted) customers carry it."""

    id: int
    name: str
    count: int


# ---- helpers shared with the record's entry and editing --------------------------------------




def clean_names(value: object) -> list[str]:
    """Tag names from a cell, a form field or a list, by the record's validation rules."""
    try:
        return split_tags(value)
    except FieldValidationError as exc:
        raise TagError(exc.error.key, exc.error) from None


def get_or_create(session: Session, names: Sequence[str]) -> list[Tag]:
    """The tags of these (already clean) names, created if missing, in the given order.

    An existing tag matches case-insensitively, so "vip" finds "VIP" instead of adding a twin.
    """
    if not names:
        return []
    wanted = {name.casefold(): name for name in names}

    def existing() -> dict[str, Tag]:
        found: dict[str, Tag] = {}
        lowered = [n.lower() for n in names]
        for tag in session.scalars(select(Tag).where(
                func.lower(Tag.name).in_(lowered) | Tag.name.in_(list(names)))):
            found.setdefault(tag.name.casefold(), tag)
        return found

    found = existing()
    missing = [name for key, name in wanted.items() if key not in found]
    if missing:
        stamp = clock.now()
        insert_or_ignore(session, Tag.__table__,
                         [{"name": name, "created_at": stamp} for name in missing], ["name"])
        found = existing()
    return [found[name.casefold()] for name in names if name.casefold() in found]


def set_customer_tags(session: Session, customer: Customer, names: Sequence[str]) -> bool:
    """Give a loaded customer exactly these tags (for create and edit, which audit the change
    themselves). True if the set changed."""
    before = {tag.name for tag in customer.tags}
    tags = get_or_create(session, names)
    if {tag.name for tag in tags} == before:
        return False
    customer.tags = sorted(tags, key=lambda tag: tag.name)
    return True


def _live_ids(session: Session, customer_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(customer_ids))
    live: list[int] = []
    for part in chunks(ids):
        live.extend(session.scalars(select(Customer.id).where(
            Customer.id.in_(part), Customer.deleted_at.is_(None))))
    return sorted(live)


def _touch(session: Session, customer_ids: Sequence[int], actor: Actor | None) -> None:
    """Bump the version (and, for an edit by a person, who and when) of customers changed
    behind the ORM's back, and forget the stale copies this session holds."""
    if not customer_ids:
        return
    values: dict[str, object] = {"version": Customer.version + 1}
    if actor is not None:
        values.update(updated_at=clock.now(), updated_by_id=actor.user_id)
    for part in chunks(list(customer_ids)):
        session.execute(update(Customer.__table__).where(Customer.__table__.c.id.in_(part))
                        .values(values))
    wanted = set(customer_ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Customer) and obj.id in wanted:
            session.expire(obj, ["tags", "version", "updated_at", "updated_by_id"])


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id, populate_existing=True)
    if customer is None or customer.deleted_at is not None:
        raise TagError("tags.error.customer_not_found")
    return refuse_erased(customer)


# ---- one customer -----------------------------------------------------------------------------


def _change_one(session: Session, actor: Actor, customer_id: int, names: list[str],
                add: bool) -> list[str]:
    actor.require(Perm.EDIT_CUSTOMERS)
    customer = _customer(session, customer_id)
    before = [tag.name for tag in customer.tags]
    if add:
        target = before + [n for n in names
                           if n.casefold() not in {b.casefold() for b in before}]
    else:
        drop = {n.casefold() for n in masking.removable_tags(actor, names)}
        target = [b for b in before if b.casefold() not in drop]
    if not set_customer_tags(session, customer, target):
        return before
    customer.updated_at = clock.now()
    customer.updated_by_id = actor.user_id
    session.flush()
    after = [tag.name for tag in customer.tags]
    audit.record(session, actor, "customer.tags", "customer", customer.id,
                 changes={"tags": [sorted(before), sorted(after)]},
                 detail={"version": customer.version})
    return after


def add_tags(session: Session, actor: Actor, customer_id: int, tags: object) -> list[str]:
    """Add tags (one cell's worth, or a list) to a customer; returns the customer's tags."""
    names = clean_names(tags)
    if not names:
        raise TagError("tags.error.none_given")
    return _change_one(session, actor, customer_id, names, add=True)


def remove_tags(session: Session, actor: Actor, customer_id: int, tags: object) -> list[str]:
    """Remove tags from a customer (unknown ones are ignored); returns the customer's tags."""
    names = clean_names(tags)
    if not names:
        raise TagError("tags.error.none_given")
    return _change_one(session, actor, customer_id, names, add=False)


# ---- bulk -------------------------------------------------------------------------------------


def _existing_pairs(session: Session, ids: Sequence[int],
                    tag_ids: Sequence[int]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for part in chunks(ids):
        rows = session.execute(
            select(customer_tags.c.customer_id, customer_tags.c.tag_id).where(
                customer_tags.c.customer_id.in_(part),
                customer_tags.c.tag_id.in_(list(tag_ids))))
        pairs.update((int(cid), int(tid)) for cid, tid in rows)
    return pairs


def bulk_tag(session: Session, actor: Actor, customer_ids: Iterable[int],
             tags: object) -> int:
    """Add tags to many customers (deleted ones skipped); one audit row with the count and ids.
    Returns how many customers gained a tag."""
    actor.require(Perm.EDIT_CUSTOMERS)
    names = clean_names(tags)
    if not names:
        raise TagError("tags.error.none_given")
    ids = _live_ids(session, customer_ids)
    tag_rows = get_or_create(session, names)
    tag_ids = [tag.id for tag in tag_rows]
    have = _existing_pairs(session, ids, tag_ids)
    new = [{"customer_id": cid, "tag_id": tid} for cid in ids for tid in tag_ids
           if (cid, tid) not in have]
    if new:
        session.execute(customer_tags.insert(), new)
    affected = sorted({row["customer_id"] for row in new})
    _touch(session, affected, actor)
    audit.record(session, actor, "customer.bulk_tag", "customer", None,
                 changes={"tags": [None, [tag.name for tag in tag_rows]]},
                 detail={"count": len(affected), "ids": affected, "requested": len(ids)})
    return len(affected)


def bulk_untag(session: Session, actor: Actor, customer_ids: Iterable[int],
               tags: object) -> int:
    """Remove tags from many customers; one audit row. Returns how many customers lost one."""
    actor.require(Perm.EDIT_CUSTOMERS)
    names = clean_names(tags)
    if not names:
        raise TagError("tags.error.none_given")
    ids = _live_ids(session, customer_ids)
    names = masking.removable_tags(actor, names)
    if not names:
        return 0
    lowered = [n.lower() for n in names]
    tag_rows = list(session.scalars(select(Tag).where(
        func.lower(Tag.name).in_(lowered) | Tag.name.in_(names))))
    tag_ids = [tag.id for tag in tag_rows]
    have = sorted(_existing_pairs(session, ids, tag_ids)) if tag_ids else []
    for part in chunks(have):
        session.execute(delete(customer_tags).where(
            tuple_(customer_tags.c.customer_id, customer_tags.c.tag_id).in_(part)))
    affected = sorted({cid for cid, _ in have})
    _touch(session, affected, actor)
    audit.record(session, actor, "customer.bulk_untag", "customer", None,
                 changes={"tags": [[tag.name for tag in tag_rows], None]},
                 detail={"count": len(affected), "ids": affected, "requested": len(ids)})
    return len(affected)


# ---- administration ---------------------------------------------------------------------------


def list_tags(session: Session, actor: Actor) -> list[TagUsage]:
    """Every tag with the number of live customers carrying it, by name."""
    actor.require(Perm.VIEW_CUSTOMERS)
    live = select(customer_tags.c.tag_id, func.count().label("n")).join(
        Customer, Customer.id == customer_tags.c.customer_id).where(
        Customer.deleted_at.is_(None)).group_by(customer_tags.c.tag_id).subquery()
    rows = session.execute(
        select(Tag.id, Tag.name, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.tag_id == Tag.id).order_by(Tag.name)).all()
    return [TagUsage(id=i, name=n, count=int(c)) for i, n, c in rows]


def _tag(session: Session, tag_id: int) -> Tag:
    tag = session.get(Tag, tag_id)
    if tag is None:
        raise TagError("tags.error.not_found")
    return tag


def _bump_tagged(session: Session, tag_ids: Sequence[int]) -> int:
    """Bump the version of every customer carrying one of these tags; returns how many."""
    carriers = select(customer_tags.c.customer_id).where(customer_tags.c.tag_id.in_(
        list(tag_ids))).distinct()
    ids = list(session.scalars(carriers))
    _touch(session, ids, None)
    return len(ids)


def rename_tag(session: Session, actor: Actor, tag_id: int, new_name: str) -> Tag:
    """Rename a tag everywhere (administrators). A name another tag has is refused: merge."""
    actor.require(Perm.MANAGE_USERS)
    tag = _tag(session, tag_id)
    names = clean_names(new_name)
    if len(names) != 1:
        raise TagError("tags.error.one_name")
    name = names[0]
    if name == tag.name:
        return tag
    clash = session.scalar(select(Tag).where(func.lower(Tag.name) == name.lower(),
                                             Tag.id != tag.id))
    if clash is None:
        clash = session.scalar(select(Tag).where(Tag.name == name, Tag.id != tag.id))
    if clash is not None:
        raise TagError("tags.error.exists", name=clash.name)
    before = tag.name
    tag.name = name
    session.flush()
    _bump_tagged(session, [tag.id])
    audit.record(session, actor, "tag.rename", "tag", tag.id, changes={"name": [before, name]})
    return tag


def merge_tags(session: Session, actor: Actor, source_ids: Sequence[int],
               target_id: int) -> int:
    """Fold tags into one (administrators): their customers get the target tag, the source
    tags disappear. Returns how many customers carried a source tag."""
    actor.require(Perm.MANAGE_USERS)
    target = _tag(session, target_id)
    sources = [_tag(session, sid) for sid in dict.fromkeys(source_ids) if sid != target_id]
    if not sources:
        raise TagError("tags.error.merge_nothing")
    source_ids = [s.id for s in sources]
    touched = _bump_tagged(session, source_ids)
    already = select(customer_tags.c.customer_id).where(customer_tags.c.tag_id == target.id)
    move = select(customer_tags.c.customer_id).where(
        customer_tags.c.tag_id.in_(source_ids),
        customer_tags.c.customer_id.not_in(already)).distinct()
    session.execute(customer_tags.insert().from_select(
        ["customer_id", "tag_id"],
        select(move.subquery().c.customer_id, literal(target.id, Integer))))
    session.execute(delete(customer_tags).where(customer_tags.c.tag_id.in_(source_ids)))
    names = [s.name for s in sources]
    for source in sources:
        session.delete(source)
    session.flush()
    audit.record(session, actor, "tag.merge", "tag", target.id,
                 detail={"sources": names, "target": target.name, "customers": touched})
    return touched


def delete_unused_tag(session: Session, actor: Actor, tag_id: int) -> str:
    """Delete a tag no customer carries (administrators); returns its name. A tag on any
    customer, a deleted one included (a restore brings its tags back), is refused: merge it
    or untag first. The tag row is locked first, so a customer tagged with it meanwhile is
    seen (the tagger's link waits for, or is visible to, the count below)."""
    actor.require(Perm.MANAGE_USERS)
    tag = session.scalar(select(Tag).where(Tag.id == tag_id).with_for_update())
    if tag is None:
        raise TagError("tags.error.not_found")
    carriers = session.scalar(select(func.count()).select_from(customer_tags).where(
        customer_tags.c.tag_id == tag.id)) or 0
    if carriers:
        raise TagError("lists.tags.error.in_use", name=tag.name, n=carriers)
    name = tag.name
    session.delete(tag)
    session.flush()
    audit.record(session, actor, "tag.delete", "tag", tag_id, changes={"name": [name, None]})
    return name
