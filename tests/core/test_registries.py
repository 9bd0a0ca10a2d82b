"""Registries are explicit lists (issue 15): a module that registers at import time must be
named in its registry's list, or its registration would silently never run."""

from __future__ import annotations

import re
from pathlib import Path

from services.access.keys import ROTATION_MODULES
from services.analysis.report import SHEET_MODULES

ROOT = Path(__file__).resolve().parents[2]


def _modules_calling(pattern: str, package: str) -> set[str]:
    found = set()
    for path in (ROOT / "services").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if module.startswith(package) and re.search(pattern, path.read_text(encoding="utf-8")):
            found.add(module)
    return found


def test_every_module_registering_report_sheets_is_listed() -> None:
    callers = _modules_calling(r"(?m)^\s*(?:report\.)?register\(\s*(?:report\.)?ReportSheet\(",
                               "services.analysis")
    callers.discard("services.analysis.report")
    assert callers, "the scan found no registering module: the pattern is out of date"
    assert callers <= set(SHEET_MODULES), sorted(callers - set(SHEET_MODULES))


def test_every_module_registering_a_rotation_step_is_listed() -> None:
    callers = _modules_calling(r"(?m)^register_rotation\(", "services")
    callers.discard("services.access.keys")
    assert callers, "the scan found no registering module: the pattern is out of date"
    assert callers <= set(ROTATION_MODULES), sorted(callers - set(ROTATION_MODULES))
