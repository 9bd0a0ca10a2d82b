"""The role matrix of the spec, and the user-admin services that enforce it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.vocab import Role
from db.models import AuditEntry, User
from services.access import audit
from services.access.roles import Actor, Perm, PermissionDenied, permissions
from services.access.users import (
    UserError,
    change_role,
    create_user,
    list_users,
    reset_password,
    set_active,
)
from tests.support.factories import actor_for, make_user

P = Perm
# The spec's table, written out again so a change to services.access.roles must be deliberate.
# TEAM_WORK and SET_TARGETS come from issue 5 (managers see the team's worklists, set targets);
# COURSE and RUN_CLASS from issue 17 (the course pages; a trainer's classes, demo only).
SPEC = {
    Role.ADMIN: {P.VIEW_CUSTOMERS, P.EDIT_CUSTOMERS, P.REVEAL_CONTACT, P.REVEAL_ID_NUMBER,
                 P.IMPORT, P.EXPORT_FULL, P.DASHBOARDS, P.DELETE_CUSTOMERS, P.MANAGE_USERS,
                 P.READ_AUDIT, P.TEAM_WORK, P.SET_TARGETS, P.COURSE},
    Role.MANAGER: {P.VIEW_CUSTOMERS, P.EDIT_CUSTOMERS, P.REVEAL_CONTACT, P.REVEAL_ID_NUMBER,
                   P.IMPORT, P.EXPORT_FULL, P.DASHBOARDS, P.READ_AUDIT, P.TEAM_WORK,
                   P.SET_TARGETS},
    Role.CLERK: {P.VIEW_CUSTOMERS, P.EDIT_CUSTOMERS, P.REVEAL_CONTACT, P.IMPORT,
                 P.EXPORT_MASKED},
    Role.TRAINER: {P.VIEW_CUSTOMERS, P.EXPORT_MASKED, P.DASHBOARDS, P.COURSE},
}
DEMO_EXTRA = {Role.ADMIN: {P.RESET_DEMO, P.RUN_CLASS},
              Role.TRAINER: {P.EDIT_CUSTOMERS, P.IMPORT, P.RESET_DEMO, P.RUN_CLASS}}
TRAINEE = {P.VIEW_CUSTOMERS, P.EDIT_CUSTOMERS, P.IMPORT, P.EXPORT_MASKED, P.COURSE}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix_matches_spec(role: Role) -> None:
    assert permissions(role, demo_mode=False) == SPEC[role]
    assert permissions(role, demo_mode=True) == SPEC[role] | DEMO_EXTRA.get(role, set())


def test_trainer_never_reveals_and_clerk_never_sees_id_numbers() -> None:
    for demo in (True, False):
        assert P.REVEAL_CONTACT not in permissions(Role.TRAINER, demo)
        assert P.REVEAL_ID_NUMBER not in permissions(Role.TRAINER, demo)
        assert P.REVEAL_ID_NUMBER not in permissions(Role.CLERK, demo)


def test_trainee_has_clerk_rights_without_full_numbers_plus_course_on_demo_only() -> None:
    assert permissions(Role.CLERK, demo_mode=True, trainee=True) == TRAINEE
    assert permissions(Role.CLERK, demo_mode=False, trainee=True) == frozenset()
    trainee = Actor(7, "c1-01", Role.CLERK, demo_mode=True, trainee=True)
    assert trainee.can(P.COURSE) and trainee.can(P.EDIT_CUSTOMERS)
    assert not trainee.can(P.REVEAL_CONTACT) and not trainee.can(P.REVEAL_ID_NUMBER)
    assert not trainee.can(P.RUN_CLASS)
    assert not Actor(7, "c1-01", Role.CLERK, demo_mode=False, trainee=True).can(
        P.VIEW_CUSTOMERS)


@pytest.mark.parametrize("role", list(Role))
def test_only_trainers_and_admins_run_classes_and_only_on_a_demo_database(role: Role) -> None:
    assert P.RUN_CLASS not in permissions(role, demo_mode=False)
    assert (P.RUN_CLASS in permissions(role, demo_mode=True)) == (role in (Role.TRAINER,
                                                                           Role.ADMIN))


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CLERK, Role.TRAINER])
def test_only_admins_manage_users(db, role: Role) -> None:
    user = make_user(db, "someone", role=role)
    actor = actor_for(user)
    with pytest.raises(PermissionDenied):
        create_user(db, actor, "newbie", "新人", Role.CLERK, "long-enough")
    with pytest.raises(PermissionDenied):
        list_users(db, actor)
    with pytest.raises(PermissionDenied):
        reset_password(db, actor, user.id, "long-enough")


@pytest.mark.parametrize("role,allowed", [(Role.ADMIN, True), (Role.MANAGER, True),
                                          (Role.CLERK, False), (Role.TRAINER, False)])
def test_audit_log_reading_follows_roles(db, role: Role, allowed: bool) -> None:
    actor = actor_for(make_user(db, "reader", role=role))
    if allowed:
        audit.query(db, actor, audit.AuditFilter())
    else:
        with pytest.raises(PermissionDenied):
            audit.query(db, actor, audit.AuditFilter())


def test_user_lifecycle_is_audited(db) -> None:
    admin = actor_for(make_user(db, "root", role=Role.ADMIN))
    user = create_user(db, admin, " NewClerk ", "新录入员", Role.CLERK, "long-enough")
    assert user.username == "newclerk"
    change_role(db, admin, user.id, Role.MANAGER)
    reset_password(db, admin, user.id, "another-long")
    set_active(db, admin, user.id, False)
    db.flush()
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(user.id))
                         .order_by(AuditEntry.id)).all()
    assert actions == ["user.create", "user.role", "user.password_reset", "user.deactivate"]
    assert db.get(User, user.id).active is False


def test_user_rules(db) -> None:
    admin_user = make_user(db, "root", role=Role.ADMIN)
    admin = actor_for(admin_user)
    with pytest.raises(UserError) as err:
        create_user(db, admin, "root", "x", Role.CLERK, "long-enough")
    assert err.value.key == "users.error.username_taken"
    with pytest.raises(UserError) as err:
        create_user(db, admin, "bad name!", "x", Role.CLERK, "long-enough")
    assert err.value.key == "users.error.username_format"
    with pytest.raises(UserError) as err:
        create_user(db, admin, "short", "x", Role.CLERK, "1234567")
    assert err.value.key == "users.error.password_short"
    # The last active administrator can neither be demoted nor deactivated.
    with pytest.raises(UserError):
        change_role(db, Actor(None, "cli", Role.ADMIN), admin_user.id, Role.CLERK)
    with pytest.raises(UserError):
        set_active(db, Actor(None, "cli", Role.ADMIN), admin_user.id, False)
    with pytest.raises(UserError) as err:
        set_active(db, admin, admin_user.id, False)
    assert err.value.key == "users.error.self_deactivate"
