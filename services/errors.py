"""The one shape of a refused action: a catalog key and its parameters, shown per language."""

from __future__ import annotations

from services.i18n import t


class CatalogError(ValueError):
    """A refusal the user can act on; pages show ``message(lang)``, never a traceback."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)
