"""The customer record (spec: customer-record.md): finding, entering, editing and deriving it.

The public API, for the screens, the other services and the command line (loaded on first use,
PEP 562, so importing one module of the package does not pull in the others):

- Entry (``entry``): ``create_customer``, ``check_customer`` -> ``CustomerCheck``,
  ``find_duplicates``, ``find_similar``, ``next_customer_no``, ``validation_context``,
  ``similarity_key``, ``IDENTITY_FIELDS``.
- Editing (``editing``): ``edit_form`` -> ``CustomerForm``, ``update_customer``.
- Profile (``profile``): ``get_profile`` -> ``CustomerProfile``, ``reveal``,
  ``review_due_date``, ``REVEAL_PERMS``.
- Review, delete, restore (``review``): ``mark_reviewed``, ``delete_customer``,
  ``restore_customer``; bulk assignment (``bulk``): ``bulk_assign_manager``.
- Change history (``history``): ``change_history`` -> ``HistoryPage``, ``changes_since``,
  ``BULK_ACTIONS``; timeline (``timelines``): ``timeline`` -> ``TimelinePage``.
- Refusals (``errors``): ``RecordError``, ``CustomerNotFound``, ``InvalidCustomer``,
  ``DuplicateCustomer`` / ``DuplicateMatch``, ``SimilarCustomer`` / ``SimilarMatch``,
  ``StaleRecord`` / ``ChangeEntry``.
- Which customer an actor may touch (``visibility``): ``live``, ``visible``, ``mask_value``,
  ``SENSITIVE_FIELDS``.
- Lookup (``lookup``): ``CustomerQuery``, ``CustomerRow``, ``search``, ``search_ids``,
  ``resolve_text``, ``home_counts``, ``account_managers``.

Modules used directly: ``validation`` (the one validation of a record), ``merge`` (three-way
merge of a concurrent edit), ``numbering`` (``next_number``: 客户编号, 订单编号, 合同编号),
``idcodes``, ``tags``, ``tier_rules`` (pure rules) and ``tiers`` (stored tiers, lifecycle,
value segments), ``review_days``, ``search_index`` (the gram index, kept by mapper events
registered by ``services/__init__.py``).
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE: dict[str, str] = {
    **dict.fromkeys(("IDENTITY_FIELDS", "CustomerCheck", "check_customer", "create_customer",
                     "find_duplicates", "find_similar", "next_customer_no", "similarity_key",
                     "validation_context"), "entry"),
    **dict.fromkeys(("edit_form", "update_customer"), "editing"),
    **dict.fromkeys(("REVEAL_PERMS", "CustomerProfile", "get_profile", "reveal",
                     "review_due_date"), "profile"),
    **dict.fromkeys(("delete_customer", "mark_reviewed", "restore_customer"), "review"),
    "bulk_assign_manager": "bulk",
    **dict.fromkeys(("BULK_ACTIONS", "HistoryPage", "change_history", "changes_since"),
                    "history"),
    **dict.fromkeys(("TIMELINE_KINDS", "TimelineItem", "TimelinePage", "timeline"), "timelines"),
    **dict.fromkeys(("ChangeEntry", "CustomerForm", "CustomerNotFound", "DuplicateCustomer",
                     "DuplicateMatch", "InvalidCustomer", "RecordError", "SimilarCustomer",
                     "SimilarMatch", "StaleRecord"), "errors"),
    **dict.fromkeys(("SENSITIVE_FIELDS", "live", "mask_value", "visible"), "visibility"),
    **dict.fromkeys(("CustomerQuery", "CustomerRow", "account_managers", "home_counts",
                     "resolve_text", "search", "search_ids"), "lookup"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'services.customers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"services.customers.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
