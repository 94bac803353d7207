"""Booking: the hold and the ticket, every refusal, the window in Beijing time, cancelling."""
import pytest

from points import ledger
from points.accounts.models import Role
from points.errors import NotFound, Refusal
from points.extensions import db
from points.redemption import bookings, sessions
from points.redemption.models import BookingStatus
from points.redemption.tickets import SHORT_ALPHABET
from tests.redemption.beijing import bj

NOW = "2026-06-08 10:00"  # a Monday morning in Beijing


def refusal_code(call):
    with pytest.raises(Refusal) as refused:
        call()
    db.session.rollback()
    return refused.value.code


def test_booking_puts_the_cost_on_hold_and_issues_a_ticket(resident, make_session, book):
    booking = book(resident, make_session(cost=5))
    assert booking.ticket_code.startswith("T1.") and len(booking.ticket_code) >= 35
    assert len(booking.short_code) == 8 and set(booking.short_code) <= set(SHORT_ALPHABET)
    assert ledger.balance(resident.id) == ledger.Balance(available=95, held=5, earned_total=100)
    assert booking.session.booked == 1 and booking.booked_by == resident.id


def test_the_same_key_books_once(resident, make_session):
    session = make_session()
    first = bookings.book(resident, resident, session, "k1", now=bj(NOW))
    again = bookings.book(resident, resident, session, "k1", now=bj(NOW))
    db.session.commit()
    assert again.id == first.id and ledger.balance(resident.id).held == 5


def test_not_enough_points(make_resident, make_session):
    poor = make_resident(3)
    code = refusal_code(lambda: bookings.book(poor, poor, make_session(cost=5), "k", now=bj(NOW)))
    assert code == "insufficient_points" and ledger.balance(poor.id).held == 0


def test_full_session(make_resident, make_session, book):
    session = make_session(capacity=1)
    book(make_resident(), session)
    other = make_resident()
    assert refusal_code(lambda: bookings.book(other, other, session, "k", now=bj(NOW))) == "session_full"


def test_one_booking_per_session_until_cancelled(resident, make_session, book):
    session = make_session()
    booking = book(resident, session)
    assert refusal_code(lambda: bookings.book(resident, resident, session, "k2", now=bj(NOW))) == "already_booked"
    bookings.cancel(resident, booking, now=bj(NOW))
    assert book(resident, session).status == BookingStatus.BOOKED


@pytest.mark.parametrize("now", ["2026-06-10 19:00", "2026-06-10 19:30", "2026-06-02 23:59"])
def test_closed_after_the_start_and_before_the_window_opens(resident, make_session, now):
    session = make_session("2026-06-10 19:00")
    assert refusal_code(lambda: bookings.book(resident, resident, session, "k", now=bj(now))) == "booking_closed"


def test_cancelled_session(resident, make_user, make_session):
    session = make_session()
    sessions.cancel_session(make_user(Role.ADMIN), session, now=bj(NOW))
    db.session.commit()
    assert refusal_code(lambda: bookings.book(resident, resident, session, "k", now=bj(NOW))) == "session_cancelled"


def test_at_most_three_upcoming_bookings(resident, make_session, book):
    for day in ("10", "11", "12"):
        book(resident, make_session(f"2026-06-{day} 19:00"))
    fourth = make_session("2026-06-13 19:00")
    assert refusal_code(lambda: bookings.book(resident, resident, fourth, "k", now=bj(NOW))) == "too_many_bookings"


def test_three_no_shows_pause_booking_for_two_weeks(resident, make_session, book):
    for day in ("02", "03", "04"):
        book(resident, make_session(f"2026-06-{day} 19:00"), now="2026-06-01 09:00")
    later = make_session("2026-06-10 19:00")
    assert refusal_code(lambda: bookings.book(resident, resident, later, "k", now=bj(NOW))) == "booking_suspended"
    assert [b.status for b in bookings.bookings_of(resident.id, now=bj(NOW))] == [BookingStatus.NO_SHOW] * 3
    # Two weeks after the last missed session, booking is open again.
    free_again = make_session("2026-06-20 19:00")
    assert bookings.book(resident, resident, free_again, "k3", now=bj("2026-06-18 20:01")).id


def test_a_reviewer_books_for_a_resident_of_their_community(resident, make_user, make_session, book):
    reviewer = make_user(Role.REVIEWER)
    booking = book(resident, make_session(), actor=reviewer)
    assert booking.user_id == resident.id and booking.booked_by == reviewer.id
    stranger = make_user(Role.REVIEWER, community="午山社区")
    with pytest.raises(NotFound):  # out of reach is answered as if the resident did not exist
        bookings.book(stranger, resident, make_session("2026-06-11 19:00"), "k", now=bj(NOW))


# The booking window is counted in whole days of Beijing's calendar: on 8 June, sessions up to the
# end of 15 June can be booked. 23:30 on 15 June is 15:30 UTC on 15 June; 00:30 on 16 June is 16:30
# UTC on 15 June, the same UTC day — a window counted in UTC days would wrongly open both.
@pytest.mark.parametrize("start, now, bookable", [
    ("2026-06-15 23:30", "2026-06-08 00:00", True),
    ("2026-06-16 00:30", "2026-06-08 23:59", False),
    ("2026-06-16 00:30", "2026-06-09 00:00", True),
])
def test_the_window_opens_at_midnight_beijing_time(resident, make_session, start, now, bookable):
    session = make_session(start)
    if bookable:
        assert bookings.book(resident, resident, session, "k", now=bj(now)).id
    else:
        assert refusal_code(lambda: bookings.book(resident, resident, session, "k", now=bj(now))) == "booking_closed"


@pytest.mark.parametrize("now, allowed", [("2026-06-10 17:00:00", True), ("2026-06-10 17:00:01", False)])
def test_cancelling_is_possible_until_two_hours_before_the_start(resident, make_session, book, now, allowed):
    booking = book(resident, make_session("2026-06-10 19:00"))
    if not allowed:
        assert refusal_code(lambda: bookings.cancel(resident, booking, now=bj(now))) == "cancel_deadline_passed"
        assert ledger.balance(resident.id).held == 5
        return
    bookings.cancel(resident, booking, now=bj(now))
    db.session.commit()
    assert booking.status == BookingStatus.CANCELLED and booking.session.booked == 0
    assert ledger.balance(resident.id) == ledger.Balance(available=100, held=0, earned_total=100)
    assert refusal_code(lambda: bookings.cancel(resident, booking, now=bj(now))) == "not_cancellable"
    assert ledger.verify() == []
