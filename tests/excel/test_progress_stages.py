"""Every progress stage an import or export reports has its text on the page.

The page builds the text's key from the stage (``io.progress.<stage>``); a stage without a
text made the export button fail on every click.
"""

from __future__ import annotations

import ast
from pathlib import Path

from core.i18n import CATALOG
from services.excel.progress import STAGES

EXCEL = Path(__file__).resolve().parents[2] / "services" / "excel"


def reported_stages() -> set[str]:
    """The string literals passed first to a ``notify(...)``/``progress(...)`` call."""
    found: set[str] = set()
    for path in EXCEL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            first = node.args[0]
            if name in {"notify", "progress"} and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_each_stage_has_its_text() -> None:
    missing = [s for s in STAGES if f"io.progress.{s}" not in CATALOG]
    assert not missing, missing


def test_modules_report_only_the_listed_stages() -> None:
    reported = reported_stages()
    assert {"read", "check", "write", "export"} <= reported, reported
    assert reported <= set(STAGES), reported - set(STAGES)
