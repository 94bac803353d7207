"""Family helpers' pages: a resident invites and ends helpers; a helper answers invitations and acts
for the people they help (points.accounts.helpers holds the rules, points.accounts.reach the reach)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from points import ledger
from points.accounts import helpers
from points.accounts.helpers import SCOPE_LABELS, Scope
from points.accounts.models import Role
from points.errors import NotFound, Refusal
from points.extensions import limiter
from points.redemption import bookings
from points.web.access import roles_required
from points.web.forms import CheckboxesField, options, show_refusal

bp = Blueprint("helper_pages", __name__, url_prefix="/helpers")
HISTORY = 10


class InviteForm(FlaskForm):
    phone = StringField(_l("Your relative's mobile number"),
                        validators=[DataRequired(_l("Please enter your relative's mobile number."))],
                        render_kw={"inputmode": "tel", "autocomplete": "off", "maxlength": 11})
    scopes = CheckboxesField(_l("What they may do for you"), default=["view", "book"],
                             choices=options((scope.name.lower(), label) for scope, label in SCOPE_LABELS.items()),
                             validators=[DataRequired(_l("Please choose at least one thing your helper may do."))])


@bp.app_template_filter("helper_scopes")
def helper_scopes(grant):
    return [SCOPE_LABELS[scope] for scope in grant.scope_list]


@bp.app_template_global()
def helper_home():
    """For templates/helpers/_on_home.html: (invitations waiting for me, grants of the people I help)."""
    if not current_user.is_authenticated:
        return [], []
    return helpers.invitations_for(current_user), helpers.helping(current_user)


@bp.get("")
@login_required
def index():
    return _page(InviteForm(formdata=None))


def invite_limit():
    return current_app.config["HELPER_INVITE_LIMIT"]


def _inviter_key():
    return f"helper-invite:{current_user.id}" if current_user.is_authenticated else request.remote_addr


@bp.post("")
@limiter.limit(invite_limit, key_func=_inviter_key)
@roles_required(Role.RESIDENT)
def invite():
    form = InviteForm()
    if not form.validate():
        return _page(form, status=422)
    try:
        grant = helpers.invite(current_user, form.phone.data, helpers.scopes_from(form.scopes.data))
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _page(form, status=refusal.status)
    flash(_("%(name)s is invited. They can accept on their own home page.", name=grant.helper.name), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:grant_id>/accept")
@login_required
def accept(grant_id):
    grant = _answered(helpers.accept, grant_id)
    if grant is not None:
        flash(_("You now help %(name)s.", name=grant.resident.name), "success")
        return redirect(url_for(".acting_for", resident_id=grant.resident_id))
    return redirect(url_for(".index"))


@bp.post("/<int:grant_id>/decline")
@login_required
def decline(grant_id):
    if _answered(helpers.decline, grant_id) is not None:
        flash(_("Invitation declined."), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:grant_id>/revoke")
@login_required
def revoke(grant_id):
    grant = _answered(helpers.revoke, grant_id)
    if grant is not None:
        flash(_("%(name)s can no longer act for %(resident)s.", name=grant.helper.name,
                resident=grant.resident.name), "success")
    return redirect(url_for(".index"))


@bp.get("/for/<int:resident_id>")
@login_required
def acting_for(resident_id):
    """What the helper may do for the resident they help: by the grant's scopes, nothing more."""
    grant = helpers.grant_between(current_user.id, resident_id)
    if grant is None:
        raise NotFound(_l("No such resident."))
    resident = grant.resident
    seen = grant.allows(Scope.VIEW)
    return render_template(
        "helpers/acting_for.html", grant=grant, resident=resident, Scope=Scope,
        balance=ledger.balance(resident.id) if seen else None,
        lines=ledger.history(resident.id, limit=HISTORY, one_line_per_booking=True) if seen else [],
        booked=bookings.bookings_of(resident.id) if grant.allows(Scope.VIEW | Scope.BOOK) else [],
    )


def _answered(operation, grant_id):
    """Run accept, decline or revoke on a grant the signed-in person is a side of; a refusal is flashed."""
    grant = helpers.grant_of(current_user, grant_id)
    try:
        return operation(current_user, grant)
    except Refusal as refusal:
        flash(str(refusal), "error")
        return None


def _page(form, status=200):
    return render_template(
        "helpers/index.html", form=form, is_resident=current_user.has_role(Role.RESIDENT),
        mine=helpers.grants_of(current_user), invitations=helpers.invitations_for(current_user),
        helping=helpers.helping(current_user), revoking=request.args.get("revoke", type=int),
    ), status
