"""The dashboard in Chromium, on an office screen and on a phone: every chart drawn, its table beside it."""
import pytest

from tests.browser.conftest import horizontal_overflow
from tests.browser.reports.conftest import CHARTS

pytestmark = pytest.mark.browser

DRAWN = """box => { const svg = box.querySelector('svg'); const size = svg && svg.getBoundingClientRect();
    return svg ? {width: size.width, height: size.height, marks: svg.querySelectorAll('path, rect, text').length} : null; }"""


def open_dashboard(page, sign_in, phone):
    sign_in(page, phone)
    page.goto("/admin/reports")
    page.locator("[data-chart][data-drawn]").nth(len(CHARTS) - 1).wait_for()


def assert_charts_drawn(page):
    for name in CHARTS:
        drawn = page.locator(f"[data-chart={name}]").evaluate(DRAWN)
        assert drawn["width"] > 200 and drawn["height"] > 150 and drawn["marks"] > 10, (name, drawn)


def test_the_charts_are_drawn_at_office_width(office_page, small_scheme, sign_in, console_errors, screenshot,
                                              accessibility_problems):
    errors = console_errors(office_page)
    open_dashboard(office_page, sign_in, small_scheme)
    assert_charts_drawn(office_page)
    assert office_page.locator("[data-table=points_per_month] [data-total=awarded]").inner_text() == "50"
    assert "乒乓球室" in office_page.locator("[data-table=venue_use]").inner_text()
    assert accessibility_problems(office_page) == []
    screenshot(office_page, "reports-dashboard-1280")
    assert errors == []


def test_the_dashboard_fits_a_phone(phone_page, small_scheme, sign_in, console_errors, screenshot,
                                    accessibility_problems):
    errors = console_errors(phone_page)
    open_dashboard(phone_page, sign_in, small_scheme)
    assert_charts_drawn(phone_page)
    assert "锦湖社区" in phone_page.locator("[data-table=points_per_community]").inner_text()
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "reports-dashboard-360")
    assert errors == []


def test_the_dashboard_prints_every_chart_on_a4(office_page, small_scheme, sign_in, printed_text):
    open_dashboard(office_page, sign_in, small_scheme)
    titles = office_page.locator(".report-figure h2").all_inner_texts()
    text = printed_text(office_page, name="reports-dashboard")
    assert all(title in text for title in titles) and text.pages <= 6
