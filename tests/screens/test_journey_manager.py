"""The manager's first hour in real Chromium (issue 14): every dashboard page, the period type
月 → 季度 → 年, a region and a tier, a click through a chart of each kind to its list, the
filters reset, the KPI report exported. Screenshots: tests/screenshots/manager/."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from core.i18n import t
from tests.support.browser import wait_idle
from tests.support.journeys import Journey, journey

pytestmark = pytest.mark.browser

DASHBOARDS = (  # sidebar title key, address
    ("nav.dash_overview", "overview"), ("nav.churn_warning", "churn-warning"),
    ("nav.dash_satisfaction", "dash-satisfaction"), ("nav.dash_renewals", "dash-renewals"),
    ("nav.dash_complaints", "dash-complaints"), ("nav.dash_composition", "dash-composition"),
    ("nav.dash_account_managers", "dash-account-managers"),
)
LISTS = ("customers", "complaints", "renewals", "churn-warning", "follow-ups")


def address(trip: Journey) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(trip.page.url)
    return parts.path.rstrip("/").rsplit("/", 1)[-1], parse_qs(parts.query)


def period_shown(trip: Journey) -> str:
    """What the 期间 box reads (once the run that redrew it has finished)."""
    boxes = trip.page.get_by_role("combobox", name=t("dash.filter.period"), exact=True)
    for _ in range(20):
        if boxes.count() == 1:
            break
        trip.page.wait_for_timeout(250)
    return boxes.last.input_value()


def choose_kind(trip: Journey, kind: str) -> None:
    wait_idle(trip.page)
    trip.page.get_by_role("radio", name=t(f"dash.filter.kind.{kind}"), exact=True).click()
    wait_idle(trip.page)


def add_to_multiselect(trip: Journey, label: str, option: str) -> None:
    wait_idle(trip.page)
    trip.page.get_by_label(label, exact=True).first.click()
    trip.page.keyboard.type(option[:2])  # the list is long: narrow it as a person does
    trip.page.get_by_role("option", name=option, exact=True).first.click()
    trip.page.keyboard.press("Escape")
    wait_idle(trip.page)


def click_through(trip: Journey, title_key: str, label: str | None = None) -> str:
    """Click a bar of a chart; the journey expects to land on a list page. Returns it."""
    here, _ = address(trip)
    trip.click_bar(t(title_key), label)
    try:
        trip.page.wait_for_url(lambda url: f"/{here}" not in url, timeout=15_000)
    except Exception:
        trip.expect(False, f"a click on the chart {t(title_key)} opened no list")
    wait_idle(trip.page)
    landed, _ = address(trip)
    trip.expect(landed in LISTS, f"the chart {t(title_key)} opened {landed}, not a list")
    return landed


def test_manager_journey(tmp_path, sqlite_template) -> None:
    with journey("manager", tmp_path, sqlite_template, "manager", "manager-demo") as trip:
        page = trip.page
        trip.step("home")
        for key in ("nav.dash_overview", "nav.dash_composition", "nav.dash_complaints"):
            trip.expect(page.locator("[data-testid='stMain']").get_by_text(t(key)).count(),
                        f"the manager's home lists no {t(key)}")

        # ---- every dashboard page ----
        for key, path in DASHBOARDS:
            trip.sidebar(t(key), path=path)
            trip.step(path)

        # ---- the overview: period type 月 → 季度 → 年, region and tier ----
        trip.sidebar(t("nav.dash_overview"), path="overview")
        choose_kind(trip, "quarter")
        trip.expect("季度" in period_shown(trip),
                    f"after 月 → 季度 the period reads {period_shown(trip)!r}")
        trip.step("quarter")
        choose_kind(trip, "year")
        trip.expect(re.fullmatch(r"\d{4}年", period_shown(trip)),
                    f"after 季度 → 年 the period reads {period_shown(trip)!r}")
        trip.step("year")
        choose_kind(trip, "month")
        add_to_multiselect(trip, t("dash.filter.province"), "广东省")
        add_to_multiselect(trip, t("dash.filter.tier"), "黄金")
        _, params = address(trip)
        trip.expect(params.get("tier") and params.get("province"),
                    f"the filters are not in the address: {params}")
        trip.step("guangdong-gold")

        # ---- the KPI report of this view ----
        page.get_by_role("button", name=t("dash.report.download")).click()
        page.get_by_role("button", name=t("dash.report.prepare")).click()
        with page.expect_download(timeout=60_000) as report:
            page.get_by_role("button", name=t("io.export.download")).click()
        book = openpyxl.load_workbook(io.BytesIO(report.value.path().read_bytes()))
        trip.expect(any(sheet._charts for sheet in book.worksheets),
                    "the KPI report has no charts")
        page.keyboard.press("Escape")
        trip.step("kpi-report")

        # ---- reset the filters ----
        wait_idle(page)
        reset = page.get_by_role("button", name=re.compile("清除筛选|重置筛选|重置"))
        trip.expect(reset.count(), "no button resets the dashboard filters")
        reset.first.click()
        wait_idle(page)
        _, params = address(trip)
        trip.expect(not params.get("tier") and not params.get("province"),
                    f"the filters stay after the reset: {params}")
        trip.step("filters-reset")

        # ---- click through a chart of each kind to its list ----
        trip.sidebar(t("nav.dash_composition"), path="dash-composition")
        landed = click_through(trip, "charts.comp.tier", "黄金")
        _, params = address(trip)
        trip.expect(landed == "customers" and params.get("tier") == ["黄金"],
                    f"the 黄金 bar opened {trip.page.url}")
        trip.step("composition-gold-list")

        trip.sidebar(t("nav.dash_complaints"), path="dash-complaints")
        click_through(trip, "charts.cmp.by_type")
        trip.step("complaints-chart-list")

        trip.sidebar(t("nav.dash_renewals"), path="dash-renewals")
        click_through(trip, "charts.ren.upcoming")
        trip.step("renewals-chart-list")

        trip.sidebar(t("nav.dash_account_managers"), path="dash-account-managers")
        click_through(trip, "charts.am.sales")
        _, params = address(trip)
        trip.expect(params.get("am") and "tier" not in params,
                    f"the account manager's list keeps a stale filter: {trip.page.url}")
        trip.step("account-manager-list")
