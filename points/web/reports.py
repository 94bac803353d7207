"""The dashboard and the monthly statement (admins: every community; reviewers: their own)."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from points.accounts.models import Role
from points.errors import Refusal
from points.reports import charts, dashboard
from points.reports import statement as statements
from points.web.access import roles_required

bp = Blueprint("report_pages", __name__, url_prefix="/admin/reports")
bp.add_app_template_filter(charts.month_name, "report_month")
bp.add_app_template_filter(charts.week_name, "report_week")
bp.add_app_template_filter(charts.figure, "figure")


@bp.get("")
@roles_required(Role.REVIEWER, Role.ADMIN)
def index():
    try:
        first, last = dashboard.parse_period(request.args.get("from"), request.args.get("to"))
        seen = dashboard.for_viewer(current_user, first, last, dashboard.parse_community(request.args.get("community_id")))
    except Refusal as refusal:
        return _dashboard(dashboard.for_viewer(current_user, *dashboard.parse_period()), refusal)
    return _dashboard(seen)


@bp.get("/statement")
@roles_required(Role.REVIEWER, Role.ADMIN)
def statement():
    try:
        month = dashboard.month_in(request.args["month"], "month") if request.args.get("month") else None
        made = statements.monthly(current_user, month or statements.current_month(),
                                 dashboard.parse_community(request.args.get("community_id")))
    except Refusal as refusal:
        return _statement(statements.monthly(current_user, statements.current_month()), refusal)
    return _statement(made)


def _dashboard(seen, refusal=None):
    page = render_template("reports/dashboard.html", seen=seen, charts=charts.for_dashboard(seen),
                           problem=refusal)
    return page, refusal.status if refusal else 200


def _statement(made, refusal=None):
    choices = dashboard.community_choices() if current_user.has_role(Role.ADMIN) else []
    street = dashboard.street_name(made.community_id) if made.community_id else made.name
    page = render_template("reports/statement.html", made=made, street=street, communities=choices,
                           problem=refusal, month_days=charts.month_days)
    return page, refusal.status if refusal else 200
