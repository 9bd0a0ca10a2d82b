"""Helpers shared by the tests (no tests here): factories, the people they act as, AppTest and
browser helpers, Excel workbooks, the dashboard data. Fixtures live in ``tests/conftest.py``."""
