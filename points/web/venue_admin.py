"""Admins run the venues: details, staff and offerings; sessions per day, a weekly timetable, cancelling."""
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from points.accounts.models import Role
from points.errors import Refusal
from points.redemption import bookings, sessions, venues
from points.redemption.models import NoShowPolicy
from points.redemption.times import at_local, local_day
from points.timeutil import as_utc, now_utc
from points.web.access import roles_required
from points.web.forms import options, paragraph_field, show_refusal
from points.web.redemption_forms import OfferingForm, SessionForm, TimetableForm, VenueForm

bp = Blueprint("venue_admin", __name__, url_prefix="/admin")
ADMIN = Role.ADMIN


class CancelSessionForm(FlaskForm):
    """Cancelling cannot be undone, so the page says who is told and asks why (they read it)."""

    reason = paragraph_field(_l("Reason (every booked resident reads it)"), sessions.MAX_REASON,
                             required=_l("Please say why the session is cancelled."))


@bp.get("/venues")
@roles_required(ADMIN)
def index():
    return render_template("redemption/admin/venues.html", venues=venues.list_venues(include_inactive=True))


@bp.route("/venues/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def create():
    form = _venue_form()
    if not form.validate_on_submit():
        return render_template("redemption/admin/venue_new.html", form=form), 422 if form.is_submitted() else 200
    try:
        venue = venues.create_venue(form.name.data, form.kind.data, form.no_show_policy.data, form.place.data,
                                    form.rules.data, name_en=form.name_en.data, actor=current_user)
        venues.assign_staff(venue, _people(form.staff.data), actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return render_template("redemption/admin/venue_new.html", form=form), refusal.status
    flash(_("Venue %(name)s opened.", name=venue.name), "success")
    return redirect(url_for("venue_admin.edit", venue_id=venue.id))


@bp.route("/venues/<int:venue_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(venue_id):
    venue = venues.get_venue(venue_id)
    form = _venue_form(venue, prefill=request.method == "GET")
    if not form.validate_on_submit():
        return _venue_page(venue, form, status=422 if form.is_submitted() else 200)
    try:
        venues.update_venue(venue, form.name.data, form.kind.data, form.no_show_policy.data, form.place.data,
                            form.rules.data, form.active.data, name_en=form.name_en.data, actor=current_user)
        venues.assign_staff(venue, _people(form.staff.data), actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _venue_page(venue, form, status=refusal.status)
    flash(_("Venue %(name)s saved.", name=venue.name), "success")
    return redirect(url_for("venue_admin.edit", venue_id=venue.id))


@bp.post("/venues/<int:venue_id>/offerings")
@roles_required(ADMIN)
def add_offering(venue_id):
    venue = venues.get_venue(venue_id)
    form = OfferingForm(prefix="new")
    if not form.validate_on_submit():
        return _venue_page(venue, offering_form=form, status=422)
    try:
        venues.add_offering(venue, form.name_zh.data, form.name_en.data, form.cost.data, actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _venue_page(venue, offering_form=form, status=refusal.status)
    flash(_("Offering added."), "success")
    return redirect(url_for("venue_admin.edit", venue_id=venue.id))


@bp.post("/offerings/<int:offering_id>/active")
@roles_required(ADMIN)
def toggle_offering(offering_id):
    offering = venues.get_offering(offering_id)
    if FlaskForm().validate():
        venues.update_offering(offering, offering.name_zh, offering.name_en, offering.cost, not offering.active,
                               actor=current_user)
        flash(_("Offering saved."), "success")
    return redirect(url_for("venue_admin.edit", venue_id=offering.venue_id))


@bp.route("/venues/<int:venue_id>/sessions", methods=["GET", "POST"])
@roles_required(ADMIN)
def venue_sessions(venue_id):
    venue = venues.get_venue(venue_id)
    day = _day_arg()
    form = SessionForm(data={"day": day} if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _sessions_page(venue, day, form, status=422 if form.is_submitted() else 200)
    starts = at_local(form.day.data, form.start.data)
    try:
        sessions.create_session(venue, starts, starts + timedelta(minutes=form.minutes.data),
                                form.capacity.data, form.cost.data, actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _sessions_page(venue, day, form, status=refusal.status)
    flash(_("Session added."), "success")
    return redirect(url_for("venue_admin.venue_sessions", venue_id=venue.id, day=form.day.data))


@bp.route("/venues/<int:venue_id>/timetable", methods=["GET", "POST"])
@roles_required(ADMIN)
def timetable(venue_id):
    venue = venues.get_venue(venue_id)
    form = TimetableForm()
    if not form.validate_on_submit():
        return _timetable_page(venue, form, status=422 if form.is_submitted() else 200)
    try:
        created, skipped = sessions.create_timetable(
            venue, form.first_day.data, form.last_day.data, form.weekdays.data, form.times.clock_times,
            form.minutes.data, form.capacity.data, form.cost.data, actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _timetable_page(venue, form, status=refusal.status)
    flash(_timetable_outcome(len(created), skipped), "success")
    return redirect(url_for("venue_admin.venue_sessions", venue_id=venue.id, day=form.first_day.data))


@bp.get("/sessions/<int:session_id>")
@roles_required(ADMIN)
def session(session_id):
    return _session_page(sessions.get_session(session_id), CancelSessionForm(formdata=None))


@bp.post("/sessions/<int:session_id>/cancel")
@roles_required(ADMIN)
def cancel_session(session_id):
    session = sessions.get_session(session_id)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        return _session_page(session, form, status=422)
    try:
        released = sessions.cancel_session(current_user, session, reason=form.reason.data)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _session_page(session, form, status=refusal.status)
    flash(ngettext("Session cancelled. %(num)d resident got their points back and was told.",
                   "Session cancelled. %(num)d residents got their points back and were told.", released), "success")
    return redirect(url_for("venue_admin.session", session_id=session.id))


def _venue_form(venue=None, prefill=False):
    """The venue form with its choices; filled from the venue for a first look at the edit page."""
    form = VenueForm(obj=venue if prefill else None)
    form.staff.choices = options((p.id, f"{p.name} · {p.masked_phone}") for p in venues.staff_candidates())
    if venue is not None and venue.kind not in venues.KINDS:  # a kind given through the API
        form.kind.choices = [*form.kind.choices, *options([(venue.kind, venue.kind)])]
    if prefill:
        form.staff.data = [p.id for p in venues.staff_of(venue)]
        form.no_show_policy.data = NoShowPolicy(venue.no_show_policy).value
    return form


def _people(ids):
    chosen = set(ids or ())
    return [p for p in venues.staff_candidates() if p.id in chosen]


def _venue_page(venue, form=None, offering_form=None, status=200):
    return render_template(
        "redemption/admin/venue.html", venue=venue, form=form or _venue_form(venue, prefill=True),
        offering_form=offering_form or OfferingForm(prefix="new", formdata=None), toggle=FlaskForm(),
    ), status


def _day_arg():
    """?day=2026-06-11, within a year of today (else today): days beyond would overflow the time arithmetic."""
    today = local_day(now_utc())
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return today
    return day if abs((day - today).days) <= 366 else today


def _sessions_page(venue, day, form, status):
    listed = sessions.sessions_on(venue.id, day)
    week = [day + timedelta(days=n) for n in range(-3, 8)]
    return render_template("redemption/admin/sessions.html", venue=venue, day=day, week=week, listed=listed,
                           form=form), status


def _timetable_page(venue, form, status):
    return render_template("redemption/admin/timetable.html", venue=venue, form=form), status


def _timetable_outcome(created, skipped):
    made = ngettext("%(num)d session published.", "%(num)d sessions published.", created)
    if not skipped:
        return made
    return made + " " + ngettext("%(num)d was skipped: it exists already or lies in the past.",
                                 "%(num)d were skipped: they exist already or lie in the past.", skipped)


def _session_page(session, form, status=200):
    return render_template("redemption/admin/session.html", session=session, people=bookings.bookings_in(session),
                           form=form, can_cancel=_cancellable(session)), status


def _cancellable(session):
    return session.cancelled_at is None and now_utc() < as_utc(session.ends_at)
