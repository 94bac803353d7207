"""Fixtures for redeeming: a venue, sessions at Beijing times, residents with points, staff at the door.

Times are Beijing wall-clock times (the default scheme zone) and every operation gets an explicit `now`.
"""
import itertools
from datetime import timedelta

import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.redemption.models import NoShowPolicy
from tests.redemption.beijing import bj

CREATED = "2026-06-01 08:00"  # when the test sessions were published
_keys = itertools.count()


@pytest.fixture
def venue(app):
    venue = venues.create_venue("羽毛球馆", "badminton", NoShowPolicy.RELEASE, place="二楼")
    db.session.commit()
    return venue


@pytest.fixture
def make_session(venue):
    """make_session("2026-06-10 19:00", minutes=60, capacity=10, cost=5, venue=...) -> a committed session."""

    def make(start="2026-06-10 19:00", minutes=60, capacity=10, cost=5, at=venue):
        starts = bj(start)
        session = sessions.create_session(at, starts, starts + timedelta(minutes=minutes), capacity, cost,
                                          now=bj(CREATED))
        db.session.commit()
        return session

    return make


@pytest.fixture
def make_resident(make_user):
    """make_resident(points=100) -> a committed resident with that many points."""

    def make(points=100, **fields):
        resident = make_user(Role.RESIDENT, **fields)
        if points:
            ledger.award(resident.id, points, f"test-award:{next(_keys)}")
            db.session.commit()
        return resident

    return make


@pytest.fixture
def resident(make_resident):
    return make_resident(100, name="张桂兰")


@pytest.fixture
def staff(make_user, venue):
    return make_user(Role.STAFF, name="郑晓", venues=[venue])


@pytest.fixture
def book():
    """book(resident, session, now="2026-06-08 10:00", actor=None) -> a committed booking."""

    def make(resident, session, now="2026-06-08 10:00", actor=None):
        booking = bookings.book(actor or resident, resident, session, f"test-book:{next(_keys)}", now=bj(now))
        db.session.commit()
        return booking

    return make
