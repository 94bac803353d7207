"""The four-eyes queue: large awards and reversals wait here until a second, different admin decides."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from points.accounts.models import Role
from points.earning import awards
from points.earning.models import RequestKind
from points.expiry import operations as expiry
from points.errors import Refusal
from points.web.access import roles_required

bp = Blueprint("award_requests", __name__, url_prefix="/admin/award-requests")


@bp.get("")
@roles_required(Role.ADMIN)
def index():
    return _queue()


@bp.post("/<int:request_id>/approve")
@roles_required(Role.ADMIN)
def approve(request_id):
    award_request = awards.get_request(request_id)
    try:
        awards.approve(current_user, award_request)
    except Refusal as refusal:
        return _queue(refusal)
    if award_request.kind == RequestKind.REVERSAL:
        flash(_("Approved: the entry of %(points)d points for %(name)s is reversed.",
                points=award_request.points, name=award_request.resident.name), "success")
    else:
        flash(_("Approved: %(points)d points posted to %(name)s.",
                points=award_request.points, name=award_request.resident.name), "success")
    return redirect(url_for("award_requests.index"))


@bp.post("/<int:request_id>/refuse")
@roles_required(Role.ADMIN)
def refuse(request_id):
    award_request = awards.get_request(request_id)
    try:
        awards.refuse(current_user, award_request, request.form.get("reason", ""))
    except Refusal as refusal:
        return _queue(refusal)
    flash(_("Refused. %(name)s's points were not changed.", name=award_request.resident.name), "success")
    return redirect(url_for("award_requests.index"))


def _queue(refusal=None):
    """The queue page; after a refusal, with its message and the status that rolls back the request."""
    page = render_template("admin/award_requests.html", requests=awards.pending_requests(),
                           clearings=expiry.waiting_runs(), problem=str(refusal) if refusal else None)
    return page, refusal.status if refusal else 200
