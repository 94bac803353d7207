"""A resident without a password gets a code from their reviewer and signs in with it, on a 360 px phone."""
import pytest

from points.accounts import people
from points.accounts.models import Role, User
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_a_reviewer_issues_a_code_and_the_resident_activates_with_it(phone_page, browser, open_context, live_server, live_user, seed,
                                                                     sign_in, screenshot, accessibility_problems):
    reviewer_phone, reviewer = live_user(Role.REVIEWER, name="赵敏")
    with seed() as session:
        resident = people.register_resident(session.get(User, reviewer), "13712345678", "李大爷").id
    sign_in(phone_page, reviewer_phone)
    phone_page.goto(f"/admin/residents/{resident}")
    phone_page.locator("[data-issue-code]").click()
    code = phone_page.locator("[data-code]")
    shown = code.inner_text()
    assert len(shown) == 9 and shown[4] == " " and shown.replace(" ", "").isdigit()
    assert "137****5678" in phone_page.locator(".code-slip").inner_text()
    assert code.bounding_box()["height"] >= 40  # very large digits
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "code-slip-360")
    phone_page.emulate_media(media="print")  # printed: the slip alone, the code still large
    assert phone_page.locator(".site-header").is_hidden() and phone_page.locator("[data-print]").is_hidden()
    assert code.is_visible() and code.bounding_box()["height"] >= 40
    phone_page.emulate_media(media="screen")

    page = open_context(browser).new_page()
    page.goto("/login")
    page.locator('a[href="/forgot-password"]').click()
    page.locator('a[href="/activate"]').first.click()
    page.locator('input[name="phone"]').fill("13712345678")
    page.locator('input[name="code"]').fill(shown)
    page.locator('input[name="password"]').fill("lidaye2026")
    page.locator('input[name="password_again"]').fill("lidaye2026")
    assert horizontal_overflow(page) == 0
    assert accessibility_problems(page) == []
    screenshot(page, "activate-360")
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"{live_server}/")
    assert "李大爷" in page.locator(".site-header").inner_text()  # signed in, at home
