"""Personal information over its whole life (data-protection.md): consent, and — added by
their own modules — the copy for the person, erasure and retention.

Modules (imported by name, ``from services.privacy import consent``): ``consent`` (per-purpose
consent ledger), ``consent_terms`` (purposes and their column names), ``erasure`` (erasing a
customer's personal information), ``person_copy`` (a copy for the person), ``retention``
(customers past retention).
"""
