"""The customer search index: unigrams and bigrams of name and company, and ``mobile_last4``.

Why grams: staff search names by one or two Chinese characters most of the time. SQLite's FTS5
``trigram`` tokenizer and PostgreSQL's ``pg_trgm`` cannot answer patterns under three
characters, and a ``LIKE '%…%'`` scan over a million rows is too slow, so one portable table
``customer_search_grams(gram, customer_id)`` holds every single character and every pair of
adjacent characters of the (ASCII lower-cased) name and company. A one- or two-character query
is then one range of the primary key, already ordered by customer id (creation order); a longer
query intersects its bigrams and is verified with ``LIKE``.

The table holds grams of every customer, deleted or not, so deleting and restoring never touch
it; the lookup excludes deleted customers itself.

Three ways keep it right:

- ORM writes: mapper events (registered when this module is imported; ``services.customers.lookup``
  imports it) maintain grams and ``mobile_last4`` on insert, on change of name, company or
  mobile, and on delete.
- Core bulk inserts (demo seeder, Excel import): call ``index_customers`` with the rows written.
- Anything else (a bulk ``UPDATE``, a restore from backup): ``rebuild_search_index``.

Case folding is ASCII-only (``A``-``Z``), the same in Python, in SQLite's ``lower()`` and in
the migration's SQL backfill, so all three produce identical grams.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice, pairwise
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, event, func, select, update
from sqlalchemy.orm import Mapper, attributes

from db.copy import copy_in
from db.models import Customer, customer_search_grams

GRAMS = customer_search_grams
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_READ_CHUNK = 50_000
_WRITE_CHUNK = 200_000


# ---- grams ----------------------------------------------------------------------------------

def fold(value: str) -> str:
    """ASCII lower case and single spaces: the form grams and search patterns are built from."""
    return " ".join(value.split()).translate(_ASCII_LOWER)


def text_grams(value: str | None) -> set[str]:
    """Unigrams and bigrams of one stored value (folded the way the SQL backfill folds)."""
    if not value:
        return set()
    s = value.translate(_ASCII_LOWER)
    grams = set(s)
    grams.update(s[i:i + 2] for i in range(len(s) - 1))
    return grams


def customer_grams(name: str | None, company: str | None) -> set[str]:
    """Every gram one customer is found by."""
    return text_grams(name) | text_grams(company)


def mobile_last4(mobile: str | None) -> str | None:
    """The last four characters of a stored (normalised) mobile number."""
    return mobile[-4:] if mobile else None


# ---- ORM maintenance ------------------------------------------------------------------------

def _insert_grams(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert (gram, customer_id) rows, ignoring ones already there (an id reused by SQLite)."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    connection.execute(dialect_insert(GRAMS).on_conflict_do_nothing(), rows)


def _delete_grams(connection: Connection, customer_id: int, grams: Iterable[str]) -> None:
    rows = [{"g": g, "cid": customer_id} for g in grams]
    if rows:
        connection.execute(
            GRAMS.delete().where(GRAMS.c.gram == bindparam("g"),
                                 GRAMS.c.customer_id == bindparam("cid")), rows)


def _stored_grams(connection: Connection, customer_id: int) -> set[str]:
    """Grams of the row as the database has it now (before this flush's UPDATE or DELETE)."""
    row = connection.execute(select(Customer.name, Customer.company)
                             .where(Customer.id == customer_id)).first()
    return customer_grams(row[0], row[1]) if row is not None else set()


def _changed(target: Customer, *keys: str) -> bool:
    state = attributes.instance_state(target)
    return any(state.attrs[k].history.has_changes() for k in keys)


@event.listens_for(Customer, "before_insert")
def _before_insert(_mapper: Mapper, _connection: Connection, target: Customer) -> None:
    target.mobile_last4 = mobile_last4(target.mobile)


@event.listens_for(Customer, "after_insert")
def _after_insert(_mapper: Mapper, connection: Connection, target: Customer) -> None:
    _insert_grams(connection, [{"gram": g, "customer_id": target.id}
                               for g in customer_grams(target.name, target.company)])


@event.listens_for(Customer, "before_update")
def _before_update(_mapper: Mapper, connection: Connection, target: Customer) -> None:
    if _changed(target, "mobile", "mobile_last4"):
        target.mobile_last4 = mobile_last4(target.mobile)
    if not _changed(target, "name", "company"):
        return
    # The old values come from the database, not the attribute history: an attribute set
    # while expired has no old value in its history, and the index mirrors what is stored.
    old = _stored_grams(connection, target.id)
    new = customer_grams(target.name, target.company)
    _delete_grams(connection, target.id, old - new)
    _insert_grams(connection, [{"gram": g, "customer_id": target.id} for g in new - old])


@event.listens_for(Customer, "before_delete")
def _before_delete(_mapper: Mapper, connection: Connection, target: Customer) -> None:
    _delete_grams(connection, target.id, _stored_grams(connection, target.id))


# ---- bulk -----------------------------------------------------------------------------------

def _as_mappings(rows: Iterable[Mapping[str, Any] | Sequence[Any]],
                 columns: Sequence[str] | None) -> Iterator[Mapping[str, Any]]:
    if columns is None:
        yield from rows  # type: ignore[misc]
        return
    for row in rows:
        yield dict(zip(columns, row, strict=False))


Postings = dict[str, list[int]]
"""Customer ids per gram, ids ascending within each gram: the order the key is written in."""


GramPositions = dict[str, bytes]
"""The grams of a list of customers: per gram, the positions in the list of the customers that
have it, as ``array("I")`` bytes. A parsing process sends this instead of a gram set per row:
a chunk of 2,000 customers has about 2,000 distinct grams but 30,000 gram occurrences, and
building those as strings costs the receiver as much as computing them."""


def gram_positions(customers: Iterable[tuple[str | None, str | None]]) -> GramPositions:
    """The grams of these (name, company) customers, by gram, with the positions that have it
    (ascending)."""
    found: dict[str, list[int]] = {}
    get = found.get
    for position, (name, company) in enumerate(customers):
        for g in customer_grams(name, company):
            positions = get(g)
            if positions is None:
                found[g] = [position]
            else:
                positions.append(position)
    return {g: array("I", positions).tobytes() for g, positions in found.items()}


def postings_at(positions: GramPositions, ids: Sequence[int | None]) -> Postings:
    """The gram rows of a list of customers whose grams are ``positions``: ``ids[i]`` is the id
    of the customer at position i (None: not written, no rows). Ids ascending by position
    give ids ascending within each gram, the order ``write_postings`` writes in."""
    postings: Postings = {}
    ordered = all(a < b for a, b in pairwise(i for i in ids if i is not None))
    every = None not in ids
    for gram, raw in positions.items():
        at = array("I", raw)
        found = [ids[p] for p in at] if every else [i for p in at if (i := ids[p]) is not None]
        if found:
            if not ordered:
                found.sort()
            postings[gram] = found  # type: ignore[assignment]
    return postings


def postings_of(customers: Iterable[tuple[int, str | None, str | None]]) -> Postings:
    """The gram rows of these (id, name, company) customers, grouped by gram.

    Grouped rather than built as (gram, id) pairs and sorted: sorting the distinct
    grams is a fraction of sorting every pair, and SQLite takes a gram's ids in one call."""
    rows = list(customers)
    return postings_at(gram_positions((name, company) for _, name, company in rows),
                       [cid for cid, _, _ in rows])


def _pairs(postings: Postings) -> Iterator[tuple[str, int]]:
    for gram in sorted(postings):
        for cid in postings[gram]:
            yield gram, cid


def _copy_text(postings: Postings) -> Iterator[str]:
    """The gram rows as COPY text, in key order, about ``_WRITE_CHUNK`` rows per piece.

    One join per gram (its escaped text before each id): building 1.6M rows field by field
    took 1.3 s of the import's critical path, this 0.2 s."""
    parts: list[str] = []
    held = 0
    for gram in sorted(postings):
        ids = postings[gram]
        prefix = _copy_field(gram) + "\t"
        parts.append(prefix + ("\n" + prefix).join(map(str, ids)) + "\n")
        held += len(ids)
        if held >= _WRITE_CHUNK:
            yield "".join(parts)
            parts, held = [], 0
    if parts:
        yield "".join(parts)


def _copy_field(value: str) -> str:
    """A text field for COPY's text format: names may hold tabs or backslashes."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return value


def write_postings(connection: Connection, postings: Postings, *, conflicts: bool) -> int:
    """Write gram rows in key order (B-tree appends, not random inserts); returns the count.

    SQLite: one ``INSERT ... SELECT`` per gram over its ids as a JSON array, which spares the
    per-row parameter binding of an ``executemany`` (about 40% of the write at 100,000
    customers). PostgreSQL: COPY, or for ids that may already be indexed an ``INSERT ... ON
    CONFLICT DO NOTHING``.
    """
    written = sum(map(len, postings.values()))
    if not written:
        return 0
    dialect = connection.dialect.name
    if dialect == "sqlite":
        verb = "INSERT OR IGNORE INTO" if conflicts else "INSERT INTO"
        # Constant identifiers; the gram and the ids are bound.
        stmt = (f"{verb} {GRAMS.name} (gram, customer_id) "  # noqa: S608
                "SELECT ?, value FROM json_each(?)")
        connection.exec_driver_sql(stmt, [(g, json.dumps(postings[g], separators=(",", ":")))
                                          for g in sorted(postings)])
        return written
    if not conflicts:
        with copy_in(connection, GRAMS.name, ("gram", "customer_id")) as copy:
            for piece in _copy_text(postings):
                copy.write(piece)
        return written
    pairs = _pairs(postings)
    marks = "?, ?" if connection.dialect.paramstyle == "qmark" else "%s, %s"
    stmt = (f"INSERT INTO {GRAMS.name} (gram, customer_id) "  # noqa: S608 - constant name
            f"VALUES ({marks}) ON CONFLICT DO NOTHING")
    while part := list(islice(pairs, _WRITE_CHUNK)):
        connection.exec_driver_sql(stmt, part)
    return written


def _delete_customers_grams(connection: Connection, ids: list[int]) -> None:
    """Remove every gram of these customers. The key leads with the gram, so this is one scan
    of the table for the whole batch (re-imports only; the ORM events delete by key)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy import any_
        from sqlalchemy.dialects.postgresql import ARRAY, BIGINT

        connection.execute(GRAMS.delete().where(GRAMS.c.customer_id == any_(
            bindparam("ids", ids, type_=ARRAY(BIGINT)))))
        return
    connection.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS _reindex_ids "
                               "(id INTEGER PRIMARY KEY)")
    connection.exec_driver_sql("DELETE FROM _reindex_ids")
    connection.exec_driver_sql("INSERT OR IGNORE INTO _reindex_ids (id) VALUES (?)",
                               [(i,) for i in ids])
    connection.exec_driver_sql(f"DELETE FROM {GRAMS.name} "  # noqa: S608 - constant name
                               "WHERE customer_id IN (SELECT id FROM _reindex_ids)")
    connection.exec_driver_sql("DELETE FROM _reindex_ids")


