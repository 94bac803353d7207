"""A refused operation leaves nothing behind, even when its caller catches the refusal and commits —
as a page does that shows the refusal beside its form or redirects with a message (points.atomic)."""
import pytest
from sqlalchemy import text as sql

from points import ledger
from points.accounts.models import Role
from points.errors import Refusal
from points.redemption.models import BookingStatus
from points.extensions import db
from points.redemption import bookings, sessions
from tests.redemption.beijing import bj

NOW = "2026-06-08 10:00"


def refused_then_committed(call):
    """What a page does: catch the refusal, then the request commits."""
    with pytest.raises(Refusal) as refusal:
        call()
    db.session.commit()
    return refusal.value.code


def test_a_booking_refused_for_points_keeps_no_place(make_resident, make_session):
    poor, session = make_resident(3), make_session(capacity=1, cost=5)
    code = refused_then_committed(lambda: bookings.book(poor, poor, session, "k", now=bj(NOW)))
    assert code == "insufficient_points"
    db.session.expire_all()
    assert session.booked == 0 and ledger.balance(poor.id).held == 0
    other = make_resident(100)
    assert bookings.book(other, other, session, "k2", now=bj(NOW)).session.booked == 1  # the place is free


def test_a_cancel_refused_after_its_first_write_leaves_the_bookings_as_they_were(resident, make_user, make_session,
                                                                                 book):
    """The session turns out cancelled only after its bookings were marked: that first write is undone."""
    admin, session = make_user(Role.ADMIN), make_session()
    booking = book(resident, session)
    db.session.execute(sql("UPDATE sessions SET cancelled_at = :now WHERE id = :id"), {"now": bj(NOW), "id": session.id})
    code = refused_then_committed(lambda: sessions.cancel_session(admin, session, now=bj(NOW)))  # a stale view
    assert code == "session_cancelled"
    db.session.expire_all()
    assert booking.status == BookingStatus.BOOKED and ledger.balance(resident.id).held == 5
