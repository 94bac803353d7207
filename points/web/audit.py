"""The audit log page: admins see who did what, for whom and when, filter it, and download it as CSV."""
import json
import re
from datetime import date

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import select

from points import audit, csvout
from points.accounts.models import Role, User
from points.extensions import db
from points.redemption.times import local
from points.routing import is_id
from points.timeutil import EARLIEST_DAY, LATEST_DAY
from points.web.access import roles_required

bp = Blueprint("audit_pages", __name__, url_prefix="/admin/audit")
STAFF_ROLES = int(Role.STAFF | Role.REVIEWER | Role.ADMIN)
EXPORT_PAGE = 500


@bp.get("")
@roles_required(Role.ADMIN)
def index():
    wanted, problems = _filters()
    rows = audit.entries(**wanted, before=_id_arg("before"))
    older = rows[-1].id if len(rows) == audit.PAGE else None
    return render_template("admin/audit.html", rows=rows, older=older, wanted=wanted, problems=problems,
                           people=_people(), actions=audit.ACTIONS, label=audit.action_label,
                           before=request.args.get("before"), wanted_args=_filter_args()), 422 if problems else 200


@bp.get("/audit.csv")
@roles_required(Role.ADMIN)
def export():
    """Every row the filters find, newest first, read a page at a time so memory stays flat."""
    wanted, _problems = _filters()
    header = [_("Number"), _("Time"), _("Done by"), _("Done by (id)"), _("Action"), _("Done for"), _("Done for (id)"),
              _("Object"), _("Object id"), _("What changed"), _("Address")]
    body = stream_with_context(csvout.lines(header, (_cells(entry) for entry in _all(wanted))))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=audit-log.csv"})


def _all(wanted):
    before = None
    while True:
        rows = audit.entries(**wanted, before=before, limit=EXPORT_PAGE)
        yield from rows
        if len(rows) < EXPORT_PAGE:
            return
        before = rows[-1].id


def _cells(entry):
    return [
        entry.id, local(entry.created_at).isoformat(timespec="seconds"),
        entry.actor.name if entry.actor else _("A command on the server"), entry.actor_id,
        str(audit.action_label(entry.action)), entry.for_user.name if entry.for_user else "", entry.for_user_id,
        entry.target_type, entry.target_id, json.dumps(entry.details, ensure_ascii=False), entry.address,
    ]


def _filters():
    """The page's filters from the query string; what cannot be read is left out and said."""
    problems = []
    first_day, last_day = _day_arg("from", problems), _day_arg("to", problems)
    if first_day and last_day and last_day < first_day:
        problems.append(_("The last day comes before the first."))
    action = request.args.get("action", "").strip()
    wanted = {"actor_id": _id_arg("actor"), "action": action if re.fullmatch(audit.ACTION_PATTERN, action) else None,
              "first_day": first_day, "last_day": last_day}
    return wanted, problems


def _filter_args():
    """The filters as given, for the links that keep them (older rows, the CSV)."""
    return {name: request.args[name] for name in ("actor", "action", "from", "to") if request.args.get(name)}


def _id_arg(name):
    value = request.args.get(name, type=int)
    return value if is_id(value) else None


def _day_arg(name, problems):
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(_("Please enter a date such as 2026-12-01."))
        return None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        problems.append(_("Please enter a date from %(first)s to %(last)s.", first=EARLIEST_DAY, last=LATEST_DAY))
        return None
    return day


def _people():
    """Who can appear as the one who did something: staff, reviewers and admins."""
    query = select(User).where(User.roles.op("&")(STAFF_ROLES) != 0).order_by(User.name, User.id)
    return db.session.execute(query).scalars().all()
