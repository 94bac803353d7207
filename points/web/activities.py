"""Volunteer activities for organisers (reviewers and admins): create, list, check in, close.

The views only read the request and show the answer; the rules are in points.earning.activities,
shared with the API. The check-in page reuses the shared camera scanner (static/scan/scanner.js).
"""
from datetime import datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from points.accounts.models import Community, Role, mask_name
from points.earning import activities
from points.earning.activities import MAX_POINTS
from points.errors import Refusal
from points.extensions import db
from points.timeutil import zone
from points.web.access import roles_required
from points.web.forms import line_field

bp = Blueprint("activity_pages", __name__, url_prefix="/activities")
ORGANISERS = (Role.REVIEWER, Role.ADMIN)
MAX_CODE = 1000


class ActivityForm(FlaskForm):
    title = line_field(_l("Title"), 200, required=_l("Please enter a title."))
    starts_at = DateTimeLocalField(_l("Starts"), validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends (optional)"), validators=[Optional()])
    place = line_field(lazy_pgettext("location", "Place"), 200)
    action_type_id = SelectField(_l("Action"), coerce=int, validators=[InputRequired()])
    points = IntegerField(_l("Points for each participant"), validators=[InputRequired(),
                                                                       NumberRange(min=1, max=MAX_POINTS)])
    community_id = SelectField(_l("Community"), coerce=int, validators=[Optional()])


@bp.get("")
@roles_required(*ORGANISERS)
def index():
    items = [(a, activities.participant_count(a)) for a in activities.activities_for(current_user)]
    return render_template("activities/index.html", items=items)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def new():
    form = _activity_form()
    if form.validate_on_submit():
        try:
            activity = activities.create(
                current_user, form.title.data, _from_local(form.starts_at.data), _from_local(form.ends_at.data),
                form.place.data, form.action_type_id.data, form.points.data, _chosen_community(form),
            )
        except Refusal as refusal:
            _show_on_form(form, refusal)
        else:
            return redirect(url_for("activity_pages.show", activity_id=activity.id))
    return render_template("activities/new.html", form=form), 422 if request.method == "POST" else 200


@bp.get("/<int:activity_id>")
@roles_required(*ORGANISERS)
def show(activity_id):
    activity = activities.visible(current_user, activity_id)
    return render_template("activities/show.html", activity=activity, rows=activities.participants(activity),
                           form=FlaskForm())


@bp.get("/<int:activity_id>/check-in")
@roles_required(*ORGANISERS)
def check_in_page(activity_id):
    activity = activities.visible(current_user, activity_id)
    return render_template("activities/check_in.html", activity=activity,
                           count=activities.participant_count(activity))


@bp.post("/<int:activity_id>/check-in")
@roles_required(*ORGANISERS)
def check_in(activity_id):
    """One scan or typed number: JSON {code} -> JSON {result, message, resident_name, count}.

    A refusal (revoked card, expired code, closed activity) is an answer for the screen, so it is
    answered 200 with the refusal's code as the result; nothing was written for it.
    """
    activity = activities.visible(current_user, activity_id)
    body = request.get_json(silent=True)
    code = body.get("code") if isinstance(body, dict) else None
    try:
        if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE:
            raise activities.Invalid(_l("Scan a member code or enter a mobile number."), field="code")
        code = code.strip()
        by_phone = code.isdigit()
        outcome = activities.check_in(current_user, activity, member_code=None if by_phone else code,
                                      phone=code if by_phone else None)
    except Refusal as refusal:
        return jsonify(result=refusal.code, message=str(refusal), resident_name="")
    return jsonify(result=outcome.result, message="", resident_name=mask_name(outcome.resident.name),
                   count=activities.participant_count(activity))


@bp.post("/<int:activity_id>/close")
@roles_required(*ORGANISERS)
def close(activity_id):
    activity = activities.visible(current_user, activity_id)
    if FlaskForm().validate_on_submit():
        try:
            rows = activities.close(current_user, activity)
        except Refusal as refusal:
            flash(str(refusal), "error")
        else:
            total = sum(participation.points or 0 for participation, _ in rows)
            flash(_l("Activity closed: %(people)d participants awarded %(points)d points in all.",
                     people=len(rows), points=total), "success")
    return redirect(url_for("activity_pages.show", activity_id=activity.id))


def _activity_form():
    form = ActivityForm()
    form.action_type_id.choices = [(a.id, f"{a.name} ({a.points:+d})") for a in activities.organised_actions()]
    if current_user.has_role(Role.ADMIN):
        names = db.session.execute(select(Community).order_by(Community.name)).scalars()
        form.community_id.choices = [(0, _l("No community"))] + [(c.id, c.name) for c in names]
    else:
        del form.community_id
    return form


def _chosen_community(form):
    field = getattr(form, "community_id", None)
    return field.data or None if field is not None else None


def _from_local(moment: datetime | None):
    """A datetime-local value is the scheme's wall-clock time."""
    if moment is None:
        return None
    return moment.replace(tzinfo=zone())


def _show_on_form(form, refusal):
    field = getattr(form, refusal.details.get("field", ""), None)
    if field is not None:
        field.errors = [*field.errors, str(refusal)]
    else:
        form.form_errors.append(str(refusal))