def index_customers(connection: Connection, rows: Iterable[Mapping[str, Any] | Sequence[Any]],
                    *, columns: Sequence[str] | None = None, new: bool = True) -> int:
    """Index customers just written with Core bulk inserts; returns the gram rows written.

    ``rows`` are mappings, or tuples named by ``columns`` (e.g. the seeder's insert columns);
    each needs ``id``, ``name``, ``company`` and ``mobile``. When the insert did not write
    ``mobile_last4`` itself (cheapest: add it to the insert, ``mobile_last4(mobile)``), it is
    filled here. ``new=False`` means the customers may already have grams (re-import): their
    stored grams are then replaced.
    """
    batch = list(_as_mappings(rows, columns))
    if not batch:
        return 0
    fill_last4 = "mobile_last4" not in batch[0]
    if not new:
        _delete_customers_grams(connection, [r["id"] for r in batch])
    written = write_postings(connection, postings_of((r["id"], r["name"], r.get("company"))
                                                     for r in batch), conflicts=not new)
    if fill_last4:
        params = [{"cid": r["id"], "l4": mobile_last4(r["mobile"])}
                  for r in batch if r.get("mobile")]
        if params:
            connection.execute(update(Customer.__table__)
                               .where(Customer.__table__.c.id == bindparam("cid"))
                               .values(mobile_last4=bindparam("l4")), params)
    return written


