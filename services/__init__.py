"""Domain logic. Never imports streamlit: everything here is testable without a browser.

Packages, each with a face (``__init__.py``) naming what other code may use:
``customers`` (the customer record: lookup, entry and editing, tags, tiers, search index),
``records`` (orders, contacts, visits and planning, complaints, surveys, contracts, renewals),
``analysis`` (dashboards, churn, reports), ``access`` (roles, users, login, masking, audit,
keys), ``excel`` (import and export), ``system`` (database facts, the text guard), ``geo``
(map data). Settings, clock, errors, the catalog and the vocabularies live in ``core``.
"""

# The search grams and mobile_last4 follow every ORM write of a customer (mapper events of
# search_index), whichever module wrote it first: registered with the package, not by
# whichever service module happened to be imported before.
from services.customers import search_index as _search_index  # noqa: F401

# The last-line guard against control characters (session and engine events) holds for every
# write, whichever module the process imported first.
from services.system import text_guard as _text_guard  # noqa: F401
