"""The one message catalog: every user-visible string goes through ``t``.

Messages live in per-area modules of this package (``core``, ``validation`` ...), each a
``MESSAGES`` dict of ``key -> (zh, en)``. They are merged here once; a key defined twice is an
error at import time, so two areas cannot silently overwrite each other's wording.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"
# Spellings a stored value, a cookie or an older picker may hold, mapped to a language code.
_ALIASES: Final = {
    "zh": "zh", "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "cn": "zh", "chinese": "zh",
    "中文": "zh", "简体中文": "zh", "中文 (chinese)": "zh",
    "en": "en", "en-us": "en", "en_us": "en", "en-gb": "en", "english": "en", "英文": "en",
    "英语": "en",
}


def _load() -> dict[str, tuple[str, str]]:
    catalog: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in module.MESSAGES.items():
            if key in catalog:
                raise RuntimeError(f"message key {key!r} defined twice (in {info.name})")
            catalog[key] = pair
    return catalog


CATALOG: Final[dict[str, tuple[str, str]]] = _load()


def normalize_language(value: object) -> str | None:
    """The language code a value stands for, or None: any value from a session, a database
    row, a cookie or a widget may reach here, and none of them may raise."""
    if not isinstance(value, str) or len(value) > 32:
        return None
    return _ALIASES.get(value.strip().casefold())


def pick_language(*candidates: object) -> str:
    """The first candidate that names a language, else the default language."""
    for candidate in candidates:
        code = normalize_language(candidate)
        if code is not None:
            return code
    return DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{name}`` placeholders.

    An unknown key raises ``KeyError``: a missing message is a bug the tests must catch, not a
    string to show the user.
    """
    zh, en = CATALOG[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in CATALOG


def label(value: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Display form of a stored vocabulary value (unknown values, e.g. custom industries, as is)."""
    if value is None:
        return ""
    pair = CATALOG.get(f"vocab.{value}")
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]
