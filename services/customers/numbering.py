"""Numbers the app issues (客户编号, 订单编号, 合同编号): a prefix, the year and a counter.

Safe across processes: the counter row ``<kind>:YYYY`` of ``sequences`` is incremented by one
UPDATE (which locks it until the transaction ends) and read back in the same transaction; a
missing row is inserted with INSERT … ON CONFLICT DO NOTHING first. A number already taken
(typed in by hand, or imported) is skipped.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from core import clock
from db.bulk import insert_or_ignore
from db.models import NumberCounter


def next_number(session: Session, kind: str, prefix: str, column: InstrumentedAttribute,
                *, year: int | None = None, digits: int = 6) -> str:
    """The next free ``prefix`` + year + ``digits``-digit counter, where ``column`` holds the
    numbers already in use."""
    year = year or clock.today().year
    while True:
        value = advance(session, f"{kind}:{year}")
        number = f"{prefix}{year}{value:0{digits}d}"
        if session.scalar(select(column).where(column == number).limit(1)) is None:
            return number


def advance(session: Session, name: str, by: int = 1) -> int:
    """Move the counter ``name`` on by ``by`` and return its new value: the last of the ``by``
    values now reserved for this transaction (the UPDATE locks the row until it ends)."""
    table = NumberCounter.__table__
    bump = update(table).where(table.c.name == name).values(value=table.c.value + by)
    if session.execute(bump).rowcount == 0:  # type: ignore[attr-defined]
        insert_or_ignore(session, table, [{"name": name, "value": 0}], ["name"])
        session.execute(bump)
    return int(session.scalar(select(table.c.value).where(table.c.name == name)) or 0)
