"""Residents are asked before what cannot be undone: cancelling a booking has a confirm step (no JS pop-up)."""
from points import ledger
from points.extensions import db
from points.redemption import bookings
from points.redemption.models import Booking, BookingStatus

from tests.redemption.test_redemption_pages import tomorrow  # noqa: F401  (the fixture)


def test_cancel_asks_first_and_the_points_come_back_only_after_confirming(client, login, resident, tomorrow):  # noqa: F811
    booking = bookings.book(resident, resident, tomorrow, "k")
    db.session.commit()
    login(resident)
    ticket = client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "data-ask-cancel" in ticket and "data-confirm-cancel" not in ticket
    asking = client.get(f"/bookings/{booking.id}?cancel=1").get_data(as_text=True)
    assert "data-cancel-confirm" in asking and "data-confirm-cancel" in asking
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.BOOKED and ledger.balance(resident.id).held == 5
    assert client.post(f"/bookings/{booking.id}/cancel").status_code == 302
    db.session.expire_all()
    assert ledger.balance(resident.id).held == 0
