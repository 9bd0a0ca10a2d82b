"""The database as a whole rather than one domain.

- ``database_facts``: facts stored in the database itself (``get_fact``, ``set_fact``,
  ``is_demo_database``, ``stamp_demo``).
- ``text_guard``: the last line before the database, refusing text with a control character
  (``ControlCharacterRefused``; session and engine events registered by
  ``services/__init__.py``).

Import the module you need; this face loads nothing.
"""
