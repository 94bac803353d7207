"""The reviewer's and admin's home: find a resident, award or deduct points with a reason; an admin
reverses a mistaken entry of their history."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from points import ledger
from points.accounts import reach
from points.accounts.models import Role
from points.earning import awards, corrections
from points.earning.models import ActionType
from points.errors import Refusal
from points.extensions import db
from points.accounts import people
from points.web.access import roles_required
from points.web.forms import AwardForm, ReverseForm, options, show_refusal

bp = Blueprint("admin", __name__, url_prefix="/admin")
RECENT = 10


@bp.get("")
@roles_required(Role.REVIEWER, Role.ADMIN)
def index():
    query = request.args.get("q", "").strip()
    found = people.search(current_user, query) if query else None
    waiting = len(awards.pending_requests()) if current_user.has_role(Role.ADMIN) else 0
    return render_template("admin/index.html", query=query, found=found, waiting=waiting)


@bp.route("/residents/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.REVIEWER, Role.ADMIN)
def resident(user_id):
    resident = reach.resident_for(current_user, user_id)
    form = _award_form()
    if not form.validate_on_submit():
        return _resident_page(resident, form, status=422 if form.is_submitted() else 200)
    try:
        state, _record = awards.give(
            current_user, resident, form.signed_points, f"form:{form.request_key.data}",
            awards.find_action_type(form.action_type.data), form.note.data, form.times,
        )
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _resident_page(resident, form, status=refusal.status)
    flash(_outcome(state, resident, form.signed_points), "info" if state == "pending" else "success")
    return redirect(url_for("admin.resident", user_id=resident.id))


@bp.route("/residents/<int:user_id>/transfers/<int:transfer_id>/reverse", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def reverse(user_id, transfer_id):
    """Ask before reversing: what the entry was, what the reversal does, and the admin's reason."""
    resident = reach.resident_for(current_user, user_id)
    transfer = corrections.get_transfer(transfer_id, resident)
    form = ReverseForm()
    if not form.validate_on_submit():
        return _reverse_page(resident, transfer, form, status=422 if form.is_submitted() else 200)
    try:
        state, _result = corrections.reverse(current_user, transfer, form.reason.data, f"form:{form.request_key.data}")
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _reverse_page(resident, transfer, form, status=refusal.status)
    if state == "pending":
        flash(_("The reversal of %(points)d points waits for a second admin to approve it.", points=transfer.amount),
              "info")
    else:
        flash(_("Reversed: the entry of %(points)d points is corrected.", points=transfer.amount), "success")
    return redirect(url_for("admin.resident", user_id=resident.id))


def _reverse_page(resident, transfer, form, status):
    takes_back = ledger.account_of(resident.id) == transfer.credit_account_id
    return render_template("admin/reverse.html", resident=resident, transfer=transfer, form=form,
                           takes_back=takes_back, balance=ledger.balance(resident.id)), status


def _award_form():
    form = AwardForm()
    form.action_type.choices = options([("", _("— none —"))] + [
        (a.id, f"{a.name} ({a.points:+d})") for a in _active_action_types()
    ])
    return form


def _active_action_types():
    query = select(ActionType).where(ActionType.active.is_(True)).order_by(ActionType.points.desc(), ActionType.id)
    return db.session.execute(query).scalars().all()


def _resident_page(resident, form, status):
    return render_template(
        "admin/resident.html", resident=resident, form=form, balance=ledger.balance(resident.id),
        lines=ledger.history(resident.id, limit=RECENT),
    ), status


def _outcome(state, resident, points):
    if state == "pending":
        return _("%(points)d points for %(name)s are waiting for a second admin to approve them.",
                 points=points, name=resident.name)
    if points < 0:
        return _("%(points)d points deducted from %(name)s.", points=-points, name=resident.name)
    return _("%(points)d points awarded to %(name)s.", points=points, name=resident.name)
