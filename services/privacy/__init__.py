"""Personal information over its whole life (data-protection.md): consent, and — added by
their own modules — the copy for the person, erasure and retention.

The face is lazy (PEP 562): ``from services.privacy import consent`` loads one module, not
every privacy module with its imports. Modules: ``consent`` (per-purpose consent ledger),
``erasure`` (erasing a customer's personal information), ``person_copy`` (a copy for
the person), ``retention`` (customers past retention).
"""

from __future__ import annotations

import importlib
from types import ModuleType

_MODULES = ("consent", "erasure", "person_copy", "retention")

__all__ = list(_MODULES)


def __getattr__(name: str) -> ModuleType:
    if name not in _MODULES:
        raise AttributeError(f"module 'services.privacy' has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{name}")
    globals()[name] = module
    return module
