"""Fixtures for the door pages: a venue with an offering, its staff signed in, and tickets for sessions
around "now" — the pages use the clock as a real door does, so the clock is set to noon in Beijing."""
import itertools
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from points.accounts.models import Role
from points.extensions import db
from points.redemption import venues
from tests.scan.door import booked_ticket


@pytest.fixture(autouse=True)
def beijing_noon(app):
    """"Today" is a day in the scheme's zone: these tests run at noon in Beijing, far from midnight."""
    # Connect first: database drivers with C parts must load before freezegun swaps the date classes.
    db.session.execute(select(1))
    db.session.rollback()
    with freeze_time("2026-06-10 04:00:00", tick=True) as clock:
        yield clock  # a test can move the clock on: beijing_noon.tick(timedelta(minutes=2))


@pytest.fixture
def venue(app):
    venue = venues.create_venue("羽毛球馆", "badminton")
    venues.add_offering(venue, "羽毛球一小时", "Badminton, one hour", 10)
    db.session.commit()
    return venue


@pytest.fixture
def staff(make_user, login, venue):
    """Venue staff of the venue, signed in."""
    user = make_user(Role.STAFF, name="郑晓", venues=[venue])
    login(user)
    return user


@pytest.fixture
def resident(make_user):
    return make_user(Role.RESIDENT, name="张桂兰")


@pytest.fixture
def ticket(venue, resident):
    """ticket(starts_in=timedelta(minutes=-10), at=venue, who=resident) -> a committed booking."""

    def make(starts_in=timedelta(minutes=-10), at=None, who=None):
        booking = booked_ticket(at or venue, who or resident, starts_in)
        db.session.commit()
        return booking

    return make


@pytest.fixture
def scan(client):
    """scan(code, venue_id, nonce=None) -> (status, JSON) of POST /scan/check."""
    nonces = itertools.count()

    def post(code, venue_id, nonce=None):
        body = {"code": code, "venue_id": venue_id, "nonce": nonce or f"nonce-{next(nonces):04d}"}
        response = client.post("/scan/check", json=body, headers={"Accept": "application/json"})
        return response.status_code, response.get_json()

    return post
