"""The phone's own text size at 200 %: every page of the tour still fits 360 px, header words stay whole,
back links stay at least 44 px tall, in both modes.

How the 200 % is made: CDP `Page.setFontSizes` raises Chromium's default font size from 16 px to 32 px,
which is what the browser's own text-size setting does (Chrome's "font size" preference, and Android
Chrome's text scaling raising the root size): everything sized in rem/em doubles, the layout reflows at
the same 360 px viewport. Page zoom (`Emulation.setPageScaleFactor`) would only magnify a finished layout
and prove nothing about reflow.
"""
import pytest

from tests.browser.test_care_mode import RESIDENT_PAGES, check_page, people, turn_care_on  # noqa: F401

pytestmark = pytest.mark.browser


def text_at_200_percent(page):
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    return page


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_pages_survive_200_percent_text(browser, open_context, sign_in, people, screenshot,  # noqa: F811
                                        accessibility_problems, care):
    phone, staff_phone, paths = people
    mode = ("care" if care else "normal") + "-text200"
    page = text_at_200_percent(open_context(browser).new_page())
    sign_in(page, phone)
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "36px"  # 18 px body text, doubled
    if care:
        turn_care_on(page)
    for name in RESIDENT_PAGES:
        page.goto(paths[name])
        check_page(page, care, name, screenshot, accessibility_problems, mode=mode)
    staff = text_at_200_percent(open_context(browser).new_page())
    sign_in(staff, staff_phone)
    if care:
        turn_care_on(staff)
    check_page(staff, care, "scan", screenshot, accessibility_problems, mode=mode)
