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
from db.models import Sequence as SequenceRow
from services.customers import tags


def next_number(session: Session, kind: str, prefix: str, column: InstrumentedAttribute,
                *, year: int | None = None, digits: int = 6) -> str:
    """The next free ``prefix`` + year + ``digits``-digit counter, where ``column`` holds the
    numbers already in use."""
    year = year or clock.today().year
    name = f"{kind}:{year}"
    table = SequenceRow.__table__
    while True:
        bump = update(table).where(table.c.name == name).values(value=table.c.value + 1)
        if session.execute(bump).rowcount == 0:  # type: ignore[attr-defined]
            tags.insert_or_ignore(session, table, [{"name": name, "value": 0}], ["name"])
            session.execute(bump)
        value = session.scalar(select(table.c.value).where(table.c.name == name))
        number = f"{prefix}{year}{int(value or 0):0{digits}d}"
        if session.scalar(select(column).where(column == number).limit(1)) is None:
            return number
