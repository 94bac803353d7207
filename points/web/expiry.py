"""Clearing at year end: an admin previews per community what expires and asks; a second admin approves."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from points.accounts.models import Role
from points.errors import Invalid, Refusal
from points.expiry import operations as expiry
from points.web.access import roles_required

bp = Blueprint("expiry_pages", __name__, url_prefix="/admin/expiry")
POLICIES = {
    expiry.YEAR_END: _l("the points still available at the end of the day expire"),
    expiry.YEAR_END_NEXT: _l("the points earned before this year, still available, expire"),
}


@bp.get("")
@roles_required(Role.ADMIN)
def index():
    try:
        as_of = expiry.parse_day(request.args["as_of"]) if request.args.get("as_of") else expiry.default_day()
    except Refusal as refusal:
        return _page(expiry.default_day(), refusal)
    return _page(as_of)


@bp.post("/request")
@roles_required(Role.ADMIN)
def ask():
    try:
        as_of = expiry.parse_day(request.form.get("as_of", ""))
        if expiry.is_ahead(as_of) and not request.form.get("confirm_ahead"):
            raise Invalid(_("This day lies ahead: please tick the box to confirm that the year is cleared early."),
                          field="confirm_ahead", code="confirmation_needed")
        run = expiry.request_run(current_user, as_of)
    except Refusal as refusal:
        return _page(_day_or_default(request.form.get("as_of")), refusal)
    flash(_("Asked for: a second admin must approve clearing %(period)s before any point expires.",
            period=run.period), "success")
    return redirect(url_for("expiry_pages.index", as_of=as_of.isoformat()))


@bp.post("/<int:run_id>/approve")
@roles_required(Role.ADMIN)
def approve(run_id):
    run = expiry.get_run(run_id)
    try:
        expired = expiry.approve_run(current_user, run)
    except Refusal as refusal:
        return _page(run.as_of, refusal)
    flash(_("Cleared: %(points)d points of %(residents)d residents expired for %(period)s.",
            points=expired.points, residents=expired.residents, period=run.period), "success")
    return redirect(url_for("expiry_pages.index", as_of=run.as_of.isoformat()))


@bp.post("/<int:run_id>/refuse")
@roles_required(Role.ADMIN)
def refuse(run_id):
    run = expiry.get_run(run_id)
    try:
        expiry.refuse_run(current_user, run, request.form.get("reason", ""))
    except Refusal as refusal:
        return _page(run.as_of, refusal)
    flash(_("Refused: no point expired for %(period)s.", period=run.period), "success")
    return redirect(url_for("expiry_pages.index", as_of=run.as_of.isoformat()))


def _page(as_of, refusal=None):
    """The preview for a day, the runs waiting and done; after a refusal, its message and status."""
    try:
        seen, off = expiry.preview(as_of), None
    except Refusal as policy_off:
        seen, off = None, str(policy_off)
    page = render_template(
        "admin/expiry.html", as_of=as_of, seen=seen, off=off, ahead=expiry.is_ahead(as_of), policies=POLICIES,
        waiting=expiry.waiting_runs(), runs=expiry.recent_runs(), problem=str(refusal) if refusal else None,
    )
    return page, refusal.status if refusal else 200


def _day_or_default(value):
    try:
        return expiry.parse_day(value or "")
    except Refusal:
        return expiry.default_day()
