"""The bottom layer: what every other layer may use, importing nothing of ours but ``core``.

- ``settings``: ``get_settings()`` -> ``Settings`` (``config.toml`` with environment overrides),
  ``PROJECT_ROOT``.
- ``clock``: ``now()``, ``today()``, ``local()`` and how a time is shown (``shown``,
  ``shown_text``, ``shown_day``).
- ``errors``: ``CatalogError`` (a refused action: a catalog key and its parameters) and
  ``ConcurrentChange``.
- ``i18n``: the message catalog, ``t(key, lang, **params)``, ``label(value, lang)``.
- ``vocab``: the closed vocabularies (``Tier``, ``Gender``, ``Source`` ...).
- ``fields``: the customer record's field table (headers, labels, import synonyms, choices).
- ``regions``: China's provincial-level divisions (full names, short forms, codes).
- ``logs``: structured JSON-line logs without personal values: ``configure``,
  ``begin_request`` / ``set_context`` / ``request_id``, ``event``, ``error``,
  ``watch_queries`` (slow statements).

Import the module you need (``from core.settings import get_settings``); this face loads
nothing, so importing ``core.clock`` does not pay for the catalog.
"""
