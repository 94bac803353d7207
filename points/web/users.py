"""Admins manage people: find them, create accounts, set roles, reset passwords, disable."""
from types import SimpleNamespace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.errors import Forbidden, NotFound, Refusal
from points.extensions import db
from points.accounts import people
from points.redemption import venues
from points.web.access import roles_required
from points.web.auth import start_session
from points.web.forms import PasswordForm, RolesForm, UserForm, options, show_refusal

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.get("")
@roles_required(Role.ADMIN)
def index():
    query = request.args.get("q", "").strip()
    return render_template("admin/users.html", query=query,
                           found=people.search(current_user, query, residents_only=False))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create():
    form = _with_choices(UserForm())
    if not form.validate_on_submit():
        return render_template("admin/user_new.html", form=form), 422 if form.is_submitted() else 200
    try:
        user = accounts.add_user(current_user, form.phone.data, form.name.data, form.password.data,
                                 form.role_flags, form.community.data or None)
        venues.works_at(user, _venues(form.venues.data), actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return render_template("admin/user_new.html", form=form), refusal.status
    flash(_("Account created for %(name)s.", name=user.name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(user_id):
    user = _user(user_id)
    form = _with_choices(RolesForm(obj=_settings(user) if request.method == "GET" else None))
    if not form.validate_on_submit():
        return _user_page(user, form, status=422 if form.is_submitted() else 200)
    try:
        _keep_own_admin_role(user, form.role_flags)
        community = accounts.community_named(form.community.data) if form.community.data else None
        accounts.set_roles(user, form.role_flags, community, actor=current_user)
        venues.works_at(user, _venues(form.venues.data), actor=current_user)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _user_page(user, form, status=refusal.status)
    flash(_("Roles saved for %(name)s.", name=user.name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.post("/<int:user_id>/password")
@roles_required(Role.ADMIN)
def reset_password(user_id):
    user = _user(user_id)
    form = PasswordForm()
    try:
        if not form.validate():
            return _user_page(user, password_form=form, status=422)
        accounts.reset_password(user, form.password.data, actor=current_user)
        if user.id == current_user.id:
            start_session(user)  # every other session of theirs ended; the one they are using goes on
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _user_page(user, password_form=form, status=refusal.status)
    flash(_("New password set for %(name)s. Tell them in person, not by message.", name=user.name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.post("/<int:user_id>/active")
@roles_required(Role.ADMIN)
def set_active(user_id):
    user = _user(user_id)
    active = request.form.get("active") == "1"
    # An admin who disabled their own account would lock themselves out mid-task.
    if user.id == current_user.id and not active:
        raise Forbidden(_l("You cannot disable your own account."))
    accounts.set_active(user, active, actor=current_user)
    message = (_("%(name)s can sign in again.", name=user.name) if active
               else _("%(name)s can no longer sign in.", name=user.name))
    flash(message, "success")
    return redirect(url_for("users.edit", user_id=user.id))


def _user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such person."))
    return user


def _settings(user):
    """The user's roles, community and venues in the shape of RolesForm, to fill it in."""
    return SimpleNamespace(roles=user.role_names, community=user.community.name if user.community else "",
                           venues=[venue.id for venue in user.venues])


def _with_choices(form):
    names = accounts.community_names()
    form.community.choices = options([("", _("— no community —"))] + [(name, name) for name in names])
    form.venues.choices = options((venue.id, venue.name) for venue in venues.list_venues(include_inactive=True))
    return form


def _venues(ids):
    # As text: venue_named compares the reference with names too, and PostgreSQL refuses name = 5.
    return [venues.venue_named(str(venue_id)) for venue_id in ids or ()]


def _keep_own_admin_role(user, roles):
    # An admin who removed their own admin role would lock themselves out of this page.
    if user.id == current_user.id and Role.ADMIN not in roles:
        raise Forbidden(_l("You cannot remove your own admin role."), field="roles")


def _user_page(user, form=None, password_form=None, status=200):
    form = form or _with_choices(RolesForm(formdata=None, obj=_settings(user)))
    password_form = password_form or PasswordForm(formdata=None)
    return render_template("admin/user.html", user=user, form=form, password_form=password_form), status
