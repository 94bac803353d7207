"""Booking a session, cancelling, my bookings and the ticket QR."""
from flask import Response, g
from points.api.blueprint import Blueprint

from points import ledger
from points.accounts import reach
from points.api.auth import token_required
from points.api.redemption_schemas import BookingIn, BookingOut
from points.idempotency import idempotent, transfer_key
from points.redemption import bookings, sessions
from points.redemption.tickets import qr_svg

blp = Blueprint("bookings", __name__, url_prefix="/api/v1", description="Bookings and tickets")
SVG = {"200": {"description": "The ticket's QR code", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}}


@blp.get("/bookings")
@token_required()
@blp.response(200, BookingOut(many=True))
def my_bookings():
    """My bookings, the latest session first (finished sessions are settled before they are shown)."""
    return [_out(booking) for booking in bookings.bookings_of(g.api_user.id)]


@blp.post("/bookings")
@token_required()
@idempotent
@blp.arguments(BookingIn)
@blp.response(201, BookingOut)
def create_booking(body):
    """Book a place: the cost goes on hold and a ticket is issued. Refusals (409): insufficient_points,
    session_full, already_booked, booking_closed, session_cancelled, too_many_bookings, booking_suspended."""
    resident = reach.resident_for(g.api_user, body["user_id"], field="user_id", scope=reach.Scope.BOOK)
    session = sessions.get_session(body["session_id"])
    booking = bookings.book(g.api_user, resident, session, transfer_key("booking"))
    return _out(booking, with_balance=True)


@blp.get("/bookings/<int:booking_id>")
@token_required()
@blp.response(200, BookingOut)
def get_booking(booking_id):
    """One of my bookings (or of a resident I look after, or help to book)."""
    return _out(bookings.booking_for(g.api_user, booking_id, scope=reach.Scope.VIEW | reach.Scope.BOOK))


@blp.post("/bookings/<int:booking_id>/cancel")
@token_required()
@idempotent
@blp.response(200, BookingOut)
def cancel_booking(booking_id):
    """Cancel before the deadline (default 2 hours before the start): the held points come back."""
    booking = bookings.cancel(g.api_user, bookings.booking_for(g.api_user, booking_id, scope=reach.Scope.BOOK))
    return _out(booking, with_balance=True)


@blp.get("/bookings/<int:booking_id>/qr.svg")
@token_required()
@blp.doc(responses=SVG)
def ticket_qr(booking_id):
    """The ticket's QR code as SVG, for the booking's owner only."""
    booking = bookings.booking_for(g.api_user, booking_id, owner_only=True)
    response = Response(qr_svg(booking.ticket_code), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _out(booking, with_balance=False):
    """The booking with what the schema derives: the deadline, whether it can be cancelled, the balance."""
    out = {
        **{name: getattr(booking, name) for name in (
            "id", "user_id", "booked_by", "status", "ticket_code", "short_code", "created_at", "cancelled_at",
            "used_at", "session")},
        "cancel_deadline": bookings.cancel_deadline(booking.session),
        "can_cancel": bookings.can_cancel(booking),
    }
    if with_balance:
        out["balance"] = ledger.balance(booking.user_id)
    return out
