"""Setting up the door for tests (shared by the page tests here and the browser tests)."""
import itertools
from datetime import timedelta

from points import ledger
from points.redemption import bookings, sessions
from points.timeutil import now_utc

_keys = itertools.count()


def booked_ticket(venue, resident, starts_in=timedelta(minutes=-10), minutes=60):
    """A booking of `resident` for a new session at `venue` starting `starts_in` from now (flushed).

    The resident is given the session's cost first; the session is published two hours before it
    starts and booked half an hour before, through the real operations."""
    starts = now_utc() + starts_in
    session = sessions.create_session(venue, starts, starts + timedelta(minutes=minutes), 10, 5,
                                      now=starts - timedelta(hours=2))
    ledger.award(resident.id, 5, f"test-door:{next(_keys)}")
    return bookings.book(resident, resident, session, f"test-door:{next(_keys)}",
                         now=starts - timedelta(minutes=30))
