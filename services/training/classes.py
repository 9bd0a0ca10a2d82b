"""Classes of trainees on the demo database (issue 17): a trainer creates N clerk accounts in
one step, hands out a printed sheet of their logins, and resets the class's demo data.

- A trainee is a user with ``training_class_id`` (role clerk). Trainees exist only on a demo
  database: creating a class needs ``Perm.RUN_CLASS`` (trainer, admin; demo database only) and
  the demo stamp read again here; a trainee's login is refused on any other database.
- Passwords are generated here and returned once (for the login sheet); only their hashes are
  stored, so the sheet cannot be made again: ``reset_passwords`` makes new ones.
- A class expires (``expires_at``: the end of the chosen day, in the configured zone) or is
  closed; then its trainees cannot log in, and are deactivated by ``expire_classes``
  (``manage.py expire-classes``) or at their next login attempt (``services.access.auth``).
- A reset puts the class's starting snapshot back (``services.training.snapshots``), which
  like every snapshot restore keeps every class, every account as it is now (passwords
  included) and the course rows (``services.training.kept``); those of the reset class's
  trainees only when the trainer keeps progress.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import (
    Connection,
    Engine,
    case,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from core.clock import LOCAL_TZ, now, today
from core.errors import CatalogError
from core.vocab import Role
from db.models import (
    TrainingClass,
    User,
)
from services.access import audit
from services.access.passwords import hash_password
from services.access.roles import Actor, Perm, PermissionDenied
from services.access.secrets import Secrets
from services.demo import DATASETS, reset_demo
from services.system import database_facts
from services.training.kept import COURSE_TABLES, as_restored
from services.training.snapshots import (
    drop_class_snapshot,
    find_snapshot,
    restore_snapshot,
    save_snapshot,
)
from services.training.state import class_state

MAX_TRAINEES: Final = 60
MAX_DAYS: Final = 366
PASSWORD_ALPHABET: Final = "abcdefghjkmnpqrstuvwxyz23456789"
"""Easy to read off paper and type: no 0/o, 1/l/i."""
PASSWORD_LENGTH: Final = 10


class ClassError(CatalogError):
    """A refused class action (``classes.error.*``)."""


@dataclass(frozen=True)
class TraineeLogin:
    display_name: str
    username: str
    password: str


@dataclass(frozen=True)
class LoginSheet:
    """What the printed sheet holds: shown once, right after it was made."""

    class_id: int
    class_name: str
    expires_at: datetime
    logins: tuple[TraineeLogin, ...]


@dataclass(frozen=True)
class ClassRow:
    id: int
    name: str
    dataset: str
    snapshot_name: str | None
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    trainees: int
    active_trainees: int
    state: str  # open | expired | closed


@dataclass(frozen=True)
class ClassReset:
    class_name: str
    source: str  # the snapshot's name, or ``dataset:<name>``
    progress: str  # kept | cleared
    trainees: int
    cleared_rows: int
    seconds: float


# ---- rules ------------------------------------------------------------------------------------

def end_of_day(day: date) -> datetime:
    """The moment a class that runs through ``day`` ends: the next midnight where staff work."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), LOCAL_TZ)


def last_day(expires_at: datetime) -> date:
    """The last day a class runs (``expires_at`` is the midnight after it), where staff work."""
    return (expires_at - timedelta(microseconds=1)).astimezone(LOCAL_TZ).date()


def trainee_refusal(session: Session, user: User, stamp: datetime | None = None) -> str | None:
    """Why this trainee may not log in (``class_ended``, ``not_demo``), or None; None for a
    user who is not a trainee."""
    if user.training_class_id is None:
        return None
    if not database_facts.is_demo_database(session):
        return "not_demo"
    cls = session.get(TrainingClass, user.training_class_id)
    if cls is None or class_state(cls, stamp) != "open":
        return "class_ended"
    return None


def deactivate_trainee(session: Session, user: User, reason: str) -> None:
    """A trainee of an ended class found at login: deactivated there and then (audited)."""
    if not user.active:
        return
    stamp = now()
    session.execute(update(User).where(User.id == user.id).values(
        active=False, sessions_revoked_at=stamp, updated_at=stamp)
        .execution_options(synchronize_session=False))
    audit.record(session, None, "training.trainee_deactivate", "user", user.id,
                 username=user.username, changes={"active": [True, False]},
                 detail={"class_id": user.training_class_id, "reason": reason})


