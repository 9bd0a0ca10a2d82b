"""Domain logic. Never imports streamlit: everything here is testable without a browser."""

# The search grams and mobile_last4 follow every ORM write of a customer (mapper events of
# search_index), whichever module wrote it first: registered with the package, not by
# whichever service module happened to be imported before.
from services import search_index as _search_index  # noqa: F401

# The last-line guard against control characters (session and engine events) holds for every
# write, whichever module the process imported first.
from services import text_guard as _text_guard  # noqa: F401
