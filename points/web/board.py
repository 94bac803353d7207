"""The points board (积分公示) on the phone, and as an A4 notice to print and pin up."""
from functools import wraps

from flask import Blueprint, current_app, render_template, request
from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_login import current_user, login_required

from points.earning import board as boards
from points.timeutil import now_utc

bp = Blueprint("board", __name__, url_prefix="/board")


def readable(view):
    """Signed-in people only, unless BOARD_PUBLIC: the board then shows masked names to anyone."""
    guarded = login_required(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_app.config.get("BOARD_PUBLIC"):
            return view(*args, **kwargs)
        return guarded(*args, **kwargs)

    return wrapper


@bp.app_template_filter("month_label")
def month_label(month):
    """2026年11月 / November 2026."""
    return format_skeleton("yMMMM", month, locale=str(get_locale()))


@bp.app_template_filter("short_day")
def short_day(day):
    """11/26 (month and day; the month is in the heading)."""
    return format_skeleton("Md", day, locale=str(get_locale()))


@bp.get("")
@readable
def index():
    return render_template("earning/board.html", **_board())


@bp.get("/print")
@readable
def printable():
    return render_template("earning/board_print.html", now=now_utc(), **_board())


def _board():
    viewer = current_user if current_user.is_authenticated else None
    community = boards.community_for(viewer, request.args.get("community", type=int))
    month = boards.parse_month(request.args.get("month", ""))
    return {"board": boards.board(community, month), "communities": boards.communities(),
            "months": boards.months_back()}