def current_dataset(conn: Session | Connection) -> str:
    """The dataset the demo database holds, as the seeder recorded it (a database seeded
    before datasets: the first, ``general``)."""
    value = database_facts.demo_dataset(conn)
    return value if value in DATASETS else DATASETS[0]


def _require_demo(session: Session | Connection, actor: Actor) -> None:
    """The right and the stamp, both: trainees exist only on a demo database."""
    actor.require(Perm.RUN_CLASS)
    if not database_facts.is_demo_database(session):
        raise PermissionDenied(Perm.RUN_CLASS, actor.role)


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def _clean_name(name: str) -> str:
    from services.customers.validation import control_char_error

    name = (name or "").strip()
    if not name:
        raise ClassError("classes.error.name_needed")
    if len(name) > 50:
        raise ClassError("classes.error.name_long", max=50)
    if control_char_error(None, name) is not None:
        raise ClassError("classes.error.name_control")
    return name


def _username(session: Session, class_id: int, n: int) -> str:
    """``c<class>-<nn>``; a letter is added in the rare case an account already has it."""
    base = f"c{class_id}-{n:02d}"
    for suffix in ("", *"abcdefghjk"):
        candidate = base + suffix
        if session.scalar(select(User.id).where(User.username == candidate)) is None:
            return candidate
    raise ClassError("classes.error.username_taken", username=base)


def _trainees(session: Session, class_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.training_class_id == class_id)
                                .order_by(User.id)))


def _get_class(session: Session, class_id: int) -> TrainingClass:
    cls = session.get(TrainingClass, class_id)
    if cls is None:
        raise ClassError("classes.error.not_found")
    return cls


# ---- create, list, passwords, close, expire --------------------------------------------------

def create_class(engine: Engine, actor: Actor, name: str, trainees: int, last_day: date,
                 keys: Secrets, *, snapshot_root: Path | None = None) -> LoginSheet:
    """A class of ``trainees`` clerk accounts (学员01 …) valid through ``last_day``, starting
    from a snapshot of the demo data as it is now; returns the logins, passwords in clear,
    for the one sheet that will ever show them."""
    with Session(engine) as session:
        _require_demo(session, actor)
        name = _clean_name(name)
        if not 1 <= int(trainees) <= MAX_TRAINEES:
            raise ClassError("classes.error.count", max=MAX_TRAINEES)
        if not today() <= last_day <= today() + timedelta(days=MAX_DAYS):
            raise ClassError("classes.error.expiry", max=MAX_DAYS)
        if session.scalar(select(TrainingClass.id).where(TrainingClass.name == name)):
            raise ClassError("classes.error.name_taken", name=name)
        dataset = current_dataset(session)
        number = int(session.scalar(select(func.coalesce(func.max(TrainingClass.id), 0))) or 0)
    # The starting snapshot first: if it cannot be saved, no class is left half made.
    snapshot = save_snapshot(engine, f"class-{number + 1}-{int(time.time())}", keys, actor,
                             root=snapshot_root)
    stamp = now()
    with Session(engine) as session:
        cls = TrainingClass(name=name, dataset=dataset, snapshot_name=snapshot.name,
                            created_by=actor.user_id, created_at=stamp,
                            expires_at=end_of_day(last_day))
        session.add(cls)
        session.flush()
        logins = []
        for n in range(1, int(trainees) + 1):
            password = new_password()
            user = User(username=_username(session, cls.id, n), display_name=f"学员{n:02d}",
                        role=Role.CLERK.value, password_hash=hash_password(password),
                        active=True, training_class_id=cls.id, password_changed_at=stamp,
                        created_at=stamp, updated_at=stamp)
            session.add(user)
            session.flush()
            logins.append(TraineeLogin(user.display_name, user.username, password))
        audit.record(session, actor, "training.class_create", "training_class", cls.id,
                     detail={"class": name, "trainees": len(logins),
                             "expires": last_day.isoformat(), "dataset": dataset,
                             "snapshot": snapshot.name})
        session.commit()
        return LoginSheet(cls.id, cls.name, cls.expires_at, tuple(logins))


