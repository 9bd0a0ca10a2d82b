"""The journeys' harness: one person's working hour in real Chromium, a screenshot per step.

A journey runs the app on a fresh SQLite demo database (the 2,000 customers of
``seed-demo --customers 2000 --seed 42``, what people see) in a 1440×900 window. After each step
it saves ``tests/screenshots/<journey>/NN-<step>.png`` (git-ignored) and fails when the page
shows Streamlit's exception element or an error box the step did not expect, when the server
logged an exception, or when a page shown in Chinese carries one of Streamlit's built-in
English strings (a widget whose text the app forgot to set).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from db.engine import make_engine
from services.demo import seed_demo
from tests.support.browser import browser_page, chromium_path, login, running_app, wait_idle

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
WIDTH, HEIGHT = 1440, 900
DEMO_CUSTOMERS, DEMO_SEED = 2000, 42

# Streamlit's own English (widget defaults), never right on a page shown in Chinese.
ENGLISH = re.compile(
    r"View \d+ more|View less|Choose an option|Choose options|No results|Select all"
    r"|Upload|per file|Browse files|Drag and drop|This app has encountered an error"
)
# What the server logs when a script run raises.
SERVER_EXCEPTION = re.compile(r"Traceback \(most recent call last\)|Uncaught app exception")
ROW_PX = 35  # st.dataframe's header and row height


class JourneyFailure(AssertionError):
    """A step showed what a person must never see, or did not do what the person meant."""


class Journey:
    """One person's session: a page, the server's log, the numbered screenshots."""

    def __init__(self, name: str, page, base: str, url: str,
                 log_path: Path) -> None:
        self.name = name
        self.page = page
        self.base = base
        self.url = url  # the database's, for checking what a step saved
        self.log_path = log_path
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0
        self.log_seen = 0

    # ---- checks -----------------------------------------------------------------------------

    def step(self, name: str, expect_errors: Sequence[str] = ()) -> Path:
        """End a step: wait for the run to finish, save its screenshot, check the page and the
        server log. ``expect_errors``: texts of error boxes this step means to show (a wrong
        mobile's message); any other error box fails."""
        wait_idle(self.page)
        self.count += 1
        shot = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(shot))
        where = f"journey {self.name}, step {self.count:02d} {name} ({shot})"
        exceptions = self.page.locator("[data-testid='stException']")
        if exceptions.count():
            raise JourneyFailure(f"{where}: exception shown: {exceptions.first.inner_text()}")
        for box in self.page.locator("[data-testid='stAlertContentError']").all():
            text = box.inner_text().strip()
            if not any(expected in text for expected in expect_errors):
                raise JourneyFailure(f"{where}: error box: {text}")
        shown = self.page.locator("body").inner_text() + "\n" + "\n".join(
            self.page.eval_on_selector_all(
                "[placeholder]",  # a placeholder shows while its box is empty
                "els => els.filter(e => !e.value).map(e => e.getAttribute('placeholder'))"))
        english = sorted({m.group(0) for m in ENGLISH.finditer(shown)})
        if english:
            raise JourneyFailure(f"{where}: Streamlit's English on a Chinese page: {english}")
        self.check_log(where)
        return shot

    def expect(self, condition: object, what: str) -> None:
        """A check of what the person sees or did, named after the step it belongs to."""
        if not condition:
            raise JourneyFailure(f"journey {self.name}, after step {self.count:02d}: {what}")

    def check_log(self, where: str) -> None:
        text = self.log_path.read_text(errors="replace")
        new, self.log_seen = text[self.log_seen:], len(text)
        if SERVER_EXCEPTION.search(new):
            raise JourneyFailure(f"{where}: the server logged an exception:\n{new[-3000:]}")

    # ---- moving around ----------------------------------------------------------------------

    def open(self, path: str, heading: str | None = None) -> None:
        """Open a page by its address (what a bookmark or a sidebar link does)."""
        self.page.goto(self.base + "/" + path)
        if heading:
            self.heading(heading)
        wait_idle(self.page)

    def heading(self, name: str, timeout: int = 30_000) -> None:
        self.page.get_by_role("heading", name=name).first.wait_for(timeout=timeout)

    def sidebar(self, link: str, heading: str | None = None, path: str | None = None) -> None:
        """Follow a sidebar link (opening the list's "more" part if the link is folded into
        it); a rerun (the login cookie's) can swallow the click, so it is clicked again until
        the page's heading (or address ``path``) shows."""
        bar = self.page.locator("[data-testid='stSidebar']")
        for attempt in range(3):
            wait_idle(self.page)
            target = bar.get_by_role("link", name=link).first
            more = bar.locator("[data-testid='stSidebarNavViewButton']")
            if not target.is_visible() and more.count():
                more.first.click()
            target.click()
            try:
                if heading:
                    self.heading(heading, timeout=15_000)
                if path:
                    self.page.wait_for_url(re.compile(rf"/{path}(\?|$)"), timeout=15_000)
                wait_idle(self.page)
                return
            except Exception:
                if attempt == 2:
                    raise

    def chart(self, title: str):
        """The Plotly chart in the bordered card titled ``title``."""
        card = self.page.locator("[data-testid='stVerticalBlock']").filter(
            has=self.page.get_by_role("heading", name=title, exact=True)).last
        plot = card.locator(".js-plotly-plot").first
        plot.wait_for()
        return plot

    def click_bar(self, title: str, label: str | None = None) -> None:
        """Click a bar of the chart titled ``title``: the one whose axis label is ``label``,
        else the first (what a person does to see those customers)."""
        plot = self.chart(title)
        bars = plot.locator("g.trace.bars g.point path")
        bars.first.wait_for(state="attached", timeout=10_000)
        index = 0
        if label is not None:
            ticks = plot.locator("g.xtick text, g.ytick text").evaluate_all(
                "els => els.map(e => e.textContent.trim())")
            index = ticks.index(label)
        bars.nth(index).click(force=True)

    def pick(self, label: str, option: str, scope=None, typed: str = "") -> None:
        """Choose ``option`` in the select box labelled ``label`` (the last one shown), typing
        ``typed`` first to narrow a long list."""
        where = scope if scope is not None else self.page
        wait_idle(self.page)
        where.get_by_role("combobox", name=label, exact=True).last.click()
        if typed:
            self.page.keyboard.type(typed)
        self.page.get_by_role("option", name=option, exact=True).first.click()
        wait_idle(self.page)

    def search(self, text: str) -> None:
        box = self.page.get_by_label("搜索", exact=True)
        wait_idle(self.page)
        box.fill(text)
        box.press("Enter")
        wait_idle(self.page)

    def click_row(self, grid, row: int) -> None:
        """Select a row of an st.dataframe (a canvas): its checkbox, left of the first
        column."""
        box = grid.bounding_box()
        self.page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
        wait_idle(self.page)

    def logout(self) -> None:
        wait_idle(self.page)
        self.page.get_by_role("button", name="退出登录").click()
        self.page.get_by_role("button", name="登录").wait_for()


def demo_database(folder: Path, template: Path) -> str:
    """A fresh migrated copy of the test template with the demo data people see."""
    path = folder / "journey.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        seed_demo(engine, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    finally:
        engine.dispose()
    return url


@contextmanager
def journey(name: str, folder: Path, template: Path, username: str,
            password: str) -> Iterator[Journey]:
    """Start a server on a fresh demo database, log ``username`` in, and hand over the
    journey; at the end the server log is checked once more."""
    chromium_path()
    url = demo_database(folder, template)
    log_path = folder / "streamlit.log"
    with running_app(url, log_path=log_path) as base, \
            browser_page(WIDTH, HEIGHT) as page:
        login(page, base, username, password)
        trip = Journey(name, page, base, url, log_path)
        yield trip
        trip.check_log(f"journey {name}, end")

