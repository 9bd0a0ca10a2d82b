"""The customer record (spec: customer-record.md): finding, entering, editing and deriving it.

The public API, for the screens, the other services and the command line (plain imports: the
layering test sees every edge, and a cold import of any module of the tree succeeds):

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

from services.customers.bulk import (
    bulk_assign_manager,
)
from services.customers.editing import (
    edit_form,
    update_customer,
)
from services.customers.entry import (
    IDENTITY_FIELDS,
    CustomerCheck,
    check_customer,
    create_customer,
    find_duplicates,
    find_similar,
    next_customer_no,
    similarity_key,
    validation_context,
)
from services.customers.errors import (
    ChangeEntry,
    CustomerErased,
    CustomerForm,
    CustomerNotFound,
    DuplicateCustomer,
    DuplicateMatch,
    InvalidCustomer,
    RecordError,
    SimilarCustomer,
    SimilarMatch,
    StaleRecord,
)
from services.customers.history import (
    BULK_ACTIONS,
    HistoryPage,
    change_history,
    changes_since,
)
from services.customers.lookup import (
    CustomerQuery,
    CustomerRow,
    account_managers,
    home_counts,
    resolve_text,
    search,
    search_ids,
)
from services.customers.profile import (
    REVEAL_PERMS,
    CustomerProfile,
    get_profile,
    reveal,
    review_due_date,
)
from services.customers.review import (
    delete_customer,
    mark_reviewed,
    restore_customer,
)
from services.customers.timelines import (
    TIMELINE_KINDS,
    TimelineItem,
    TimelinePage,
    timeline,
)
from services.customers.visibility import (
    SENSITIVE_FIELDS,
    live,
    mask_value,
    visible,
)

__all__ = [
    "CustomerErased",
    "BULK_ACTIONS",
    "ChangeEntry",
    "CustomerCheck",
    "CustomerForm",
    "CustomerNotFound",
    "CustomerProfile",
    "CustomerQuery",
    "CustomerRow",
    "DuplicateCustomer",
    "DuplicateMatch",
    "HistoryPage",
    "IDENTITY_FIELDS",
    "InvalidCustomer",
    "REVEAL_PERMS",
    "RecordError",
    "SENSITIVE_FIELDS",
    "SimilarCustomer",
    "SimilarMatch",
    "StaleRecord",
    "TIMELINE_KINDS",
    "TimelineItem",
    "TimelinePage",
    "account_managers",
    "bulk_assign_manager",
    "change_history",
    "changes_since",
    "check_customer",
    "create_customer",
    "delete_customer",
    "edit_form",
    "find_duplicates",
    "find_similar",
    "get_profile",
    "home_counts",
    "live",
    "mark_reviewed",
    "mask_value",
    "next_customer_no",
    "resolve_text",
    "restore_customer",
    "reveal",
    "review_due_date",
    "search",
    "search_ids",
    "similarity_key",
    "timeline",
    "update_customer",
    "validation_context",
    "visible",
]
