"""Service records: made from a resident's page or by the resident, checked by anyone at /verify/<code>."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField

from points.accounts import reach
from points.accounts.models import Role, mask_name
from points.errors import Refusal
from points.extensions import limiter
from points.records import operations as records
from points.redemption.tickets import qr_svg
from points.web.access import roles_required

bp = Blueprint("record_pages", __name__)
MAKERS = (Role.REVIEWER, Role.ADMIN)


class PeriodForm(FlaskForm):
    """The period to record; the days are checked by the operation (points.records.operations)."""
    first = StringField(_l("From"), name="from", render_kw={"type": "date"})
    last = StringField(_l("To"), name="to", render_kw={"type": "date"})


@bp.app_template_filter("hours")
def hours(minutes):
    """1.5 / 12: hours with at most one decimal, in the reader's locale."""
    return format_decimal((minutes or 0) / 60, "#,##0.#")


@bp.route("/people/<int:user_id>/record", methods=["GET", "POST"])
@roles_required(*MAKERS)
def for_resident(user_id):
    holder = reach.resident_for(current_user, user_id)
    return _period_page(holder, lambda record: url_for(".resident_record", user_id=holder.id, record_id=record.id))


@bp.get("/people/<int:user_id>/record/<int:record_id>")
@roles_required(*MAKERS)
def resident_record(user_id, record_id):
    holder = reach.resident_for(current_user, user_id)
    return _record_page(holder, record_id, back=url_for(".for_resident", user_id=holder.id))


@bp.route("/me/record", methods=["GET", "POST"])
@roles_required(Role.RESIDENT)
def mine():
    return _period_page(current_user, lambda record: url_for(".my_record", record_id=record.id))


@bp.get("/me/record/<int:record_id>")
@roles_required(Role.RESIDENT)
def my_record(record_id):
    return _record_page(current_user, record_id, back=url_for(".mine"))


def verify_limit():
    return current_app.config["VERIFY_LIMIT_PER_ADDRESS"]


@bp.get("/verify/<path:code>")
@limiter.limit(verify_limit)
def verify(code):
    """Public: what a printed code attests, with the holder's name masked; a guess learns nothing more."""
    record = records.verified(code)
    if record is None:
        return render_template("records/unknown.html"), 404
    return render_template("records/verify.html", record=record, masked_name=mask_name(record.holder_name))


def _period_page(holder, record_url):
    """Choose a period and make a record of it; the records made before, to print again."""
    first, last = records.default_period()
    form = PeriodForm(data={"first": first.isoformat(), "last": last.isoformat()})
    if form.validate_on_submit():
        try:
            record = records.make(current_user, holder, *records.parse_period(form.first.data, form.last.data))
            return redirect(record_url(record))
        except Refusal as refusal:
            _show(form, refusal)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("records/period.html", holder=holder, form=form, made=records.records_of(holder),
                           record_url=record_url), status


def _record_page(holder, record_id, back):
    record = records.get(current_user, holder, record_id)
    verify_url = url_for(".verify", code=record.code, _external=True)
    return render_template("records/record.html", record=record, verify_url=verify_url, back=back,
                           qr=Markup(qr_svg(verify_url)))


def _show(form, refusal):
    """A refusal beside the day it concerns ("from" or "to"), or above the form."""
    field = {"from": form.first, "to": form.last}.get(refusal.details.get("field"))
    if field is not None:
        field.errors = [*field.errors, str(refusal)]
    else:
        form.form_errors.append(str(refusal))