def rebuild_search_index(bind: Engine | Connection) -> int:
    """Recompute the whole index from the customers table; returns the gram rows written.

    On PostgreSQL the primary key is dropped for the load and rebuilt after (one sort beats
    millions of B-tree inserts), and the table is analysed. Pass the seeder's open connection
    to rebuild inside its transaction.
    """
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            written = rebuild_search_index(conn)
        if bind.dialect.name == "postgresql":
            # VACUUM cannot run in a transaction; it sets the visibility map so that counts
            # are index-only scans.
            with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql(f"VACUUM ANALYZE {GRAMS.name}")
        return written
    conn = bind
    postgres = conn.dialect.name == "postgresql"
    table = Customer.__table__
    _rebuild_last4(conn)
    if postgres:
        conn.exec_driver_sql(f"TRUNCATE {GRAMS.name}")
        conn.exec_driver_sql(f"ALTER TABLE {GRAMS.name} DROP CONSTRAINT pk_{GRAMS.name}")
    else:
        conn.exec_driver_sql(f"DELETE FROM {GRAMS.name}")  # noqa: S608 - constant name
        # A bigger page cache for this connection while the key's pages are filled.
        previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
    written = 0
    last_id = 0
    while True:
        chunk = conn.execute(
            select(table.c.id, table.c.name, table.c.company)
            .where(table.c.id > last_id).order_by(table.c.id).limit(_READ_CHUNK)).all()
        if not chunk:
            break
        last_id = chunk[-1][0]
        written += write_postings(conn, postings_of(chunk), conflicts=False)
    if postgres:
        conn.exec_driver_sql(f"ALTER TABLE {GRAMS.name} ADD CONSTRAINT pk_{GRAMS.name} "
                             "PRIMARY KEY (gram, customer_id)")
        conn.exec_driver_sql(f"ANALYZE {GRAMS.name}")
    else:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")
        conn.exec_driver_sql(f"ANALYZE {GRAMS.name}")
    return written


