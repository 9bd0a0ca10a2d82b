"""How a long import or export reports its progress: ``progress(stage, done, total)``.

The page shows each stage through the catalog text ``io.progress.<stage>``, so the stages are
listed here once and a test checks that every one has its text and that no module reports
another (an export once reported a stage without a text and failed on every click).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

ProgressFn = Callable[[str, int, int], None]
STAGES: Final = ("read", "check", "write", "export")
