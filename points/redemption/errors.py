"""What booking, cancelling and checking in refuse, each with the code the API answers with."""
from flask_babel import lazy_gettext as _l

from points.errors import Invalid, Refusal
from points.ledger import InsufficientPoints  # noqa: F401  (booking refuses with the ledger's code)


class SessionFull(Refusal):
    code = "session_full"
    message = _l("This session is full.")


class AlreadyBooked(Refusal):
    code = "already_booked"
    message = _l("You have already booked this session.")


class BookingClosed(Refusal):
    code = "booking_closed"
    message = _l("Booking for this session is closed: it has already started.")


class SessionCancelled(Refusal):
    code = "session_cancelled"
    message = _l("This session has been cancelled.")


class TooManyBookings(Refusal):
    code = "too_many_bookings"
    message = _l("You already have as many upcoming bookings as allowed.")


class BookingSuspended(Refusal):
    code = "booking_suspended"
    message = _l("Booking is paused because of missed sessions.")


class CancelDeadlinePassed(Refusal):
    code = "cancel_deadline_passed"
    message = _l("It is too late to cancel this booking.")


class NotCancellable(Refusal):
    code = "not_cancellable"
    message = _l("This booking can no longer be cancelled.")


class SessionOver(Refusal):
    code = "session_over"
    message = _l("This session is already over.")


class OfferingUnavailable(Refusal):
    code = "offering_unavailable"
    message = _l("This offering is not available at the moment.")


class NonceReused(Invalid):
    code = "nonce_reused"
    message = _l("This scan id was already used for another code. Please scan again.")
