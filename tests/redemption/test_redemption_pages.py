"""The pages: a resident books and shows a ticket, an admin runs venues and sessions, a reviewer books for someone."""
from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings, sessions
from points.redemption.models import Booking, BookingStatus, VenueSession
from points.redemption.times import local_day
from points.timeutil import now_utc


@pytest.fixture
def tomorrow(venue):
    """A session tomorrow at this time of day, bookable now (real time: the pages read the clock)."""
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 8, 5)
    db.session.commit()
    return session


def text(response):
    return response.get_data(as_text=True)


def test_a_resident_books_from_the_venue_page_and_gets_a_ticket(client, login, resident, venue, tomorrow):
    login(resident)
    assert venue.name in text(client.get("/venues"))
    day_page = text(client.get(f"/venues/{venue.id}?day={local_day(tomorrow.starts_at).isoformat()}"))
    assert 'data-places-left="8"' in day_page and f"/sessions/{tomorrow.id}/book" in day_page
    confirm = text(client.get(f"/sessions/{tomorrow.id}/book"))
    assert 'data-cost="5"' in confirm and 'data-available="100"' in confirm
    done = client.post(f"/sessions/{tomorrow.id}/book", data={"request_key": "5b3e1c1e-0d1a-4c59-9a57-1b8d7b0c2f11"})
    assert done.status_code == 302 and "/bookings/" in done.location
    ticket = text(client.get(done.location))
    booking = db.session.execute(db.select(Booking)).scalar_one()
    assert "<svg" in ticket and booking.short_code[:4] + "-" + booking.short_code[4:] in ticket
    assert ledger.balance(resident.id).held == 5


def test_the_same_form_sent_twice_books_once(client, login, resident, tomorrow):
    login(resident)
    form = {"request_key": "5b3e1c1e-0d1a-4c59-9a57-1b8d7b0c2f11"}
    first = client.post(f"/sessions/{tomorrow.id}/book", data=form)
    second = client.post(f"/sessions/{tomorrow.id}/book", data=form)
    assert first.location == second.location and ledger.balance(resident.id).held == 5


def test_a_refusal_is_shown_on_the_confirm_page_with_nothing_written(client, login, make_resident, tomorrow):
    poor = make_resident(2)
    login(poor)
    refused = client.post(f"/sessions/{tomorrow.id}/book", data={"request_key": "5b3e1c1e-0d1a-4c59-9a57-1b8d7b0c2f11"})
    assert refused.status_code == 409 and "2" in text(refused)
    db.session.expire_all()
    assert db.session.get(VenueSession, tomorrow.id).booked == 0


def test_my_bookings_and_cancelling(client, login, resident, tomorrow, book):
    booking = bookings.book(resident, resident, tomorrow, "k")
    db.session.commit()
    login(resident)
    assert f"/bookings/{booking.id}" in text(client.get("/bookings"))
    assert client.post(f"/bookings/{booking.id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED
    assert ledger.balance(resident.id) == ledger.Balance(available=100, held=0, earned_total=100)


def test_someone_elses_ticket_does_not_exist(client, login, resident, make_resident, tomorrow):
    booking = bookings.book(resident, resident, tomorrow, "k")
    db.session.commit()
    login(make_resident())
    assert client.get(f"/bookings/{booking.id}").status_code == 404
    assert client.post(f"/bookings/{booking.id}/cancel").status_code == 404


def test_a_reviewer_books_for_a_resident_they_look_after(client, login, make_user, resident, venue, tomorrow):
    login(make_user(Role.REVIEWER))
    page = text(client.get(f"/venues/{venue.id}?for={resident.id}&day={local_day(tomorrow.starts_at).isoformat()}"))
    assert resident.name in page
    done = client.post(f"/sessions/{tomorrow.id}/book?for={resident.id}",
                       data={"request_key": "5b3e1c1e-0d1a-4c59-9a57-1b8d7b0c2f11"})
    assert done.status_code == 302
    booking = db.session.execute(db.select(Booking)).scalar_one()
    assert booking.user_id == resident.id and booking.booked_by != resident.id


def test_an_admin_opens_a_venue_adds_an_offering_and_a_timetable(client, login, make_user):
    login(make_user(Role.ADMIN))
    staff = make_user(Role.STAFF, name="冯涛")
    created = client.post("/admin/venues/new", data={"name": "游泳馆", "kind": "swimming", "place": "负一楼",
                                                      "rules": "请戴泳帽", "no_show_policy": "forfeit", "staff": [staff.id]})
    assert created.status_code == 302
    venue_id = int(created.location.rstrip("/").split("/")[-1])
    added = client.post(f"/admin/venues/{venue_id}/offerings", data={"new-name_zh": "游泳一小时", "new-cost": "10"})
    assert added.status_code == 302 and "游泳一小时" in text(client.get(f"/admin/venues/{venue_id}"))
    first = local_day(now_utc()) + timedelta(days=1)
    published = client.post(f"/admin/venues/{venue_id}/timetable", data={
        "first_day": first.isoformat(), "last_day": (first + timedelta(days=6)).isoformat(),
        "weekdays": ["0", "2", "4"], "times": "09:00，19:30", "minutes": "60", "capacity": "20", "cost": "8"})
    assert published.status_code == 302
    assert db.session.execute(db.select(db.func.count()).select_from(VenueSession)).scalar() == 6
    assert [v.name for v in staff.venues] == ["游泳馆"]


def test_a_bad_timetable_is_explained_and_writes_nothing(client, login, make_user, venue):
    login(make_user(Role.ADMIN))
    refused = client.post(f"/admin/venues/{venue.id}/timetable", data={
        "first_day": "2030-01-01", "last_day": "2030-01-07", "weekdays": ["0"], "times": "25:00",
        "minutes": "60", "capacity": "20", "cost": "8"})
    assert refused.status_code == 422 and "09:00" in text(refused)
    assert db.session.execute(db.select(db.func.count()).select_from(VenueSession)).scalar() == 0


def test_an_admin_cancels_a_session_and_the_resident_is_told(app, client, login, make_user, resident, tomorrow):
    booking = bookings.book(resident, resident, tomorrow, "k")
    db.session.commit()
    login(make_user(Role.ADMIN))
    page = text(client.get(f"/admin/sessions/{tomorrow.id}"))
    assert booking.short_code and resident.name in page and 'data-booked-count="1"' in page
    for bad in ("", "   ", "停\x00电"):  # cancelling cannot be undone: it asks why first, and a bad reason changes nothing
        assert client.post(f"/admin/sessions/{tomorrow.id}/cancel", data={"reason": bad}).status_code == 422
    db.session.expire_all()
    assert tomorrow.cancelled_at is None and ledger.balance(resident.id).available == 95
    assert client.post(f"/admin/sessions/{tomorrow.id}/cancel", data={"reason": "场馆停电检修"}).status_code == 302
    assert ledger.balance(resident.id).available == 100
    with app.test_request_context():
        login_user(resident)
        shown = render_template("redemption/_notifications.html")
    assert "羽毛球馆" in shown and "5" in shown and "场馆停电检修" in shown


def test_admin_pages_are_for_admins(client, login, resident, venue):
    login(resident)
    assert client.get("/admin/venues").status_code == 403
    assert client.get(f"/admin/venues/{venue.id}/sessions").status_code == 403
