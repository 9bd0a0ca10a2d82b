"""Writing the generated rows: bulk writers (SQLite ``executemany``, PostgreSQL ``COPY``), one
chunk at a time, with chunk-local ids shifted to the database's; and the set-aside of
secondary indexes during a large load."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, text

from db.copy import copy_in
from services.access import crypto
from services.demo.tables import (
    COLUMNS,
    CUSTOMER_COLUMNS,
    ID_TABLES,
    LOCAL_REFS,
    SEEDED_TABLES,
)


class Writer:
    """Bulk-writes plain tuples into one table, in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        raise NotImplementedError


class SqliteWriter(Writer):
    """``executemany`` of positional tuples: the fastest bulk path SQLite has."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._sql: dict[str, str] = {}

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        stmt = self._sql.get(table)
        if stmt is None:
            quote = self.conn.dialect.identifier_preparer.quote
            # Identifiers come from the model, never from input; values are bound.
            stmt = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                    f"VALUES ({', '.join('?' * len(columns))})")
            self._sql[table] = stmt
        self.conn.exec_driver_sql(stmt, rows)


class CopyWriter(Writer):
    """PostgreSQL ``COPY ... FROM STDIN`` through psycopg, inside the open transaction."""

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        with copy_in(self.conn, table, columns) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


ID_AT = CUSTOMER_COLUMNS.index("id_number_enc")


def insert_customers(writer: Writer, rows: list[tuple]) -> None:
    """Every customer row goes through here (one place to hook derived data, e.g. an index).

    Rows arrive with the plain 证件号码 in ``id_number_enc`` and no hash; it is encrypted and
    hashed here, in the writing process, which has CPU to spare while the generator is busy.
    """
    encrypt, keyed_hash, at = crypto.encrypt, crypto.keyed_hash, ID_AT
    rows = [(*row[:at], encrypt(row[at]), keyed_hash(row[at]), *row[at + 2:]) for row in rows]
    writer.write("customers", CUSTOMER_COLUMNS, rows)


def write_chunk(writer: Writer, rows: dict[str, list[tuple]]) -> None:
    insert_customers(writer, rows["customers"])
    for table in SEEDED_TABLES[1:]:
        writer.write(table, COLUMNS[table], rows[table])


def relabel(rows: dict[str, list[tuple]], next_ids: dict[str, int]) -> None:
    """Shift a chunk's local ids (from 0) to the next free ids, and advance ``next_ids``."""
    for table, refs in LOCAL_REFS.items():
        table_rows = rows[table]
        if not table_rows:
            continue
        if len(refs) == 1:  # only its own id, in the first column
            offset = next_ids[table]
            rows[table] = [(row[0] + offset, *row[1:]) for row in table_rows]
        else:
            shifts = [(at, next_ids[target]) for at, target in refs]
            relabeled = []
            for row in table_rows:
                values = list(row)
                for at, offset in shifts:
                    if values[at] is not None:
                        values[at] += offset
                relabeled.append(tuple(values))
            rows[table] = relabeled
    for table in LOCAL_REFS:  # after every reference used the chunk's starting ids
        next_ids[table] += len(rows[table])


def finish_postgres(conn: Connection) -> None:
    """Explicit ids bypass the serial sequences: move them past the data, then gather stats."""
    for table in ID_TABLES:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
    conn.exec_driver_sql("ANALYZE " + ", ".join(("customers", "tags", *SEEDED_TABLES[1:])))


@dataclass
class Deferred:
    """Indexes (and on PostgreSQL foreign keys) set aside for the load, to be rebuilt after.

    Why: maintaining 17 indexes on customers row by row costs several times more than building
    them once from sorted data, and PostgreSQL checks each foreign key with a query per row
    where re-adding the constraint checks them all in one join (the PostgreSQL manual's advice
    for populating a database). Drop and rebuild happen inside the load's transaction, so the
    schema is never seen without them and a failed load rolls back to the original.
    """

    indexes: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)

    def restore(self, conn: Connection) -> None:
        for statement in self.indexes + self.foreign_keys:
            conn.exec_driver_sql(statement)


def defer_indexes(conn: Connection, tables: Sequence[str]) -> Deferred:
    """Drop the plain secondary indexes (and PostgreSQL foreign keys) of the empty ``tables``.

    Constraint indexes (primary keys, UNIQUE) stay: they guard the data being loaded.
    """
    deferred = Deferred()
    quote = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "sqlite":
        found = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN :tables").bindparams(bindparam("tables", expanding=True)),
            {"tables": list(tables)}).all()
        for name, create in found:
            deferred.indexes.append(create)
            conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
        return deferred
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    found = conn.execute(text(
        "SELECT ci.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ci ON ci.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = :schema AND t.relname IN :tables AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
    ).bindparams(bindparam("tables", expanding=True)),
        {"schema": schema, "tables": list(tables)}).all()
    for name, create in found:
        deferred.indexes.append(create)
        conn.exec_driver_sql(f"DROP INDEX {quote(schema)}.{quote(name)}")
    found = conn.execute(text(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE c.contype = 'f' AND n.nspname = :schema AND t.relname IN :tables"
    ).bindparams(bindparam("tables", expanding=True)),
        {"schema": schema, "tables": list(tables)}).all()
    for table, name, definition in found:
        target = f"{quote(schema)}.{quote(table)}"
        conn.exec_driver_sql(f"ALTER TABLE {target} DROP CONSTRAINT {quote(name)}")
        deferred.foreign_keys.append(
            f"ALTER TABLE {target} ADD CONSTRAINT {quote(name)} {definition}")
    # Index builds sort in memory rather than in temporary files.
    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    return deferred


@contextmanager
def bulk_session(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, tuned for the load and restored for the pool afterwards."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB: index pages stay hot
            conn.commit()  # end the autobegun transaction; the load gets its own
        try:
            with conn.begin():
                yield conn
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")
                conn.commit()
