"""The staff side at the venue door: the ticket scanner, today's sessions, and walk-ins.

The pages are phone-first. Decisions are made by the redemption operations (check_in,
redeem_walk_in); these views only choose the venue, read the request, and show the answer.
"""
import uuid
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, render_template, request, session
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, RadioField
from wtforms.validators import UUID, DataRequired, InputRequired, Optional

from points import dates
from points.accounts import members
from points.accounts.members import card_code_from_serial, member_from_code
from points.accounts.models import Role, mask_name
from points.errors import Invalid, Refusal
from points.extensions import db
from points.households import operations as households
from points.redemption import bookings, checkin, photo_decode, sessions, walkin
from points.redemption.models import BookingStatus, Venue
from points.redemption.times import local_day
from points.timeutil import now_utc
from points.web.access import roles_required
from points.web.forms import line_field

bp = Blueprint("scan", __name__, url_prefix="/scan")
DOOR_ROLES = (Role.STAFF, Role.ADMIN)
# Photos are read by people who scan at a door or at an activity (the earning issue reuses it).
DECODE_ROLES = (Role.STAFF, Role.REVIEWER, Role.ADMIN)
DOOR_LIST = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)
MAX_CODE = 1000  # longer than any ticket or member code; anything shorter is for check_in to judge


# ---- The scanner -------------------------------------------------------------------------------

@bp.get("")
@roles_required(*DOOR_ROLES)
def index():
    venue, venues = chosen_venue()
    if venue is None:
        return render_template("scan/choose.html", venues=venues, next_page="scan.index")
    return render_template("scan/index.html", venue=venue, venues=venues)


@bp.post("/check")
@roles_required(*DOOR_ROLES)
def check():
    """One scan: JSON {code, venue_id, nonce} -> JSON with `result` and what the door needs to see.

    Every result is answered with 200: a refused ticket is an answer, not an error (check_in keeps
    the log of a refused scan itself). The staff member's own check-in seen again within a minute
    (a reloaded page) comes with `just_by_you`, which the page shows as a calm confirmation.
    """
    body = json_body()
    outcome = checkin.check_in(current_user, code_in(body), venue_id_in(body), nonce_in(body))
    return jsonify(shown_check_in(outcome))


@bp.post("/decode")
@roles_required(*DECODE_ROLES)
def decode():
    """The text of the QR code in an uploaded photo (multipart field `photo`) -> JSON {code}."""
    # Refuse an oversized upload before it is read (413), with room for the form's other fields.
    request.max_content_length = current_app.config["SCAN_PHOTO_MAX_BYTES"] + 64 * 1024
    photo = request.files.get("photo")
    if photo is None:
        raise photo_decode.NotAPhoto()
    return jsonify(code=photo_decode.decode_photo(photo.stream))


def shown_check_in(outcome):
    """A check-in as the door shows it: masked name, times in the scheme's zone and the reader's locale."""
    starts, ends = outcome.session_starts_at, outcome.session_ends_at
    return {
        "result": str(outcome.result),
        "message": str(outcome.message),
        "resident_name": outcome.resident_name or "",
        "session_time": session_time(starts, ends) if starts and ends else "",
        "venue_name": outcome.venue_name or "",
        "used_at": dates.when(outcome.used_at),
        "used_ago": time_ago(outcome.seconds_ago) if outcome.seconds_ago is not None else "",
        "used_by_name": outcome.used_by_name or "",
        "by_you": outcome.by_you,
        "just_by_you": outcome.just_by_you,
    }


def time_ago(seconds):
    """"30 seconds ago", "3 minutes ago" in the reader's language (a race lost by a hair is 1 second)."""
    return format_timedelta(timedelta(seconds=-max(seconds, 1)), add_direction=True)


@bp.context_processor
def door_formats():
    return {"clock": clock}


def clock(moment):
    """19:00, in the scheme's time zone."""
    return dates.hhmm(moment)


def session_time(starts, ends):
    return f"{dates.when(starts)}–{dates.hhmm(ends)}"


