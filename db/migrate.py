"""Run Alembic migrations programmatically (used by ``manage.py init-db``, the app and tests)."""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from core.settings import PROJECT_ROOT


def alembic_config() -> Config:
    return Config(str(PROJECT_ROOT / "alembic.ini"))


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def is_migrated(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")


@cache
def code_heads() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code (read once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def schema_state(engine: Engine) -> str:
    """``current``, ``missing`` (never migrated), ``behind`` (an older revision: run init-db)
    or ``unknown`` (a revision this code does not know: a newer app wrote it). Checked before
    any query so a person sees what to run rather than a failed query."""
    with engine.connect() as conn:
        stored = frozenset(MigrationContext.configure(conn).get_current_heads())
    if not stored:
        return "missing"
    if stored == code_heads():
        return "current"
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    return "behind" if stored <= known else "unknown"
