"""What a snapshot restore must not take away (issue 17), one mechanism for every restore:
the 首页's 培训快照 restore and a class's reset alike.

A snapshot is the whole database, users and classes included, so restoring one as it stands
would lock out trainees made since (and anyone whose password changed), drop classes and
lose course progress. So before a restore the accounts (every user as it is now, passwords
included), every class and every user's course rows are read; right after the snapshot's
data is in, and before the restore's audit entries (which name the restoring user, who may
be newer than the snapshot), they are written back. A class reset may leave out the course
rows of its own trainees (progress cleared).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, Engine, Table, delete, insert, select, text, update

from core import logs
from db.models import (
    CourseFeedback,
    CourseProgress,
    CourseQuizResult,
    TrainingClass,
    TrainingMistake,
    User,
)
from services.access.roles import Actor

COURSE_TABLES: Final[tuple[Table, ...]] = (
    CourseProgress.__table__, CourseQuizResult.__table__, CourseFeedback.__table__,
    TrainingMistake.__table__)  # type: ignore[assignment]
"""A user's course rows: kept by a restore, cleared for a class by its reset if asked."""

CLASSES: Final[Table] = TrainingClass.__table__  # type: ignore[assignment]
USERS: Final[Table] = User.__table__  # type: ignore[assignment]


@dataclass
class Kept:
    """The accounts, classes and course rows as they were just before a restore."""

    classes: list[dict[str, Any]]
    users: list[dict[str, Any]]
    course: dict[str, list[dict[str, Any]]]


def read_kept(conn: Connection) -> Kept:
    """Every user, every class and every course row, read before the database is emptied."""
    users = [dict(r._mapping) for r in conn.execute(select(USERS).order_by(USERS.c.id))]
    course = {t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c.id))]
              for t in COURSE_TABLES}
    classes = [dict(r._mapping) for r in conn.execute(select(CLASSES).order_by(CLASSES.c.id))]
    return Kept(classes, users, course)


def place(conn: Connection, table: Table, row: dict[str, Any], key: str,
          values: dict[str, Any]) -> int:
    """Write ``values`` back as the row whose ``key`` (a unique name) matches, else under the
    row's old id when free, else under a new id; returns the id it has now."""
    found = conn.scalar(select(table.c.id).where(table.c[key] == row[key]))
    if found is not None:
        conn.execute(update(table).where(table.c.id == found).values(**values))
        return int(found)
    if conn.scalar(select(table.c.id).where(table.c.id == row["id"])) is None:
        conn.execute(insert(table).values(id=row["id"], **values))
        return int(row["id"])
    return int(conn.execute(insert(table).values(**values)).inserted_primary_key[0])


def write_back(conn: Connection, kept: Kept, clear_users: Iterable[int] = ()) -> int:
    """Put the kept classes, users and course rows into the restored database; the course
    rows of ``clear_users`` (ids as read) are left out. Returns the number of rows left out.

    Classes first (a user points at its class), their ``created_by`` set once the users are
    back (a class may be made by a user newer than the snapshot)."""
    class_ids: dict[int, int] = {}
    for row in kept.classes:
        values = {k: v for k, v in row.items() if k not in ("id", "created_by")}
        class_ids[row["id"]] = place(conn, CLASSES, row, "name", values)
    user_ids: dict[int, int] = {}
    for row in kept.users:
        values = {k: v for k, v in row.items() if k != "id"}
        values["training_class_id"] = class_ids.get(row["training_class_id"])
        user_ids[row["id"]] = place(conn, USERS, row, "username", values)
    for row in kept.classes:
        conn.execute(update(CLASSES).where(CLASSES.c.id == class_ids[row["id"]]).values(
            created_by=user_ids.get(row["created_by"])))
    now_ids = sorted(set(user_ids.values()))
    clear = set(clear_users)
    cleared = 0
    for table in COURSE_TABLES:
        if now_ids:
            conn.execute(delete(table).where(table.c.user_id.in_(now_ids)))
        rows = []
        for row in kept.course[table.name]:
            if row["user_id"] in clear:
                cleared += 1
                continue
            values = {k: v for k, v in row.items() if k != "id"}
            values["user_id"] = user_ids[row["user_id"]]
            if "class_id" in values and values["class_id"] is not None:
                values["class_id"] = class_ids.get(values["class_id"])
            rows.append(values)
        if rows:
            conn.execute(insert(table), rows)
    if conn.dialect.name == "postgresql":  # rows written under their old ids
        for table in (CLASSES, USERS):
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))
    return cleared


def as_restored(conn: Connection, actor: Actor) -> Actor:
    """The actor as the restored database knows them (by username: a kept account may have a
    new id); one it does not hold is named by username only."""
    if actor.user_id is None:
        return actor
    found = conn.scalar(select(USERS.c.id).where(USERS.c.username == actor.username))
    return dataclasses.replace(actor, user_id=None if found is None else int(found))


def rescue(engine: Engine, kept: Kept) -> None:
    """After a failed restore: write the kept rows back if the tables are there (an untouched
    database gets the same rows again); log, never mask the first error."""
    try:
        with engine.begin() as conn:
            write_back(conn, kept)
    except Exception as exc:  # the restore's own error is the one raised
        logs.error("training.restore.rescue", exc)


__all__ = ["COURSE_TABLES", "Kept", "as_restored", "read_kept", "rescue", "write_back"]