# ---- Today's sessions --------------------------------------------------------------------------

@bp.get("/today")
@roles_required(*DOOR_ROLES)
def today():
    venue, venues = chosen_venue()
    if venue is None:
        return render_template("scan/choose.html", venues=venues, next_page="scan.today")
    return render_template("scan/today.html", venue=venue, venues=venues, sessions=todays_sessions(venue))


def todays_sessions(venue):
    """[(session, [(booking, door name)], checked-in count)] for the venue's sessions starting today."""
    today = [(s, people_at(s)) for s in sessions.sessions_on(venue.id, local_day(now_utc()))]
    return [(s, people, sum(1 for booking, _ in people if booking.used_at)) for s, people in today]


def people_at(venue_session):
    """Who holds (or held) a place, checked-in people first; a finished session is settled first."""
    rows = [(b, person) for b, person in bookings.bookings_in(venue_session) if b.status in DOOR_LIST]
    rows.sort(key=lambda row: (row[0].used_at is None, row[0].used_at or 0, row[1].name))
    return [(booking, door_name(person)) for booking, person in rows]


def door_name(person):
    """Staff see who is at their door as "张* · 1234": enough to tell people apart, no full number."""
    return f"{mask_name(person.name)} · {person.phone[-4:]}"


# ---- Walk-ins ----------------------------------------------------------------------------------

class WalkInForm(FlaskForm):
    member_code = HiddenField(validators=[DataRequired(_l("Please scan the resident's member code first."))])
    offering = RadioField(_l("What the resident takes"), coerce=int,
                          validators=[InputRequired(_l("Please choose what the resident takes."))])
    # For a household card: which member attends (and pays); the operation says when it is missing.
    attendee = RadioField(_l("Who attends"), coerce=int, choices=[], validate_choice=False, validators=[Optional()])
    # One key per rendered form: a confirmation sent twice redeems once.
    request_key = HiddenField(validators=[UUID(_l("This form has expired. Please try again."))],
                              default=lambda: str(uuid.uuid4()))


class CardNumberForm(FlaskForm):
    """The number printed on a member card, typed when the camera cannot read the card's QR."""
    serial = line_field(_l("Or type the number on the printed card"), 24,
                        required=_l("Please type the number printed on the card."),
                        render_kw={"inputmode": "numeric", "autocomplete": "off"})


@bp.route("/walk-in", methods=["GET", "POST"])
@roles_required(*DOOR_ROLES)
def walk_in():
    venue, venues = chosen_venue()
    if venue is None:
        return render_template("scan/choose.html", venues=venues, next_page="scan.walk_in")
    form = walk_in_form(venue)
    if not form.validate_on_submit():
        return walk_in_page(venue, venues, form, status=422 if form.is_submitted() else 200)
    try:
        done = walkin.redeem_walk_in(current_user, form.member_code.data, form.offering.data,
                                     f"walk-in:{form.request_key.data}", attendee=form.attendee.data)
    except Refusal as refusal:
        form.form_errors.append(str(refusal))
        return walk_in_page(venue, venues, form, status=refusal.status)
    return render_template("scan/walk_in_done.html", venue=venue, done=done)


@bp.post("/walk-in/member")
@roles_required(*DOOR_ROLES)
def walk_in_member():
    """Who a scanned member code belongs to, for the staff to confirm: JSON {result: "member", ...};
    for a household card {result: "household", members: [{id, name}], ...}, to pick who attends."""
    code = code_in(json_body())
    if members.is_household_code(code):
        household, people = household_at_door(code)
        return jsonify(result="household", resident_name=household, member_code=code,
                       members=[{"id": person.id, "name": door_name(person)} for person in people])
    person = member_from_code(code)
    return jsonify(result="member", resident_name=door_name(person), member_code=code)


def household_at_door(code):
    """(how the door names the household, its active members) for a household card's code."""
    household = members.household_from_code(code)
    people = [person for person in households.members(household) if person.active]
    head = next((person for person in people if person.heads_household), None)
    named = _("Household of %(name)s", name=mask_name(head.name)) if head else _("Household card")
    return named, people


