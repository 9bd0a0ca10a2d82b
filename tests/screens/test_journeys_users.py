"""An admin edits a user's display name (the admin journey of issue 14 needed it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.vocab import Role
from db.models import AuditEntry, User
from services.access.audit_view import action_label
from services.access.roles import PermissionDenied
from services.access.users import UserError, change_display_name
from tests.support.factories import actor_for, make_user


def test_admin_renames_a_user_audited(db) -> None:
    admin = actor_for(make_user(db, "root", role=Role.ADMIN))
    clerk = make_user(db, "clerk1", role=Role.CLERK)
    change_display_name(db, admin, clerk.id, "  王芳  ")
    db.flush()
    assert db.get(User, clerk.id).display_name == "王芳"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "user.display_name")).one()
    assert entry.entity_id == str(clerk.id)
    assert entry.changes["display_name"][1] == "王芳"
    assert action_label("user.display_name", "zh") == "修改用户显示名称"
    # Unchanged or blank: nothing written, the name kept.
    change_display_name(db, admin, clerk.id, "王芳")
    change_display_name(db, admin, clerk.id, "   ")
    db.flush()
    assert db.get(User, clerk.id).display_name == "王芳"
    assert db.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.display_name")).all() == [entry]


def test_rename_refusals(db) -> None:
    admin = actor_for(make_user(db, "root", role=Role.ADMIN))
    manager = make_user(db, "boss", role=Role.MANAGER)
    with pytest.raises(UserError) as err:
        change_display_name(db, admin, manager.id, "长" * 51)
    assert err.value.key == "users.error.display_name_long"
    with pytest.raises(UserError) as err:
        change_display_name(db, admin, manager.id, "王\x00芳")
    assert err.value.key == "input.users.display_name_control"
    with pytest.raises(UserError) as err:
        change_display_name(db, admin, 999_999, "无人")
    assert err.value.key == "users.error.not_found"
    with pytest.raises(PermissionDenied):
        change_display_name(db, actor_for(manager), manager.id, "自己改名")
    assert db.get(User, manager.id).display_name != "自己改名"
