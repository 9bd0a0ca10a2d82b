"""Issue 14: an administrator can delete a tag no customer carries (audited); a tag in use,
even only by a deleted customer, is refused (merge or untag first)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.clock import now
from core.vocab import Role
from db.models import AuditEntry, Tag
from services.access.roles import PermissionDenied
from services.customers import tags as tag_service
from tests.support.app import logged_in
from tests.support.factories import actor_for, make_customer, make_user


def _tag(db, name: str) -> Tag:
    return tag_service.get_or_create(db, [name])[0]


def test_unused_tag_is_deleted_and_audited(db) -> None:
    admin = actor_for(make_user(db, "root", role=Role.ADMIN))
    tag = _tag(db, "旧活动")
    tag_service.delete_unused_tag(db, admin, tag.id)
    db.flush()
    assert db.get(Tag, tag.id) is None
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "tag.delete")).one()
    assert entry.entity_id == str(tag.id) and entry.changes == {"name": ["旧活动", None]}


def test_tag_in_use_is_refused_even_on_a_deleted_customer(db) -> None:
    admin = actor_for(make_user(db, "root", role=Role.ADMIN))
    customer = make_customer(db)
    tag_service.add_tags(db, admin, customer.id, "VIP")
    tag = db.scalars(select(Tag).where(Tag.name == "VIP")).one()
    with pytest.raises(tag_service.TagError) as err:
        tag_service.delete_unused_tag(db, admin, tag.id)
    assert err.value.key == "lists.tags.error.in_use"
    customer.deleted_at = now()
    db.flush()
    with pytest.raises(tag_service.TagError):
        tag_service.delete_unused_tag(db, admin, tag.id)
    assert db.get(Tag, tag.id) is not None


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CLERK, Role.TRAINER])
def test_only_administrators_delete_tags(db, role: Role) -> None:
    tag = _tag(db, "临时")
    with pytest.raises(PermissionDenied):
        tag_service.delete_unused_tag(db, actor_for(make_user(db, "x", role=role)), tag.id)


def test_tags_page_deletes_an_unused_tag(app_people, db) -> None:
    unused = _tag(db, "没人用")
    customer = make_customer(db)
    tag_service.add_tags(db, actor_for(app_people[Role.ADMIN]), customer.id, "在用")
    db.commit()
    at = logged_in(Role.ADMIN).run()
    at.switch_page("screens/admin/tags.py").run()
    picker = at.selectbox(key="tags_delete_pick")
    assert picker.options == ["没人用"]  # only unused ones are offered
    picker.set_value(unused.id)
    at.button(key="FormSubmitter:delete_tag-删除标签").click().run()
    assert not at.exception
    assert "没人用" not in at.dataframe[0].value.to_string()
    assert "在用" in at.dataframe[0].value.to_string()