def list_classes(session: Session, actor: Actor) -> list[ClassRow]:
    """Every class, newest first, with its trainee counts."""
    _require_demo(session, actor)
    active = func.sum(case((User.active.is_(True), 1), else_=0))
    counts = {row[0]: (int(row[1]), int(row[2] or 0)) for row in session.execute(
        select(User.training_class_id, func.count(), active)
        .where(User.training_class_id.is_not(None)).group_by(User.training_class_id))}
    stamp = now()
    return [ClassRow(c.id, c.name, c.dataset, c.snapshot_name, c.created_at, c.expires_at,
                     c.closed_at, *counts.get(c.id, (0, 0)), class_state(c, stamp))
            for c in session.scalars(select(TrainingClass).order_by(TrainingClass.id.desc()))]


def class_names(session: Session) -> dict[int, str]:
    """Class names by id (the users page shows a trainee's class)."""
    return {int(i): str(n) for i, n in session.execute(
        select(TrainingClass.id, TrainingClass.name))}


def trainee_logins(session: Session, actor: Actor, class_id: int) -> list[tuple[str, str, bool]]:
    """``(display name, username, active)`` of the class's trainees (no passwords: none kept)."""
    _require_demo(session, actor)
    _get_class(session, class_id)
    return [(u.display_name, u.username, u.active) for u in _trainees(session, class_id)]


def reset_passwords(session: Session, actor: Actor, class_id: int) -> LoginSheet:
    """New passwords for every trainee of an open class (their sessions end); the new sheet."""
    _require_demo(session, actor)
    cls = _get_class(session, class_id)
    if class_state(cls) != "open":
        raise ClassError("classes.error.ended", name=cls.name)
    stamp = now()
    logins = []
    for user in _trainees(session, class_id):
        password = new_password()
        user.password_hash = hash_password(password)
        user.password_changed_at = user.sessions_revoked_at = user.updated_at = stamp
        logins.append(TraineeLogin(user.display_name, user.username, password))
    audit.record(session, actor, "training.class_passwords", "training_class", cls.id,
                 detail={"class": cls.name, "trainees": len(logins)})
    session.flush()
    return LoginSheet(cls.id, cls.name, cls.expires_at, tuple(logins))


def close_class(session: Session, actor: Actor, class_id: int, *,
                snapshot_root: Path | None = None) -> int:
    """Close a class now: its trainees are deactivated and logged out, and its starting
    snapshot removed unless an open class starts from it too. Returns the trainees' count."""
    _require_demo(session, actor)
    cls = _get_class(session, class_id)
    if cls.closed_at is not None:
        raise ClassError("classes.error.closed", name=cls.name)
    stamp = now()
    cls.closed_at = stamp
    count = _deactivate(session, [class_id], stamp)
    audit.record(session, actor, "training.class_close", "training_class", cls.id,
                 detail={"class": cls.name, "trainees": count})
    session.flush()
    drop_class_snapshot(session, actor, cls, root=snapshot_root)
    return count


