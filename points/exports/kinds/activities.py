"""Volunteer activities (志愿活动), a line per participant (an activity nobody joined yet has one line)."""
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points.accounts.models import Community, User
from points.earning.models import ActionType, Activity, ActivityStatus, Participation
from points.exports.kinds.common import clock, in_communities, in_days, labels, phone_shown, plain, wall_clock

ACTIVITIES, PARTICIPATIONS = Activity.__table__, Participation.__table__
USERS, COMMUNITIES, ACTIONS = User.__table__, Community.__table__, ActionType.__table__
STATUS_LABELS = {ActivityStatus.OPEN: _l("Open"), ActivityStatus.CLOSED: _l("Closed, points awarded")}
METHOD_LABELS = {"qr": _l("Member code"), "card": _l("Member card"), "phone": _l("Phone number")}


def header():
    return [_("Activity"), _("Title"), _("Starts"), _("Ends"), _("Place"), _("Community"), _("Organiser"),
            _("Action"), _("Points each"), _("Status"), _("Participant"), _("Phone"), _("Checked in at"),
            _("Checked in with"), _("Points awarded")]


def query(scope):
    """Activities that start on the scope's days, of its communities, with their participants."""
    organiser, person = USERS.alias("organiser"), USERS.alias("person")
    a, p = ACTIVITIES, PARTICIPATIONS
    return (
        select(a.c.id, a.c.title, wall_clock(a.c.starts_at), wall_clock(a.c.ends_at), a.c.place, COMMUNITIES.c.name,
               organiser.c.name, ACTIONS.c.name_zh, ACTIONS.c.name_en, a.c.points, plain(a.c.status), person.c.name,
               person.c.phone, wall_clock(p.c.checked_in_at), p.c.method, p.c.points)
        .join(organiser, organiser.c.id == a.c.organiser_id)
        .join(ACTIONS, ACTIONS.c.id == a.c.action_type_id)
        .outerjoin(COMMUNITIES, COMMUNITIES.c.id == a.c.community_id)
        .outerjoin(p, p.c.activity_id == a.c.id)
        .outerjoin(person, person.c.id == p.c.user_id)
        .where(in_days(scope, a.c.starts_at), in_communities(scope, a.c.community_id))
        .order_by(a.c.id, p.c.checked_in_at, p.c.user_id)
    )


def cells(scope):
    shown, phone = clock(), phone_shown(scope)
    statuses, methods = labels(STATUS_LABELS.get), labels(METHOD_LABELS.get)
    english = str(get_locale() or "zh").startswith("en")

    def row_cells(row):
        (number, title, starts, ends, place, community, organiser, name_zh, name_en, points, status, person,
         phone_number, checked_in_at, method, awarded) = row
        return [number, title, shown(starts), shown(ends), place, community or "", organiser,
                name_en if english else name_zh, points, statuses(status), person or "", phone(phone_number),
                shown(checked_in_at), methods(method) if method else "", awarded if awarded is not None else ""]

    return row_cells
