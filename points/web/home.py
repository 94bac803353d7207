"""The signed-in person's home: a resident sees the balance first."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from points import ledger
from points.accounts.models import Role
from points.expiry import operations as expiry
from points.routing import is_id
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
        return render_template("home.html", tools=tools, balance=None, lines=[], before=None)
    before = _cursor(request.args.get("before", type=int))
    lines = ledger.history(current_user.id, limit=PAGE, before=before)
    older = lines[-1].transfer.id if len(lines) == PAGE else None
    return render_template("home.html", tools=tools, balance=ledger.balance(current_user.id), lines=lines,
                           before=before, older=older, expiring=expiry.notice(current_user.id))


def _cursor(transfer_id):
    """The `before` transfer id of a history page; anything no transfer could have means "newest"."""
    return transfer_id if is_id(transfer_id) else None
