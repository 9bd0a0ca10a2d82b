"""SQLite: copies through the online backup API, never a file copy.

A file copy of a live WAL database misses whatever is still in the ``-wal`` file (the five
newest customers, in the issue) and can catch a page half written. ``sqlite3.Connection.backup``
with one step (``pages=-1``) reads the whole database in one read transaction: a consistent
snapshot, while other processes go on writing (WAL lets readers and the writer run together).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url


def database_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL (in-memory databases cannot be backed up)."""
    path = make_url(url).database
    if not path or path == ":memory:":
        raise ValueError("an in-memory SQLite database has no file to back up")
    return Path(path)


def online_copy(source: Path, dest: Path) -> None:
    """Copy the live database ``source`` into the new file ``dest`` in one snapshot, and make
    the copy a self-contained file (rollback journal, no ``-wal`` beside it)."""
    src = sqlite3.connect(source, timeout=60)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def install(source: Path, target: Path) -> None:
    """Write the (checked, closed) copy ``source`` into the database file ``target`` through
    the backup API: one write transaction on the target, so a connection the app holds open
    sees the old content or the new, never a mix; afterwards WAL as ``db.engine`` sets it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target, timeout=60)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()


@contextlib.contextmanager
def plain_engine(path: Path) -> Iterator[Engine]:
    """An engine on a copy without the app's pragmas (they would switch it to WAL)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


def remove_with_sidecars(path: Path) -> None:
    for extra in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{extra}").unlink()


__all__ = ["database_path", "install", "online_copy", "plain_engine", "remove_with_sidecars"]
