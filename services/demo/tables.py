"""The tables the seeder writes and empties, and their columns in the order rows are made."""

from __future__ import annotations

# Tables holding customer data, children first (the order to empty them in).
CUSTOMER_TABLES: tuple[str, ...] = (
    "churn_scores", "churn_state", "surveys", "renewals", "contracts", "follow_ups",
    "complaint_events", "complaints", "interactions", "orders", "tier_changes",
    "consent_ledger", "customer_tags", "customer_search_grams", "customers", "tags",
    "sequences",
    "import_holds", "imports", "renewal_targets",
)
# Tables written by the seeder, parents first; also the keys of ``SeedReport.counts``.
SEEDED_TABLES: tuple[str, ...] = (
    "customers", "customer_tags", "tier_changes", "orders", "interactions", "follow_ups",
    "complaints", "surveys", "contracts", "renewals", "consent_ledger",
)




CUSTOMER_COLUMNS: tuple[str, ...] = (
    "id", "customer_no", "name", "customer_type", "gender", "mobile", "phone", "email",
    "id_number_enc", "id_number_hash", "company", "title", "industry", "province", "city",
    "address", "tier", "tier_source", "tier_set_by_id", "tier_reason", "lifecycle",
    "value_segment", "account_manager_id", "source", "notes", "consent_service",
    "consent_marketing", "first_order_at", "last_order_at", "last_contact_at",
    "created_at", "created_by_id", "updated_at", "updated_by_id", "last_reviewed_at",
    "deleted_at", "deleted_by_id", "version",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": CUSTOMER_COLUMNS,
    "customer_tags": ("customer_id", "tag_id"),
    "tier_changes": ("id", "customer_id", "from_tier", "to_tier", "source", "user_id", "reason",
                     "changed_at"),
    "orders": ("id", "customer_id", "order_no", "order_date", "product", "quantity", "amount",
               "payment_method", "created_at"),
    "interactions": ("id", "customer_id", "occurred_at", "method", "content", "user_id",
                     "created_at"),
    "follow_ups": ("id", "customer_id", "planned_date", "done_date", "method", "purpose",
                   "content", "feedback", "result", "next_date", "assignee_id", "created_at"),
    "complaints": ("id", "customer_id", "channel", "complaint_type", "description",
                   "received_at", "handler_id", "status", "handling_steps", "solution",
                   "resolved_at", "resolution_minutes", "closed_at", "created_at", "version"),
    "surveys": ("id", "customer_id", "survey_date", "score", "channel", "comment",
                "complaint_id", "created_at"),
    "contracts": ("id", "customer_id", "contract_no", "start_date", "end_date", "amount",
                  "previous_contract_id", "created_at"),
    "renewals": ("id", "contract_id", "customer_id", "due_date", "decided_at", "outcome",
                 "amount", "reason", "new_contract_id", "created_at"),
    "consent_ledger": ("id", "customer_id", "purpose", "granted", "at", "channel", "user_id",
                       "username", "note", "import_id"),
}
ID_TABLES = tuple(t for t in SEEDED_TABLES if COLUMNS[t][0] == "id")
LOCAL_ID_TABLES = tuple(t for t in ID_TABLES if t != "customers")


# Columns holding ids the generator numbers per chunk, and the table each id belongs to.
LOCAL_REFS: dict[str, tuple[tuple[int, str], ...]] = {
    table: tuple((COLUMNS[table].index(column), target) for column, target in refs)
    for table, refs in {
        "tier_changes": (("id", "tier_changes"),),
        "orders": (("id", "orders"),),
        "interactions": (("id", "interactions"),),
        "follow_ups": (("id", "follow_ups"),),
        "complaints": (("id", "complaints"),),
        "surveys": (("id", "surveys"), ("complaint_id", "complaints")),
        "contracts": (("id", "contracts"), ("previous_contract_id", "contracts")),
        "renewals": (("id", "renewals"), ("contract_id", "contracts"),
                     ("new_contract_id", "contracts")),
        "consent_ledger": (("id", "consent_ledger"),),
    }.items()
}

