"""What a manifest states about a database, read in one snapshot (one connection/transaction).

Shared by ``backup`` (reading the copy, or the exported PostgreSQL snapshot) and ``restore``
(reading what was restored), so that both sides count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, inspect, select, table, text

from services.access.keys import FACT_KEYS
from services.system import database_facts

SKIPPED_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})
EMPTY_ALLOWED = frozenset({"alembic_version", "database_facts", "audit_chain_head"})
"""Tables a database counts as empty with: what ``init-db`` writes (schema revision, key
fingerprints, the audit chain's empty head), never customer data."""


@dataclass(frozen=True)
class Facts:
    tables: dict[str, int]
    schema_revision: str
    key_fingerprints: dict[str, str]
    audit_head: dict[str, Any]


def table_names(conn: Connection) -> list[str]:
    """Every table of the connection's schema (SQLite's own tables left out)."""
    return sorted(n for n in inspect(conn).get_table_names()
                  if n not in SKIPPED_TABLES and not n.startswith("sqlite_"))


def count_rows(conn: Connection) -> dict[str, int]:
    return {name: int(conn.scalar(select(func.count()).select_from(table(name))) or 0)
            for name in table_names(conn)}


def schema_revision(conn: Connection, names: list[str] | None = None) -> str:
    names = table_names(conn) if names is None else names
    if "alembic_version" not in names:
        return ""
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(rows))


def read_facts(conn: Connection) -> Facts:
    names = table_names(conn)
    fingerprints: dict[str, str] = {}
    head: dict[str, Any] = {"seq": 0, "hash": ""}
    if "database_facts" in names:
        for key_name, fact in FACT_KEYS.items():
            value = database_facts.get_fact(conn, fact)
            if value:
                fingerprints[key_name] = value
    if "audit_chain_head" in names:
        row = conn.execute(text("SELECT seq, hash FROM audit_chain_head WHERE id = 1")).first()
        if row is not None:
            head = {"seq": int(row[0]), "hash": str(row[1])}
    return Facts(tables=count_rows(conn), schema_revision=schema_revision(conn, names),
                 key_fingerprints=fingerprints, audit_head=head)


def non_empty_tables(conn: Connection) -> dict[str, int]:
    """Tables holding rows that make a database not empty (restore refuses it)."""
    return {name: n for name, n in count_rows(conn).items()
            if n and name not in EMPTY_ALLOWED}


__all__ = ["EMPTY_ALLOWED", "Facts", "count_rows", "non_empty_tables", "read_facts",
           "schema_revision", "table_names"]
