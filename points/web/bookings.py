"""A resident's bookings: the list, the ticket with its QR code, cancelling; and their notifications."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup

from points.accounts import reach
from points.accounts.models import User
from points.errors import Refusal
from points.extensions import db
from points.redemption import bookings, notifications
from points.redemption.models import BookingStatus
from points.redemption.tickets import qr_svg, spaced
from points.timeutil import as_utc, local_day, now_utc

bp = Blueprint("booking_pages", __name__)
UPCOMING = (BookingStatus.BOOKED,)


@bp.get("/bookings")
@login_required
def index():
    mine = bookings.bookings_of(current_user.id)
    now = now_utc()
    upcoming = [b for b in reversed(mine) if b.status in UPCOMING and as_utc(b.session.ends_at) > now]
    earlier = [b for b in mine if b not in upcoming]
    return render_template("redemption/bookings.html", upcoming=upcoming, earlier=earlier)


@bp.get("/bookings/<int:booking_id>")
@login_required
def ticket(booking_id):
    # A family helper who may view or book for the resident sees the ticket; only the owner sees its QR.
    booking = bookings.booking_for(current_user, booking_id, scope=reach.Scope.VIEW | reach.Scope.BOOK)
    # The QR is drawn into the page (no second request), for the owner only.
    qr = Markup(qr_svg(booking.ticket_code)) if booking.user_id == current_user.id else None
    return render_template("redemption/ticket.html", booking=booking, qr=qr, short_code=spaced(booking.short_code),
                           back=_back_to(booking),
                           form=FlaskForm(), can_cancel=bookings.can_cancel(booking) and _may_cancel(booking),
                           deadline=bookings.cancel_deadline(booking.session),
                           # Cancelling cannot be undone, so the button first opens this inline confirm step (no JS).
                           confirming=request.args.get("cancel") == "1")


@bp.get("/bookings/<int:booking_id>/slip")
@login_required
def slip(booking_id):
    """A printable slip of a booking, for a resident without a phone: whoever booked for them (a
    reviewer or admin who looks after them) prints it and hands it over; the QR is let in at the door."""
    booking = bookings.booking_for(current_user, booking_id)
    return render_template("redemption/booking_slip.html", booking=booking, resident=_owner(booking),
                           qr=Markup(qr_svg(booking.ticket_code)), short_code=spaced(booking.short_code),
                           deadline=bookings.cancel_deadline(booking.session), day=local_day(booking.session.starts_at))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id):
    booking = bookings.booking_for(current_user, booking_id, scope=reach.Scope.BOOK)
    form = FlaskForm()
    try:
        if not form.validate():
            raise Refusal(_("This form has expired. Please try again."), status=422)
        bookings.cancel(current_user, booking)
    except Refusal as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("booking_pages.ticket", booking_id=booking.id))
    if booking.user_id == current_user.id:
        flash(_("Booking cancelled. %(points)d points are available to you again.", points=booking.session.cost),
              "success")
    else:
        flash(_("Booking cancelled. %(points)d points are available to %(name)s again.", points=booking.session.cost,
                name=_owner(booking).name), "success")
    return redirect(_back_to(booking)[0])


def _back_to(booking):
    """(where, label): back to one's own bookings, to the person a family helper helps, or to the
    resident's page for a reviewer or admin who looks after them."""
    owner = _owner(booking)
    if owner.id == current_user.id:
        return url_for("booking_pages.index"), _("My bookings")
    if reach.reaches(current_user, owner):
        return url_for("admin.resident", user_id=owner.id), owner.name
    return url_for("helper_pages.acting_for", resident_id=owner.id), _("Acting for %(name)s", name=owner.name)


def _may_cancel(booking):
    """Cancelling is booking's other half: a helper allowed only to view sees no cancel button."""
    return reach.reaches(current_user, _owner(booking), reach.Scope.BOOK)


def _owner(booking):
    return db.session.get(User, booking.user_id)


@bp.app_template_global()
def booked_link(resident, session_id):
    """Where "Booked" on a session list leads: the resident's ticket, or for a reviewer or admin
    booking for them the slip to print again."""
    booking = bookings.live_booking(resident.id, session_id)
    if booking is None:
        return None
    for_staff = resident.id != current_user.id and reach.reaches(current_user, resident)
    return url_for("booking_pages.slip" if for_staff else "booking_pages.ticket", booking_id=booking.id)


@bp.post("/notifications/read")
@login_required
def read_notifications():
    if FlaskForm().validate():
        notifications.mark_read(current_user.id, request.form.get("id", type=int))
    return redirect(url_for("home.index"))


@bp.app_template_global()
def unread_notifications():
    """For templates/redemption/_notifications.html: the signed-in person's unread notifications as text."""
    if not current_user.is_authenticated:
        return []
    return [(n, notifications.text(n)) for n in notifications.unread(current_user.id)]
