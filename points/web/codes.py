"""One-time codes on the pages: an office issues one and prints the slip; the resident enters it at
/activate, chooses a password and is signed in; "Forgot your password?" sends them to the office."""
from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from points.accounts import codes, reach
from points.errors import Refusal
from points.extensions import limiter
from points.lifecycle import wait_message
from points.security import login_limit_per_address, login_limit_per_phone, login_phone_key
from points.web.access import roles_required
from points.web.auth import start_session
from points.web.forms import ActivateForm, show_refusal

bp = Blueprint("codes", __name__)


def _only_posts():
    return request.method != "POST"


@bp.post("/people/<int:user_id>/code")
@roles_required(*codes.ISSUERS)
def issue(user_id):
    """Issue a code and show its slip (the form's CSRF token is checked app-wide): the code is shown
    this once, and never kept."""
    resident = reach.resident_for(current_user, user_id)
    issued = codes.issue_code(current_user, resident)
    page = make_response(render_template("member/code_slip.html", resident=resident, issued=issued))
    page.headers["Cache-Control"] = "no-store"  # the code stays out of every cache and the history
    return page


# Counted with the sign-in's attempts (the same scopes): a guess at a code is a guess at a password.
@bp.route("/activate", methods=["GET", "POST"])
@limiter.shared_limit(login_limit_per_phone, "sign-in-phone", key_func=login_phone_key, exempt_when=_only_posts)
@limiter.shared_limit(login_limit_per_address, "sign-in-address", exempt_when=_only_posts)
def activate():
    form = ActivateForm()
    if not form.validate_on_submit():
        return render_template("auth/activate.html", form=form), 422 if form.is_submitted() else 200
    try:
        user = codes.use_code(form.phone.data, form.code.data, form.password.data)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return render_template("auth/activate.html", form=form), 422  # the form, with what to correct
    start_session(user)
    flash(_("Your password is set and you are signed in. Welcome!"), "success")
    return redirect(url_for("home.index"))


@bp.errorhandler(429)
def tried_too_often(_error):
    """The activation form again, with what was typed (never the password) and how long to wait."""
    form = ActivateForm()
    form.form_errors.append(wait_message())
    return render_template("auth/activate.html", form=form), 429


@bp.get("/forgot-password")
def forgot():
    return render_template("auth/forgot.html")
