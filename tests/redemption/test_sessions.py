"""Sessions: a weekly timetable in one step, times in Beijing stored as UTC, cancelling, no-show settlement."""
from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from points import ledger
from points.accounts.models import Role
from points.errors import Invalid
from points.extensions import db
from points.redemption import bookings, notifications, sessions, venues
from points.redemption.models import BookingStatus, NoShowPolicy
from points.redemption.settlement import settle_each
from points.timeutil import as_utc
from tests.redemption.beijing import bj


def test_a_timetable_publishes_a_week_in_one_step_and_skips_what_exists(venue, make_session):
    make_session("2026-06-09 19:00")  # Tuesday 19:00 exists already
    created, skipped = sessions.create_timetable(
        venue, date(2026, 6, 8), date(2026, 6, 14), weekdays={1, 3}, times=[time(19), time(9)],
        minutes=90, capacity=12, cost=6, now=bj("2026-06-01 08:00"))
    db.session.commit()
    starts = [sessions.places_left(s) and as_utc(s.starts_at) for s in created]
    assert skipped == 1 and len(created) == 3
    assert starts == [bj("2026-06-09 09:00"), bj("2026-06-11 09:00"), bj("2026-06-11 19:00")]
    assert as_utc(created[0].starts_at) == datetime(2026, 6, 9, 1, 0, tzinfo=UTC)  # stored in UTC


def test_a_time_without_its_offset_is_refused(venue):
    with pytest.raises(Invalid) as refused:
        sessions.create_session(venue, datetime(2026, 6, 10, 19), datetime(2026, 6, 10, 20), 10, 5)
    assert refused.value.code == "time_without_offset"


def test_cancelling_a_session_releases_every_hold_and_tells_each_resident(make_resident, make_session, book, make_user):
    session = make_session(cost=5)
    people = [make_resident(20) for _ in range(3)]
    for person in people:
        book(person, session)
    assert sessions.cancel_session(make_user(Role.ADMIN), session, now=bj("2026-06-09 10:00")) == 3
    db.session.commit()
    assert session.booked == 0 and session.cancelled_at is not None
    assert [ledger.balance(p.id).available for p in people] == [20, 20, 20]
    told = notifications.unread(people[0].id)
    assert [n.kind for n in told] == ["session_cancelled"]
    assert "羽毛球馆" in notifications.text(told[0]) and ledger.verify() == []


@pytest.mark.parametrize("policy, available", [(NoShowPolicy.RELEASE, 100), (NoShowPolicy.FORFEIT, 95)])
def test_settling_no_shows_follows_the_policy_once(venue, resident, make_session, book, policy, available):
    venues.update_venue(venue, venue.name, venue.kind, policy)
    booking = book(resident, make_session("2026-06-10 19:00", minutes=60, cost=5))
    assert settle_each(now=bj("2026-06-10 19:59")) == 0
    assert settle_each(now=bj("2026-06-10 20:00")) == 1
    assert settle_each(now=bj("2026-06-10 21:00")) == 0
    db.session.commit()
    assert booking.status == BookingStatus.NO_SHOW and booking.session.settled_at is not None
    assert ledger.balance(resident.id) == ledger.Balance(available=available, held=0, earned_total=100)
    assert ledger.verify() == []


def test_reading_my_bookings_settles_a_finished_session(resident, make_session, book):
    book(resident, make_session("2026-06-10 19:00"))
    listed = bookings.bookings_of(resident.id, now=bj("2026-06-11 08:00"))
    db.session.rollback()  # what a read request does at its end: the settlement was committed already
    assert [b.status for b in listed] == [BookingStatus.NO_SHOW]
    assert ledger.balance(resident.id).held == 0


def test_reading_a_sessions_bookings_settles_it(resident, make_session, book):
    session = make_session("2026-06-10 19:00")
    book(resident, session)
    (booking, person), = bookings.bookings_in(session, now=bj("2026-06-10 20:30"))
    assert booking.status == BookingStatus.NO_SHOW and person.id == resident.id and session.settled_at


def test_the_settle_command_is_safe_to_repeat(runner, resident, make_session, book):
    booking = book(resident, make_session("2026-06-02 19:00"), now="2026-06-01 09:00")
    assert "settled 1 " in runner.invoke(args=["bookings", "settle"]).output
    assert "settled 0 " in runner.invoke(args=["bookings", "settle"]).output
    db.session.refresh(booking)
    assert booking.status == BookingStatus.NO_SHOW and ledger.verify() == []


def test_an_english_reader_reads_a_cancelled_sessions_venue_in_english(make_resident, make_session, book,
                                                                        make_user):
    session = make_session(cost=5)
    session.venue.name_en = "Badminton hall"
    resident = make_resident(20)
    book(resident, session)
    sessions.cancel_session(make_user(Role.ADMIN), session, now=bj("2026-06-09 10:00"))
    db.session.commit()
    told = notifications.unread(resident.id)[0]
    for language, venue in (("en", "The session at Badminton hall on "), ("zh", "羽毛球馆")):
        with force_locale(language):
            assert venue in notifications.text(told)
