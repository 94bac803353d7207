"""Signing in and out, registering, choosing the language."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from points.accounts import operations as accounts
from points.errors import Invalid
from points.extensions import limiter
from points.security import is_safe_next, login_limit_per_address, login_limit_per_phone, login_phone_key
from points.web.forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__)


def _only_posts():
    return request.method != "POST"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit_per_phone, key_func=login_phone_key, exempt_when=_only_posts)
@limiter.limit(login_limit_per_address, exempt_when=_only_posts)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.phone.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            session.permanent = True
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        # One message whether the phone is unknown, the password wrong or the account disabled.
        flash(_("The mobile number or the password is not correct."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        abort(404)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.phone.data, form.name.data, form.password.data,
                                        community=form.community.data)
        except Invalid as invalid:
            getattr(form, invalid.details.get("field", "phone")).errors.append(str(invalid))
        else:
            login_user(user)
            flash(_("Welcome! Your points account is ready."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form, communities=accounts.community_names())


@bp.post("/lang/<code>")
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.index"))