def _rebuild_last4(conn: Connection) -> None:
    """Set ``mobile_last4`` wherever it is wrong. On PostgreSQL, when most rows need it (a
    bulk load that left it out), a type change with USING rewrites the table once instead
    of writing a new version of every row into every index (about 40 s against 200 s at a
    million customers)."""
    table = Customer.__table__
    stale = table.c.mobile_last4.is_distinct_from(_last4_sql(conn))
    if conn.dialect.name == "postgresql":
        wrong = conn.scalar(select(func.count()).select_from(table).where(stale)) or 0
        if wrong > 100_000:
            conn.exec_driver_sql("ALTER TABLE customers ALTER COLUMN mobile_last4 "
                                 "TYPE VARCHAR(4) USING right(mobile, 4)")
            return
        if not wrong:
            return
    conn.execute(table.update().where(stale).values(mobile_last4=_last4_sql(conn)))


def _last4_sql(conn: Connection) -> Any:
    """SQL for the last four characters of ``mobile`` (same as ``mobile_last4``)."""
    mobile = Customer.__table__.c.mobile
    if conn.dialect.name == "postgresql":
        return func.right(mobile, 4)
    return func.substr(mobile, -4)


def check_search_index(connection: Connection) -> tuple[int, int]:
    """(missing, stale) gram rows compared with a fresh computation; for tests and doctors."""
    expected: set[tuple[str, int]] = set()
    for cid, name, company in connection.execute(
            select(Customer.id, Customer.name, Customer.company)):
        expected.update((g, cid) for g in customer_grams(name, company))
    stored = {(g, c) for g, c in connection.execute(
        select(GRAMS.c.gram, GRAMS.c.customer_id))}
    return len(expected - stored), len(stored - expected)


__all__ = [
    "GRAMS", "GramPositions", "Postings", "check_search_index", "customer_grams", "fold",
    "gram_positions", "index_customers", "mobile_last4", "postings_at", "postings_of",
    "rebuild_search_index", "text_grams", "write_postings",
]
