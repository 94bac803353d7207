"""Exactly once through real HTTP, on SQLite and PostgreSQL: many requests released at the same moment."""
import uuid
from collections import Counter
from datetime import timedelta

import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.timeutil import now_utc


@pytest.fixture
def venue(app):
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    db.session.commit()
    return venue


def session_at(venue, minutes_from_now, capacity=50, cost=5):
    starts = now_utc() + timedelta(minutes=minutes_from_now)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), capacity, cost)
    db.session.commit()
    return session


def resident_with(make_user, points):
    resident = make_user(Role.RESIDENT)
    ledger.award(resident.id, points, f"seed:{resident.id}")
    db.session.commit()
    return resident


def test_forty_scans_of_one_ticket_check_in_once(make_user, token_for, venue, post_at_once):
    resident = resident_with(make_user, 20)
    ticket = bookings.book(resident, resident, session_at(venue, 10), "booking")
    db.session.commit()
    headers = token_for(make_user(Role.STAFF, venues=[venue]))
    scan = {"code": ticket.ticket_code, "venue_id": venue.id}  # read here: the racing threads have no app
    answers = post_at_once(40, "/api/v1/checkins", lambda i: {**scan, "nonce": f"scan-{i}"}, lambda i: headers)
    assert Counter((status, body["result"]) for status, _, body in answers) == {
        (200, "ok"): 1, (409, "already_used"): 39}
    assert ledger.balance(resident.id) == ledger.Balance(available=15, held=0, earned_total=20)
    assert ledger.verify() == []


def test_bookings_beyond_the_balance_stop_at_what_it_covers(make_user, token_for, venue, post_at_once):
    resident = resident_with(make_user, 12)  # covers two sessions at 5 points
    headers = token_for(resident)
    # Limits other than the balance are out of the way: one session each, more allowed at once.
    racing = [session_at(venue, 60 + 90 * i).id for i in range(20)]
    with _setting("MAX_ACTIVE_BOOKINGS", 100):
        answers = post_at_once(20, "/api/v1/bookings", lambda i: {"session_id": racing[i]},
                               lambda i: {**headers, "Idempotency-Key": str(uuid.uuid4())})
    outcomes = Counter(body.get("error", {}).get("code", status) for status, _, body in answers)
    assert outcomes == {201: 2, "insufficient_points": 18}
    assert ledger.balance(resident.id) == ledger.Balance(available=2, held=10, earned_total=12)
    assert ledger.verify() == []


def test_bookings_beyond_capacity_stop_at_the_capacity(make_user, token_for, venue, post_at_once):
    session = session_at(venue, 60, capacity=7)
    headers = [token_for(resident_with(make_user, 10)) for _ in range(20)]
    body = {"session_id": session.id}
    answers = post_at_once(20, "/api/v1/bookings", lambda i: body, lambda i: headers[i])
    outcomes = Counter(body.get("error", {}).get("code", status) for status, _, body in answers)
    assert outcomes == {201: 7, "session_full": 13}
    db.session.refresh(session)
    assert session.booked == 7 and ledger.verify() == []


class _setting:
    """Change a setting of the running app for the duration of a block."""

    def __init__(self, name, value):
        from flask import current_app

        self.config, self.name, self.value = current_app.config, name, value

    def __enter__(self):
        self.before = self.config[self.name]
        self.config[self.name] = self.value

    def __exit__(self, *exc):
        self.config[self.name] = self.before
