"""Family helpers on a 360 px phone: 张桂兰 invites her son, he accepts on his home and acts for her.

(Named apart from tests/accounts/test_family_helpers.py: two test files may not share a name.)"""
import pytest

from points import ledger
from points.accounts.models import Role
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_invite_accept_and_act_for_on_a_phone(browser, open_context, live_user, seed, sign_in, screenshot):
    mother_phone, mother = live_user(Role.RESIDENT, name="张桂兰")
    son_phone, _son = live_user(Role.RESIDENT, name="李明", community="午山社区")
    with seed():
        ledger.award(mother, 40, "browser-helpers")

    page = open_context(browser).new_page()
    sign_in(page, mother_phone)
    page.locator('a[href="/helpers"]').first.click()
    page.locator('input[name="phone"]').fill(son_phone)
    page.locator('input[name="scopes"][value="view"]').check()
    page.locator('form[action="/helpers"] button[type="submit"]').click()
    invited = page.locator("[data-state=pending]")
    assert son_phone[:3] + "****" + son_phone[-4:] in invited.inner_text()
    assert horizontal_overflow(page) == 0
    screenshot(page, "family-helpers-360")

    other = open_context(browser).new_page()
    sign_in(other, son_phone)
    other.locator("[data-invitation] a").click()
    other.locator('form[action$="/accept"] button').click()
    other.wait_for_url(f"**/helpers/for/{mother}")
    assert "张桂兰" in other.locator("h1").inner_text()
    assert other.locator("[data-available]").inner_text() == "40"
    assert other.locator("[data-book-for]").is_visible()
    assert horizontal_overflow(other) == 0
    screenshot(other, "acting-for-360")

    other.goto("/")
    other.locator(f'[data-act-for="{mother}"]').click()
    other.locator("[data-book-for]").click()
    assert "张桂兰" in other.locator(".acting-for").inner_text()  # the venue pages say whom he books for
