"""Residents book venue sessions: venues → days → sessions with places left → confirm → ticket.

A reviewer (or admin) books for a resident they look after with ?for=<resident id> on every page.
"""
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from points import ledger
from points.accounts import reach
from points.accounts.models import Role
from points.errors import Forbidden, Refusal
from points.redemption import bookings, sessions, venues
from points.redemption.models import BookingStatus
from points.redemption.tickets import spaced
from points.redemption.times import local_day, setting
from points.timeutil import as_utc, now_utc
from points.web.forms import show_refusal
from points.web.redemption_forms import RequestKeyForm

bp = Blueprint("venue_pages", __name__)
STATUS_LABELS = {
    BookingStatus.BOOKED: _l("Booked"),
    BookingStatus.CHECKED_IN: _l("Checked in"),
    BookingStatus.CANCELLED: _l("Cancelled"),
    BookingStatus.SESSION_CANCELLED: _l("Session cancelled"),
    BookingStatus.NO_SHOW: _l("Not attended"),
}


@bp.get("/venues")
@login_required
def index():
    resident = acting_for()
    return render_template("redemption/venues.html", venues=venues.list_venues(), resident=resident,
                           for_id=_for_id(resident))


@bp.get("/venues/<int:venue_id>")
@login_required
def venue(venue_id):
    resident = acting_for()
    venue = venues.get_venue(venue_id, include_inactive=False)
    days = booking_days()
    day = _chosen_day(days)
    rows = [(s, session_state(s, resident)) for s in sessions.sessions_on(venue.id, day)]
    return render_template("redemption/venue.html", venue=venue, days=days, day=day, rows=rows,
                           resident=resident, for_id=_for_id(resident))


@bp.route("/sessions/<int:session_id>/book", methods=["GET", "POST"])
@login_required
def book(session_id):
    resident = acting_for()
    session = sessions.get_session(session_id)
    form = RequestKeyForm()
    if not form.validate_on_submit():
        return _confirm_page(session, resident, form, status=422 if form.is_submitted() else 200)
    try:
        booking = bookings.book(current_user, resident, session, f"page:{current_user.id}:{form.request_key.data}")
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _confirm_page(session, resident, form, status=refusal.status)
    if resident.id != current_user.id and reach.reaches(current_user, resident):
        # A reviewer or admin books for a resident without a phone: the slip to print and hand over.
        return redirect(url_for("booking_pages.slip", booking_id=booking.id))
    if resident.id != current_user.id:
        flash(_("Booked for %(name)s. Their ticket code is %(code)s.", name=resident.name,
                code=spaced(booking.short_code)), "success")
        return redirect(url_for("venue_pages.venue", venue_id=session.venue_id, day=local_day(session.starts_at),
                                **{"for": resident.id}))
    return redirect(url_for("booking_pages.ticket", booking_id=booking.id))


@bp.app_template_filter("venue_kind")
def venue_kind(kind):
    return venues.kind_label(kind)


@bp.app_template_filter("booking_status")
def booking_status(status):
    return STATUS_LABELS.get(status, status)


def acting_for():
    """Whom the pages book for: ?for=<id> for a reviewer, admin or family helper, else the signed-in resident."""
    user_id = request.args.get("for", type=int)
    if user_id and user_id != current_user.id:
        return reach.resident_for(current_user, user_id, scope=reach.Scope.BOOK)
    if not current_user.has_role(Role.RESIDENT):
        raise Forbidden(_("Only residents can book sessions."))
    return current_user


def booking_days(now=None):
    """Today and every day a session can be booked on, in the scheme's calendar."""
    today = local_day(now or now_utc())
    return [today + timedelta(days=n) for n in range(setting("BOOKING_OPENS_DAYS") + 1)]


def session_state(session, resident, now=None):
    """What a resident can do with a session: booked, cancelled, started, full, not_open or open."""
    now = now or now_utc()
    if bookings.live_booking(resident.id, session.id) is not None:
        return "booked"
    if session.cancelled_at is not None:
        return "cancelled"
    if now >= as_utc(session.starts_at):
        return "started"
    if sessions.places_left(session) == 0:
        return "full"
    if now < bookings.booking_opens_at(session):
        return "not_open"
    return "open"


def _chosen_day(days):
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return days[0]
    return day if day in days else days[0]


def _confirm_page(session, resident, form, status):
    balance = ledger.balance(resident.id)
    deadline = bookings.cancel_deadline(session)
    return render_template(
        "redemption/book.html", session=session, resident=resident, form=form, balance=balance,
        state=session_state(session, resident), for_id=_for_id(resident),
        mine=bookings.live_booking(resident.id, session.id), day=local_day(session.starts_at),
        # Said before confirming: a booking made inside the cancel deadline cannot be cancelled at all.
        deadline=deadline, late=now_utc() > deadline,
    ), status


def _for_id(resident):
    return resident.id if resident.id != current_user.id else None

