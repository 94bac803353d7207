"""No surprises on the staff side: rejecting several claims asks first, with the count; a booking
made for a resident ends on a slip to print; "Booked" leads to the ticket."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from points import ledger
from points.accounts.models import Role
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.redemption.models import Booking
from points.redemption.tickets import spaced
from points.redemption.times import local_day
from points.timeutil import now_utc
from points.dates import day, hhmm


def statuses(*claims):
    db.session.expire_all()
    return [db.session.get(Claim, c.id).status for c in claims]


def test_rejecting_ticked_claims_asks_first_with_the_count(client, make_user, make_claim, reviewer_user, login):
    first, second = (make_claim(make_user(name=name)) for name in ("张桂兰", "刘德华"))
    login(reviewer_user)
    queue = client.get("/review").get_data(as_text=True)
    assert 'name="ask" value="reject"' in queue
    asked = client.post("/review/decide", data={"ask": "reject", "claim_ids": [first.id, second.id],
                                                "reason": "照片看不清"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Reject 2 claims?" in html and "The residents will read your reason." in html
    assert "张桂兰" in html and "刘德华" in html and 'value="照片看不清"' in html  # the reason is kept
    assert statuses(first, second) == [ClaimStatus.PENDING] * 2  # nothing is decided by asking
    client.post("/review/decide", data={"bulk": "reject", "claim_ids": [first.id, second.id],
                                        "reason": "照片看不清"})
    assert statuses(first, second) == [ClaimStatus.REJECTED] * 2


def test_asking_without_a_reason_or_a_tick_says_what_is_missing(client, make_user, make_claim, reviewer_user,
                                                                login):
    claim = make_claim(make_user(name="张桂兰"))
    login(reviewer_user)
    no_reason = client.post("/review/decide", data={"ask": "reject", "claim_ids": [claim.id], "reason": " "})
    assert no_reason.status_code == 422 and "Please give the resident a reason for rejecting." in no_reason.get_data(
        as_text=True)
    no_tick = client.post("/review/decide", data={"ask": "reject", "reason": "重复申报"})
    assert no_tick.status_code == 422 and "Please tick at least one claim." in no_tick.get_data(as_text=True)
    assert statuses(claim) == [ClaimStatus.PENDING]


@pytest.fixture
def tomorrow(app):
    """A session at the badminton hall tomorrow at this time, bookable now (the pages read the clock)."""
    venue = venues.create_venue("羽毛球馆", "badminton")
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 8, 5)
    db.session.commit()
    return session


def book_for(client, resident, session):
    return client.post(f"/sessions/{session.id}/book?for={resident.id}",
                       data={"request_key": "5b3e1c1e-0d1a-4c59-9a57-1b8d7b0c2f12"})


def test_a_reviewers_booking_for_a_resident_ends_on_a_printable_slip(client, resident, reviewer_user, login,
                                                                     tomorrow):
    ledger.award(resident.id, 20, "test:slip")
    db.session.commit()
    login(reviewer_user)
    done = book_for(client, resident, tomorrow)
    booking = db.session.execute(select(Booking)).scalar_one()
    assert done.status_code == 302 and done.location == f"/bookings/{booking.id}/slip"
    slip = client.get(done.location).get_data(as_text=True)
    assert "羽毛球馆" in slip and hhmm(tomorrow.starts_at) in slip and day(tomorrow.starts_at) in slip
    assert spaced(booking.short_code) in slip and "<svg" in slip  # the code to type, and the QR to scan
    assert "张桂兰" in slip and "data-print" in slip


def test_booked_on_the_venue_page_leads_to_the_ticket_or_the_slip(client, resident, reviewer_user, login, tomorrow):
    ledger.award(resident.id, 20, "test:booked link")
    booking = bookings.book(resident, resident, tomorrow, "test:booked link, booking")
    db.session.commit()
    on_the_day = f"/venues/{tomorrow.venue_id}?day={local_day(tomorrow.starts_at).isoformat()}"
    login(reviewer_user)
    for_resident = client.get(f"{on_the_day}&for={resident.id}").get_data(as_text=True)
    assert f'href="/bookings/{booking.id}/slip">' in for_resident
    client.post("/logout")
    login(resident)
    own = client.get(on_the_day).get_data(as_text=True)
    assert f'class="state state--booked" href="/bookings/{booking.id}">' in own


def test_nobody_else_prints_a_residents_slip(client, resident, make_user, login, tomorrow):
    ledger.award(resident.id, 20, "test:slip privacy")
    booking = bookings.book(resident, resident, tomorrow, "test:slip privacy, booking")
    db.session.commit()
    login(make_user(Role.REVIEWER, community="午山社区"))  # reviews another community
    assert client.get(f"/bookings/{booking.id}/slip").status_code == 404