@bp.post("/walk-in/card")
@roles_required(*DOOR_ROLES)
def walk_in_card():
    """A printed card's number typed by hand: the walk-in form comes back filled in as if the card
    had been scanned, or with what is wrong beside the number."""
    venue, venues = chosen_venue()
    if venue is None:
        return render_template("scan/choose.html", venues=venues, next_page="scan.walk_in")
    form, card_form = walk_in_form(venue), CardNumberForm()
    if not card_form.validate_on_submit():
        return walk_in_page(venue, venues, form, card_form, status=422)
    try:
        form.member_code.data = card_code_from_serial(card_form.serial.data)
    except Refusal as refusal:
        card_form.serial.errors = [str(refusal)]
        return walk_in_page(venue, venues, form, card_form, status=refusal.status)
    return walk_in_page(venue, venues, form, card_form)


def _shown_member(form):
    """Whose code the form holds, as the door shows it; a household card offers its members."""
    if not members.is_household_code(form.member_code.data):
        return door_name(member_from_code(form.member_code.data))
    household, people = household_at_door(form.member_code.data)
    form.attendee.choices = [(person.id, door_name(person)) for person in people]
    return household


def walk_in_form(venue):
    form = WalkInForm()
    form.offering.choices = [(o.id, o) for o in walkin.offerings_for(current_user) if o.venue_id == venue.id]
    return form


def walk_in_page(venue, venues, form, card_form=None, status=200):
    card_form = card_form or CardNumberForm(formdata=None)
    member = None
    if form.member_code.data:
        try:
            member = _shown_member(form)
        except Refusal as refusal:
            form.member_code.data = ""  # expired or revoked since it was scanned: scan again
            form.form_errors.append(str(refusal))
    return render_template("scan/walk_in.html", venue=venue, venues=venues, form=form, card_form=card_form,
                           member=member), status


# ---- The venue this person is scanning for ------------------------------------------------------

DOOR_PAGES = ("scan.index", "scan.today", "scan.walk_in")


@bp.get("/venue")
@roles_required(*DOOR_ROLES)
def choose():
    """Pick another venue; the link sends the person back to the door page they came from."""
    next_page = request.args.get("next")
    return render_template("scan/choose.html", venues=door_venues(current_user),
                           next_page=next_page if next_page in DOOR_PAGES else "scan.index")


def chosen_venue():
    """(venue, venues): the venue picked with ?venue= or earlier in this session, else the only one."""
    venues = door_venues(current_user)
    wanted = request.args.get("venue", type=int) or session.get("scan_venue")
    venue = next((v for v in venues if v.id == wanted), None)
    if venue is None and len(venues) == 1:
        venue = venues[0]
    if venue is not None:
        session["scan_venue"] = venue.id  # remembered: a door is usually one venue all day
    return venue, venues


def door_venues(user):
    """The active venues this person may scan at: their own as staff, every one as admin."""
    if user.has_role(Role.ADMIN):
        query = select(Venue).where(Venue.active.is_(True)).order_by(Venue.name)
        return db.session.execute(query).scalars().all()
    return sorted((v for v in user.venues if v.active), key=lambda v: v.name)


# ---- Reading the JSON the scanner sends ---------------------------------------------------------

def json_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid(_l("The scanner sent something this page does not understand. Please reload it."))
    return body


def code_in(body):
    code = body.get("code")
    if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE:
        raise Invalid(_l("Please scan a code or type the short code."), field="code")
    return code.strip()


def venue_id_in(body):
    venue_id = body.get("venue_id")
    if isinstance(venue_id, bool) or not isinstance(venue_id, int) or not 0 < venue_id < 2**63:
        raise Invalid(_l("Please choose the venue again."), field="venue_id")
    return venue_id


def nonce_in(body):
    nonce = body.get("nonce")
    if not isinstance(nonce, str):  # its length and characters are check_in's to judge
        raise Invalid(_l("The scanner sent something this page does not understand. Please reload it."),
                      field="nonce")
    return nonce
