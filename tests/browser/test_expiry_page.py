"""The year-end clearing on a phone: one admin previews and asks, a second approves, at 360 px in Chinese."""
import pytest

from points import ledger
from points.accounts.models import Role
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_two_admins_clear_the_year_on_a_phone(live_app, phone_page, live_user, seed, sign_in, screenshot,
                                               accessibility_problems):
    live_app.config["EXPIRY_POLICY"] = "year_end"
    first, _ = live_user(Role.ADMIN, name="管理员甲")
    second, _ = live_user(Role.ADMIN, name="管理员乙")
    _, resident = live_user(name="王芳")
    with seed():
        ledger.award(resident, 40, "browser:expiry")
    sign_in(phone_page, first)
    phone_page.goto("/admin/expiry")
    preview = phone_page.locator("[data-expiry-preview]")
    assert preview.locator("[data-points]").get_attribute("data-points") == "40"
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
    screenshot(phone_page, "expiry-360")
    confirm = phone_page.locator("input[name=confirm_ahead]")
    if confirm.count():  # 31 December still lies ahead: the page asks to confirm the early clearing
        confirm.check()
    phone_page.locator("form[action$='/admin/expiry/request'] button").click()
    waiting = phone_page.locator("[data-status=waiting]")
    waiting.wait_for()  # the request's answer, before anything else (its cookie would outlive clear_cookies)
    assert waiting.count() == 1 and waiting.locator("form").count() == 0  # the asker cannot approve
    phone_page.context.clear_cookies()
    sign_in(phone_page, second)
    phone_page.goto("/admin/expiry")
    phone_page.locator("[data-status=waiting] form[action$='/approve'] button").click()
    phone_page.locator("[data-cleared]").wait_for()
    assert horizontal_overflow(phone_page) == 0
    with seed():
        assert ledger.balance(resident).available == 0
