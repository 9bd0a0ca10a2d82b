"""The UI's way to the database (issue 15): screens never import ``db``; components never
import ``db.models``, and only ``components/actions.py`` opens sessions (imports ``db.engine``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACTIONS = ROOT / "components" / "actions.py"


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (top level or inside functions), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, node.module)]
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _offenders(files: list[Path], banned: tuple[str, ...]) -> list[str]:
    return sorted({f"{path.relative_to(ROOT)}:{line} {name}" for path in files
                   for line, name in _imports(path)
                   if any(name == b or name.startswith(b + ".") for b in banned)})


def test_screens_never_import_db() -> None:
    screens = sorted((ROOT / "screens").rglob("*.py")) + [ROOT / "app.py"]
    assert len(screens) > 15
    assert _offenders(screens, ("db",)) == []


def test_components_never_import_db_models() -> None:
    assert _offenders(sorted((ROOT / "components").rglob("*.py")), ("db.models",)) == []


def test_only_the_action_helper_imports_db_engine() -> None:
    others = [p for p in sorted((ROOT / "components").rglob("*.py")) if p != ACTIONS]
    assert _offenders(others, ("db.engine",)) == []
    assert _offenders([ACTIONS], ("db.engine",))  # the helper is where sessions are opened


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from db.models import User\n    import db.engine\n")
    assert [name for _, name in _imports(probe)] == ["db.models", "db.models.User",
                                                     "db.engine"]
