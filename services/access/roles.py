"""The role matrix of the spec, checked on the server side by every page and service action."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.vocab import Role


class Perm(StrEnum):
    VIEW_CUSTOMERS = "view_customers"
    EDIT_CUSTOMERS = "edit_customers"          # create and edit customers and their records
    REVEAL_CONTACT = "reveal_contact"          # 手机号 / 邮箱 in full, logged
    REVEAL_ID_NUMBER = "reveal_id_number"      # 证件号码 in full, logged
    IMPORT = "import"
    EXPORT_FULL = "export_full"
    EXPORT_MASKED = "export_masked"
    DASHBOARDS = "dashboards"
    DELETE_CUSTOMERS = "delete_customers"      # delete, restore, erase personal data
    MANAGE_USERS = "manage_users"              # users and settings
    READ_AUDIT = "read_audit"
    RESET_DEMO = "reset_demo"
    # Beyond the spec's table (issue 5): a manager's view of the team's work, and targets.
    TEAM_WORK = "team_work"                    # everyone's visits and complaints, reassign
    SET_TARGETS = "set_targets"                # renewal targets per period
    # Training (issue 17): the course pages, and a trainer's classes of trainees.
    COURSE = "course"                          # the course's chapters, quizzes, survey
    RUN_CLASS = "run_class"                    # create / reset classes, see their progress


# "demo database only" rights: granted only on a database that ``seed-demo`` stamped as a demo
# database (``services.system.database_facts``); no setting grants them.
_DEMO_ONLY: dict[Role, frozenset[Perm]] = {
    Role.TRAINER: frozenset({Perm.EDIT_CUSTOMERS, Perm.IMPORT, Perm.RESET_DEMO,
                             Perm.RUN_CLASS}),
    Role.ADMIN: frozenset({Perm.RESET_DEMO, Perm.RUN_CLASS}),
}

_ALWAYS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset({
        Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.REVEAL_CONTACT, Perm.REVEAL_ID_NUMBER,
        Perm.IMPORT, Perm.EXPORT_FULL, Perm.DASHBOARDS, Perm.DELETE_CUSTOMERS,
        Perm.MANAGE_USERS, Perm.READ_AUDIT, Perm.TEAM_WORK, Perm.SET_TARGETS, Perm.COURSE,
    }),
    Role.MANAGER: frozenset({
        Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.REVEAL_CONTACT, Perm.REVEAL_ID_NUMBER,
        Perm.IMPORT, Perm.EXPORT_FULL, Perm.DASHBOARDS, Perm.READ_AUDIT, Perm.TEAM_WORK,
        Perm.SET_TARGETS,
    }),
    Role.CLERK: frozenset({
        Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.REVEAL_CONTACT, Perm.IMPORT,
        Perm.EXPORT_MASKED,
    }),
    Role.TRAINER: frozenset({Perm.VIEW_CUSTOMERS, Perm.EXPORT_MASKED, Perm.DASHBOARDS,
                             Perm.COURSE}),
}

# A trainee (a clerk account of a training class, issue 17): the clerk's rights without the
# full personal numbers, plus the course; and only on a demo database (none elsewhere).
_TRAINEE_LESS: frozenset[Perm] = frozenset({Perm.REVEAL_CONTACT, Perm.REVEAL_ID_NUMBER})
_TRAINEE_MORE: frozenset[Perm] = frozenset({Perm.COURSE})


def permissions(role: Role | str, demo_mode: bool, trainee: bool = False) -> frozenset[Perm]:
    role = Role(role)
    if trainee:
        if not demo_mode:
            return frozenset()
        return (_ALWAYS[Role.CLERK] - _TRAINEE_LESS) | _TRAINEE_MORE
    perms = _ALWAYS[role]
    if demo_mode:
        perms = perms | _DEMO_ONLY.get(role, frozenset())
    return perms


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, or the command line acting as system administrator."""

    user_id: int | None
    username: str
    role: Role
    # Whether the database is a demo one (``database_facts.is_demo_database``), read by whoever
    # builds the actor; never taken from settings.
    demo_mode: bool = False
    # A trainee (``users.training_class_id`` set), read by whoever builds the actor.
    trainee: bool = False

    def can(self, perm: Perm) -> bool:
        return perm in permissions(self.role, self.demo_mode, self.trainee)

    def require(self, perm: Perm) -> None:
        if not self.can(perm):
            raise PermissionDenied(perm, self.role)


class PermissionDenied(Exception):
    """Raised by a service when the actor's role lacks the right; pages show ``message``."""

    def __init__(self, perm: Perm, role: Role) -> None:
        super().__init__(f"role {role} lacks permission {perm}")
        self.perm = perm
        self.role = role


def cli_actor(demo_mode: bool) -> Actor:
    return Actor(user_id=None, username="cli", role=Role.ADMIN, demo_mode=demo_mode)
