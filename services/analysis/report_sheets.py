"""The registry of the KPI report's sheets (``services.analysis.report`` builds the workbook).

Kept below the report itself: the modules that register a sheet import this, and the report
imports them (its ``SHEET_MODULES``), so neither imports the other back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from services.analysis.filters import DashboardFilter

RowsFn = Callable[[Session, DashboardFilter, str], Iterable[Sequence[Any]]]


@dataclass(frozen=True)
class ReportChart:
    """A native Excel chart drawn beside a sheet's table, from the sheet's own cells (so it
    follows any edit of them): column 0 holds the categories, ``values`` the columns drawn as
    ``kind`` ("column" or "bar"), ``line`` the columns drawn as lines on a second axis."""

    kind: str = "column"
    values: tuple[int, ...] = (1,)
    line: tuple[int, ...] = ()
    skip_last_row: bool = False  # a total row is not a category


@dataclass(frozen=True)
class ReportSheet:
    key: str
    title_key: str
    headers: tuple[str, ...]
    """Catalog keys of the column headers."""
    rows: RowsFn
    order: int = 100
    chart: ReportChart | None = None


_REGISTRY: dict[str, ReportSheet] = {}


def register(sheet: ReportSheet) -> ReportSheet:
    """Add (or replace, by key) a sheet of the report."""
    _REGISTRY[sheet.key] = sheet
    return sheet


def unregister(key: str) -> None:
    """Drop a sheet (a test's own, after it ran)."""
    _REGISTRY.pop(key, None)


def registered() -> list[ReportSheet]:
    """The sheets registered so far, in workbook order."""
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key))
