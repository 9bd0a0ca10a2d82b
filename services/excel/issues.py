"""Problems and notes of an Excel import, rendered late in each reader's language.

Why late: the command line prints in the configured language, the page in the user's, and the
import history keeps neither; so every problem is a catalog key with parameters (or the
validation module's own ``FieldError``), turned into text only by ``message(lang)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import CatalogError
from core.i18n import t
from services.customers.validation import FieldError


@dataclass(frozen=True)
class Label:
    """A text in both languages (a column label, a kind name) used as a message parameter."""

    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def render_param(value: Any, lang: str) -> Any:
    """A message parameter in ``lang``: labels translated, lists joined, nested issues rendered."""
    if isinstance(value, Label):
        return value.text(lang)
    if isinstance(value, (Issue, FieldError)):
        return value.message(lang)
    if isinstance(value, (list, tuple)):
        sep = ", " if lang == "en" else "、"
        return sep.join(str(render_param(v, lang)) for v in value)
    return value


def render(key: str, params: Mapping[str, Any], lang: str) -> str:
    return t(key, lang, **{k: render_param(v, lang) for k, v in params.items()})


@dataclass(frozen=True)
class Issue:
    """One problem of one row (or of the file when ``row`` is None).

    ``row`` is Excel's row number (the header is row 1); ``column`` the header of the column as
    it is written in the file (None when no column is to blame, e.g. "no way to reach the
    customer"); ``field`` the spec key. Either ``error`` (the validation module's own error, so
    the import says exactly what the form says) or ``key`` / ``params`` give the message.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str | None = None
    field: str | None = None
    error: FieldError | None = None

    def message(self, lang: str = "zh") -> str:
        if self.error is not None:
            return self.error.message(lang)
        return render(self.key, self.params, lang)

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        """The command line's error entry: ``{"row", "column", "message"}``."""
        return {"row": self.row, "column": self.column, "message": self.message(lang)}


class ExcelRefused(CatalogError):
    """The file is refused as a whole (unsafe, not a workbook, too big, no 客户名称 column...).

    Raised before anything is written; the command line exits with status 2.
    """

    def message(self, lang: str = "zh") -> str:
        return render(self.key, self.params, lang)

    def __str__(self) -> str:
        return self.message("en")


class ExcelActionError(CatalogError):
    """A refused import or export action (undo of an undone import, an unknown import ...)."""

    def message(self, lang: str = "zh") -> str:
        return render(self.key, self.params, lang)

    def __str__(self) -> str:
        return self.message("en")
