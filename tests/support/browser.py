"""Real-browser testing: start the app on a free port and drive Debian's Chromium.

Chromium is launched with the flags an offline machine needs (no background networking, no
component updates) and a fresh profile. Without Chromium the browser tests skip with a reason,
unless ``CRM_REQUIRE_BROWSER=1`` (set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CRM_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; CRM_REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(database_url: str, env: dict[str, str] | None = None,
                log_path: Path | None = None) -> Iterator[str]:
    """Start ``streamlit run app.py`` against ``database_url``; yield its base URL.

    The server's output (stdout and stderr) goes to ``log_path`` when given, kept for the
    caller to read (the journeys fail on any exception in it), else to a temporary file."""
    port = free_port()
    environment = {**os.environ, "CRM_DATABASE_URL": database_url, **(env or {})}
    if log_path is not None:
        log = open(log_path, "wb")  # noqa: SIM115 - the app writes it until it stops
    else:
        log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log",  # noqa: SIM115
                                          delete=False)  # outlives this block
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("app did not start: " + Path(log.name).read_text()[-2000:])
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if log_path is None and not os.environ.get("CRM_KEEP_APP_LOG"):
            Path(log.name).unlink(missing_ok=True)


@contextmanager
def browser_page(width: int = 1400, height: int = 900) -> Iterator[object]:
    """A Playwright page in a fresh headless Chromium profile."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
                viewport={"width": width, "height": height}, locale="zh-CN",
            )
            context.set_default_timeout(30_000)
            try:
                yield context.pages[0] if context.pages else context.new_page()
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def wait_idle(page, timeout_ms: int = 20_000) -> None:
    """Wait until Streamlit has finished the current run (its status widget is gone)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached",
                                                             timeout=timeout_ms)


def login(page, base: str, username: str, password: str) -> None:
    """Log in through the form. A rerun from the cookie component right after the page loads
    can reset a half-filled form, so the form is filled once the app is idle, and retried."""
    page.goto(base)
    for attempt in range(3):
        try:
            page.get_by_label("用户名").wait_for(timeout=15_000)
        except Exception:
            # Seen under load right after a logout: the first load after the cookie's removal
            # never drew the form (CI, twice). Loading the address again does.
            page.goto(base)
            page.get_by_label("用户名").wait_for()
        wait_idle(page)
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        try:
            page.get_by_text("退出登录").wait_for(timeout=10_000)
            return
        except Exception:
            if attempt == 2:
                raise


def go(page, link: str, heading: str) -> None:
    """Follow a sidebar link; on a loaded machine a rerun (the login cookie's) can swallow the
    click, so it is clicked again until the page's heading shows."""
    for attempt in range(3):
        wait_idle(page)
        page.get_by_role("link", name=link).first.click()
        try:
            page.get_by_role("heading", name=heading).wait_for(timeout=15_000)
            wait_idle(page)
            return
        except Exception:
            if attempt == 2:
                raise
