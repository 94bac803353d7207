"""A resident books a session on a 360 px phone in Chromium and opens the ticket; screenshots for people."""
from datetime import timedelta

import pytest

from points import ledger
from points.redemption import sessions, venues
from points.redemption.times import local_day
from points.timeutil import now_utc
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def bookable(seed, live_user):
    """A resident with 30 points, and a badminton session tomorrow (phone, session id, day)."""
    phone, resident_id = live_user(name="张桂兰")
    with seed():
        ledger.award(resident_id, 30, "seed")
        venue = venues.create_venue("羽毛球馆", "badminton", place="青大片区党群服务中心 二楼", rules="请穿运动鞋")
        starts = now_utc() + timedelta(days=1)
        session = sessions.create_session(venue, starts, starts + timedelta(minutes=90), 12, 8)
        return phone, session.id, local_day(starts).isoformat(), venue.id


def test_booking_and_the_ticket_at_360px(phone_page, sign_in, bookable, screenshot, accessibility_problems):
    phone, session_id, day, venue_id = bookable
    sign_in(phone_page, phone)
    phone_page.goto(f"/venues/{venue_id}?day={day}")
    screenshot(phone_page, "venue-day-360")
    assert phone_page.locator("[data-places-left]").first.inner_text()
    phone_page.locator(f'a[href="/sessions/{session_id}/book"]').click()
    assert phone_page.locator("[data-cost]").inner_text() == "8"
    phone_page.locator("form button[type=submit].button--block").click()
    phone_page.wait_for_url("**/bookings/*")
    assert phone_page.locator(".ticket__qr svg").is_visible()
    assert phone_page.locator("[data-short-code]").inner_text().count("-") == 1
    screenshot(phone_page, "ticket-360")
    assert horizontal_overflow(phone_page) == 0
    assert accessibility_problems(phone_page) == []
