"""No surprises for a resident: the confirm page says until when a booking can be cancelled, or that it cannot."""
from datetime import datetime, time, timedelta

import pytest

from points.extensions import db
from points.redemption import sessions
from points.redemption.times import local_day
from points.timeutil import at_local, now_utc

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
