"""The signed-in person's home: a resident sees the balance first."""
from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required, user_logged_in

from points import ledger
from points.accounts.models import Role
from points.expiry import operations as expiry
from points.routing import is_id
from points.security import is_safe_next
from points.web.access import tools_for

bp = Blueprint("home", __name__)
PAGE = 20


@bp.get("/")
@login_required
def index():
    tools = tools_for(current_user)
    if not current_user.has_role(Role.RESIDENT):
        # Someone who only manages the scheme has no balance: send them straight to their tools.
        if current_user.has_role(Role.REVIEWER) or current_user.has_role(Role.ADMIN):
            return redirect(url_for("admin.index"))
        if current_user.has_role(Role.STAFF):
            return redirect(url_for("scan.index"))  # staff come to the door to scan, nothing else
        return render_template("home.html", tools=tools, balance=None, lines=[], before=None)
    before = _cursor(request.args.get("before", type=int))
    lines = ledger.history(current_user.id, limit=PAGE, before=before, one_line_per_booking=True)
    older = lines[-1].transfer.id if len(lines) == PAGE else None
    return render_template("home.html", tools=tools, balance=ledger.balance(current_user.id), lines=lines,
                           before=before, older=older, expiring=expiry.notice(current_user.id))


def _cursor(transfer_id):
    """The `before` transfer id of a history page; anything no transfer could have means "newest"."""
    return transfer_id if is_id(transfer_id) else None


# ---- 长辈版 care mode (SPEC §11) ----
# The browser remembers the look in a long-lived cookie, so it stays after sign-out; a signed-in
# person's choice lives on the account and follows them to any browser. A choice made while signed
# out is marked "chosen" so that signing in carries it to the account, once.
CARE_COOKIE = "care"
CARE_ON, CARE_OFF = "1", "0"
CHOSEN = "chosen:"
CARE_COOKIE_AGE = 5 * 365 * 24 * 3600


@bp.post("/care")
def set_care_mode():
    on = request.form.get("on") == CARE_ON
    target = request.form.get("next")
    response = redirect(target if is_safe_next(target) else url_for("home.index"))
    if current_user.is_authenticated:
        current_user.care_mode = on  # the browser follows (_browser_follows_account)
    else:
        _remember_in_browser(response, CHOSEN + _care_value(on))
    return response


def care_mode():
    """Whether this page is drawn in care mode: the account's choice, or this browser's."""
    if current_user.is_authenticated:
        return current_user.care_mode
    return request.cookies.get(CARE_COOKIE, "").removeprefix(CHOSEN) == CARE_ON


@bp.app_context_processor
def _care_in_templates():
    return {"care_mode": care_mode}


@user_logged_in.connect
def _carry_browser_choice(app, user):
    """A look chosen on this browser before signing in becomes the account's."""
    value = request.cookies.get(CARE_COOKIE, "")
    if value.startswith(CHOSEN):
        user.care_mode = value.removeprefix(CHOSEN) == CARE_ON


@bp.after_app_request
def _browser_follows_account(response):
    """The browser keeps the account's look, so signing out here changes nothing on screen."""
    # Only when this request already knows who is signed in: a stylesheet need not look them up.
    if "_login_user" in g and current_user.is_authenticated and request.cookies.get(CARE_COOKIE) != _care_value(current_user.care_mode):
        _remember_in_browser(response, _care_value(current_user.care_mode))
    return response


def _care_value(on):
    return CARE_ON if on else CARE_OFF


def _remember_in_browser(response, value):
    response.set_cookie(CARE_COOKIE, value, max_age=CARE_COOKIE_AGE, secure=request.is_secure,
                        httponly=True, samesite="Lax")
