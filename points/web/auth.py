"""Signing in and out, registering, choosing the language."""
from functools import cache

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from points.accounts import operations as accounts
from points.accounts.models import ApiToken, TokenKind, User
from points.errors import Refusal
from points.extensions import db, limiter, login_manager
from points.lifecycle import http_error, wait_message
from points.security import (
    is_safe_next, login_limit_per_address, login_limit_per_phone, login_phone_key, register_limit_per_address,
)
from points.timeutil import now_utc
from points.web.forms import LoginForm, RegisterForm, options, show_refusal

bp = Blueprint("auth", __name__)


def _only_posts():
    return request.method != "POST"


# Shared scopes: the sign-in page and the API's token endpoint count attempts together, so
# switching between them buys an attacker no extra guesses.
@bp.route("/login", methods=["GET", "POST"])
@limiter.shared_limit(login_limit_per_phone, "sign-in-phone", key_func=login_phone_key, exempt_when=_only_posts)
@limiter.shared_limit(login_limit_per_address, "sign-in-address", exempt_when=_only_posts)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.phone.data, form.password.data)
        if user is not None:
            start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        # One message whether the phone is unknown, the password wrong or the account disabled.
        flash(_("The mobile number or the password is not correct."), "error")
    return render_template("auth/login.html", form=form)


def start_session(user):
    """A fresh session for the person signing in, with a row of its own that sign-out ends."""
    _clear_session()
    user.session_key, _ = accounts.issue_token(user, TokenKind.WEB)
    login_user(user)
    session.permanent = True


@login_manager.user_loader
def load_user(key):
    """The person of this web sign-in while it lasts: one query, by the key the cookie holds."""
    values = {"token_hash": accounts.hash_token(key), "now": now_utc()}
    user = db.session.execute(_session_owner_query(), values).scalar()
    if user is not None:
        user.session_key = key
    return user


@cache
def _session_owner_query():
    """Built once, as the API's token query is: it runs on every page."""
    return select(User).join(ApiToken, ApiToken.user_id == User.id).where(*ApiToken.signs_in(TokenKind.WEB))


def _clear_session():
    """Forget everything but the language the person chose."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


@bp.post("/logout")
@login_required
def logout():
    # The row ends, so a copy of this cookie signs nobody in any more.
    accounts.revoke_token(current_user.get_id())
    logout_user()
    _clear_session()
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(register_limit_per_address, exempt_when=_only_posts)
def register():
    if not current_app.config["REGISTRATION_OPEN"]:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = _register_form()
    if not form.validate_on_submit():
        return render_template("auth/register.html", form=form), 422 if form.is_submitted() else 200
    try:
        user = accounts.create_user(form.phone.data, form.name.data, form.password.data,
                                    community=form.community.data)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return render_template("auth/register.html", form=form), refusal.status
    start_session(user)
    flash(_("Welcome! Your points account is ready."), "success")
    return redirect(url_for("home.index"))


def _register_form():
    form = RegisterForm()
    names = accounts.community_names()
    form.community.choices = options([("", _("Choose your community"))] + [(name, name) for name in names])
    return form


# The limits above answer 429 before the view runs: the same form comes back, with what was typed
# (never the password) and how long to wait, so a resident does not start over on an error page.
TRIED_TOO_OFTEN = {
    "auth.login": (LoginForm, "auth/login.html"),
    "auth.register": (_register_form, "auth/register.html"),
}


@bp.errorhandler(429)
def tried_too_often(error):
    if request.endpoint not in TRIED_TOO_OFTEN:
        return http_error(error)  # a page without a form of its own: the wait and a link back
    make_form, template = TRIED_TOO_OFTEN[request.endpoint]
    form = make_form()
    form.form_errors.append(wait_message())
    return render_template(template, form=form), 429


@bp.post("/lang/<code>")
def set_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.index"))
