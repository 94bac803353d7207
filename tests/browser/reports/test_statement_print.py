"""The monthly statement in Chromium: readable on a phone, and printed on A4 with its title, street and closing."""
import pytest

from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_the_statement_on_a_phone(phone_page, small_scheme, sign_in, accessibility_problems, screenshot):
    sign_in(phone_page, small_scheme)
    phone_page.goto("/admin/reports/statement")
    closing = phone_page.locator("[data-line=closing]")
    assert closing.inner_text() == "45"
    seen = closing.bounding_box()
    assert seen["x"] + seen["width"] <= 360  # the figures fit the phone, no sideways scroll to find them
    assert phone_page.locator("[data-balances-now]").get_attribute("data-balances-now") == "45"
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "reports-statement-360")


def test_the_statement_prints_on_one_a4_sheet(office_page, small_scheme, sign_in, printed_text):
    sign_in(office_page, small_scheme)
    office_page.goto("/admin/reports/statement")
    title = office_page.locator("h1").inner_text()
    text = printed_text(office_page, name="reports-statement")
    assert text.pages == 1
    assert title in text and "棘洪滩街道" in text and "青峰社区" in text
    assert office_page.locator("[data-line=closing]").inner_text() in text.split(title, 1)[1]
