"""What became of each row, and the summary every caller shows (page, command line, history)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from services.excel.issues import Issue

OnDuplicate = Literal["skip", "update"]
ON_DUPLICATE: tuple[OnDuplicate, ...] = ("skip", "update")


class Status(StrEnum):
    NEW = "new"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    HELD = "held"
    """Matches an existing customer only through a key the uploader may not see in full:
    not imported, not reported row by row, kept for a manager or an administrator."""


@dataclass(frozen=True)
class RowOutcome:
    """One non-blank row: its status and, for rejected rows, every reason (for duplicates,
    what it matched). ``customer_id`` is the customer a duplicate or update matched."""

    row: int
    status: Status
    issues: tuple[Issue, ...] = ()
    customer_id: int | None = None

    def messages(self, lang: str = "zh") -> list[str]:
        return [i.message(lang) for i in self.issues]


@dataclass
class ImportSummary:
    """The figures of an import (or of its dry run) as the spec's JSON reports them."""

    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    blank: int = 0
    held: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @classmethod
    def of(cls, outcomes: Sequence[RowOutcome], blank: int, warnings: Sequence[Issue]
           ) -> ImportSummary:
        counts = Counter(o.status for o in outcomes)
        errors = [issue for o in outcomes if o.status is Status.REJECTED for issue in o.issues]
        return cls(inserted=counts[Status.NEW], updated=counts[Status.UPDATE],
                   duplicates=counts[Status.DUPLICATE], rejected=counts[Status.REJECTED],
                   blank=blank, held=counts[Status.HELD], errors=errors,
                   warnings=list(warnings))

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        """``{"inserted", "updated", "duplicates", "rejected", "blank", "errors": [{"row",
        "column", "message"}], "warnings": ["..."]}`` exactly as the spec's command line."""
        return {
            "inserted": self.inserted, "updated": self.updated,
            "duplicates": self.duplicates, "rejected": self.rejected, "blank": self.blank,
            "errors": [e.as_json(lang) for e in self.errors],
            "warnings": [w.message(lang) for w in self.warnings],
        }

    def counts(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated,
                "duplicates": self.duplicates, "rejected": self.rejected, "blank": self.blank}
