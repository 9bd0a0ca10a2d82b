"""The one shape of a refused action: a catalog key and its parameters, shown per language."""

from __future__ import annotations

from core.i18n import t


class CatalogError(ValueError):
    """A refusal the user can act on; pages show ``message(lang)``, never a traceback."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


class ConcurrentChange(CatalogError):
    """Another user's action on the same records won a race with this one; nothing of this
    action was saved. Raised by ``db.engine.session_scope`` for every database-level sign of
    such a race (lost optimistic lock, duplicate key, serialization failure, locked SQLite
    file), so every page shows the same stale-record message instead of an error box."""

    def __init__(self) -> None:
        super().__init__("edits.concurrent")
