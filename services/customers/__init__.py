"""The customer record (spec: customer-record.md): finding, entering, editing and deriving it.

- ``lookup``: the customer list's one search box, filters, sorting and paging
  (``CustomerQuery``, ``search``, ``search_ids``, ``resolve_text``, ``home_counts``).
- ``validation``: the one validation of a record (``validate_customer``, ``CustomerInput``,
  ``FieldValidationError``, the ``normalize_*`` helpers, ``split_tags``).
- ``merge``: three-way merge of a concurrent edit (``conflicts``, ``changed_fields``).
- ``numbering``: ``next_number`` (客户编号, 订单编号, 合同编号 counters).
- ``idcodes``: check characters of resident IDs and credit codes.
- ``tags``: add, remove, bulk, rename, merge tags (``TagError``).
- ``tier_rules`` (pure rules) and ``tiers`` (stored tiers, lifecycle, value segments:
  ``recompute_all``, ``on_orders_changed``, ``set_manual_tier``, ``tier_history``).
- ``review_days``: the per-day counts behind "overdue for review".
- ``search_index``: the gram index and ``mobile_last4`` (kept by mapper events, registered by
  ``services/__init__.py``).

Import the module you need; this face loads nothing, so a module of the package can be
imported without pulling in the others.
"""
