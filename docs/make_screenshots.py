"""Regenerate the README screenshots from the real app on fresh demo data.

    .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from services.demo import seed_demo  # noqa: E402
from tests.support.browser import browser_page, login, running_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        engine = make_engine(url)
        upgrade(engine)
        seed_demo(engine, customers=2000, seed=42)
        engine.dispose()
        with running_app(url) as base, browser_page(1400, 860) as page:
            page.goto(base)
            page.get_by_role("button", name="登录").wait_for()
            page.screenshot(path=str(OUT / "login.png"))
            login(page, base, "clerk", "clerk-demo")
            page.goto(base + "/customers")
            page.locator("[data-testid='stDataFrame']").first.wait_for()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT / "customers.png"))
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
