"""No surprises for a resident: a booking says before confirming whether it can be
cancelled; one history line per booking; one date format per language; venues named in English too."""
import re
from datetime import datetime, time, timedelta

import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.redemption.checkin import check_in
from points.redemption.times import local_day
from points.timeutil import at_local, now_utc
from tests.redemption.beijing import bj

EN = {"Accept-Language": "en"}


@pytest.fixture
def starting_soon(venue):
    """A session that starts in an hour: inside the two-hour cancel deadline."""
    starts = now_utc() + timedelta(hours=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 8, 5)
    db.session.commit()
    return session


@pytest.fixture
def tomorrow_evening(venue):
    """Tomorrow 19:00 in the scheme's zone: cancellable until 17:00."""
    starts = at_local(local_day(now_utc()) + timedelta(days=1), time(19))
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 8, 5)
    db.session.commit()
    return session


def confirm_page(client, session, **kwargs):
    return client.get(f"/sessions/{session.id}/book", **kwargs).get_data(as_text=True)


def test_a_booking_inside_the_cancel_deadline_says_so_before_confirming(client, login, resident, starting_soon):
    login(resident)
    page = confirm_page(client, starting_soon, headers=EN)
    assert "This session starts soon: once booked it cannot be cancelled." in page
    assert "You can cancel until" not in page and "Book for 5 points" in page


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_ordinary_booking_says_until_when_it_can_be_cancelled(client, login, resident, tomorrow_evening, language):
    login(resident)
    day = local_day(tomorrow_evening.starts_at)
    page = confirm_page(client, tomorrow_evening, headers={"Accept-Language": language})
    said = {"en": f"You can cancel until {day.day} {datetime(2000, day.month, 1):%b} {day.year} 17:00.",
            "zh": f"{day.year}年{day.month}月{day.day}日 17:00"}  # the sentence itself waits for the catalogue
    assert said[language] in page and "data-late-booking" not in page


@pytest.fixture
def three_bookings(resident, staff, make_session, book):
    """One booking still held, one checked in at the door, one cancelled: each 5 points, made in that order."""
    held, used, cancelled = (book(resident, make_session(f"2026-06-1{n} 19:00")) for n in (2, 0, 1))
    check_in(staff, used.ticket_code, used.session.venue_id, "door", now=bj("2026-06-10 18:50"))
    bookings.cancel(resident, cancelled, now=bj("2026-06-09 09:00"))
    db.session.commit()
    return held, used, cancelled


def test_the_home_shows_one_line_per_booking_with_its_state(client, login, resident, three_bookings):
    login(resident)
    home = client.get("/", headers=EN).get_data(as_text=True)
    history = home.split('class="history"')[1].split("</ol>")[0]
    assert history.count("history__line") == 4  # three bookings and the award, not seven transfers
    changes = re.findall(r'class="history__change[^"]*">([^<]+)<', history)
    assert changes == ["0", "\u22125", "\u22125", "+100"]  # cancelled, checked in, held; the award
    states = re.findall(r'data-booking-state="(\w+)">([^<]+)<', history)
    assert states == [("released", "Cancelled, points returned"), ("used", "Used")]
    assert history.count("On hold") == 1


def test_one_line_per_booking_pages_by_keyset_without_gaps(resident, three_bookings):
    pages, before = [], None
    while page := ledger.history(resident.id, limit=2, before=before, one_line_per_booking=True):
        pages.append([line.hold_state for line in page])
        before = page[-1].transfer.id
    assert pages == [["released", "used"], ["held", None]]
    assert sum(line.change for line in ledger.history(resident.id, one_line_per_booking=True)) == 90


@pytest.mark.parametrize("language, said", [("en", "Wed 10 Jun 2026"), ("zh", "2026年6月10日 周三")])
def test_a_ticket_gives_its_day_in_the_one_format_of_each_language(client, login, resident, make_session, book,
                                                                   language, said):
    booking = book(resident, make_session("2026-06-10 19:00"))
    login(resident)
    ticket = client.get(f"/bookings/{booking.id}", headers={"Accept-Language": language}).get_data(as_text=True)
    assert said in ticket and "19:00" in ticket


def test_an_admin_gives_a_venue_an_english_name_that_english_readers_see(client, login, make_user, resident):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # one language a test: Flask-Babel keeps the first it finds
    login(make_user(Role.ADMIN))
    opened = client.post("/admin/venues/new", data={"name": "游泳馆", "name_en": "Swimming pool", "kind": "swimming",
                                                     "no_show_policy": "release"})
    assert opened.status_code == 302
    venues.create_venue("乒乓球馆", "table_tennis")  # no English name: English readers see the Chinese one
    db.session.commit()
    client.post("/logout")
    login(resident)
    english = client.get("/venues").get_data(as_text=True)
    assert "Swimming pool" in english and "游泳馆" not in english and "乒乓球馆" in english


def test_the_api_opens_a_venue_with_its_english_name(client, make_user, token_for):
    headers = token_for(make_user(Role.ADMIN))
    made = client.post("/api/v1/venues", json={"name": "游泳馆", "name_en": "Swimming pool", "kind": "swimming"},
                       headers={**headers, "Idempotency-Key": "venue-1"})
    assert made.status_code == 201 and made.get_json()["name_en"] == "Swimming pool"
