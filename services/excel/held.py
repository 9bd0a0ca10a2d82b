"""Reviewing held import rows (``services.access.holds`` keeps them): showing a group's rows
with the customers they match, and importing them through the ordinary import.

Why here and not beside the storage: both need the import itself (checking rows, matching
them, running it), and the import stores new holds; kept apart, neither imports the other back.
"""

from __future__ import annotations

import io
from typing import Any, Final

from sqlalchemy.orm import Session

from services.access import audit
from services.access.holds import (
    held_payload,
    open_hold,
    require_review,
    resolve_hold,
    uncell,
)
from services.access.roles import Actor
from services.customers import validation_context
from services.excel.customers_import import load_matches, row_keys
from services.excel.importer import ImportResult, run_import
from services.excel.rows import CheckedCustomer, CustomerChecker
from services.excel.writer import write_table

__all__ = ["MATCH_HEADER", "held_rows", "import_hold"]

MATCH_HEADER: Final = "匹配到的客户"


def held_rows(session: Session, actor: Actor, hold_id: int) -> list[dict[str, Any]]:
    """The rows of a group by the file's headers, each with the customers it matches
    (name and 客户编号) under ``MATCH_HEADER``; audited as a reveal of the group."""
    require_review(actor)
    hold = open_hold(session, hold_id)
    payload = held_payload(hold)
    header = [("" if h is None else str(uncell(h))) for h in payload["header"]]
    mapping = {index: key for index, key in payload["columns"] if key}
    checker = CustomerChecker(tuple(sorted(mapping.items())), validation_context(session),
                              for_writing=False)
    checked: list[CheckedCustomer | None] = [
        checker.check(number, tuple(uncell(c) for c in cells))
        for number, cells in payload["rows"]]
    keys = [row_keys(c) for c in checked if c is not None]
    matches = load_matches(session, keys)
    result: list[dict[str, Any]] = []
    for (number, cells), row in zip(payload["rows"], checked, strict=True):
        shown: dict[str, Any] = {"行": number}
        for i, cell in enumerate(cells):
            if i < len(header) and header[i]:
                value = uncell(cell)
                shown[header[i]] = "" if value is None else str(value)
        found = matches.hits(row) if row is not None else {}
        shown[MATCH_HEADER] = "、".join(
            f"{matches.stored[cid].name}（{matches.stored[cid].customer_no}）"
            for cid in found if cid in matches.stored)
        result.append(shown)
    audit.record(session, actor, "import.hold_view", "import_hold", hold.id,
                 detail={"file_name": hold.file_name, "rows": hold.rows})
    return result


def import_hold(session: Session, actor: Actor, hold_id: int) -> ImportResult:
    """Import a group's rows as ``actor`` (the ordinary import, with the uploader's choice of
    skip or update), in the caller's transaction; the ``ImportResult``."""
    require_review(actor)
    hold = open_hold(session, hold_id)
    payload = held_payload(hold)
    header = ["" if h is None else str(uncell(h)) for h in payload["header"]]
    width = max([len(header)] + [len(cells) for _, cells in payload["rows"]])
    header += [""] * (width - len(header))
    table = [[uncell(c) for c in cells] + [None] * (width - len(cells))
             for _, cells in payload["rows"]]
    buffer = io.BytesIO()
    write_table(buffer, header, table, sheet=payload["sheet"] or "Sheet1")
    column_map: dict[int | str, str | None] = {i: None for i in range(width)}
    column_map.update({index: key for index, key in payload["columns"]})
    result = run_import(session, actor, buffer.getvalue(), hold.file_name,
                        on_duplicate=hold.on_duplicate,  # type: ignore[arg-type]
                        column_map=column_map)
    resolve_hold(session, actor, hold, "imported", result.import_id)
    audit.record(session, actor, "import.hold_import", "import_hold", hold.id,
                 detail={"file_name": hold.file_name, "rows": hold.rows,
                         "import_id": result.import_id, **result.summary.counts()})
    return result
