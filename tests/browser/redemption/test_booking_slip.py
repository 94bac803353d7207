"""A reviewer books for a resident without a phone on a 360 px phone and lands on the slip to print."""
from datetime import timedelta

import pytest

from points import ledger
from points.accounts.models import Role
from points.redemption import sessions, venues
from points.redemption.times import local_day
from points.timeutil import now_utc
from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.browser


def test_a_booking_for_a_resident_ends_on_a_slip_that_prints_alone(phone_page, sign_in, seed, live_user, screenshot,
                                                                   accessibility_problems):
    _, resident_id = live_user(name="张桂兰")
    reviewer_phone, _ = live_user(Role.REVIEWER, name="赵敏")
    with seed():
        ledger.award(resident_id, 30, "seed")
        venue = venues.create_venue("羽毛球馆", "badminton")
        starts = now_utc() + timedelta(days=1)
        session = sessions.create_session(venue, starts, starts + timedelta(minutes=90), 12, 8)
        session_id, venue_id, day = session.id, venue.id, local_day(starts).isoformat()
    sign_in(phone_page, reviewer_phone)
    phone_page.goto(f"/venues/{venue_id}?day={day}&for={resident_id}")
    phone_page.locator(f'a[href="/sessions/{session_id}/book?for={resident_id}"]').click()
    phone_page.locator("form button[type=submit].button--block").click()
    phone_page.wait_for_url("**/slip")
    slip = phone_page.locator("[data-booking-slip]")
    assert "羽毛球馆" in slip.inner_text() and "张桂兰" in slip.inner_text()
    assert slip.locator(".ticket__qr svg").is_visible() and horizontal_overflow(phone_page) == 0
    screenshot(phone_page, "booking-slip-360")
    assert accessibility_problems(phone_page) == []
    phone_page.emulate_media(media="print")  # what the printer gets: the slip, without the page around it
    assert slip.is_visible() and phone_page.locator("[data-print]").is_hidden()
    assert phone_page.locator(".site-header").is_hidden()