def _deactivate(session: Session, class_ids: Sequence[int], stamp: datetime) -> int:
    result = session.execute(
        update(User).where(User.training_class_id.in_(class_ids), User.active.is_(True))
        .values(active=False, sessions_revoked_at=stamp, updated_at=stamp)
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def expire_classes(session: Session, actor: Actor | None, *,
                   snapshot_root: Path | None = None) -> dict[str, int]:
    """Deactivate the still-active trainees of every expired or closed class (one audit entry
    per class that had any), and remove the starting snapshots no open class needs:
    ``{class name: trainees deactivated}``. Never grants anything, so it needs no right; the
    command line runs it (cron)."""
    stamp = now()
    done: dict[str, int] = {}
    ended = list(session.scalars(select(TrainingClass).where(
        (TrainingClass.closed_at.is_not(None)) | (TrainingClass.expires_at <= stamp))))
    for cls in ended:
        count = _deactivate(session, [cls.id], stamp)
        if count:
            done[cls.name] = count
            audit.record(session, actor, "training.class_expire", "training_class", cls.id,
                         detail={"class": cls.name, "trainees": count})
    session.flush()
    for cls in ended:
        drop_class_snapshot(session, actor, cls, root=snapshot_root)
    return done


# ---- reset ------------------------------------------------------------------------------------

def reset_class(engine: Engine, actor: Actor, class_id: int, keys: Secrets | None, *,
                keep_progress: bool, snapshot_root: Path | None = None,
                dataset: str | None = None, customers: int = 2000) -> ClassReset:
    """The class's demo data back to its starting snapshot (or, with ``dataset``, freshly
    seeded demo data of that case dataset: ``services.demo.reset_demo``, which keeps users and
    classes); every class and trainee account stays as it is now, and the course progress of
    this class's trainees is kept or cleared.

    The restore replaces the database file (SQLite) or runs pg_restore (PostgreSQL), so it
    cannot share a transaction with the write-back: that is one transaction right after it,
    and runs also when the restore failed after emptying, so no account is lost."""
    started = time.perf_counter()
    with Session(engine) as session:
        _require_demo(session, actor)
        cls = _get_class(session, class_id)
        name, snapshot = cls.name, cls.snapshot_name
        if dataset is not None:
            return _reset_to_dataset(engine, actor, session, cls, dataset, keep_progress,
                                     started, customers)
        if not snapshot:
            raise ClassError("classes.error.no_snapshot", name=name)
    find_snapshot(snapshot, snapshot_root)  # refused before anything is read or emptied
    with Session(engine) as session:
        mine = [u.id for u in _trainees(session, class_id)]
    restored = restore_snapshot(engine, snapshot, keys, actor, root=snapshot_root,
                                clear_progress_of=() if keep_progress else mine)
    progress = "kept" if keep_progress else "cleared"
    with Session(engine) as session:
        new_id = session.scalar(select(TrainingClass.id).where(TrainingClass.name == name))
        seconds = round(time.perf_counter() - started, 3)
        audit.record(session, as_restored(session.connection(), actor), "training.class_reset",
                     "training_class", new_id, detail={
                         "class": name, "snapshot": snapshot, "progress": progress,
                         "trainees": len(mine), "cleared_rows": restored.cleared_rows,
                         "seconds": seconds})
        session.commit()
    return ClassReset(name, snapshot, progress, len(mine), restored.cleared_rows, seconds)


def _reset_to_dataset(engine: Engine, actor: Actor, session: Session, cls: TrainingClass,
                      dataset: str, keep_progress: bool, started: float,
                      customers: int) -> ClassReset:
    """Fresh demo data of ``dataset``: only the customer tables are replaced, so accounts and
    classes stay by themselves; the progress of the class's trainees is cleared if asked."""
    if dataset not in DATASETS:
        raise ClassError("classes.error.dataset", dataset=dataset)
    class_id, name = cls.id, cls.name
    session.close()
    reset_demo(engine, actor, customers=customers, dataset=dataset)
    with Session(engine) as session:
        mine = [u.id for u in _trainees(session, class_id)]
        cleared = 0
        if not keep_progress and mine:
            for table in COURSE_TABLES:
                result = session.execute(delete(table).where(table.c.user_id.in_(mine)))
                cleared += int(result.rowcount or 0)  # type: ignore[attr-defined]
        session.execute(update(TrainingClass).where(TrainingClass.id == class_id)
                        .values(dataset=dataset))
        seconds = round(time.perf_counter() - started, 3)
        progress = "kept" if keep_progress else "cleared"
        audit.record(session, actor, "training.class_reset", "training_class", class_id,
                     detail={"class": name, "dataset": dataset, "progress": progress,
                             "trainees": len(mine), "cleared_rows": cleared,
                             "seconds": seconds})
        session.commit()
    return ClassReset(name, f"dataset:{dataset}", progress, len(mine), cleared, seconds)


__all__ = ["COURSE_TABLES", "DATASETS", "MAX_TRAINEES", "ClassError", "ClassReset", "ClassRow",
           "LoginSheet", "TraineeLogin", "class_names", "class_state", "close_class",
           "create_class", "current_dataset", "deactivate_trainee", "end_of_day",
           "expire_classes", "last_day", "list_classes", "new_password", "reset_class",
           "reset_passwords", "trainee_logins", "trainee_refusal"]
