"""Persistence: engine, ORM models and Alembic migrations."""
